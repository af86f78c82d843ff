"""The page of a tender's evaluation model: its criteria, their weights and the rationale.

``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse

from commissioning.http import CouncilRequest
from commissioning.views.council import council_permission
from commissioning.views.forms import FormPost
from social_value import selectors as social_value_selectors
from tenders import selectors, services
from tenders.forms.evaluation_model import CriterionForm, CriterionFormSet, RationaleForm
from tenders.models import Tender
from tenders.weights import plain_number

__all__ = ["urlpatterns"]


CRITERIA_PREFIX = "criteria"


def _criteria_initial(tender: Tender) -> list[dict[str, Any]]:
    rows = selectors.criteria_rows(tender=tender)
    named = selectors.criteria_framework_outcomes(tender=tender)
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
            "framework_outcomes": [str(o.pk) for o in named.get(row.criterion.pk, [])],
        }
        for row in rows
    ]


@council_permission("tender.change")
def evaluation_model_edit(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The criteria (a formset, parts pointing at an earlier criterion), their weights and the rationale.

    The weights are checked by the service (``tenders.weights.validate_weights``); its messages go
    in the error summary.
    """
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    removing: list[str] = []
    outcomes = {
        "outcome_choices": [
            (str(o.pk), f"{o.theme.title}: {o.title}")
            for o in social_value_selectors.framework_outcomes(council=request.council)
        ]
    }
    if request.method == "POST":
        formset = CriterionFormSet(
            request.POST, prefix=CRITERIA_PREFIX, initial=_criteria_initial(tender), form_kwargs=outcomes
        )
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

        def save() -> None:
            services.criteria_replace(
                tender=tender,
                actor=request.user,
                criteria=formset.specs(),
                rationale=rationale_form.cleaned_data["weighting_rationale"],
            )
            services.evaluation_settings_update(
                tender=tender,
                actor=request.user,
                blind_evaluation=rationale_form.cleaned_data["blind_evaluation"],
                price_formula=rationale_form.cleaned_data["price_formula"] or tender.price_formula,
                tie_break=rationale_form.cleaned_data["tie_break"] or tender.tie_break,
            )

        done = FormPost(request, rationale_form).submit(
            save,
            "Evaluation model saved.",
            reverse("tender_detail", kwargs={"council_slug": council_slug, "tender_id": tender.pk}),
            when=valid,
        )
        if done:
            return done
    else:
        formset = CriterionFormSet(prefix=CRITERIA_PREFIX, initial=_criteria_initial(tender), form_kwargs=outcomes)
        rationale_form = RationaleForm(
            initial={
                "weighting_rationale": tender.weighting_rationale,
                "blind_evaluation": tender.blind_evaluation,
                "price_formula": tender.price_formula,
                "tie_break": tender.tie_break,
            }
        )
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


urlpatterns: list[URLPattern] = [
    path("tenders/<int:tender_id>/evaluation-model/", evaluation_model_edit, name="evaluation_model_edit"),
]
