"""Social value accounted for: committed against delivered, and a council's verified totals.

Pure arithmetic over rows the database has already summed (``social_value.selectors``): no Django
imports, property-tested in tests/social_value/test_accounting.py. The rules it keeps:

- **never add different units together**: a total is per measure *and* unit; a theme or outcome
  has a list of such totals, never one number;
- **only verified figures count as delivered** (returns the council accepted); figures reported
  but not yet accepted are shown apart, and the *verified share* (verified ÷ reported) is between
  0 and 1, or unknown when nothing was reported;
- **proxy £ only where a proxy exists**: a figure whose measure has no proxy value adds nothing to
  any £ total, and each £ total says the source and year of the proxies in it (figures valued with
  different sources or years are never summed into one amount).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

__all__ = [
    "AccountRow",
    "KPIProgress",
    "MeasureTotal",
    "OutcomeAccount",
    "PeriodFigure",
    "ProxyTotal",
    "ThemeAccount",
    "council_account",
    "kpi_progress",
    "proxy_totals",
    "verified_share",
]

ZERO = Decimal(0)
PENNY = Decimal("0.01")
OTHER_THEME = "Other measures"
OTHER_OUTCOME = "Measures the provider named"


def verified_share(verified: Decimal, reported: Decimal) -> Decimal | None:
    """The share of what was reported that the council verified: 0 to 1, None when nothing was."""
    if reported <= 0:
        return None
    share = verified / reported
    return max(ZERO, min(Decimal(1), share))


# --- Per agreement: committed against delivered, per KPI over its periods ---------------------------


@dataclass(frozen=True)
class PeriodFigure:
    """What one return said for one KPI: its period, quantity, and whether the council accepted it
    (``verified``) or it waits (``reported`` only)."""

    period: int
    quantity: Decimal
    verified: bool


@dataclass(frozen=True)
class KPIProgress:
    target: Decimal
    unit: str
    verified: Decimal  # accepted returns' quantities
    reported: Decimal  # accepted and waiting (submitted, queried)
    cumulative: list[tuple[int, Decimal]]  # (period, verified so far), in period order
    share: Decimal | None  # verified ÷ reported

    @property
    def awaiting(self) -> Decimal:
        return self.reported - self.verified

    @property
    def of_target(self) -> Decimal | None:
        """Verified as a share of the target (may pass 1: delivered beyond the commitment)."""
        return self.verified / self.target if self.target > 0 else None


def kpi_progress(*, target: Decimal, unit: str, figures: Iterable[PeriodFigure]) -> KPIProgress:
    """One KPI's progress from its figures (one per reported return, any order)."""
    ordered = sorted(figures, key=lambda f: f.period)
    verified = sum((f.quantity for f in ordered if f.verified), ZERO)
    reported = sum((f.quantity for f in ordered), ZERO)
    running = ZERO
    cumulative: list[tuple[int, Decimal]] = []
    for figure in ordered:
        if figure.verified:
            running += figure.quantity
        cumulative.append((figure.period, running))
    return KPIProgress(
        target=target,
        unit=unit,
        verified=verified,
        reported=reported,
        cumulative=cumulative,
        share=verified_share(verified, reported),
    )


# --- Per council: by theme and outcome, per year -------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    """Verified quantity of one measure in one unit in one year, summed by the database, with the
    proxy the measure version had (None: none)."""

    theme: str
    outcome: str
    measure: str
    unit: str
    year: int
    quantity: Decimal
    proxy_value: Decimal | None = None
    proxy_source: str = ""
    proxy_year: int | None = None


@dataclass(frozen=True)
class MeasureTotal:
    measure: str
    unit: str
    quantity: Decimal
    proxy_pounds: Decimal | None  # None: no proxy for (some of) it, so no £
    proxy_label: str  # "Source, 2024" of the proxy, "" without one


@dataclass
class OutcomeAccount:
    title: str
    totals: list[MeasureTotal] = field(default_factory=list)


@dataclass
class ThemeAccount:
    title: str
    outcomes: list[OutcomeAccount] = field(default_factory=list)


def _proxy_label(source: str, year: int | None) -> str:
    source = source.strip() or "Source not given"
    return f"{source}, {year}" if year else source


def council_account(rows: Iterable[AccountRow], *, year: int | None = None) -> list[ThemeAccount]:
    """Themes → outcomes → one total per measure and unit (of ``year``, or of every year), in the
    order the rows first name them, with the measures providers named themselves (not in the
    framework) last. A measure reported in two units has two totals."""
    themes: dict[str, ThemeAccount] = {}
    outcomes: dict[tuple[str, str], OutcomeAccount] = {}
    quantities: dict[tuple[str, str, str, str], Decimal] = {}
    pounds: dict[tuple[str, str, str, str], Decimal | None] = {}
    labels: dict[tuple[str, str, str, str], set[str]] = {}
    order: list[tuple[str, str, str, str]] = []
    for row in rows:
        if year is not None and row.year != year:
            continue
        theme = themes.setdefault(row.theme, ThemeAccount(row.theme))
        if (row.theme, row.outcome) not in outcomes:
            outcomes[(row.theme, row.outcome)] = OutcomeAccount(row.outcome)
            theme.outcomes.append(outcomes[(row.theme, row.outcome)])
        key = (row.theme, row.outcome, row.measure, row.unit)
        if key not in quantities:
            order.append(key)
            quantities[key] = ZERO
            pounds[key] = ZERO
            labels[key] = set()
        quantities[key] += row.quantity
        if row.proxy_value is None:
            pounds[key] = None  # part of it has no proxy: no £ for the total rather than a partial one
        else:
            labels[key].add(_proxy_label(row.proxy_source, row.proxy_year))
            if pounds[key] is not None:
                pounds[key] = pounds[key] + row.quantity * row.proxy_value  # type: ignore[operator]
    for key in order:
        theme_title, outcome_title, measure, unit = key
        # Pounds of one total are summed only when one source and year valued them all.
        amount = pounds[key] if len(labels[key]) == 1 else None
        outcomes[(theme_title, outcome_title)].totals.append(
            MeasureTotal(
                measure=measure,
                unit=unit,
                quantity=quantities[key],
                proxy_pounds=amount.quantize(PENNY) if amount is not None else None,
                proxy_label=next(iter(labels[key])) if amount is not None else "",
            )
        )
    # Sorted on a flag only (a stable sort): the framework's themes keep their order.
    return sorted(themes.values(), key=lambda theme: theme.title == OTHER_THEME)


@dataclass(frozen=True)
class ProxyTotal:
    """£ from verified figures valued by proxies of one source and year."""

    label: str
    source: str
    year: int | None
    pounds: Decimal
    measures: int


def proxy_totals(rows: Iterable[AccountRow], *, year: int | None = None) -> list[ProxyTotal]:
    """£ totals per proxy source and year, only from figures whose measure has a proxy; largest first."""
    found: dict[tuple[str, int | None], tuple[Decimal, set[tuple[str, str]]]] = {}
    for row in rows:
        if row.proxy_value is None or (year is not None and row.year != year):
            continue
        key = (row.proxy_source.strip(), row.proxy_year)
        amount, measures = found.get(key, (ZERO, set()))
        measures.add((row.measure, row.unit))
        found[key] = (amount + row.quantity * row.proxy_value, measures)
    totals = [
        ProxyTotal(
            label=_proxy_label(source, proxy_year),
            source=source,
            year=proxy_year,
            pounds=amount.quantize(PENNY),
            measures=len(names),
        )
        for (source, proxy_year), (amount, names) in found.items()
    ]
    return sorted(totals, key=lambda t: (-t.pounds, t.label))


def years_of(rows: Iterable[AccountRow]) -> list[int]:
    """The years the rows cover, newest first."""
    return sorted({row.year for row in rows}, reverse=True)
