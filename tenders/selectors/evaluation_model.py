"""Reads of a tender's evaluation model: its criteria in tree order."""

from __future__ import annotations

from dataclasses import dataclass

from tenders.models import Criterion, Tender

__all__ = [
    "CriterionRow",
    "criteria_rows",
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
