"""Council pages for commissions, their options appraisal, and the outcomes framework.

The tenancy middleware has already checked membership and scoped the request to the council;
each view checks the role permission it needs, and reads through selectors given the council.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from commissioning import selectors, services
from commissioning.extensions import commission_dependants_listed
from commissioning.forms import (
    AppraisalNotesForm,
    CommissionForm,
    DecisionForm,
    IndicatorForm,
    OutcomeForm,
)
from commissioning.http import CouncilRequest
from commissioning.models import Commission
from commissioning.models.commissions import DEFAULT_OPTION
from commissioning.paginator import CountedPaginator
from commissioning.rules import PERMISSIONS_TABLE, who_may
from commissioning.views.council import council_permission
from commissioning.views.forms import FormPost


def _commission_url(council_slug: str, commission: Commission) -> str:
    return reverse("commission_detail", kwargs={"council_slug": council_slug, "commission_id": commission.pk})


def _outcomes_url(council_slug: str) -> str:
    return reverse("outcomes", kwargs={"council_slug": council_slug})


def _next_steps(commission: Commission) -> list[dict[str, Any]]:
    """What may start under the commission, and if not, why not (tenders and grant rounds)."""
    steps = []
    for kind, what in (("contract", "tender"), ("grant", "grant round")):
        allowed, reason = services.commission_may_start(commission=commission, kind=kind)
        steps.append({"kind": kind, "what": what, "allowed": allowed, "reason": reason})
    return steps


@council_permission("commission.view")
def commission_list(request: CouncilRequest, council_slug: str) -> HttpResponse:
    commissions = selectors.commission_list(council=request.council)
    page = CountedPaginator(commissions, 50).get_page(request.GET.get("page"))
    return render(request, "commissions/list.html", {"page": page, "commissions": page.object_list})


@council_permission("commission.change")
def commission_create(request: CouncilRequest, council_slug: str) -> HttpResponse:
    form = CommissionForm(request.POST or None, council=request.council)
    done = FormPost(request, form).save(
        services.commission_create,
        lambda commission: f"Commission “{commission.title}” opened. Next, record the options appraisal.",
        lambda commission: _commission_url(council_slug, commission),
        council=request.council,
    )
    return done or render(request, "commissions/form.html", {"form": form, "title": "Open a commission"})


@council_permission("commission.view")
def commission_detail(request: CouncilRequest, council_slug: str, commission_id: int) -> HttpResponse:
    commission = selectors.commission_get(council=request.council, commission_id=commission_id)
    next_steps = _next_steps(commission)
    step_for = {step["kind"]: step for step in next_steps}
    # What the apps started under the commission (tenders, grant rounds), each with its next step.
    dependants = [
        {"template": shown.dependants.template, "items": shown.items, "step": step_for.get(shown.dependants.decision)}
        for shown in commission_dependants_listed(council=request.council, commission=commission, user=request.user)
    ]
    return render(
        request,
        "commissions/detail.html",
        {
            "commission": commission,
            "options": list(commission.options.all()),
            "next_steps": next_steps,
            "dependants": dependants,
        },
    )


@council_permission("commission.change")
def commission_edit(request: CouncilRequest, council_slug: str, commission_id: int) -> HttpResponse:
    commission = selectors.commission_get(council=request.council, commission_id=commission_id)
    initial = {
        "title": commission.title,
        "need": commission.need,
        "outcomes": list(commission.outcomes.all()),
        "estimated_annual_value": commission.estimated_annual_value,
        "whole_life_value": commission.whole_life_value,
    }
    form = CommissionForm(request.POST or None, initial=initial, council=request.council)
    done = FormPost(request, form).save(
        services.commission_update,
        "Commission saved.",
        _commission_url(council_slug, commission),
        commission=commission,
    )
    return done or render(
        request, "commissions/form.html", {"form": form, "title": "Change the commission", "commission": commission}
    )


@council_permission("commission.change")
def commission_appraisal(request: CouncilRequest, council_slug: str, commission_id: int) -> HttpResponse:
    """Notes on each option, and the decision with its reason (in-house pre-selected).

    One form, two buttons, so nothing typed is lost: "Save notes" saves the notes and never
    records a decision by accident (a reason typed but not yet recorded stays on the page);
    "Record the decision" saves the notes and records the decision together, or neither, and a
    refusal shows both as typed.
    """
    commission = selectors.commission_get(council=request.council, commission_id=commission_id)
    options = list(commission.options.all())
    may_decide = request.user.has_perm("commission.decide", request.council)
    posted = request.method == "POST"
    deciding = posted and "record_decision" in request.POST
    if deciding and not may_decide:
        what = PERMISSIONS_TABLE["commission.decide"][2]
        raise PermissionDenied(f"Only {who_may('commission.decide')} can do this: {what.lower()}.")
    notes_form = AppraisalNotesForm(request.POST if posted else None, options=options, prefix="notes")
    decision_initial = {
        "decision": commission.decision or DEFAULT_OPTION,
        "decision_reason": commission.decision_reason,
    }
    decision_form = DecisionForm(request.POST if deciding else None, prefix="decision", initial=decision_initial)
    if posted and not deciding and notes_form.is_valid():
        _save_notes(options, notes_form, request)
        messages.success(request, "Appraisal notes saved.")
        typed = DecisionForm(request.POST, prefix="decision", initial=decision_initial)
        sent = any(typed.add_prefix(name) in request.POST for name in typed.fields)
        if not (may_decide and sent and typed.has_changed()):
            return redirect("commission_appraisal", council_slug=council_slug, commission_id=commission.pk)
        # A decision typed but not recorded: show the page again with it, unrecorded and unchecked.
        notes_form = AppraisalNotesForm(options=options, prefix="notes")
        decision_form = DecisionForm(
            prefix="decision",
            initial={name: typed[name].value() for name in ("decision", "decision_reason")},
        )
        messages.info(request, "Your decision is not recorded yet: check it and select “Record the decision”.")

    @transaction.atomic
    def decide() -> None:
        _save_notes(options, notes_form, request)
        services.commission_decide(
            commission=commission,
            actor=request.user,
            decision=decision_form.cleaned_data["decision"],
            reason=decision_form.cleaned_data["decision_reason"],
        )

    done = FormPost(request, decision_form).submit(
        decide,
        "Appraisal notes saved and decision recorded.",
        _commission_url(council_slug, commission),
        when=deciding and notes_form.is_valid(),
    )
    return done or render(
        request,
        "commissions/appraisal.html",
        {
            "commission": commission,
            "notes_form": notes_form,
            "decision_form": decision_form,
            "may_decide": may_decide,
            "has_errors": bool(notes_form.errors or decision_form.errors),
        },
    )


def _save_notes(options: list[Any], form: AppraisalNotesForm, request: CouncilRequest) -> None:
    """Save the notes the form posted (an option whose box was not sent keeps its notes)."""
    with transaction.atomic():
        for option in options:
            if form.add_prefix(option.kind) in request.POST:
                services.appraisal_option_update(
                    option=option, actor=request.user, notes=form.cleaned_data[option.kind]
                )


# --- The outcomes framework ---------------------------------------------------------------------


@council_permission("commission.view")
def outcomes(request: CouncilRequest, council_slug: str) -> HttpResponse:
    return render(
        request, "commissions/outcomes.html", {"outcomes": selectors.outcomes_framework(council=request.council)}
    )


@council_permission("outcomes.manage")
def outcome_create(request: CouncilRequest, council_slug: str) -> HttpResponse:
    form = OutcomeForm(request.POST or None)
    done = FormPost(request, form).save(
        services.outcome_create,
        lambda outcome: f"Outcome “{outcome.title}” added to the framework.",
        _outcomes_url(council_slug),
        council=request.council,
    )
    return done or render(request, "commissions/outcome_form.html", {"form": form, "title": "Add an outcome"})


@council_permission("outcomes.manage")
def outcome_edit(request: CouncilRequest, council_slug: str, outcome_id: int) -> HttpResponse:
    outcome = selectors.outcome_get(council=request.council, outcome_id=outcome_id)
    initial = {f: getattr(outcome, f) for f in ("title", "description", "position", "is_active")}
    form = OutcomeForm(request.POST or None, initial=initial)
    done = FormPost(request, form).submit(
        lambda: services.outcome_update(
            outcome=outcome,
            actor=request.user,
            **{name: value for name, value in form.cleaned_data.items() if not (name == "position" and value is None)},
        ),
        "Outcome saved.",
        _outcomes_url(council_slug),
    )
    return done or render(
        request, "commissions/outcome_form.html", {"form": form, "title": "Change the outcome", "outcome": outcome}
    )


@council_permission("outcomes.manage")
def indicator_create(request: CouncilRequest, council_slug: str, outcome_id: int) -> HttpResponse:
    outcome = selectors.outcome_get(council=request.council, outcome_id=outcome_id)
    form = IndicatorForm(request.POST or None)
    done = FormPost(request, form).save(
        services.indicator_create,
        lambda indicator: f"Indicator “{indicator.name}” added to “{outcome.title}”.",
        _outcomes_url(council_slug),
        outcome=outcome,
    )
    return done or render(
        request,
        "commissions/outcome_form.html",
        {"form": form, "title": "Add an indicator", "caption": outcome.title, "outcome": outcome},
    )
