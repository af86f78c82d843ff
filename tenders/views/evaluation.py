"""Pages of evaluation up to the individual scores.

- ``evaluation/``: the commissioner's and officers' overview: start the evaluation (after the
  deadline), assign and remove evaluators, the council policy's minimum per scored criterion, and
  each evaluator's progress as counts, never scores;
- ``evaluation/recusals/``: the recusals, and the officer's decision whether the panel stands;
- ``evaluation/mine/``: an evaluator's bids: declare interests in each bidder first, then score;
- ``evaluation/bids/<bid_id>/declare/`` and ``evaluation/bids/<bid_id>/``: the declaration, then the
  score sheet beside the bid's answers (autosaved with htmx; "Save draft" without JavaScript).

Everything is sealed until the submission deadline. ``urlpatterns`` are included under
/c/<council_slug>/ by tenders.urls.
"""

from __future__ import annotations

import mimetypes
from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from commissioning.downloads import as_download
from commissioning.forms import add_service_errors
from commissioning.http import CouncilRequest
from commissioning.views.council import council_permission
from tenders import selectors, services
from tenders.forms.evaluation import (
    AssignEvaluatorForm,
    DeclarationForm,
    RecusalDecisionForm,
    RemoveEvaluatorForm,
    ScoreSheetForm,
)
from tenders.models import Bid, EvaluatorAssignment, Score, Tender
from tenders.sealing import SealedError
from tenders.services.evaluation import ScoringRefused, score_field

__all__ = ["tender_panel", "urlpatterns"]


def _tender(request: CouncilRequest, tender_id: int, *, with_key: bool = False) -> Tender:
    return selectors.opening_tender(council=request.council, tender_id=tender_id, with_key=with_key)


def _sealed(request: HttpRequest, tender: Tender, *, status: int = 403) -> HttpResponse:
    return render(
        request,
        "tenders/opening/sealed.html",
        {"tender": tender, "received": selectors.bids_received_count(tender=tender)},
        status=status,
    )


def _is_sealed(tender: Tender) -> bool:
    return tender.published_at is None or selectors.bids_are_sealed(tender=tender)


def _overview(
    request: CouncilRequest,
    tender: Tender,
    *,
    assign_form: AssignEvaluatorForm | None = None,
    status: int = 200,
) -> HttpResponse:
    council = request.council
    evaluation = selectors.evaluation_of(tender=tender)
    policy = selectors.tender_policy(council=council)
    context: dict[str, Any] = {
        "tender": tender,
        "evaluation": evaluation,
        "policy": policy,
        "may_manage": request.user.has_perm("evaluation.manage", council),
        "may_change": request.user.has_perm("evaluation.change_evaluators", council),
    }
    if evaluation is not None:
        criteria = selectors.scored_criteria(tender=tender)
        cover = selectors.panel_cover(tender=tender, minimum=policy.minimum_evaluators)
        context.update(
            progress=selectors.evaluation_progress(tender=tender),
            cover=cover,
            short=[c for c in cover if c.short],
            bids=selectors.evaluated_bids(tender=tender).count(),
            recusals=len(selectors.recusal_rows(tender=tender)),
            form=assign_form
            or AssignEvaluatorForm(
                candidates=selectors.evaluator_candidates(tender=tender),
                criteria=criteria,
                with_reason=_assigns_with_reason(request),
            ),
        )
    return render(request, "tenders/evaluation/overview.html", context, status=status)


def _assigns_with_reason(request: CouncilRequest) -> bool:
    """An officer (not the tender's commissioner role) who changes the evaluators gives the reason."""
    return not request.user.has_perm("evaluation.manage", request.council)


@council_permission("evaluation.view")
def evaluation_overview(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The evaluation of a tender for its commissioner and officers: counts, never scores."""
    tender = _tender(request, tender_id)
    if _is_sealed(tender):
        return _sealed(request, tender, status=200)
    return _overview(request, tender)


@require_POST
@council_permission("evaluation.manage")
def evaluation_start(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    tender = _tender(request, tender_id)
    try:
        services.evaluation_start(tender=tender, actor=request.user)
    except SealedError:
        return _sealed(request, tender)
    messages.success(request, "Evaluation started. Now assign the evaluators.")
    return redirect("evaluation", council_slug=council_slug, tender_id=tender.pk)


@require_POST
@council_permission("evaluation.change_evaluators")
def evaluator_assign(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The commissioner assigns an evaluator; an officer does too, with the reason (required)."""
    tender = _tender(request, tender_id)
    if _is_sealed(tender):
        return _sealed(request, tender)
    form = AssignEvaluatorForm(
        request.POST,
        candidates=selectors.evaluator_candidates(tender=tender),
        criteria=selectors.scored_criteria(tender=tender),
        with_reason=_assigns_with_reason(request),
    )
    if form.is_valid():
        try:
            assignment = services.evaluator_assign(
                tender=tender,
                actor=request.user,
                user=form.cleaned_data["user"],
                criterion=form.cleaned_data["criterion"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            who = assignment.user.name or assignment.user.email
            messages.success(request, f"{who} assigned.")
            return redirect("evaluation", council_slug=council_slug, tender_id=tender.pk)
    return _overview(request, tender, assign_form=form, status=400)


@council_permission("evaluation.change_evaluators")
def evaluator_remove(request: CouncilRequest, council_slug: str, tender_id: int, assignment_id: int) -> HttpResponse:
    """ "Why are you removing this evaluator?": the reason is required and audited."""
    tender = _tender(request, tender_id)
    if _is_sealed(tender):
        return _sealed(request, tender)
    assignment = selectors.assignment_get(tender=tender, assignment_id=assignment_id)
    form = RemoveEvaluatorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluator_remove(assignment=assignment, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{assignment.user.name or assignment.user.email} removed.")
            return redirect("evaluation", council_slug=council_slug, tender_id=tender.pk)
    return render(
        request,
        "tenders/evaluation/remove.html",
        {"tender": tender, "assignment": assignment, "form": form},
        status=400 if form.errors else 200,
    )


@council_permission("evaluation.view")
def recusals(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    tender = _tender(request, tender_id)
    if _is_sealed(tender):
        return _sealed(request, tender, status=200)
    return render(
        request,
        "tenders/evaluation/recusals.html",
        {
            "tender": tender,
            "recusals": selectors.recusal_rows(tender=tender),
            "may_decide": request.user.has_perm("evaluation.decide_recusal", request.council),
            "labels": selectors.bid_labels(tender=tender) if tender.blind_evaluation else {},
        },
    )


@council_permission("evaluation.decide_recusal")
def recusal_decide(request: CouncilRequest, council_slug: str, tender_id: int, recusal_id: int) -> HttpResponse:
    tender = _tender(request, tender_id)
    if _is_sealed(tender):
        return _sealed(request, tender)
    recusal = selectors.recusal_get(tender=tender, recusal_id=recusal_id)
    form = RecusalDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recusal_decide(
                recusal=recusal,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect("evaluation_recusals", council_slug=council_slug, tender_id=tender.pk)
    return render(
        request,
        "tenders/evaluation/recusal_decide.html",
        {"tender": tender, "recusal": recusal, "form": form},
        status=400 if form.errors else 200,
    )


# --- The evaluator's pages --------------------------------------------------------------------------


@council_permission("evaluation.score")
def my_evaluation(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The evaluator's bids: declare interests in each bidder, then score its bid."""
    tender = _tender(request, tender_id)
    if _is_sealed(tender):
        return _sealed(request, tender, status=200)
    evaluation = selectors.evaluation_of(tender=tender)
    rows = selectors.evaluator_bids(tender=tender, user=request.user) if evaluation else []
    return render(
        request,
        "tenders/evaluation/mine.html",
        {"tender": tender, "evaluation": evaluation, "rows": rows},
    )


@council_permission("evaluation.score")
def bidder_declare(request: CouncilRequest, council_slug: str, tender_id: int, bid_id: int) -> HttpResponse:
    """Declare interests in one bidder. Its name is shown (even in a blind evaluation: nobody can say
    whether they have a conflict without knowing who the bidder is), never its bid."""
    tender = _tender(request, tender_id)
    if _is_sealed(tender):
        return _sealed(request, tender)
    row = selectors.evaluator_bid(tender=tender, user=request.user, bid_id=bid_id)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        conflict = form.cleaned_data["has_conflict"] == "yes"
        try:
            services.bidder_conflict_declare(
                tender=tender,
                bid=Bid(pk=row.bid_id, council_id=tender.council_id, tender_id=tender.pk),
                actor=request.user,
                has_conflict=conflict,
                details=form.cleaned_data["details"],
                whole_tender=conflict and form.cleaned_data.get("scope") == "tender",
            )
        except ScoringRefused as refused:
            raise PermissionDenied(str(refused)) from refused
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if conflict:
                messages.success(request, "Conflict declared. You are recused; an officer decides what happens next.")
                return redirect("evaluation_mine", council_slug=council_slug, tender_id=tender.pk)
            messages.success(request, f"Declaration saved. You can now score {row.name}.")
            return redirect("evaluation_score", council_slug=council_slug, tender_id=tender.pk, bid_id=row.bid_id)
    return render(
        request,
        "tenders/evaluation/declare.html",
        {
            "tender": tender,
            "row": row,
            "form": form,
            "declared_for_tender": selectors.team_declaration(tender=tender, user=request.user),
        },
        status=400 if form.errors else 200,
    )


def _scoring_context(request: CouncilRequest, tender: Tender, bid_id: int) -> dict[str, Any] | HttpResponse:
    row = selectors.evaluator_bid(tender=tender, user=request.user, bid_id=bid_id)
    if row.declaration is None:
        return redirect("evaluation_declare", council_slug=request.council.slug, tender_id=tender.pk, bid_id=bid_id)
    if not row.may_score:
        return render(request, "tenders/evaluation/recused.html", {"tender": tender, "row": row}, status=403)
    criteria = [c for c in selectors.scored_criteria(tender=tender) if c.pk in row.criterion_ids]
    sheet, scores = selectors.my_score_sheet(tender=tender, user=request.user, bid_id=bid_id)
    return {"tender": tender, "row": row, "criteria": criteria, "sheet": sheet, "scores": scores}


def _blind(tender: Tender) -> bool:
    """A blind evaluation hides who the bidder is from its evaluators until moderation is locked."""
    if not tender.blind_evaluation:
        return False
    evaluation = selectors.evaluation_of(tender=tender)
    return evaluation is None or evaluation.moderation_locked_at is None


def _file_kind(content_type: str) -> str:
    """A file's type in words from its content type, never from its name: "PDF", "DOCX", or "file"."""
    extension = mimetypes.guess_extension(content_type or "", strict=False) or ""
    return extension.lstrip(".").upper() or "file"


def _documents(opened: Any, *, blind: bool) -> dict[int, tuple[str, str]]:
    """Each attachment's name and type on the evaluator's pages, by id, in the order the page shows
    them. In a blind evaluation a file name can name the bidder, so it is "Document 1", "Document 2"."""
    documents: dict[int, tuple[str, str]] = {}
    for answer in opened.answers:
        for attachment in answer.attachments:
            if attachment.pk in documents:  # named by two answers: one number
                continue
            name = f"Document {len(documents) + 1}" if blind else attachment.filename
            documents[attachment.pk] = (name, _file_kind(attachment.content_type))
    return documents


def _files(answer: Any, documents: dict[int, tuple[str, str]]) -> list[tuple[Any, str, str]]:
    return [(a, *documents[a.pk]) for a in (answer.attachments if answer is not None else [])]


def _score_page(
    request: CouncilRequest, context: dict[str, Any], form: ScoreSheetForm, *, status: int = 200
) -> HttpResponse:
    tender: Tender = context["tender"]
    opened = selectors.opened_bid(tender=tender, bid_id=context["row"].bid_id)
    answers = {answer.key: answer for answer in opened.answers}
    sheet = context["sheet"]
    submitted = sheet is not None and sheet.submitted_at is not None
    documents = _documents(opened, blind=_blind(tender))
    shown = [(row, answers.get(str(row.criterion.pk))) for row in form.rows()]
    return render(
        request,
        "tenders/evaluation/score.html",
        {
            **context,
            "opened": opened,
            "blind": tender.blind_evaluation,
            "rows": [(row, answer, _files(answer, documents)) for row, answer in shown],
            "form": form,
            "submitted": submitted,
            "others": selectors.others_scores(tender=tender, viewer=request.user, bid_id=context["row"].bid_id)
            if submitted
            else [],
            "policy": selectors.tender_policy(council=request.council),
        },
        status=status,
    )


def _page_key(user_id: int, bid_id: int, criterion_id: int) -> str:
    """Which page (browser tab) saved an evaluator's score of a criterion last, and at which revision.
    Keyed by the score's place, not its id: the page's first autosave may still be creating it."""
    return f"evaluation:score-page:{user_id}:{bid_id}:{criterion_id}"


def _own_revision(form: ScoreSheetForm, key: str, current: Score | None) -> int | None:
    """The current revision, if this same page saved it (its autosave may still have been on its
    way when "Submit scores" was pressed, so the page never saw the new revision); else None."""
    page = form.cleaned_data.get("page") or ""
    if current is None or not page:
        return None
    return current.revision if cache.get(key) == [page, current.revision] else None


def _expected_revision(form: ScoreSheetForm, criterion_id: int, key: str, saved: Score | None) -> int:
    """The revision this page read, or the newest if this same page saved it: only another page is stale."""
    expected = form.cleaned_data.get(score_field(criterion_id, "revision")) or 0
    own = _own_revision(form, key, saved)
    return own if own is not None and expected < own else expected


def _is_stale(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and any(
        e.code == "stale" for errors in error.error_dict.values() for e in errors
    )


def _save_drafts(request: CouncilRequest, context: dict[str, Any], form: ScoreSheetForm) -> bool:
    """Save every changed criterion of the sheet at the revision the page read it at; errors go
    next to their fields and the form keeps what was typed, with the newest revisions. True if all saved.

    A save refused as stale is tried once more when the newer revision was this page's own: its
    autosave committed while this request waited for the sheet's lock (the scores above were read
    before), so the refusal would name "another page" that does not exist."""
    tender: Tender = context["tender"]
    bid = Bid(pk=context["row"].bid_id, council_id=tender.council_id, tender_id=tender.pk)
    scores = context["scores"]
    saved_all = True
    for criterion in context["criteria"]:
        if not form.posted(criterion):
            continue
        saved = scores.get(criterion.pk)
        value = form.value(criterion)
        text = form.cleaned_data.get(score_field(criterion.pk, "justification")) or ""
        if saved is not None and saved.score == value and saved.justification == text:
            continue
        if saved is None and value is None and not text:
            continue
        key = _page_key(request.user.pk, bid.pk, criterion.pk)
        save = partial(
            services.score_save,
            tender=tender,
            bid=bid,
            actor=request.user,
            criterion=criterion,
            score=value,
            justification=text,
        )
        try:
            try:
                score = save(expected_revision=_expected_revision(form, criterion.pk, key, saved))
            except ValidationError as error:
                current = Score.objects.filter(
                    council=tender.council_id, bid=bid.pk, evaluator=request.user, criterion=criterion
                ).first()
                own = _own_revision(form, key, current) if _is_stale(error) else None
                if own is None:
                    raise
                score = save(expected_revision=own)
        except ValidationError as error:
            saved_all = False
            add_service_errors(form, error)
        else:
            scores[criterion.pk] = score
            if form.cleaned_data.get("page"):
                cache.set(key, [form.cleaned_data["page"], score.revision], 3600)
            posted = cast(QueryDict, form.data)  # the view bound a mutable copy of request.POST
            posted[form.add_prefix(score_field(criterion.pk, "revision"))] = str(score.revision)
    return saved_all


@council_permission("evaluation.score")
def score_sheet(request: CouncilRequest, council_slug: str, tender_id: int, bid_id: int) -> HttpResponse:
    """Score one bid beside its answers. POST: htmx autosave (the status line answers), "Save
    draft", or "Submit scores" (which checks every criterion and then locks them)."""
    tender = _tender(request, tender_id, with_key=True)
    if _is_sealed(tender):
        return _sealed(request, tender)
    context = _scoring_context(request, tender, bid_id)
    if isinstance(context, HttpResponse):
        return context
    policy_minimum = selectors.tender_policy(council=request.council).justification_minimum_length
    kwargs = {"criteria": context["criteria"], "minimum_length": policy_minimum}
    if request.method != "POST":
        form = ScoreSheetForm(initial=ScoreSheetForm.initial_for(context["criteria"], context["scores"]), **kwargs)
        return _score_page(request, context, form)
    form = ScoreSheetForm(request.POST.copy(), **kwargs)
    sheet = context["sheet"]
    if sheet is not None and sheet.submitted_at is not None:
        form.add_error(None, "You have submitted your scores of this bid: they are locked")
    elif form.is_valid():
        try:
            saved = _save_drafts(request, context, form)
            if saved and "submit" in request.POST and not request.htmx:
                bid = Bid(pk=bid_id, council_id=tender.council_id, tender_id=tender.pk)
                services.score_sheet_submit(tender=tender, bid=bid, actor=request.user)
                messages.success(request, f"Your scores of {context['row'].name} are submitted and locked.")
                return redirect("evaluation_mine", council_slug=council_slug, tender_id=tender.pk)
        except ScoringRefused as refused:
            raise PermissionDenied(str(refused)) from refused
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if saved and not request.htmx:
                messages.success(request, "Draft saved.")
                return redirect("evaluation_score", council_slug=council_slug, tender_id=tender.pk, bid_id=bid_id)
    form.surface_hidden_errors()
    if request.htmx:
        return render(
            request,
            "tenders/evaluation/_score_status.html",
            {"form": form, "criteria": context["criteria"], "now": timezone.now()},
        )
    return _score_page(request, context, form, status=400)


@require_GET
@council_permission("evaluation.score")
def score_attachment(
    request: CouncilRequest, council_slug: str, tender_id: int, bid_id: int, attachment_id: int
) -> HttpResponse:
    """An attachment of a bid the evaluator may score (declared, not recused), decrypted, as a download."""
    tender = _tender(request, tender_id, with_key=True)
    if _is_sealed(tender):
        return _sealed(request, tender)
    context = _scoring_context(request, tender, bid_id)
    if isinstance(context, HttpResponse):
        return context
    attachment, data = selectors.opened_attachment(tender=tender, bid_id=bid_id, attachment_id=attachment_id)
    response = HttpResponse(data, content_type=attachment.content_type or "application/octet-stream")
    name = attachment.filename
    if _blind(tender):  # the name the page shows, so the saved file names no bidder either
        shown, _kind = _documents(selectors.opened_bid(tender=tender, bid_id=bid_id), blind=True).get(
            attachment.pk, ("Document", "")
        )
        extension = mimetypes.guess_extension(attachment.content_type or "", strict=False) or ""
        name = f"{shown}{extension}"
    as_download(response, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


_PREFIX = "tenders/<int:tender_id>/evaluation/"
urlpatterns: list[URLPattern] = [
    path(_PREFIX, evaluation_overview, name="evaluation"),
    path(f"{_PREFIX}start/", evaluation_start, name="evaluation_start"),
    path(f"{_PREFIX}evaluators/", evaluator_assign, name="evaluation_assign"),
    path(f"{_PREFIX}evaluators/<int:assignment_id>/remove/", evaluator_remove, name="evaluation_remove"),
    path(f"{_PREFIX}recusals/", recusals, name="evaluation_recusals"),
    path(f"{_PREFIX}recusals/<int:recusal_id>/", recusal_decide, name="evaluation_recusal_decide"),
    path(f"{_PREFIX}mine/", my_evaluation, name="evaluation_mine"),
    path(f"{_PREFIX}bids/<int:bid_id>/", score_sheet, name="evaluation_score"),
    path(f"{_PREFIX}bids/<int:bid_id>/declare/", bidder_declare, name="evaluation_declare"),
    path(
        f"{_PREFIX}bids/<int:bid_id>/attachments/<int:attachment_id>/",
        score_attachment,
        name="evaluation_attachment",
    ),
]


def tender_panel(request: CouncilRequest, tender: Tender) -> dict[str, Any]:
    """Context for this stage's part of the council's tender page (tenders/evaluation/_tender_panel.html):
    after the deadline, a link to the evaluation for its commissioner and officers, and to "your
    evaluation" for an assigned evaluator. Two queries at most."""
    if tender.published_at is None or selectors.bids_are_sealed(tender=tender):
        return {"show": False}
    council = request.council
    may_view = request.user.has_perm("evaluation.view", council)
    may_score = request.user.has_perm("evaluation.score", council)
    if not may_view and not may_score:
        return {"show": False}
    evaluation = selectors.evaluation_of(tender=tender)
    assigned = (
        may_score
        and evaluation is not None
        and EvaluatorAssignment.objects.filter(
            council=council, tender=tender, user=request.user, removed_at__isnull=True
        ).exists()
    )
    return {"show": may_view or assigned, "may_view": may_view, "assigned": assigned, "evaluation": evaluation}
