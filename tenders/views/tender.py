"""Pages of tenders: the council's list, a tender's page (with each stage's panel), its details,
timetable and lots.

``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from commissioning import selectors as commission_selectors
from commissioning.http import CouncilRequest
from commissioning.paginator import kept_page
from commissioning.services import commission_may_start
from commissioning.views.council import council_permission
from commissioning.views.forms import FormPost, confirm_remove
from tenders import eligibility, kept, selectors, services
from tenders.forms.shared import amount_text
from tenders.forms.tender import LotForm, TenderForm, TimetableForm
from tenders.links import RowUrl, row_date
from tenders.models import Tender
from tenders.timetable import STATUS_LABELS, STATUS_TAGS, next_status_change

__all__ = ["urlpatterns"]

TENDER_LIST_PAGE = 50


@council_permission("tender.view")
def tender_list(request: CouncilRequest, council_slug: str) -> HttpResponse:
    """The council's tenders, newest first, 50 a page. The count and each page's rows are kept as
    HTML per council (``tenders.kept.COUNCIL``) until a write to its tenders or commissions, or the
    first moment a row on the page changes status."""
    now = timezone.now()
    tenders = selectors.tender_rows(council=request.council)

    def rows(offset: int, limit: int) -> tuple[str, datetime | None]:
        detail = RowUrl("tender_detail")
        shown = []
        for tender in tenders[offset : offset + limit]:
            status = tender.status_at(now)
            shown.append(
                {
                    "tender": tender,
                    "url": detail.url(council_slug, tender.pk),
                    "deadline": row_date(tender.submission_deadline) if tender.submission_deadline else "Not set",
                    "status_label": STATUS_LABELS[status],
                    "status_tag": STATUS_TAGS[status],
                }
            )
        html = render_to_string("tenders/_tender_rows.html", {"rows": shown})
        return html, next_status_change((row["tender"] for row in shown), now)

    def until(answer: object) -> datetime | None:
        # A page's rows end at their first change of status; the count does not change with time.
        return answer[1] if isinstance(answer, tuple) else None

    page, (html, _) = kept_page(
        request.GET.get("page"),
        TENDER_LIST_PAGE,
        keep=lambda parts, work_out: kept.kept_council_list(
            request.council, (*parts, council_slug), now, work_out, until=until
        ),
        count=tenders.count,
        make=rows,
    )
    return render(request, "tenders/tender_list.html", {"page": page, "rows": html})


@council_permission("tender.change")
def tender_create(request: CouncilRequest, council_slug: str, commission_id: int) -> HttpResponse:
    """Create a tender under a commission whose appraisal decided on a contract; otherwise say why not."""
    commission = commission_selectors.commission_get(council=request.council, commission_id=commission_id)
    allowed, reason = commission_may_start(commission=commission, kind="contract")
    form = TenderForm(
        request.POST if request.method == "POST" and allowed else None,
        initial={"title": commission.title, "estimated_value": amount_text(commission.whole_life_value)},
    )
    done = FormPost(request, form).save(
        services.tender_create,
        lambda tender: f"Tender “{tender.title}” created. Next, set its timetable and evaluation model.",
        lambda tender: _tender_url(council_slug, tender),
        when=allowed,
        commission=commission,
    )
    return done or render(
        request,
        "tenders/tender_form.html",
        {"form": form, "commission": commission, "allowed": allowed, "reason": reason, "title": "Create a tender"},
    )


@council_permission("tender.view")
def tender_detail(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    from tenders.views import award, bids, codesign, evaluation, moderation, opening, publication, results

    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    lots = list(tender.lots.all())
    return render(
        request,
        "tenders/tender_detail.html",
        {
            # Each later stage adds its panel (tenders/<stage>/_tender_panel.html) with its own context.
            "codesign": codesign.tender_panel(request, tender),
            "publication": publication.tender_panel(request, tender),
            "bids": bids.tender_panel(request, tender),
            "opening": opening.tender_panel(request, tender),
            "results": results.tender_panel(request, tender),
            "evaluation": evaluation.tender_panel(request, tender),
            "moderation": moderation.tender_panel(request, tender),
            "award": award.tender_panel(request, tender),
            "tender": tender,
            "band": selectors.tender_band(tender=tender, on=timezone.localdate()),
            "standstill_end": selectors.tender_standstill_end(tender=tender),
            "criteria_rows": selectors.criteria_rows(tender=tender),
            "lots": lots,
            "lots_over": selectors.lots_over_value(tender=tender, lots=lots),
            "policy": selectors.tender_policy(council=request.council),
        },
    )


@council_permission("tender.change")
def tender_edit(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    initial = {
        "title": tender.title,
        "description": tender.description,
        "estimated_value": amount_text(tender.estimated_value),
        "procedure": tender.procedure,
    }
    form = TenderForm(request.POST or None, initial=initial)
    done = _tender_saved(request, council_slug, form, tender, "Tender saved.")
    return done or render(
        request,
        "tenders/tender_form.html",
        {"form": form, "tender": tender, "allowed": True, "title": "Change the tender"},
    )


@council_permission("tender.change")
def tender_timetable(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """Deadlines in UK time (Europe/London); they decide the tender's status once it is published."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    initial = {field: getattr(tender, field) for field in TimetableForm.base_fields}
    form = TimetableForm(request.POST or None, initial=initial)
    done = _tender_saved(request, council_slug, form, tender, "Timetable saved.")
    return done or render(request, "tenders/tender_timetable.html", {"form": form, "tender": tender})


@council_permission("tender.change")
def lot_create(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    form = LotForm(request.POST or None)
    done = FormPost(request, form).save(
        services.lot_add,
        lambda lot: f"Lot “{lot.title}” added.",
        _tender_url(council_slug, tender),
        after=lambda lot: _warn_if_lots_over_value(request, tender),
        tender=tender,
    )
    return done or render(request, "tenders/lot_form.html", {"form": form, "tender": tender, "title": "Add a lot"})


@council_permission("tender.change")
def lot_edit(request: CouncilRequest, council_slug: str, tender_id: int, lot_id: int) -> HttpResponse:
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    lot = selectors.lot_get(tender=tender, lot_id=lot_id)
    if request.method == "POST" and "remove" in request.POST:
        # Nothing is removed in one click: the confirmation page asks first.
        return redirect("lot_remove", council_slug=council_slug, tender_id=tender.pk, lot_id=lot.pk)
    initial = {
        "title": lot.title,
        "description": lot.description,
        "estimated_value": amount_text(lot.estimated_value) if lot.estimated_value is not None else "",
    }
    form = LotForm(request.POST or None, initial=initial)
    done = FormPost(request, form).save(
        services.lot_update,
        "Lot saved.",
        _tender_url(council_slug, tender),
        after=lambda _: _warn_if_lots_over_value(request, tender),
        lot=lot,
    )
    return done or render(
        request, "tenders/lot_form.html", {"form": form, "tender": tender, "lot": lot, "title": "Change the lot"}
    )


def _tender_url(council_slug: str, tender: Tender) -> str:
    return reverse("tender_detail", kwargs={"council_slug": council_slug, "tender_id": tender.pk})


def _tender_saved(
    request: HttpRequest, council_slug: str, form: TenderForm | TimetableForm, tender: Tender, success: str
) -> HttpResponse | None:
    """Save the tender's fields from the form (its details, or its timetable)."""
    return FormPost(request, form).save(
        services.tender_update, success, _tender_url(council_slug, tender), tender=tender
    )


def _warn_if_lots_over_value(request: HttpRequest, tender: Tender) -> None:
    over = selectors.lots_over_value(tender=tender)
    if over is not None:
        messages.warning(
            request,
            f"The lots add up to {eligibility.money(over)} more than the tender's estimated value of "
            f"{eligibility.money(tender.estimated_value)}.",
        )


@council_permission("tender.change")
def lot_remove(request: CouncilRequest, council_slug: str, tender_id: int, lot_id: int) -> HttpResponse:
    """ "Are you sure you want to remove the lot …?": removed only from this page's warning button."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    lot = selectors.lot_get(tender=tender, lot_id=lot_id)
    if tender.published_at is not None:
        messages.error(request, services.PUBLISHED_REFUSAL)
        return redirect("tender_detail", council_slug=council_slug, tender_id=tender.pk)
    return confirm_remove(
        request,
        lambda: services.lot_remove(lot=lot, actor=request.user),
        f"Lot “{lot.title}” removed.",
        _tender_url(council_slug, tender),
        template="tenders/confirm_remove.html",
        context={
            "tender": tender,
            "question": f"Are you sure you want to remove the lot “{lot.title}”?",
            "explanation": "Bidders will not be able to bid for it. To have it again, add it again.",
            "button": "Yes, remove the lot",
            "back_url": reverse(
                "lot_edit", kwargs={"council_slug": council_slug, "tender_id": tender.pk, "lot_id": lot.pk}
            ),
            "back_text": "No, keep the lot",
        },
    )


urlpatterns: list[URLPattern] = [
    path("tenders/", tender_list, name="tenders"),
    path("commissions/<int:commission_id>/tenders/new/", tender_create, name="tender_create"),
    path("tenders/<int:tender_id>/", tender_detail, name="tender_detail"),
    path("tenders/<int:tender_id>/edit/", tender_edit, name="tender_edit"),
    path("tenders/<int:tender_id>/timetable/", tender_timetable, name="tender_timetable"),
    path("tenders/<int:tender_id>/lots/new/", lot_create, name="lot_create"),
    path("tenders/<int:tender_id>/lots/<int:lot_id>/", lot_edit, name="lot_edit"),
    path("tenders/<int:tender_id>/lots/<int:lot_id>/remove/", lot_remove, name="lot_remove"),
]
