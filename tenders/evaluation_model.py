"""The evaluation model without the database: what a criterion to save is, and what is wrong with a model.

No Django imports, so it is fast and property-tested. The weights themselves are checked by
:mod:`tenders.weights`; this module adds the rules on scores, word limits and scoring descriptors.
The models (``tenders.models.Scale``, ``SCALE_MAXIMUM``, ``DESCRIPTOR_SCORES``) take their values
from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from tenders import weights

__all__ = [
    "Scale",
    "SCALE_MAXIMUM",
    "DESCRIPTOR_SCORES",
    "QUESTION_KINDS",
    "MAXIMUM_WORD_LIMIT",
    "CriterionSpec",
    "evaluation_model_problems",
]


class Scale(StrEnum):
    ZERO_TO_FIVE = "0-5"
    ZERO_TO_HUNDRED = "0-100"


SCALE_MAXIMUM = {Scale.ZERO_TO_FIVE: Decimal(5), Scale.ZERO_TO_HUNDRED: Decimal(100)}
# The scores a criterion's scoring descriptors describe, in order: every score of 0 to 5, and the
# same six steps on 0 to 100 (evaluators score between them).
DESCRIPTOR_SCORES = {Scale.ZERO_TO_FIVE: (0, 1, 2, 3, 4, 5), Scale.ZERO_TO_HUNDRED: (0, 20, 40, 60, 80, 100)}
QUESTION_KINDS = ("quality", "social_value")
MAXIMUM_WORD_LIMIT = 10_000

_KINDS = frozenset(kind.value for kind in weights.Kind)
_SCALES = frozenset(scale.value for scale in Scale)


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
    # What bidders answer (quality and social value criteria): see ``tenders.models.Criterion``.
    question: str = ""
    word_limit: int | None = None
    attachments_allowed: bool = True
    scoring_descriptors: tuple[str, ...] = ()
    # A social value criterion: ids of the social value framework's outcomes it asks about.
    framework_outcomes: tuple[int, ...] = ()


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
        if spec.kind not in _KINDS:
            raise ValueError(f"Not a kind of criterion: {spec.kind!r}")
        if spec.scale not in _SCALES:
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
