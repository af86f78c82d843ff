"""Writes of a tender's evaluation model: its criteria (a tree), their weights and the written rationale.

Keyword-only, typed and atomic; each consequential change writes one audit event in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.audit import audit_record
from commissioning.models import User
from tenders import weights
from tenders.models import DESCRIPTOR_SCORES, QUESTION_KINDS, SCALE_MAXIMUM, Criterion, CriterionKind, Scale, Tender
from tenders.selectors import tender_policy

__all__ = [
    "CriterionSpec",
    "evaluation_model_problems",
    "criteria_replace",
]


# --- The evaluation model -------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of an evaluation model to save, with its parts. ``weight`` is a share of the whole score."""

    title: str
    kind: str
    weight: Decimal
    guidance: str = ""
    scale: str = Scale.ZERO_TO_FIVE
    minimum_score: Decimal | None = None
    parts: tuple[CriterionSpec, ...] = ()
    # What bidders answer (quality and social value criteria): see ``Criterion``.
    question: str = ""
    word_limit: int | None = None
    attachments_allowed: bool = True
    scoring_descriptors: tuple[str, ...] = ()


def _weights_tree(specs: Sequence[CriterionSpec]) -> list[weights.Criterion]:
    return [
        weights.Criterion(
            name=spec.title.strip(),
            kind=weights.Kind(spec.kind),
            weight=spec.weight,
            children=tuple(_weights_tree(spec.parts)),
        )
        for spec in specs
    ]


def _walk_specs(specs: Sequence[CriterionSpec]) -> list[CriterionSpec]:
    found: list[CriterionSpec] = []
    for spec in specs:
        found.append(spec)
        found.extend(_walk_specs(spec.parts))
    return found


def evaluation_model_problems(*, specs: Sequence[CriterionSpec], minimum_social_value: Decimal) -> list[str]:
    """What is wrong with an evaluation model, as messages for people: weights first, then scores."""
    for spec in _walk_specs(specs):
        if spec.kind not in CriterionKind.values:
            raise ValueError(f"Not a kind of criterion: {spec.kind!r}")
        if spec.scale not in Scale.values:
            raise ValueError(f"Not a scale: {spec.scale!r}")
    messages = weights.validate_weights(_weights_tree(specs), minimum_social_value)
    for spec in _walk_specs(specs):
        top = SCALE_MAXIMUM[Scale(spec.scale)]
        if spec.minimum_score is not None and not (0 <= spec.minimum_score <= top):
            messages.append(
                f"“{spec.title.strip()}”: the minimum pass score must be between 0 and {top}, the top of its scale"
            )
        if spec.word_limit is not None and not (1 <= spec.word_limit <= MAXIMUM_WORD_LIMIT):
            messages.append(f"“{spec.title.strip()}”: the word limit must be between 1 and {MAXIMUM_WORD_LIMIT:,}")
        if len(spec.scoring_descriptors) > len(DESCRIPTOR_SCORES[Scale(spec.scale)]):
            messages.append(f"“{spec.title.strip()}”: give at most one descriptor for each score of its scale")
    return messages


MAXIMUM_WORD_LIMIT = 10_000


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


def _criteria_snapshot(criteria: Sequence[Criterion]) -> list[dict[str, Any]]:
    titles = {c.pk: c.title for c in criteria}
    return [
        {
            "title": c.title,
            "kind": c.kind,
            "weight": c.weight,
            "part_of": titles.get(c.parent_id),
            "scale": c.scale,
            "minimum_score": c.minimum_score,
            "guidance": c.guidance,
            "question": c.question,
            "word_limit": c.word_limit,
            "attachments_allowed": c.attachments_allowed,
            "scoring_descriptors": c.scoring_descriptors,
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
    before = _criteria_snapshot(list(Criterion.objects.filter(tender=tender).order_by("position", "pk")))
    before_rationale = tender.weighting_rationale
    Criterion.objects.filter(tender=tender).delete()
    created: list[Criterion] = []
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
            save(spec.parts, criterion)

    save(criteria, None)
    tender.weighting_rationale = rationale.strip()
    tender.save(update_fields=["weighting_rationale", "updated_at"])
    audit_record(
        council=tender.council,
        actor=actor,
        action="tender.evaluation_model_replaced",
        target=tender,
        before={"criteria": before, "rationale": before_rationale},
        after={"criteria": _criteria_snapshot(created), "rationale": tender.weighting_rationale},
    )
    return created
