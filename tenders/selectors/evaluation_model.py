"""Reads of a tender's evaluation model: its criteria in tree order."""

from __future__ import annotations

from dataclasses import dataclass

from social_value.models import FrameworkOutcome
from tenders.models import Criterion, CriterionFrameworkOutcome, Tender

__all__ = [
    "CriterionRow",
    "criteria_framework_outcomes",
    "criteria_rows",
    "framework_outcome_ref",
    "tender_asked_outcome_ids",
]


@dataclass(frozen=True)
class CriterionRow:
    """A criterion as the evaluation model table shows it: with its depth in the tree."""

    criterion: Criterion
    depth: int


def criteria_rows(*, tender: Tender) -> list[CriterionRow]:
    """The tender's criteria in tree order (each followed by its parts)."""
    criteria = list(tender.criteria.all())
    children: dict[int | None, list[Criterion]] = {}
    for criterion in criteria:
        children.setdefault(criterion.parent_id, []).append(criterion)
    rows: list[CriterionRow] = []

    def visit(parent_id: int | None, depth: int) -> None:
        for criterion in sorted(children.get(parent_id, []), key=lambda c: (c.position, c.pk)):
            rows.append(CriterionRow(criterion, depth))
            visit(criterion.pk, depth + 1)

    visit(None, 0)
    return rows


def criteria_framework_outcomes(*, tender: Tender) -> dict[int, list[FrameworkOutcome]]:
    """The social value framework outcomes each criterion of the tender names (by criterion id),
    with their themes, in the framework's order. One query."""
    links = (
        CriterionFrameworkOutcome.objects.filter(council=tender.council_id, criterion__tender=tender)
        .select_related("outcome__theme")
        .order_by("outcome__theme__position", "outcome__theme__title", "outcome__position", "outcome__title")
    )
    found: dict[int, list[FrameworkOutcome]] = {}
    for link in links:
        found.setdefault(link.criterion_id, []).append(link.outcome)
    return found


def framework_outcome_ref(outcome: FrameworkOutcome) -> dict[str, object]:
    """A named outcome as snapshots, notices and the API give it: its id, theme and title."""
    return {"id": outcome.pk, "theme": outcome.theme.title, "title": outcome.title}


def tender_asked_outcome_ids(*, tender: Tender) -> set[int]:
    """Ids of the social value framework outcomes the tender's criteria ask about. One query."""
    return set(
        CriterionFrameworkOutcome.objects.filter(council=tender.council_id, criterion__tender=tender).values_list(
            "outcome_id", flat=True
        )
    )
