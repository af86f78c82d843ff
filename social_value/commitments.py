"""A bid's social value commitments as a table: each row, totals per measure and indicative proxy values. No Django.

The rules (issue 11, "Commitments tied to measures"):

- A commitment either picked a measure of the council's framework (a measure version: its name,
  unit, theme and outcome come from the framework) or named **another measure** in the bidder's
  own words, which evaluators see flagged. A commitment saved before measures could be picked
  (only measure and unit words) is another measure.
- **Totals** add up the quantities of the commitments to the same measure in the same unit, and
  never anything else: different units are never added together, and another measure is matched
  by its words (ignoring case and spacing) and unit.
- The **proxy value** of a commitment is its quantity times the measure version's proxy value in £
  per unit, where the council gave one, with its source and year. It is indicative, never the
  score. Proxy values are all in pounds, so they may be added up; nothing else is.

The arithmetic is exact (``Decimal`` with ample precision); pages round to pence when they show it.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "Commitment",
    "CommitmentTable",
    "MeasureFacts",
    "MeasureTotal",
    "commitment_from",
    "commitment_table",
    "measure_version_id",
    "proxy_value",
    "quantity_of",
    "totals",
]

# Quantities below 10^12 with 2 decimals times proxies below 10^10 with 2 decimals, summed over at
# most a few thousand rows: 40 significant digits keep every sum exact.
_CONTEXT = decimal.Context(prec=40)


@dataclass(frozen=True)
class MeasureFacts:
    """What a framework measure version says, as a commitment needs it."""

    name: str
    unit: str
    theme: str = ""
    outcome: str = ""
    proxy_value: Decimal | None = None
    proxy_source: str = ""
    proxy_year: int | None = None


@dataclass(frozen=True)
class Commitment:
    """One commitment as evaluators read it. ``local`` is None when the bid did not say (older bids)."""

    measure: str
    unit: str
    quantity: Decimal | None
    quantity_text: str
    by: str
    local: bool | None
    measure_version: int | None = None
    theme: str = ""
    outcome: str = ""
    proxy_value: Decimal | None = None
    proxy_source: str = ""
    proxy_year: int | None = None

    @property
    def other(self) -> bool:
        """Another measure: not one of the council's framework (flagged to evaluators)."""
        return self.measure_version is None

    @property
    def by_date(self) -> date | None:
        try:
            return date.fromisoformat(self.by) if self.by else None
        except ValueError:
            return None

    @property
    def proxy(self) -> Decimal | None:
        return proxy_value(self)


@dataclass(frozen=True)
class MeasureTotal:
    """The total committed to one measure in one unit, and its indicative proxy value if it has one."""

    measure: str
    unit: str
    quantity: Decimal
    commitments: int
    other: bool
    measure_version: int | None = None
    proxy_value: Decimal | None = None
    proxy_source: str = ""
    proxy_year: int | None = None
    proxy_total: Decimal | None = None


@dataclass(frozen=True)
class CommitmentTable:
    rows: tuple[Commitment, ...]
    totals: tuple[MeasureTotal, ...]
    # The sum of the proxy values (all in £), or None when no commitment has one.
    proxy_total: Decimal | None
    # "source (year)" of each proxy value used, once each, in order.
    proxy_sources: tuple[str, ...]

    @property
    def any_other(self) -> bool:
        return any(row.other for row in self.rows)

    @property
    def has_totals(self) -> bool:
        """Whether the totals say more than the rows (some measure has more than one commitment)."""
        return any(total.commitments > 1 for total in self.totals)


def _text(value: Any) -> str:
    return str(value if value is not None else "").strip()


def quantity_of(value: Any) -> Decimal | None:
    """A committed quantity as a number ("1,200" reads as 1200), or None when it is not a finite number of 0 or more."""
    text = _text(value).replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0:
        return None
    return number


def measure_version_id(value: Any) -> int | None:
    """The measure version id a commitment names, or None (none, or not an id)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    text = _text(value)
    return int(text) if text.isdecimal() and int(text) > 0 else None


def _local(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return _text(value).lower() in {"true", "yes", "1", "on"}


def commitment_from(data: Mapping[str, Any], facts: Mapping[int, MeasureFacts]) -> Commitment:
    """A stored commitment (a dict of the sealed bid) with what the framework says of its measure.

    A measure version not in ``facts`` (another council's, or unknown) makes it another measure, in
    the bidder's words; so does an older commitment with only measure and unit words.
    """
    version_id = measure_version_id(data.get("measure_version"))
    known = facts.get(version_id) if version_id is not None else None
    quantity_text = _text(data.get("quantity"))
    quantity, by, local = quantity_of(quantity_text), _text(data.get("by")), _local(data.get("local"))
    if known is None:
        return Commitment(
            measure=_text(data.get("measure")),
            unit=_text(data.get("unit")),
            quantity=quantity,
            quantity_text=quantity_text,
            by=by,
            local=local,
        )
    return Commitment(
        measure=known.name,
        unit=known.unit,
        quantity=quantity,
        quantity_text=quantity_text,
        by=by,
        local=local,
        measure_version=version_id,
        theme=known.theme,
        outcome=known.outcome,
        proxy_value=known.proxy_value,
        proxy_source=known.proxy_source,
        proxy_year=known.proxy_year,
    )


def proxy_value(commitment: Commitment) -> Decimal | None:
    """Quantity × the measure's proxy £ per unit, exact; None without a proxy or a numeric quantity."""
    if commitment.proxy_value is None or commitment.quantity is None:
        return None
    return _CONTEXT.multiply(commitment.quantity, commitment.proxy_value)


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _key(commitment: Commitment) -> tuple[str, int, str, str]:
    """What makes two commitments "the same measure in the same unit"."""
    if commitment.measure_version is not None:
        return ("framework", commitment.measure_version, "", "")
    return ("other", 0, _words(commitment.measure), _words(commitment.unit))


def totals(commitments: Iterable[Commitment]) -> list[MeasureTotal]:
    """The total quantity per measure and unit (never adding different units), with its proxy value.

    Commitments whose quantity is not a number add nothing to a total (they still count as
    commitments). The totals come sorted by measure, then unit, whatever the order given.
    """
    groups: dict[tuple[str, int, str, str], list[Commitment]] = {}
    for commitment in commitments:
        groups.setdefault(_key(commitment), []).append(commitment)
    found = []
    for key, group in groups.items():
        # The words of the first by measure and unit, so the order given does not change them.
        first = min(group, key=lambda c: (c.measure, c.unit))
        quantity = _CONTEXT.create_decimal(0)
        for c in group:
            if c.quantity is not None:
                quantity = _CONTEXT.add(quantity, c.quantity)
        proxies = [p for p in (proxy_value(c) for c in group) if p is not None]
        proxy_total = None
        if proxies:
            proxy_total = _CONTEXT.create_decimal(0)
            for p in proxies:
                proxy_total = _CONTEXT.add(proxy_total, p)
        found.append(
            MeasureTotal(
                measure=first.measure,
                unit=first.unit,
                quantity=quantity,
                commitments=len(group),
                other=key[0] == "other",
                measure_version=first.measure_version,
                proxy_value=first.proxy_value,
                proxy_source=first.proxy_source,
                proxy_year=first.proxy_year,
                proxy_total=proxy_total,
            )
        )
    return sorted(found, key=lambda t: (_words(t.measure), _words(t.unit), t.measure_version or 0, t.measure, t.unit))


def commitment_table(
    commitments: Iterable[Mapping[str, Any]], facts: Mapping[int, MeasureFacts] | None = None
) -> CommitmentTable:
    """A bid's stored commitments as evaluators read them: the rows in the bid's order, the totals
    per measure and unit, and the sum of the indicative proxy values with their sources."""
    rows = tuple(commitment_from(c, facts or {}) for c in commitments if isinstance(c, Mapping))
    measure_totals = tuple(totals(rows))
    proxies = [t.proxy_total for t in measure_totals if t.proxy_total is not None]
    proxy_total = None
    if proxies:
        proxy_total = _CONTEXT.create_decimal(0)
        for p in proxies:
            proxy_total = _CONTEXT.add(proxy_total, p)
    sources: list[str] = []
    for row in rows:
        if row.proxy_value is not None and row.proxy_source:
            source = f"{row.proxy_source} ({row.proxy_year})" if row.proxy_year else row.proxy_source
            if source not in sources:
                sources.append(source)
    return CommitmentTable(rows=rows, totals=measure_totals, proxy_total=proxy_total, proxy_sources=tuple(sources))
