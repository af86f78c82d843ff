"""The evaluation model's weights: a tree of criteria, checked before it is approved. No Django here.

The rule for weights is **absolute**: every criterion's weight is its share of the whole score, in
percent, at whatever depth it sits. So the top-level criteria add up to exactly 100%, and the
parts of a criterion add up to exactly that criterion's weight ("Quality 60%" may hold "Method
35%" and "Staffing 25%"). Every number a bidder or an auditor reads is then a share of the total,
with no multiplying down the tree.

What :func:`validate_weights` checks:

- at least one criterion, each with a name;
- no negative weight, and at most two decimal places (0.01%);
- the top level adds up to exactly 100%, and the parts of each criterion to its weight;
- a part is of the same kind as the criterion it belongs to (a quality question cannot sit under
  social value);
- at most one price criterion and at most one citizen panel criterion, both at the top level;
  the citizen panel is optional and may weigh 0% (its result is then published as advice);
- social value in total is at least the council's minimum weight (10% unless the council's admins
  changed it).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class Kind(StrEnum):
    QUALITY = "quality"
    PRICE = "price"
    SOCIAL_VALUE = "social_value"
    CITIZEN_PANEL = "citizen_panel"


KIND_LABELS = {
    Kind.QUALITY: "quality",
    Kind.PRICE: "price",
    Kind.SOCIAL_VALUE: "social value",
    Kind.CITIZEN_PANEL: "citizen panel",
}


@dataclass(frozen=True)
class Criterion:
    """One criterion of the evaluation model; its ``weight`` is a percentage of the whole score."""

    name: str
    kind: Kind
    weight: Decimal
    children: tuple[Criterion, ...] = field(default_factory=tuple)


def plain_number(value: Decimal) -> str:
    """50.00 -> "50", 12.50 -> "12.5": as people write it (``Decimal.normalize`` alone gives "5E+1")."""
    return f"{value.normalize():f}"


def percent(value: Decimal) -> str:
    """12.5 -> "12.5%", 10.00 -> "10%"."""
    return f"{plain_number(value)}%"


def walk(criteria: Sequence[Criterion]) -> Iterator[tuple[Criterion, Criterion | None]]:
    """Every criterion with its parent (None at the top), depth first."""
    stack: list[tuple[Criterion, Criterion | None]] = [(c, None) for c in reversed(criteria)]
    while stack:
        criterion, parent = stack.pop()
        yield criterion, parent
        stack.extend((child, criterion) for child in reversed(criterion.children))


def total(criteria: Sequence[Criterion], kind: Kind) -> Decimal:
    """The weight of a kind across the top level (parts are already inside their parent's weight)."""
    return sum((c.weight for c in criteria if c.kind == kind), Decimal(0))


def validate_weights(tree: Sequence[Criterion], minimum_social_value: Decimal) -> list[str]:
    """What is wrong with the evaluation model's weights, as messages for people; empty when valid."""
    if not tree:
        return ["Add at least one criterion"]
    messages: list[str] = []
    for criterion, parent in walk(tree):
        name = f"“{criterion.name}”" if criterion.name.strip() else "A criterion"
        if not criterion.name.strip():
            messages.append("Give every criterion a name")
        if criterion.weight < 0:
            messages.append(f"{name} has a negative weight: weights must be 0% or more")
        if criterion.weight != criterion.weight.quantize(CENT, rounding=ROUND_DOWN):
            messages.append(f"{name}: give the weight to at most 2 decimal places, like 12.5%")
        if parent is not None and criterion.kind != parent.kind:
            messages.append(
                f"{name} is {KIND_LABELS[criterion.kind]}, but it is part of “{parent.name}”, which is "
                f"{KIND_LABELS[parent.kind]}: a part must be of the same kind"
            )
        if parent is not None and criterion.kind in (Kind.PRICE, Kind.CITIZEN_PANEL):
            messages.append(f"{name}: {KIND_LABELS[criterion.kind]} must be a top-level criterion")
        if criterion.children:
            parts = sum((c.weight for c in criterion.children), Decimal(0))
            if parts != criterion.weight:
                messages.append(
                    f"The parts of {name} add up to {percent(parts)}, but {name} has {percent(criterion.weight)}: "
                    "they must add up to the same"
                )
    top = sum((c.weight for c in tree), Decimal(0))
    if top != HUNDRED:
        messages.append(f"The weights add up to {percent(top)}: they must add up to exactly 100%")
    for kind in (Kind.PRICE, Kind.CITIZEN_PANEL):
        count = sum(1 for c, _ in walk(tree) if c.kind == kind)
        if count > 1:
            messages.append(f"There are {count} {KIND_LABELS[kind]} criteria: have at most one")
    social_value = total(tree, Kind.SOCIAL_VALUE)
    if social_value < minimum_social_value:
        messages.append(
            f"Social value has {percent(social_value)} of the weight: the council's minimum is "
            f"{percent(minimum_social_value)}"
        )
    return messages
