"""Pages of the tenders app, under /c/<council_slug>/: the local spend policy, the tender policy, and tenders
with their timetable, lots and evaluation model.

The settings pages are for the council's members (admins change them); the spend policy page
with its eligibility checker is public, for residents and providers.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commissioning import selectors as commission_selectors
from commissioning.forms import add_service_errors
from commissioning.selectors import organisations_for_user
from commissioning.services import commission_may_start
from commissioning.tenancy import council_public
from commissioning.views.council import council_permission
from tenders import eligibility, selectors, services
from tenders.calendar import MINIMUM_STANDSTILL_DAYS
from tenders.forms.drafting import (
    BandForm,
    BandFormSet,
    ClauseForm,
    CriterionForm,
    CriterionFormSet,
    EffectiveDateForm,
    EligibilityCheckForm,
    LotForm,
    NewSectionForm,
    RationaleForm,
    SectionForm,
    TenderForm,
    TenderPolicyForm,
    TimetableForm,
    VersionForm,
    amount_text,
)
from tenders.models import Clause, SpecificationSection, Tender
from tenders.specification import diff_versions, has_changes, sanitise
from tenders.weights import plain_number

BANDS_PREFIX = "bands"


@council_permission("tenders.view_policy")
def spend_policy_settings(request: HttpRequest, council_slug: str) -> HttpResponse:
    """The bands in force, any scheduled change, and every earlier version."""
    council = request.council
    today = timezone.localdate()
    versions = selectors.spend_policy_versions(council=council, on=today)
    return render(
        request,
        "tenders/spend_policy_settings.html",
        {
            "versions": versions,
            "in_force": next((v for v in versions if v.status == "in force"), None),
            "scheduled": [v for v in versions if v.status == "scheduled"],
            "replaced": [v for v in versions if v.status == "replaced"],
            "can_change": request.user.has_perm("council.change_spend_policy", council),
            "today": today,
        },
    )


@council_permission("council.change_spend_policy")
def spend_policy_edit(request: HttpRequest, council_slug: str) -> HttpResponse:
    """Council admins set new bands from a date; errors show on the band and field they are about."""
    council = request.council
    today = timezone.localdate()
    if request.method == "POST":
        formset = BandFormSet(request.POST, prefix=BANDS_PREFIX)
        date_form = EffectiveDateForm(request.POST)
        if formset.is_valid() and date_form.is_valid():
            try:
                services.spend_policy_replace(
                    council=council,
                    actor=request.user,
                    bands=formset.bands(),
                    effective_from=date_form.cleaned_data["effective_from"],
                )
            except ValidationError as error:
                add_service_errors(date_form, error)
            else:
                day = date_form.cleaned_data["effective_from"]
                messages.success(request, f"Spend policy saved. The new bands take effect on {day.day} {day:%B %Y}.")
                return redirect("spend_policy_settings", council_slug=council_slug)
    else:
        current = selectors.spend_bands_in_force(council=council, on=today)
        formset = BandFormSet(prefix=BANDS_PREFIX, initial=[BandForm.initial_for(b.as_band()) for b in current])
        date_form = EffectiveDateForm(initial={"effective_from": today})
    has_errors = bool(date_form.errors or formset.non_form_errors() or any(formset.errors))
    return render(
        request,
        "tenders/spend_policy_edit.html",
        {"formset": formset, "date_form": date_form, "has_errors": has_errors},
    )


@council_permission("tenders.view_policy")
def tender_policy(request: HttpRequest, council_slug: str) -> HttpResponse:
    """Every member sees the minimum social value weight and the standstill length; admins change them."""
    council = request.council
    can_change = request.user.has_perm("council.change_spend_policy", council)
    policy = selectors.tender_policy(council=council)
    if request.method == "POST" and not can_change:
        raise PermissionDenied("Only a council admin can change the tender policy.")
    form = TenderPolicyForm(
        request.POST or None,
        initial={
            "minimum_social_value_weight": plain_number(policy.minimum_social_value_weight),
            "standstill_days": policy.standstill_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_policy_update(council=council, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Tender policy saved.")
            return redirect("tender_policy", council_slug=council_slug)
    return render(
        request,
        "tenders/tender_policy.html",
        {"form": form, "policy": policy, "can_change": can_change, "minimum_standstill": MINIMUM_STANDSTILL_DAYS},
    )


@council_public
def spend_policy_public(request: HttpRequest, council_slug: str) -> HttpResponse:
    """The council's local spend policy in plain English, with a "Check if you are eligible" form."""
    council = request.council
    today = timezone.localdate()
    organisations = organisations_for_user(user=request.user) if request.user.is_authenticated else None
    if organisations is not None and not organisations.exists():
        organisations = None
    form = EligibilityCheckForm(request.GET if "estimated_value" in request.GET else None, organisations=organisations)
    answer = None
    if form.is_bound and form.is_valid():
        answer = selectors.organisation_eligibility(
            council=council,
            organisation=form.cleaned_data.get("organisation"),
            estimated_value=form.cleaned_data["estimated_value"],
            on=today,
        )
    bands = selectors.spend_bands_in_force(council=council, on=today)
    scheduled = [v for v in selectors.spend_policy_versions(council=council, on=today) if v.status == "scheduled"]
    upcoming = scheduled[-1] if scheduled else None
    context: dict[str, Any] = {
        "council": council,
        "area_name": eligibility.area_name_of(council.header_name),
        "today": today,
        "bands": selectors.band_notices(council=council, bands=bands),
        "scheduled": upcoming,
        "scheduled_rows": upcoming.notices if upcoming else [],
        "form": form,
        "answer": answer,
        "organisation": form.cleaned_data.get("organisation") if answer else None,
        "value_text": eligibility.money(form.cleaned_data["estimated_value"]) if answer else "",
        "policy": selectors.tender_policy(council=council),
        "thresholds": selectors.thresholds_in_force(on=today),
        "signed_in_without_organisation": request.user.is_authenticated and organisations is None,
    }
    return render(request, "tenders/spend_policy_public.html", context)


# --- Tenders ------------------------------------------------------------------------------------


@council_permission("tender.view")
def tender_list(request: HttpRequest, council_slug: str) -> HttpResponse:
    tenders = selectors.tender_list(council=request.council)
    page = Paginator(tenders, 50).get_page(request.GET.get("page"))
    return render(request, "tenders/tender_list.html", {"page": page, "tenders": page.object_list})


@council_permission("tender.change")
def tender_create(request: HttpRequest, council_slug: str, commission_id: int) -> HttpResponse:
    """Create a tender under a commission whose appraisal decided on a contract; otherwise say why not."""
    commission = commission_selectors.commission_get(council=request.council, commission_id=commission_id)
    allowed, reason = commission_may_start(commission=commission, kind="contract")
    form = TenderForm(
        request.POST if request.method == "POST" and allowed else None,
        initial={"title": commission.title, "estimated_value": amount_text(commission.whole_life_value)},
    )
    if allowed and request.method == "POST" and form.is_valid():
        try:
            tender = services.tender_create(commission=commission, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Tender “{tender.title}” created. Next, set its timetable and evaluation model.")
            return redirect("tender_detail", council_slug=council_slug, tender_id=tender.pk)
    return render(
        request,
        "tenders/tender_form.html",
        {"form": form, "commission": commission, "allowed": allowed, "reason": reason, "title": "Create a tender"},
    )


@council_permission("tender.view")
def tender_detail(request: HttpRequest, council_slug: str, tender_id: int) -> HttpResponse:
    from tenders.views import bids, codesign, opening, publication

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
def tender_edit(request: HttpRequest, council_slug: str, tender_id: int) -> HttpResponse:
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    initial = {
        "title": tender.title,
        "description": tender.description,
        "estimated_value": amount_text(tender.estimated_value),
        "procedure": tender.procedure,
    }
    form = TenderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_update(tender=tender, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Tender saved.")
            return redirect("tender_detail", council_slug=council_slug, tender_id=tender.pk)
    return render(
        request,
        "tenders/tender_form.html",
        {"form": form, "tender": tender, "allowed": True, "title": "Change the tender"},
    )


@council_permission("tender.change")
def tender_timetable(request: HttpRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """Deadlines in UK time (Europe/London); they decide the tender's status once it is published."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    initial = {field: getattr(tender, field) for field in TimetableForm.base_fields}
    form = TimetableForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.tender_update(tender=tender, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Timetable saved.")
            return redirect("tender_detail", council_slug=council_slug, tender_id=tender.pk)
    return render(request, "tenders/tender_timetable.html", {"form": form, "tender": tender})


@council_permission("tender.change")
def lot_create(request: HttpRequest, council_slug: str, tender_id: int) -> HttpResponse:
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    form = LotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.lot_add(tender=tender, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Lot “{lot.title}” added.")
            _warn_if_lots_over_value(request, tender)
            return redirect("tender_detail", council_slug=council_slug, tender_id=tender.pk)
    return render(request, "tenders/lot_form.html", {"form": form, "tender": tender, "title": "Add a lot"})


@council_permission("tender.change")
def lot_edit(request: HttpRequest, council_slug: str, tender_id: int, lot_id: int) -> HttpResponse:
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
    if request.method == "POST" and form.is_valid():
        try:
            services.lot_update(lot=lot, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Lot saved.")
            _warn_if_lots_over_value(request, tender)
            return redirect("tender_detail", council_slug=council_slug, tender_id=tender.pk)
    return render(
        request, "tenders/lot_form.html", {"form": form, "tender": tender, "lot": lot, "title": "Change the lot"}
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
def lot_remove(request: HttpRequest, council_slug: str, tender_id: int, lot_id: int) -> HttpResponse:
    """ "Are you sure you want to remove the lot …?": removed only from this page's warning button."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    lot = selectors.lot_get(tender=tender, lot_id=lot_id)
    if tender.published_at is not None:
        messages.error(request, services.PUBLISHED_REFUSAL)
        return redirect("tender_detail", council_slug=council_slug, tender_id=tender.pk)
    error = None
    if request.method == "POST" and "confirm" in request.POST:
        try:
            services.lot_remove(lot=lot, actor=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, f"Lot “{lot.title}” removed.")
            return redirect("tender_detail", council_slug=council_slug, tender_id=tender.pk)
    return render(
        request,
        "tenders/confirm_remove.html",
        {
            "tender": tender,
            "error": error,
            "question": f"Are you sure you want to remove the lot “{lot.title}”?",
            "explanation": "Bidders will not be able to bid for it. To have it again, add it again.",
            "button": "Yes, remove the lot",
            "back_url": reverse(
                "lot_edit", kwargs={"council_slug": council_slug, "tender_id": tender.pk, "lot_id": lot.pk}
            ),
            "back_text": "No, keep the lot",
        },
    )


CRITERIA_PREFIX = "criteria"


def _criteria_initial(tender: Tender) -> list[dict[str, Any]]:
    rows = selectors.criteria_rows(tender=tender)
    numbers = {row.criterion.pk: n for n, row in enumerate(rows, start=1)}
    return [
        {
            "title": row.criterion.title,
            "kind": row.criterion.kind,
            "weight": plain_number(row.criterion.weight),
            "part_of": str(numbers[row.criterion.parent_id]) if row.criterion.parent_id else "",
            "scale": row.criterion.scale,
            "minimum_score": plain_number(row.criterion.minimum_score)
            if row.criterion.minimum_score is not None
            else None,
            "guidance": row.criterion.guidance,
            "question": row.criterion.question,
            "word_limit": row.criterion.word_limit,
            "attachments_allowed": row.criterion.attachments_allowed,
            **CriterionForm.initial_for_descriptors(row.criterion.scoring_descriptors or []),
        }
        for row in rows
    ]


@council_permission("tender.change")
def evaluation_model_edit(request: HttpRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The criteria (a formset, parts pointing at an earlier criterion), their weights and the rationale.

    The weights are checked by the service (``tenders.weights.validate_weights``); its messages go
    in the error summary.
    """
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    removing: list[str] = []
    if request.method == "POST":
        formset = CriterionFormSet(request.POST, prefix=CRITERIA_PREFIX, initial=_criteria_initial(tender))
        rationale_form = RationaleForm(request.POST)
        valid = formset.is_valid() and rationale_form.is_valid()
        if valid and "confirm_remove" not in request.POST:
            # A saved criterion ticked "Remove": ask first, with everything typed still on the page.
            removing = [
                f"criterion {form.number}, “{form.initial.get('title') or form.cleaned_data.get('title')}”"
                for form in formset.deleted_forms
                if form.initial
            ]
            valid = not removing
        if valid:
            try:
                services.criteria_replace(
                    tender=tender,
                    actor=request.user,
                    criteria=formset.specs(),
                    rationale=rationale_form.cleaned_data["weighting_rationale"],
                )
            except ValidationError as error:
                add_service_errors(rationale_form, error)
            else:
                messages.success(request, "Evaluation model saved.")
                return redirect("tender_detail", council_slug=council_slug, tender_id=tender.pk)
    else:
        formset = CriterionFormSet(prefix=CRITERIA_PREFIX, initial=_criteria_initial(tender))
        rationale_form = RationaleForm(initial={"weighting_rationale": tender.weighting_rationale})
    has_errors = bool(rationale_form.errors or formset.non_form_errors() or any(formset.errors))
    return render(
        request,
        "tenders/evaluation_model_form.html",
        {
            "tender": tender,
            "formset": formset,
            "rationale_form": rationale_form,
            "has_errors": has_errors,
            "policy": selectors.tender_policy(council=request.council),
            "removing": removing,
        },
    )


# --- The specification ----------------------------------------------------------------------------


def _specification_page(
    request: HttpRequest,
    tender: Tender,
    *,
    bound: SectionForm | None = None,
    new_section_form: NewSectionForm | None = None,
    version_form: VersionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The editor: every section as a form (the one that failed, bound with the typed text), versions."""
    council = request.council
    can_edit = request.user.has_perm("tender.change", council) and tender.published_at is None
    clauses = selectors.clause_list(council=council, active_only=True)
    sections = selectors.specification_sections(tender=tender)
    section_forms = [
        bound if bound is not None and bound.section.pk == section.pk else SectionForm(section=section, clauses=clauses)
        for section in sections
    ]
    versions = selectors.specification_versions(tender=tender)
    error_form = next(
        (f for f in (bound, new_section_form, version_form) if f is not None and f.errors),
        None,
    )
    return render(
        request,
        "tenders/specification.html",
        {
            "tender": tender,
            "can_edit": can_edit,
            "section_forms": section_forms,
            "sections": [(form.section, form) for form in section_forms],
            "new_section_form": new_section_form or NewSectionForm(),
            "version_form": version_form or VersionForm(),
            "versions": versions,
            "error_form": error_form,
            "has_clauses": clauses.exists(),
        },
        status=status,
    )


def _editor_url(council_slug: str, tender: Tender, section: SpecificationSection | None = None) -> str:
    url = reverse("specification", kwargs={"council_slug": council_slug, "tender_id": tender.pk})
    return f"{url}#section-{section.pk}" if section is not None else url


@council_permission("tender.view")
def specification(request: HttpRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The tender's specification: sections drafted in the browser (autosaved with htmx), versions."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    return _specification_page(request, tender)


@require_POST
@council_permission("tender.change")
def specification_section_add(request: HttpRequest, council_slug: str, tender_id: int) -> HttpResponse:
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    form = NewSectionForm(request.POST)
    if form.is_valid():
        try:
            section = services.section_add(tender=tender, actor=request.user, title=form.cleaned_data["title"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Section “{section.title}” added.")
            return redirect(_editor_url(council_slug, tender, section))
    return _specification_page(request, tender, new_section_form=form)


def _section_status(request: HttpRequest, form: SectionForm, section: SpecificationSection) -> HttpResponse:
    """The htmx answer to an autosave: the status line (saved, or the error) and, if saved, the new revision."""
    return render(request, "tenders/includes/section_status.html", {"form": form, "section": section})


@require_POST
@council_permission("tender.change")
def specification_section_save(
    request: HttpRequest, council_slug: str, tender_id: int, section_id: int
) -> HttpResponse:
    """Save a section (autosave with htmx, or the form's buttons without JavaScript), then move it,
    insert a clause or remove it. The typed text is saved first, so a button never loses it.

    A refused save (someone saved the section since, or the tender was published) keeps the typed
    text: htmx gets the error in the status line; a plain post gets the page again with the text.
    """
    council = request.council
    tender = selectors.tender_get(council=council, tender_id=tender_id)
    section = selectors.section_get(tender=tender, section_id=section_id)
    clauses = selectors.clause_list(council=council, active_only=True)
    data = request.POST.copy()
    if "insert_clause" not in data:
        # Only the "Insert clause" button reads the clause chosen: an autosave never fails on it.
        data.pop(f"section-{section.pk}-clause", None)
    form = SectionForm(data, section=section, clauses=clauses)
    if form.is_valid():
        try:
            section = services.section_save(
                section=section,
                actor=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                expected_revision=form.cleaned_data["revision"],
            )
            if request.htmx:
                return _section_status(request, form, section)
            done = "Section saved."
            if "insert_clause" in request.POST:
                clause = form.cleaned_data.get("clause")
                if clause is None:
                    raise ValidationError({"clause": "Choose a clause to insert"})
                section = services.clause_insert(section=section, clause=clause, actor=request.user)
                done = f"Clause “{clause.title}” inserted in “{section.title}”."
            elif "remove" in request.POST:
                # The typed text is saved above; removing it asks first, on its own page.
                return redirect(
                    "specification_section_remove",
                    council_slug=council_slug,
                    tender_id=tender.pk,
                    section_id=section.pk,
                )
            elif request.POST.get("move") in {"up", "down"}:
                section = services.section_move(section=section, actor=request.user, direction=request.POST["move"])
                done = f"Section “{section.title}” moved {request.POST['move']}."
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_editor_url(council_slug, tender, section))
    if request.htmx:
        return _section_status(request, form, section)
    return _specification_page(request, tender, bound=form)


@council_permission("tender.change")
def specification_section_remove(
    request: HttpRequest, council_slug: str, tender_id: int, section_id: int
) -> HttpResponse:
    """ "Are you sure you want to remove the section …?". Its text is kept in a saved version
    (saved first if needed), from which "Restore this section" brings it back."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    section = selectors.section_get(tender=tender, section_id=section_id)
    if tender.published_at is not None:
        messages.error(request, "The specification is locked because the tender is published")
        return redirect(_editor_url(council_slug, tender))
    error = None
    if request.method == "POST" and "confirm" in request.POST:
        try:
            version = services.section_remove(section=section, actor=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request,
                f"Section “{section.title}” removed. Its text is kept in version {version.number}, "
                "where you can restore it.",
            )
            return redirect(_editor_url(council_slug, tender))
    return render(
        request,
        "tenders/confirm_remove.html",
        {
            "tender": tender,
            "error": error,
            "question": f"Are you sure you want to remove the section “{section.title}”?",
            "explanation": "It is taken out of the draft specification. Its text is kept in a saved version of the "
            "specification (one is saved now if needed), and you can restore it from there until the tender "
            "is published.",
            "button": "Yes, remove the section",
            "back_url": _editor_url(council_slug, tender, section),
            "back_text": "No, keep the section",
        },
    )


@require_POST
@council_permission("tender.change")
def specification_section_restore(
    request: HttpRequest, council_slug: str, tender_id: int, version_id: int, index: int
) -> HttpResponse:
    """Bring a section back from a saved version, at the end of the draft."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    version = selectors.version_get(tender=tender, version_id=version_id)
    try:
        section = services.section_restore(version=version, index=index, actor=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("specification_version", council_slug=council_slug, tender_id=tender.pk, version_id=version.pk)
    messages.success(request, f"Section “{section.title}” restored from version {version.number}, at the end.")
    return redirect(_editor_url(council_slug, tender, section))


@require_POST
@council_permission("tender.change")
def specification_version_save(request: HttpRequest, council_slug: str, tender_id: int) -> HttpResponse:
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            version = services.specification_save_version(
                tender=tender, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Version {version.number} saved.")
            return redirect(f"{_editor_url(council_slug, tender)}#versions")
    return _specification_page(request, tender, version_form=form)


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 9 else None


@council_permission("tender.view")
def specification_version(request: HttpRequest, council_slug: str, tender_id: int, version_id: int) -> HttpResponse:
    """One saved version as it was, read-only."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    version = selectors.version_get(tender=tender, version_id=version_id)
    sections = [{"title": s.get("title", ""), "body": sanitise(s.get("body", ""))} for s in version.sections]
    can_restore = request.user.has_perm("tender.change", request.council) and tender.published_at is None
    return render(
        request,
        "tenders/specification_version.html",
        {"tender": tender, "version": version, "sections": sections, "can_restore": can_restore},
    )


@council_permission("tender.view")
def specification_compare(request: HttpRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """Two versions side by side (``?from=1&to=2``; by default the two latest), section by section."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    versions = selectors.specification_versions(tender=tender)
    numbers = [v.number for v in versions]
    first, second = _number(request.GET.get("from")), _number(request.GET.get("to"))
    if first is None or second is None:
        if len(numbers) < 2:
            return render(request, "tenders/specification_compare.html", {"tender": tender, "versions": versions})
        first, second = numbers[1], numbers[0]
    if first not in numbers or second not in numbers:
        raise Http404("No such version")
    old = next(v for v in versions if v.number == first)
    new = next(v for v in versions if v.number == second)
    rows = diff_versions(old.sections, new.sections)
    return render(
        request,
        "tenders/specification_compare.html",
        {
            "tender": tender,
            "versions": versions,
            "old": old,
            "new": new,
            "rows": rows,
            "has_changes": has_changes(rows),
        },
    )


# --- The clause library ---------------------------------------------------------------------------


@council_permission("clauses.manage")
def clause_list(request: HttpRequest, council_slug: str) -> HttpResponse:
    clauses = selectors.clause_list(council=request.council)
    return render(request, "tenders/clause_list.html", {"clauses": clauses})


def _clause_initial(clause: Clause) -> dict[str, Any]:
    return {"title": clause.title, "category": clause.category, "body": clause.body, "active": clause.active}


@council_permission("clauses.manage")
def clause_create(request: HttpRequest, council_slug: str) -> HttpResponse:
    form = ClauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clause = services.clause_create(council=request.council, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Clause “{clause.title}” added to the library.")
            return redirect("clauses", council_slug=council_slug)
    return render(request, "tenders/clause_form.html", {"form": form, "title": "Add a clause"})


@council_permission("clauses.manage")
def clause_edit(request: HttpRequest, council_slug: str, clause_id: int) -> HttpResponse:
    clause = selectors.clause_get(council=request.council, clause_id=clause_id)
    form = ClauseForm(request.POST or None, initial=_clause_initial(clause))
    if request.method == "POST" and form.is_valid():
        try:
            services.clause_update(clause=clause, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Clause saved.")
            return redirect("clauses", council_slug=council_slug)
    return render(request, "tenders/clause_form.html", {"form": form, "clause": clause, "title": "Change the clause"})
