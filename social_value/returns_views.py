"""Pages of delivery returns and the accounts.

- **Provider** (a member of the agreement's provider organisation, signed in, not a council
  member): "Your agreements" at ``/social-value/agreements/`` (every council), an agreement's
  periods at ``/c/<slug>/social-value/your-agreements/<id>/``, and a period's return form
  (quantities, narrative, evidence; save the draft, submit, or answer a query).
- **Council** (``social_value.view_agreements``; verifying needs ``social_value.verify_returns``):
  the agreements, an agreement's page (KPIs committed against delivered, periods, returns), the
  "Returns to verify" queue, and a return's verify form (accept, query, reject).
- **Public**: ``/c/<slug>/social-value/accounted-for/`` and its CSV: verified figures only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commissioning.downloads import as_download
from commissioning.forms import add_service_errors
from commissioning.http import CouncilPublicRequest, CouncilRequest
from commissioning.tenancy import council_public
from commissioning.views.council import council_permission
from social_value import accounting, ledger, returns, selectors
from social_value.forms import ReturnForm, VerifyForm, kpi_field_name
from social_value.framework_csv import write_csv
from social_value.models import Agreement, ReturnEvidence, ReturnStatus

__all__ = [
    "accounted_for",
    "accounted_for_csv",
    "agreement_list",
    "agreement_of",
    "agreement_page",
    "my_agreement",
    "my_agreements",
    "return_evidence_download",
    "return_evidence_remove",
    "return_form",
    "return_verify",
    "returns_queue",
]


def _max_mb() -> int:
    return int(settings.COMMISSIONING_BID_ATTACHMENT_MAX_BYTES) // (1024 * 1024)


# --- Provider ---------------------------------------------------------------------------------------


def my_agreements(request: HttpRequest) -> HttpResponse:
    """The agreements of the signed-in person's organisations, in every council, with returns waiting."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page, rows = ledger.agreements_for_user(user=request.user, page=request.GET.get("page", 1))
    return render(request, "social_value/provider/agreements.html", {"page": page, "rows": rows})


def _provider_agreement(request: CouncilPublicRequest, agreement_id: int) -> Agreement:
    return ledger.agreement_for_provider(council=request.council, agreement_id=agreement_id, user=request.user)  # type: ignore[arg-type]


@council_public
def my_agreement(request: CouncilPublicRequest, council_slug: str, agreement_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agreement = _provider_agreement(request, agreement_id)
    return render(request, "social_value/provider/agreement.html", {"view": ledger.agreement_view(agreement=agreement)})


def _return_url(agreement: Agreement, period: int) -> str:
    return reverse(
        "social_value_return_form",
        kwargs={"council_slug": agreement.council.slug, "agreement_id": agreement.pk, "period": period},
    )


@council_public
def return_form(request: CouncilPublicRequest, council_slug: str, agreement_id: int, period: int) -> HttpResponse:
    """A period's return: save the draft, submit it, or answer the council's question and resubmit."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agreement = _provider_agreement(request, agreement_id)
    rows = {row.period.number: row for row in ledger.period_rows(agreement, [])}
    if period not in rows:
        raise Http404("No such reporting period")
    view = ledger.agreement_view(agreement=agreement)
    row = next(r for r in view.periods if r.period.number == period)
    current = row.delivery_return
    detail = ledger.return_detail(delivery_return=current) if current else None
    editable = current is None or current.provider_may_edit
    queried = current is not None and current.status == ReturnStatus.QUERIED
    initial: dict[str, Any] = {}
    if detail:
        initial["narrative"] = current.narrative  # type: ignore[union-attr]
        initial.update({kpi_field_name(k): f"{q.normalize():f}" for k, q in detail.figures.items()})
    form = ReturnForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        kpis=view.kpis,
        queried=queried,
        max_mb=_max_mb(),
        initial=initial,
    )
    if request.method == "POST" and editable and form.is_valid():
        user = request.user
        try:
            saved = returns.return_save(
                agreement=agreement,
                period=period,
                actor=user,
                figures=form.figures(),
                narrative=form.cleaned_data["narrative"],
            )
            if form.cleaned_data.get("file"):
                returns.return_evidence_add(delivery_return=saved, actor=user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            action = request.POST.get("action", "save")
            if action == "submit":
                try:
                    returns.return_submit(
                        delivery_return=saved,
                        actor=user,
                        answer=form.cleaned_data.get("answer", ""),
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                    messages.info(request, "Your draft is saved.")
                else:
                    messages.success(
                        request,
                        "Return submitted. The council will verify it; you will see its decision here.",
                    )
                    return redirect(_return_url(agreement, period))
            else:
                messages.success(request, "Draft saved. Submit it once the period has ended and it is complete.")
                return redirect(_return_url(agreement, period))
        # The page shows the return as it now is (the draft may have been saved).
        current = ledger.return_of_period(agreement=agreement, period=period)
        detail = ledger.return_detail(delivery_return=current) if current else None
    return render(
        request,
        "social_value/provider/return_form.html",
        {
            "agreement": agreement,
            "row": row,
            "form": form,
            "kpis": view.kpis,
            "delivery_return": current,
            "detail": detail,
            "editable": editable,
            "queried": queried,
            "max_mb": _max_mb(),
        },
    )


def _provider_evidence(
    request: CouncilPublicRequest, agreement_id: int, period: int, evidence_id: int
) -> ReturnEvidence:
    agreement = _provider_agreement(request, agreement_id)
    evidence = (
        ReturnEvidence.objects.filter(
            council=request.council,
            pk=evidence_id,
            delivery_return__agreement=agreement,
            delivery_return__period=period,
            removed_at__isnull=True,
        )
        .select_related("delivery_return", "delivery_return__agreement__provider")
        .first()
    )
    if evidence is None:
        raise Http404("No such document")
    return evidence


def _download(evidence: ReturnEvidence) -> HttpResponse:
    with evidence.file.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return as_download(response, evidence.filename)


@council_public
def return_evidence_download(
    request: CouncilPublicRequest, council_slug: str, agreement_id: int, period: int, evidence_id: int
) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _download(_provider_evidence(request, agreement_id, period, evidence_id))


@council_public
@require_POST
def return_evidence_remove(
    request: CouncilPublicRequest, council_slug: str, agreement_id: int, period: int, evidence_id: int
) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    evidence = _provider_evidence(request, agreement_id, period, evidence_id)
    try:
        returns.return_evidence_remove(evidence=evidence, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{evidence.filename} removed.")
    return redirect(_return_url(evidence.delivery_return.agreement, period))


# --- Council ----------------------------------------------------------------------------------------


@council_permission("social_value.view_agreements")
def agreement_list(request: CouncilRequest, council_slug: str) -> HttpResponse:
    # Each row links to its agreement by this page's path and its id: one reverse(), not one a row.
    path = reverse("social_value_agreements", kwargs={"council_slug": council_slug})
    page, rows = ledger.agreements_page(
        council=request.council,
        number=request.GET.get("page"),
        # The rows as HTML, kept so: the same for every reader of the council (no person's part).
        make=lambda agreements: render_to_string(
            "social_value/council/_agreement_rows.html", {"agreements": agreements, "agreements_path": path}
        ),
        parts=(path,),
    )
    return render(request, "social_value/council/agreements.html", {"page": page, "rows": rows})


@council_permission("social_value.view_agreements")
def agreement_page(request: CouncilRequest, council_slug: str, agreement_id: int) -> HttpResponse:
    agreement = ledger.agreement_get(council=request.council, agreement_id=agreement_id)
    return render(
        request,
        "social_value/council/agreement.html",
        {
            "view": ledger.agreement_view(agreement=agreement),
            "can_verify": request.user.has_perm("social_value.verify_returns", request.council),
        },
    )


@council_permission("social_value.view_agreements")
def agreement_of(request: CouncilRequest, council_slug: str, kind: str, source_id: int) -> HttpResponse:
    """The agreement of a contract or grant award, by its own app's id (the link on tenders' contract)."""
    agreement = selectors.agreement_for(council=request.council, kind=kind, source_id=source_id)
    if agreement is None:
        raise Http404("This contract is not in the social value ledger")
    return redirect("social_value_agreement", council_slug=council_slug, agreement_id=agreement.pk)


@council_permission("social_value.verify_returns")
def returns_queue(request: CouncilRequest, council_slug: str) -> HttpResponse:
    page = ledger.page_of(ledger.returns_to_verify(council=request.council), request.GET.get("page"), ledger.QUEUE_PAGE)
    return render(request, "social_value/council/queue.html", {"page": page})


@council_permission("social_value.view_agreements")
def return_verify(request: CouncilRequest, council_slug: str, return_id: int) -> HttpResponse:
    """A return as submitted (figures against targets, narrative, evidence, its history), and the
    decision: accept, query with a question, or reject with a reason."""
    delivery_return = ledger.return_get(council=request.council, return_id=return_id)
    agreement = delivery_return.agreement
    can_verify = request.user.has_perm("social_value.verify_returns", request.council)
    form = VerifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not can_verify:
        raise PermissionDenied("Only a commissioner or an officer of the council can verify a delivery return.")
    if request.method == "POST" and form.is_valid():
        decision, text = form.cleaned_data["decision"], form.cleaned_data["text"]
        try:
            if decision == "accept":
                returns.return_accept(delivery_return=delivery_return, actor=request.user, note=text)
                done = "Return accepted: its figures are now verified social value."
            elif decision == "query":
                returns.return_query(delivery_return=delivery_return, actor=request.user, question=text)
                done = "Query sent: the provider answers it and resubmits the return."
            else:
                returns.return_reject(delivery_return=delivery_return, actor=request.user, reason=text)
                done = "Return rejected: the provider sees your reason."
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("social_value_returns_queue", council_slug=council_slug)
    view = ledger.agreement_view(agreement=agreement)
    return render(
        request,
        "social_value/council/verify.html",
        {
            "delivery_return": delivery_return,
            "detail": ledger.return_detail(delivery_return=delivery_return),
            "view": view,
            "form": form,
            "can_verify": can_verify and delivery_return.status == ReturnStatus.SUBMITTED,
        },
    )


@council_permission("social_value.view_agreements")
def council_evidence_download(
    request: CouncilRequest, council_slug: str, return_id: int, evidence_id: int
) -> HttpResponse:
    evidence = ReturnEvidence.objects.filter(
        council=request.council, delivery_return_id=return_id, pk=evidence_id, removed_at__isnull=True
    ).first()
    if evidence is None:
        raise Http404("No such document")
    return _download(evidence)


# --- Public: social value accounted for ---------------------------------------------------------------


def _year(request: HttpRequest, years: list[int]) -> int | None:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return None
    return year if year in years else None


@council_public
def accounted_for(request: CouncilPublicRequest, council_slug: str) -> HttpResponse:
    """Social value accounted for: the stories first (accepted returns' narratives, a page at a
    time), then the verified figures by theme and outcome, and £ only where a proxy exists."""
    council = request.council
    rows = ledger.account_rows(council=council)
    years = accounting.years_of(rows)
    year = _year(request, years)
    stories = ledger.stories_page(council=council, year=year, number=request.GET.get("page"))
    return render(
        request,
        "social_value/public/accounted_for.html",
        {
            "council": council,
            "years": years,
            "year": year,
            "themes": accounting.council_account(rows, year=year),
            "proxies": accounting.proxy_totals(rows, year=year),
            "stories": stories,
            "page_query": f"year={year}&" if year else "",
        },
    )


CSV_COLUMNS = ["year", "theme", "outcome", "measure", "unit", "quantity", "proxy_pounds", "proxy_source_and_year"]


@council_public
def accounted_for_csv(request: CouncilPublicRequest, council_slug: str) -> HttpResponse:
    """The verified figures as CSV, one row per year, theme, outcome, measure and unit (formula-safe cells)."""
    rows = ledger.account_rows(council=request.council)
    lines: list[list[object]] = []
    for year in accounting.years_of(rows):
        for theme in accounting.council_account(rows, year=year):
            for outcome in theme.outcomes:
                for total in outcome.totals:
                    has_pounds = total.proxy_pounds is not None
                    lines.append(
                        [
                            year,
                            theme.title,
                            outcome.title,
                            total.measure,
                            total.unit,
                            total.quantity,
                            total.proxy_pounds if has_pounds else "",
                            total.proxy_label if has_pounds else "",
                        ]
                    )
    response = HttpResponse(write_csv(CSV_COLUMNS, lines), content_type="text/csv; charset=utf-8")
    return as_download(response, f"{council_slug}-social-value-accounted-for-{timezone.localdate():%Y-%m-%d}.csv")
