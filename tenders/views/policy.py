"""Pages of the council's policies: the local spend policy and the tender policy.

The settings pages are for the council's members (admins change them); the spend policy page
with its eligibility checker is public, for residents and providers.

``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from commissioning.http import CouncilPublicRequest, CouncilRequest
from commissioning.selectors import organisations_for_user
from commissioning.tenancy import council_public
from commissioning.views.council import council_permission
from commissioning.views.forms import FormPost
from tenders import eligibility, selectors, services
from tenders.calendar import MINIMUM_STANDSTILL_DAYS
from tenders.forms.policy import BandForm, BandFormSet, EffectiveDateForm, EligibilityCheckForm, TenderPolicyForm
from tenders.weights import plain_number

__all__ = ["urlpatterns"]


BANDS_PREFIX = "bands"


@council_permission("tenders.view_policy")
def spend_policy_settings(request: CouncilRequest, council_slug: str) -> HttpResponse:
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


def _date_text(form: EffectiveDateForm) -> str:
    day = form.cleaned_data["effective_from"]
    return f"{day.day} {day:%B %Y}"


@council_permission("council.change_spend_policy")
def spend_policy_edit(request: CouncilRequest, council_slug: str) -> HttpResponse:
    """Council admins set new bands from a date; errors show on the band and field they are about."""
    council = request.council
    today = timezone.localdate()
    if request.method == "POST":
        formset = BandFormSet(request.POST, prefix=BANDS_PREFIX)
        date_form = EffectiveDateForm(request.POST)
        done = FormPost(request, date_form).submit(
            lambda: services.spend_policy_replace(
                council=council,
                actor=request.user,
                bands=formset.bands(),
                effective_from=date_form.cleaned_data["effective_from"],
            ),
            lambda _: f"Spend policy saved. The new bands take effect on {_date_text(date_form)}.",
            reverse("spend_policy_settings", kwargs={"council_slug": council_slug}),
            when=formset.is_valid(),
        )
        if done:
            return done
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
def tender_policy(request: CouncilRequest, council_slug: str) -> HttpResponse:
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
            "minimum_evaluators": policy.minimum_evaluators,
            "justification_minimum_length": policy.justification_minimum_length,
            "moderation_spread_percent": plain_number(policy.moderation_spread_percent),
            "abnormally_low_percent": plain_number(policy.abnormally_low_percent),
        },
    )
    done = FormPost(request, form).save(
        services.tender_policy_update,
        "Tender policy saved.",
        reverse("tender_policy", kwargs={"council_slug": council_slug}),
        council=council,
    )
    return done or render(
        request,
        "tenders/tender_policy.html",
        {"form": form, "policy": policy, "can_change": can_change, "minimum_standstill": MINIMUM_STANDSTILL_DAYS},
    )


@council_public
def spend_policy_public(request: CouncilPublicRequest, council_slug: str) -> HttpResponse:
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


urlpatterns: list[URLPattern] = [
    path("spend-policy/", spend_policy_public, name="spend_policy_public"),
    path("settings/spend-policy/", spend_policy_settings, name="spend_policy_settings"),
    path("settings/spend-policy/edit/", spend_policy_edit, name="spend_policy_edit"),
    path("settings/tender-policy/", tender_policy, name="tender_policy"),
]
