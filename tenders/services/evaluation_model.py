"""Writes of a tender's evaluation model: its criteria (a tree), their weights and the written rationale.
The rules a model must meet are in :mod:`tenders.evaluation_model` (pure).

Keyword-only, typed and atomic; each consequential change writes one audit event in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.audit import audit_record
from commissioning.models import User
from social_value.models import FrameworkOutcome
from tenders.audit_labels import TenderAction
from tenders.evaluation_model import QUESTION_KINDS, CriterionSpec, evaluation_model_problems
from tenders.models import Criterion, CriterionFrameworkOutcome, CriterionKind, Tender
from tenders.selectors import tender_policy

# CriterionSpec is what criteria_replace takes (defined with the rules in tenders.evaluation_model).
__all__ = [
    "CriterionSpec",
    "criteria_replace",
]


def _question_fields(spec: CriterionSpec) -> dict[str, Any]:
    """The question bidders answer, kept only where bidders answer one (quality and social value)."""
    if spec.kind not in QUESTION_KINDS:
        return {"question": "", "word_limit": None, "attachments_allowed": True, "scoring_descriptors": []}
    descriptors = [text.strip() for text in spec.scoring_descriptors]
    while descriptors and not descriptors[-1]:
        descriptors.pop()
    return {
        "question": spec.question.strip(),
        "word_limit": spec.word_limit,
        "attachments_allowed": spec.attachments_allowed,
        "scoring_descriptors": descriptors,
    }


def _framework_outcomes(tender: Tender, specs: Sequence[CriterionSpec]) -> dict[int, FrameworkOutcome]:
    """The council's framework outcomes the social value criteria name, in one query; naming
    another council's (or an unknown) outcome is refused."""
    wanted: set[int] = set()

    def walk(items: Sequence[CriterionSpec]) -> None:
        for spec in items:
            if spec.kind == CriterionKind.SOCIAL_VALUE:
                wanted.update(int(o) for o in spec.framework_outcomes)
            walk(spec.parts)

    walk(specs)
    if not wanted:
        return {}
    found = {o.pk: o for o in FrameworkOutcome.objects.filter(council=tender.council_id, pk__in=wanted)}
    if len(found) != len(wanted):
        raise ValidationError(
            {"__all__": ["Choose outcomes of the council's social value framework"]}, code="invalid_model"
        )
    return found


def _criteria_snapshot(
    criteria: Sequence[Criterion], named: dict[int, list[int]] | None = None
) -> list[dict[str, Any]]:
    titles = {c.pk: c.title for c in criteria}
    return [
        {
            "title": c.title,
            "kind": c.kind,
            "weight": c.weight,
            "part_of": titles.get(c.parent_id) if c.parent_id is not None else None,
            "scale": c.scale,
            "minimum_score": c.minimum_score,
            "guidance": c.guidance,
            "question": c.question,
            "word_limit": c.word_limit,
            "attachments_allowed": c.attachments_allowed,
            "scoring_descriptors": c.scoring_descriptors,
            **({"framework_outcomes": named[c.pk]} if named and named.get(c.pk) else {}),
        }
        for c in criteria
    ]


@transaction.atomic
def criteria_replace(
    *, tender: Tender, actor: User, criteria: Sequence[CriterionSpec], rationale: str
) -> list[Criterion]:
    """Replace the tender's evaluation model: its criteria (a tree) and the written rationale for the weighting.

    The weights are checked by ``tenders.weights.validate_weights`` against the council's minimum
    social value weight; every problem comes back at once in a ValidationError of messages for people.
    A social value criterion keeps the outcomes of the council's social value framework it names
    (issue 11: bidders commit to their measures); other kinds name none.
    """
    tender = Tender.objects.select_for_update(of=("self",)).get(pk=tender.pk)
    if tender.published_at is not None:
        raise ValidationError("The evaluation model is locked because the tender is published", code="locked")
    errors: dict[str, list[str]] = {}
    minimum = tender_policy(council=tender.council).minimum_social_value_weight
    problems = evaluation_model_problems(specs=criteria, minimum_social_value=minimum)
    if problems:
        errors["__all__"] = problems
    if not rationale.strip():
        errors["weighting_rationale"] = ["Explain why the criteria have these weights"]
    if errors:
        raise ValidationError(errors, code="invalid_model")
    outcomes = _framework_outcomes(tender, criteria)
    old = list(Criterion.objects.filter(tender=tender).order_by("position", "pk"))
    old_named: dict[int, list[int]] = {}
    for criterion_id, outcome_id in CriterionFrameworkOutcome.objects.filter(
        council=tender.council_id, criterion__tender=tender
    ).values_list("criterion_id", "outcome_id"):
        old_named.setdefault(criterion_id, []).append(outcome_id)
    before = _criteria_snapshot(old, old_named)
    before_rationale = tender.weighting_rationale
    Criterion.objects.filter(tender=tender).delete()
    created: list[Criterion] = []
    named: dict[int, list[int]] = {}
    links: list[CriterionFrameworkOutcome] = []
    position = 0

    def save(specs: Sequence[CriterionSpec], parent: Criterion | None) -> None:
        nonlocal position
        for spec in specs:
            position += 1
            criterion = Criterion.objects.create(
                council=tender.council,
                tender=tender,
                parent=parent,
                kind=spec.kind,
                title=spec.title.strip(),
                weight=spec.weight,
                guidance=spec.guidance.strip(),
                scale=spec.scale,
                minimum_score=spec.minimum_score,
                position=position,
                **_question_fields(spec),
            )
            created.append(criterion)
            if spec.kind == CriterionKind.SOCIAL_VALUE:
                chosen = sorted({int(o) for o in spec.framework_outcomes})
                named[criterion.pk] = chosen
                links.extend(
                    CriterionFrameworkOutcome(council=tender.council, criterion=criterion, outcome=outcomes[o])
                    for o in chosen
                )
            save(spec.parts, criterion)

    save(criteria, None)
    CriterionFrameworkOutcome.objects.bulk_create(links)
    tender.weighting_rationale = rationale.strip()
    tender.save(update_fields=["weighting_rationale", "updated_at"])
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.TENDER_EVALUATION_MODEL_REPLACED,
        target=tender,
        before={"criteria": before, "rationale": before_rationale},
        after={"criteria": _criteria_snapshot(created, named), "rationale": tender.weighting_rationale},
    )
    return created
