"""Pages of bids on the provider side.

``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls: a provider's bid for one
published tender (start, task list, each task, check your answers and submit, receipts, withdraw).
They are council-public pages (providers are not council members) that need a signed-in member of
the bidding organisation. ``portal_urlpatterns`` (site root): the opportunity finder across
councils and "Your bids".

Everything works without JavaScript: each task is a plain form that saves the draft.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, cast

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from commissioning.downloads import as_download
from commissioning.forms import add_service_errors
from commissioning.http import CouncilPublicRequest, CouncilPublicSignedInRequest, CouncilRequest
from commissioning.models import Council
from commissioning.tenancy import council_public
from commissioning.views.forms import confirm_remove
from social_value import selectors as social_value_selectors
from tenders import public_cache, sealing
from tenders.forms.bids import (
    AnswerForm,
    BaseCommitmentFormSet,
    CommitmentForm,
    CommitmentFormSet,
    ConfirmBidForm,
    DeclarationsForm,
    OpportunityFilterForm,
    PricesForm,
    RevisionForm,
    StartBidForm,
    SubmitForm,
)
from tenders.keyset import Cursor, InvalidCursor
from tenders.links import RowUrl
from tenders.models import Bid, BidAttachment, BidStatus, BidSubmission, Lot, Tender
from tenders.selectors import bids as selectors
from tenders.selectors.evaluation_model import tender_asked_outcome_ids
from tenders.selectors.opening import bids_received_count
from tenders.selectors.publication import tender_eligibility
from tenders.services import bids as services
from tenders.timetable import takes_bids

__all__ = ["urlpatterns", "portal_urlpatterns", "tender_panel", "notice_url"]


def notice_url(council_slug: str, tender_id: int) -> str:
    """The tender's public notice (tenders.views.publication)."""
    return reverse("opportunity", kwargs={"council_slug": council_slug, "tender_id": tender_id})


def tender_panel(request: CouncilRequest, tender: Tender) -> dict[str, Any]:
    """Context for this stage's part of the council's tender page: only how many bids are in."""
    if tender.published_at is None:
        return {}
    return {"received": bids_received_count(tender=tender)}


# --- Helpers -------------------------------------------------------------------------------------


def provider_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page about one published tender, for a signed-in person (membership is checked per bid)."""

    @wraps(view)
    def wrapped(request: CouncilPublicRequest, council_slug: str, tender_id: int, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        tender = selectors.open_tender_for_bids(council=request.council, tender_id=tender_id)
        if "bid_id" in kwargs:
            kwargs["bid"] = selectors.bid_for_member(
                council=request.council,
                tender=tender,
                bid_id=kwargs.pop("bid_id"),
                user=request.user,
            )
            kwargs["bid"].tender = tender
        return view(request, tender=tender, **kwargs)

    return council_public(wrapped)


def _lot_choices(tender: Tender) -> list[tuple[str, str]]:
    lots = list(Lot.objects.filter(council=tender.council_id, tender=tender).order_by("position", "pk"))
    if not lots:
        return [(services.NO_LOTS_KEY, "the contract")]
    return [(str(lot.pk), f"lot {n}: {lot.title}" if len(lots) > 1 else lot.title) for n, lot in enumerate(lots, 1)]


def _refuse_on(form: Any, error: ValidationError, field: str | None) -> None:
    """Show a service's refusal on the form: next to ``field`` (or its own fields), else at the top."""
    if hasattr(error, "error_dict"):
        add_service_errors(form, error)
    else:
        form.add_error(field, error.messages)


def _with_revision(form: Any, bid: Bid) -> None:
    """After a stale save, the form (with the typed text) carries the latest revision, so saving
    again is a deliberate choice to replace the newer text."""
    bid.refresh_from_db(fields=["draft_revision", "draft", "updated_at"])
    form.data = form.data.copy()
    form.data[form.add_prefix("revision")] = str(bid.draft_revision)


def _draft_saved(
    request: HttpRequest, bid: Bid, changes: dict[str, Any], form: Any, refuse: Callable[[Any], None]
) -> bool:
    """Save these changes to the draft at the revision ``form`` was read at. A refusal goes to
    ``refuse``; after a stale one the form carries the latest revision (``_with_revision``)."""
    revision = form.cleaned_data["revision"]
    try:
        services.bid_draft_save(bid=bid, actor=request.user, changes=changes, expected_revision=revision)  # type: ignore[arg-type]
    except services.BidRefused as error:
        refuse(error)
        if error.reason == "stale":
            _with_revision(form, bid)
        return False
    return True


def _tasks(tender: Tender, bid: Bid, draft: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Any]]:
    """The task list's rows with their status, and the problems that stop submission."""
    problems = selectors.bid_problems(tender=tender, draft=draft)
    parts_with_problems = {p.part for p in problems}
    slug = tender.council.slug
    base = {"council_slug": slug, "tender_id": tender.pk, "bid_id": bid.pk}

    def status(part: str, started: bool) -> str:
        if part not in parts_with_problems:
            return "Completed"
        return "In progress" if started else "Not yet started"

    rows = []
    for number, question in enumerate(selectors.bid_questions(tender=tender), start=1):
        part = f"question:{question.pk}"
        rows.append(
            {
                "title": f"Question {number}: {question.title}",
                "hint": f"{question.get_kind_display()}, up to {question.word_limit} words"
                if question.word_limit
                else question.get_kind_display(),
                "url": reverse("bid_question", kwargs={**base, "criterion_id": question.pk}),
                "status": status(part, bool(str(draft["answers"].get(str(question.pk), "")).strip())),
            }
        )
    rows.append(
        {
            "title": "Your price",
            "hint": "A price for each lot you bid for",
            "url": reverse("bid_prices", kwargs=base),
            "status": status("prices", bool(draft["prices"])),
        }
    )
    rows.append(
        {
            "title": "Social value commitments",
            "hint": "What you will do, how much, and by when",
            "url": reverse("bid_commitments", kwargs=base),
            "status": status("commitments", bool(draft["commitments"])),
        }
    )
    declared = draft["declarations"]
    rows.append(
        {
            "title": "Declarations",
            "hint": "Exclusion grounds and conflicts of interest",
            "url": reverse("bid_declarations", kwargs=base),
            "status": status("declarations", declared.get("exclusion_grounds") is not None),
        }
    )
    return rows, problems


def _bid_context(request: CouncilPublicSignedInRequest, tender: Tender, bid: Bid, **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    return {
        "tender": tender,
        "bid": bid,
        "is_open": takes_bids(tender.status_at(now)),
        "deadline": services.deadline_text(tender.submission_deadline) if tender.submission_deadline else "",
        "notice_url": notice_url(tender.council.slug, tender.pk),
        **extra,
    }


def _after_save(request: CouncilPublicSignedInRequest, tender: Tender, bid: Bid, here: str) -> HttpResponse:
    if "save_and_return" in request.POST:
        messages.success(request, "Your bid is saved. You can come back to it at any time before the deadline.")
    if "stay" in request.POST:
        return redirect(here)
    return redirect("bid_tasks", council_slug=tender.council.slug, tender_id=tender.pk, bid_id=bid.pk)


# --- Opportunity finder and "Your bids" (site root) ---------------------------------------------


def _finder_page_url(query: QueryDict, key: str, cursor: Cursor) -> str:
    """The finder with the same filters, continuing after (or before) ``cursor``."""
    query = query.copy()
    for name in ("after", "before"):
        query.pop(name, None)
    query[key] = cursor.encode()
    return f"?{query.urlencode()}"


def _finder_councils(now: datetime) -> list[tuple[str, str]]:
    """Every council's slug and name, the finder's council filter (kept on the public shelf, which
    watches councils)."""
    return public_cache.SHELF.kept(
        ("finder councils",), now, lambda: list(Council.objects.order_by("name").values_list("slug", "name"))
    )


def _finder_fields(form: OpportunityFilterForm, now: datetime) -> SafeString:
    """The filter form's fields as GOV.UK form groups. Rendering them (a template per field, radios
    and date parts) was about half of the finder's time, and they show only what was asked and the
    councils' names: so a form without errors is kept per what each field shows (its value). A
    form with errors is rendered afresh, with its messages."""

    def render_fields() -> SafeString:
        return mark_safe(render_to_string("tenders/bids/_finder_fields.html", {"form": form}))  # noqa: S308 (a template's output)

    if form.is_bound and form.errors:
        return render_fields()
    shown = tuple((field.html_name, repr(field.value())) for field in form.visible_fields())
    return public_cache.SHELF.kept(
        ("finder fields", shown, cast(django_forms.ChoiceField, form.fields["council"]).choices), now, render_fields
    )


def opportunity_finder(request: HttpRequest) -> HttpResponse:
    """Published opportunities of every council, open ones by default, 20 a page, with filters
    (GOV.UK filter layout and pagination: previous and next page links, keyset positions)."""
    now = timezone.now()
    councils = _finder_councils(now)
    data = request.GET.copy() if request.GET else None
    if data is not None and not data.get("status"):
        data["status"] = "open"  # a link without a status shows open opportunities, as the page does
    form = OpportunityFilterForm(data, councils=councils, signed_in=request.user.is_authenticated)
    filters = selectors.OpportunityFilters()
    if form.is_bound and form.is_valid():
        cleaned = form.cleaned_data
        filters = selectors.OpportunityFilters(
            council=cleaned.get("council") or "",
            min_value=cleaned.get("min_value"),
            max_value=cleaned.get("max_value"),
            closing_before=cleaned.get("closing_before"),
            status=cleaned.get("status") or "open",
            open_to_me=bool(cleaned.get("open_to_me")),
        )
    positions: dict[str, Cursor] = {}
    bad_link = False
    for key in ("after", "before"):
        if request.GET.get(key):
            try:
                positions[key] = Cursor.decode(request.GET[key])
            except InvalidCursor:
                bad_link = True
    if bad_link or len(positions) > 1:
        positions, bad_link = {}, True
    page = (
        selectors.OpportunityPage(opportunities=[])
        if form.is_bound and not form.is_valid()
        else selectors.opportunity_list(
            filters=filters,
            user=request.user,  # type: ignore[arg-type]
            after=positions.get("after"),
            before=positions.get("before"),
            now=now,
        )
    )
    # One reverse() for every row's links: the rows fill in the council and the tender.
    notice = RowUrl("opportunity")
    bid = RowUrl("bid_start")
    rows = [
        {
            "opportunity": o,
            "notice_url": notice.url(o.council.slug, o.tender.pk),
            "bid_url": bid.url(o.council.slug, o.tender.pk),
            # Published tenders have one: publishing needs the timetable (selectors.publication).
            "deadline": services.deadline_text(cast(datetime, o.tender.submission_deadline)),
        }
        for o in page.opportunities
    ]
    return render(
        request,
        "tenders/bids/opportunity_finder.html",
        {
            "form": form,
            "fields": _finder_fields(form, now),
            "rows": rows,
            "page": page,
            "filters": filters,
            "signed_in": request.user.is_authenticated,
            "bad_link": bad_link,
            "previous_url": _finder_page_url(request.GET, "before", page.previous) if page.previous else None,
            "next_url": _finder_page_url(request.GET, "after", page.next) if page.next else None,
        },
    )


def my_bids(request: HttpRequest) -> HttpResponse:
    """The bids of the signed-in person's organisations, in every council, with their receipts."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    rows = []
    for mine in selectors.bids_for_user(user=request.user):
        kwargs = {"council_slug": mine.council.slug, "tender_id": mine.tender.pk}
        rows.append(
            {
                "mine": mine,
                "tasks_url": reverse("bid_tasks", kwargs={**kwargs, "bid_id": mine.bid.pk}),
                "receipt_url": reverse("bid_receipt", kwargs={**kwargs, "reference": mine.last_submission.reference})
                if mine.last_submission
                else "",
                "deadline": services.deadline_text(mine.tender.submission_deadline)
                if mine.tender.submission_deadline
                else "",
            }
        )
    return render(request, "tenders/bids/my_bids.html", {"rows": rows})


# --- One bid -------------------------------------------------------------------------------------


@provider_page
def bid_start(request: CouncilPublicSignedInRequest, tender: Tender) -> HttpResponse:
    """Start a bid (or continue the one the organisation has): one bid per organisation per tender."""
    organisations = selectors.provider_organisations(user=request.user)
    existing = {
        b.organisation_id: b
        for b in Bid.objects.filter(council=tender.council_id, tender=tender, organisation__in=organisations)
    }
    if request.method == "GET" and len(organisations) == 1 and organisations[0].pk in existing:
        return redirect(
            "bid_tasks", council_slug=tender.council.slug, tender_id=tender.pk, bid_id=existing[organisations[0].pk].pk
        )
    form = StartBidForm(request.POST if request.method == "POST" else None, organisations=organisations)
    if request.method == "POST" and organisations and form.is_valid():
        organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
        try:
            bid = services.bid_start(tender=tender, organisation=organisation, actor=request.user)
        except ValidationError as error:
            _refuse_on(form, error, "organisation")
        else:
            return redirect("bid_tasks", council_slug=tender.council.slug, tender_id=tender.pk, bid_id=bid.pk)
    answers = [
        (o, tender_eligibility(tender=tender, organisation=o).eligibility, existing.get(o.pk)) for o in organisations
    ]
    return render(
        request,
        "tenders/bids/start.html",
        {
            "tender": tender,
            "form": form,
            "organisations": organisations,
            "answers": answers,
            "notice_url": notice_url(tender.council.slug, tender.pk),
            "deadline": services.deadline_text(tender.submission_deadline) if tender.submission_deadline else "",
            "is_open": takes_bids(tender.status),
        },
    )


@provider_page
def bid_tasks(request: CouncilPublicSignedInRequest, tender: Tender, bid: Bid) -> HttpResponse:
    """The bid's task list: each question, the price, commitments, declarations; then check and submit."""
    draft = selectors.bid_draft(bid)
    rows, problems = _tasks(tender, bid, draft)
    submissions = selectors.bid_submissions(bid=bid)
    answer = tender_eligibility(tender=tender, organisation=bid.organisation).eligibility
    changes = selectors.changes_since_submission(bid=bid, submission=submissions[0] if submissions else None)
    return render(
        request,
        "tenders/bids/tasks.html",
        _bid_context(
            request,
            tender,
            bid,
            changes=changes,
            confirm_form=ConfirmBidForm(initial={"idempotency_key": uuid.uuid4()}) if changes else None,
            rows=rows,
            done=sum(1 for r in rows if r["status"] == "Completed"),
            problems=problems,
            submissions=submissions,
            eligibility=answer,
        ),
    )


@provider_page
def bid_question(request: CouncilPublicSignedInRequest, tender: Tender, bid: Bid, criterion_id: int) -> HttpResponse:
    """Answer one question in words, and attach documents to it."""
    questions = selectors.bid_questions(tender=tender)
    number, question = next(((n, q) for n, q in enumerate(questions, 1) if q.pk == criterion_id), (0, None))
    if question is None:
        raise Http404("No such question")
    here = request.path
    max_mb = settings.COMMISSIONING_BID_ATTACHMENT_MAX_BYTES // (1024 * 1024)
    draft = selectors.bid_draft(bid)
    latest = None
    if request.method == "POST":
        form = AnswerForm(request.POST, request.FILES, question=question, number=number, max_mb=max_mb)
        if form.is_valid():
            try:
                services.bid_draft_save(
                    bid=bid,
                    actor=request.user,
                    changes={"answers": {str(question.pk): form.cleaned_data["answer"]}},
                    expected_revision=form.cleaned_data["revision"],
                )
                if form.cleaned_data.get("file"):
                    services.bid_attachment_add(
                        bid=bid,
                        actor=request.user,
                        question=question,
                        upload=form.cleaned_data["file"],
                    )
            except services.BidRefused as error:
                _refuse_on(form, error, "answer")
                if error.reason == "stale":
                    _with_revision(form, bid)
                    latest = selectors.bid_draft(bid)["answers"].get(str(question.pk), "")
            except ValidationError as error:
                _refuse_on(form, error, "file")
                bid.refresh_from_db(fields=["draft_revision"])
                data = cast(QueryDict, form.data).copy()  # the POST
                data["revision"] = str(bid.draft_revision)
                form.data = data
            else:
                if form.cleaned_data.get("file"):
                    messages.success(request, f"{form.cleaned_data['file'].name} is attached.")
                    return redirect(here)
                return _after_save(request, tender, bid, here)
    else:
        form = AnswerForm(
            initial={"answer": draft["answers"].get(str(question.pk), ""), "revision": bid.draft_revision},
            question=question,
            number=number,
            max_mb=max_mb,
        )
    attachments = [a for a in selectors.bid_attachments(bid=bid) if a.question == str(question.pk)]
    return render(
        request,
        "tenders/bids/question.html",
        _bid_context(
            request,
            tender,
            bid,
            form=form,
            question=question,
            number=number,
            attachments=attachments,
            latest=latest,
        ),
    )


@provider_page
def bid_attachment(request: CouncilPublicSignedInRequest, tender: Tender, bid: Bid, attachment_id: int) -> HttpResponse:
    """Download an attached document (decrypted for the provider)."""
    attachment = BidAttachment.objects.filter(council=tender.council_id, bid=bid, pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such document")
    sealing.unseal_attachment_details(tender, [attachment], reader=sealing.Reader.PROVIDER)
    with attachment.file.open("rb") as sealed:
        data = sealing.unseal(tender, sealed.read().decode(), reader=sealing.Reader.PROVIDER)
    response = HttpResponse(data, content_type=attachment.content_type)
    as_download(response, attachment.filename)
    return response


@provider_page
def bid_attachment_remove(
    request: CouncilPublicSignedInRequest, tender: Tender, bid: Bid, attachment_id: int
) -> HttpResponse:
    """ "Are you sure you want to remove …?": the document is removed only from this page's warning button."""
    attachment = BidAttachment.objects.filter(
        council=tender.council_id, bid=bid, pk=attachment_id, removed_at__isnull=True
    ).first()
    if attachment is None:
        raise Http404("No such document")
    sealing.unseal_attachment_details(tender, [attachment], reader=sealing.Reader.PROVIDER)
    question_url = reverse(
        "bid_question",
        kwargs={
            "council_slug": tender.council.slug,
            "tender_id": tender.pk,
            "bid_id": bid.pk,
            "criterion_id": int(attachment.question) if attachment.question.isdecimal() else 0,
        },
    )
    return confirm_remove(
        request,
        lambda: services.bid_attachment_remove(attachment=attachment, actor=request.user),
        f"{attachment.filename} is removed from your bid.",
        question_url,
        template="tenders/bids/attachment_remove.html",
        context=lambda: _bid_context(request, tender, bid, attachment=attachment, question_url=question_url),
    )


@provider_page
def bid_prices(request: CouncilPublicSignedInRequest, tender: Tender, bid: Bid) -> HttpResponse:
    """A price per lot (the lots left empty are not bid for)."""
    lots = _lot_choices(tender)
    draft = selectors.bid_draft(bid)
    if request.method == "POST":
        form = PricesForm(request.POST, lots=lots)
        if form.is_valid():
            prices = form.prices()
            if not any(prices.values()):
                form.add_error(
                    f"price_{lots[0][0]}",
                    "Enter your price for at least one lot" if len(lots) > 1 else "Enter your price",
                )
            else:
                if _draft_saved(
                    request, bid, {"prices": prices}, form, lambda e: _refuse_on(form, e, f"price_{lots[0][0]}")
                ):
                    return _after_save(request, tender, bid, request.path)
    else:
        form = PricesForm(
            initial={**PricesForm.initial_for(draft["prices"]), "revision": bid.draft_revision}, lots=lots
        )
    return render(request, "tenders/bids/prices.html", _bid_context(request, tender, bid, form=form, lots=lots))


def _commitment_formset(extra: int) -> type[BaseCommitmentFormSet]:
    if extra == 1:
        return CommitmentFormSet
    # The stubs give formset_factory BaseFormSet, not the class passed as ``formset``.
    return cast(
        "type[BaseCommitmentFormSet]",
        django_forms.formset_factory(
            CommitmentForm,
            formset=BaseCommitmentFormSet,
            extra=extra,
            can_delete=True,
            can_delete_extra=False,
            max_num=30,
        ),
    )


@provider_page
def bid_commitments(request: CouncilPublicSignedInRequest, tender: Tender, bid: Bid) -> HttpResponse:
    """Social value commitments: a measure of the council's newest published framework (those of the
    outcomes the tender asks about first) or another measure, a quantity, by when, and whether it
    is delivered in the council's local area. Without a published framework, the measure and unit
    are typed. Rows are added and removed by saving (no JavaScript needed)."""
    draft = selectors.bid_draft(bid)
    prefix = "commitments"
    measures = social_value_selectors.published_measures(
        council=tender.council_id, asked=tender_asked_outcome_ids(tender=tender)
    )
    form_kwargs = {"measures": measures}
    if request.method == "POST":
        formset = CommitmentFormSet(request.POST, prefix=prefix, form_kwargs=form_kwargs)
        revision = RevisionForm(request.POST)
        if formset.is_valid() and revision.is_valid():

            def refuse(error: services.BidRefused) -> None:
                formset._non_form_errors = formset.error_class(error.messages)  # type: ignore[attr-defined]

            if _draft_saved(request, bid, {"commitments": formset.commitments()}, revision, refuse):
                if "add" in request.POST:
                    return redirect(f"{request.path}?add=1#commitment-new")
                return _after_save(request, tender, bid, request.path)
    else:
        rows = [CommitmentForm.initial_for(row, measures) for row in draft["commitments"] if isinstance(row, dict)]
        formset_class = _commitment_formset(0 if rows and "add" not in request.GET else 1)
        formset = formset_class(prefix=prefix, initial=rows, form_kwargs=form_kwargs)
        revision = RevisionForm(initial={"revision": bid.draft_revision})
    has_errors = bool(formset.non_form_errors() or any(formset.errors) or revision.errors)
    return render(
        request,
        "tenders/bids/commitments.html",
        _bid_context(
            request, tender, bid, formset=formset, revision=revision, has_errors=has_errors, measures=measures
        ),
    )


@provider_page
def bid_declarations(request: CouncilPublicSignedInRequest, tender: Tender, bid: Bid) -> HttpResponse:
    draft = selectors.bid_draft(bid)
    if request.method == "POST":
        form = DeclarationsForm(request.POST)
        if form.is_valid():
            if _draft_saved(
                request,
                bid,
                {"declarations": form.declarations()},
                form,
                lambda e: _refuse_on(form, e, "exclusion_grounds"),
            ):
                return _after_save(request, tender, bid, request.path)
    else:
        form = DeclarationsForm(
            initial={**DeclarationsForm.initial_for(draft["declarations"]), "revision": bid.draft_revision}
        )
    return render(request, "tenders/bids/declarations.html", _bid_context(request, tender, bid, form=form))


def _summary(tender: Tender, content: dict[str, Any]) -> dict[str, Any]:
    """The bid's content laid out for a summary: each question with its answer, each lot's price."""
    questions = selectors.bid_questions(tender=tender)
    attachments = content.get("attachments", [])
    return {
        "answers": [
            {
                "number": n,
                "question": q,
                "answer": content["answers"].get(str(q.pk), ""),
                "words": services.word_count(content["answers"].get(str(q.pk), "")),
                "attachments": [a for a in attachments if str(a.get("question")) == str(q.pk)],
            }
            for n, q in enumerate(questions, 1)
        ],
        "prices": [(title, content["prices"].get(key)) for key, title in _lot_choices(tender)],
        "commitments": content.get("commitments", []),
        "declarations": content.get("declarations", {}),
    }


@provider_page
def bid_check(request: CouncilPublicSignedInRequest, tender: Tender, bid: Bid) -> HttpResponse:
    """Check your answers, confirm and submit. The form carries a fresh idempotency key, so a
    double click or a resent form gives back the same receipt."""
    draft = selectors.bid_draft(bid)
    if request.method == "POST":
        form = SubmitForm(request.POST)
        if form.is_valid():
            key = form.cleaned_data["idempotency_key"]
            try:
                submission, _created = services.bid_submit(bid=bid, actor=request.user, idempotency_key=key)
            except services.BidRefused as error:
                form.add_error(None, error.summary)
                refusal = error
            else:
                return _receipt_redirect(tender, submission)
            return _check_page(request, tender, bid, draft, form, refusal)
    else:
        form = SubmitForm(initial={"idempotency_key": uuid.uuid4()})
    return _check_page(request, tender, bid, draft, form, None)


def _receipt_redirect(tender: Tender, submission: BidSubmission) -> HttpResponse:
    return redirect(
        "bid_receipt", council_slug=tender.council.slug, tender_id=tender.pk, reference=submission.reference
    )


def _check_page(
    request: CouncilPublicSignedInRequest,
    tender: Tender,
    bid: Bid,
    draft: dict[str, Any],
    form: SubmitForm,
    refusal: Any,
) -> HttpResponse:
    rows, problems = _tasks(tender, bid, draft)
    content = selectors.bid_content_for_submission(bid=bid, draft=draft)
    return render(
        request,
        "tenders/bids/check.html",
        _bid_context(
            request,
            tender,
            bid,
            form=form,
            refusal=refusal,
            problems=problems,
            rows=rows,
            summary=_summary(tender, content),
        ),
    )


@require_POST
@provider_page
def bid_confirm(request: CouncilPublicSignedInRequest, tender: Tender, bid: Bid) -> HttpResponse:
    """After a published change: confirm the submitted bid, as it is, against the latest version."""
    form = ConfirmBidForm(request.POST)
    here = reverse("bid_tasks", kwargs={"council_slug": tender.council.slug, "tender_id": tender.pk, "bid_id": bid.pk})
    if not form.is_valid():
        messages.error(request, "The page was out of date: confirm your bid again.")
        return redirect(here)
    key = form.cleaned_data["idempotency_key"]
    try:
        submission, _created = services.bid_confirm(bid=bid, actor=request.user, idempotency_key=key)
    except services.BidRefused as error:
        messages.error(request, " ".join([error.summary, *error.details]))
        return redirect(here)
    messages.success(
        request,
        f"Your bid is confirmed against version {submission.revision_number} of the tender. "
        f"This is your new receipt: {submission.reference}.",
    )
    return _receipt_redirect(tender, submission)


@provider_page
def bid_withdraw(request: CouncilPublicSignedInRequest, tender: Tender, bid: Bid) -> HttpResponse:
    """Withdraw a submitted bid before the deadline (its receipts are kept; submit again to put it back)."""
    return confirm_remove(
        request,
        lambda: services.bid_withdraw(bid=bid, actor=request.user),
        "Your bid is withdrawn. You can submit it again until the deadline.",
        reverse("bid_tasks", kwargs={"council_slug": tender.council.slug, "tender_id": tender.pk, "bid_id": bid.pk}),
        template="tenders/bids/withdraw.html",
        context=lambda: _bid_context(request, tender, bid),
    )


def _member_submission(request: CouncilPublicSignedInRequest, tender: Tender, reference: str) -> BidSubmission:
    """The submission with this reference, if the person is a member of the organisation that made it."""
    submission = selectors.submission_for_member(
        council=request.council,
        tender=tender,
        reference=reference,
        user=request.user,
    )
    submission.bid.tender = tender
    return submission


@provider_page
def bid_receipt(request: CouncilPublicSignedInRequest, tender: Tender, reference: str) -> HttpResponse:
    """A submission's receipt: time (UK), reference, SHA-256, what was submitted, how to check it."""
    submission = _member_submission(request, tender, reference)
    content = selectors.submission_content(submission)
    latest = selectors.bid_submissions(bid=submission.bid)[0]
    return render(
        request,
        "tenders/bids/receipt.html",
        _bid_context(
            request,
            tender,
            submission.bid,
            submission=submission,
            submitted_at=timezone.localtime(submission.submitted_at),
            summary=_summary(tender, content),
            is_latest=latest.pk == submission.pk,
            withdrawn=submission.bid.status == BidStatus.WITHDRAWN,
        ),
    )


@provider_page
def bid_receipt_content(request: CouncilPublicSignedInRequest, tender: Tender, reference: str) -> HttpResponse:
    """Exactly the bytes that were hashed (canonical JSON), so the provider can check the SHA-256."""
    submission = _member_submission(request, tender, reference)
    data = sealing.canonical_json(selectors.submission_content(submission))
    response = HttpResponse(data, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{submission.reference}.json"'
    return response


BID = "opportunities/<int:tender_id>/bid/"

urlpatterns: list[URLPattern] = [
    path(BID, bid_start, name="bid_start"),
    path(f"{BID}<int:bid_id>/", bid_tasks, name="bid_tasks"),
    path(f"{BID}<int:bid_id>/questions/<int:criterion_id>/", bid_question, name="bid_question"),
    path(f"{BID}<int:bid_id>/documents/<int:attachment_id>/", bid_attachment, name="bid_attachment"),
    path(
        f"{BID}<int:bid_id>/documents/<int:attachment_id>/remove/",
        bid_attachment_remove,
        name="bid_attachment_remove",
    ),
    path(f"{BID}<int:bid_id>/price/", bid_prices, name="bid_prices"),
    path(f"{BID}<int:bid_id>/commitments/", bid_commitments, name="bid_commitments"),
    path(f"{BID}<int:bid_id>/declarations/", bid_declarations, name="bid_declarations"),
    path(f"{BID}<int:bid_id>/confirm/", bid_confirm, name="bid_confirm"),
    path(f"{BID}<int:bid_id>/check/", bid_check, name="bid_check"),
    path(f"{BID}<int:bid_id>/withdraw/", bid_withdraw, name="bid_withdraw"),
    path(f"{BID}receipts/<str:reference>/", bid_receipt, name="bid_receipt"),
    path(f"{BID}receipts/<str:reference>/submitted.json", bid_receipt_content, name="bid_receipt_content"),
]

# Provider pages outside any council (the cross-council opportunity finder, "your bids"), included
# at the site root by commissioning.urls.
portal_urlpatterns: list[URLPattern] = [
    path("opportunities/", opportunity_finder, name="opportunity_finder"),
    path("bids/", my_bids, name="my_bids"),
]
