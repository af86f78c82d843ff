"""Reads of the social value framework, always given the council, in a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404

from commissioning.models import Council, Outcome
from social_value import kept, market, market_sources
from social_value.commitments import MeasureFacts
from social_value.market_sources import BidFigures
from social_value.models import (
    Agreement,
    FrameworkOutcome,
    FrameworkVersion,
    Measure,
    MeasureVersion,
    SocialValueFramework,
    SocialValueKPI,
    Theme,
)

T = TypeVar("T")

__all__ = [
    "MAX_LISTED",
    "MARKET_YEARS_MAX",
    "MarketFigures",
    "MarketHeadline",
    "made_from_market_awarded",
    "market_bid_figures",
    "market_figures",
    "market_headline",
    "market_years",
    "agreement_for",
    "kpis_by_source",
    "FrameworkTree",
    "framework_export_rows",
    "framework_outcomes",
    "framework_tree",
    "framework_versions",
    "measure_facts",
    "measure_get",
    "measures_with_details",
    "MeasureGroup",
    "PublishedMeasures",
    "published_measures",
]

# The framework page lists at most this many measures (the CSV export has them all).
MAX_LISTED = 500


def measures_with_details(*, council: Council) -> QuerySet[Measure]:
    """The council's measures in order, with their outcome, theme and contributions (two queries)."""
    return (
        Measure.objects.filter(council=council)
        .select_related("outcome__theme")
        .prefetch_related(
            Prefetch("contributes_to", queryset=Outcome.objects.filter(council=council).order_by("position", "title"))
        )
        .order_by(
            "outcome__theme__position",
            "outcome__theme__title",
            "outcome__position",
            "outcome__title",
            "position",
            "code",
        )
    )


@dataclass
class OutcomeBranch:
    outcome: FrameworkOutcome
    measures: list[Measure] = field(default_factory=list)


@dataclass
class ThemeBranch:
    theme: Theme
    outcomes: list[OutcomeBranch] = field(default_factory=list)


@dataclass
class FrameworkTree:
    framework: SocialValueFramework | None
    themes: list[ThemeBranch]
    latest_version: FrameworkVersion | None
    measures_listed: int
    more_measures: bool
    retired: int

    def __iter__(self) -> Iterator[ThemeBranch]:
        return iter(self.themes)


def framework_tree(*, council: Council) -> FrameworkTree:
    """Themes → outcomes → measures (at most :data:`MAX_LISTED`), the latest published version:
    six queries whatever the framework's size."""
    framework = SocialValueFramework.objects.filter(council=council).first()
    themes = {t.pk: ThemeBranch(t) for t in Theme.objects.filter(council=council).order_by("position", "title")}
    outcomes: dict[int, OutcomeBranch] = {}
    for outcome in FrameworkOutcome.objects.filter(council=council).order_by("position", "title"):
        branch = outcomes[outcome.pk] = OutcomeBranch(outcome)
        if outcome.theme_id in themes:
            themes[outcome.theme_id].outcomes.append(branch)
    measures = list(measures_with_details(council=council)[: MAX_LISTED + 1])
    for measure in measures[:MAX_LISTED]:
        outcomes[measure.outcome_id].measures.append(measure)
    latest = FrameworkVersion.objects.filter(council=council).select_related("published_by").order_by("-number").first()
    return FrameworkTree(
        framework=framework,
        themes=list(themes.values()),
        latest_version=latest,
        measures_listed=min(len(measures), MAX_LISTED),
        more_measures=len(measures) > MAX_LISTED,
        retired=sum(1 for m in measures[:MAX_LISTED] if m.is_retired),
    )


def framework_outcomes(*, council: Council) -> QuerySet[FrameworkOutcome]:
    """The framework's outcomes with their themes, for choosing where a measure sits."""
    return (
        FrameworkOutcome.objects.filter(council=council)
        .select_related("theme")
        .order_by("theme__position", "theme__title", "position", "title")
    )


def framework_versions(*, council: Council) -> QuerySet[FrameworkVersion]:
    return FrameworkVersion.objects.filter(council=council).select_related("published_by").order_by("-number")


def measure_get(*, council: Council, measure_id: int) -> Measure:
    measure = measures_with_details(council=council).filter(pk=measure_id).first()
    if measure is None:
        raise Http404("No such measure")
    return measure


def framework_export_rows(*, council: Council) -> Iterator[list[object]]:
    """Every measure as a CSV row, in the columns of ``social_value.framework_csv.COLUMNS``."""
    for m in measures_with_details(council=council).iterator(chunk_size=500):
        yield [
            m.outcome.theme.title,
            m.outcome.title,
            m.code,
            m.name,
            m.unit,
            m.description,
            m.evidence,
            "" if m.proxy_value is None else m.proxy_value,
            m.proxy_source,
            "" if m.proxy_year is None else m.proxy_year,
            "; ".join(o.title for o in m.contributes_to.all()),
            "yes" if m.is_retired else "",
        ]


def agreement_for(*, council: Council | int, kind: str, source_id: int) -> Agreement | None:
    """The ledger's agreement for a contract or grant award, or None before it was recorded."""
    return Agreement.objects.filter(council=council, kind=kind, source_id=source_id).select_related("provider").first()


def kpis_by_source(*, council: Council | int, kind: str, source_ids: list[int]) -> dict[int, list[SocialValueKPI]]:
    """The KPIs of several contracts (or grant awards) by their own id, in one query; an id without KPIs maps to []."""
    found: dict[int, list[SocialValueKPI]] = {source_id: [] for source_id in source_ids}
    if not source_ids:
        return found
    kpis = (
        SocialValueKPI.objects.filter(council=council, agreement__kind=kind, agreement__source_id__in=source_ids)
        .select_related("agreement", "measure_version")
        .order_by("agreement_id", "position", "pk")
    )
    for kpi in kpis:
        found[kpi.agreement.source_id].append(kpi)
    return found


# --- Market shaping (issue 11): the council's awarded value by provider type, band and provider ---

# The dashboard shows at most this many years at once, and of each year at most so many bands
# (a council has a handful; the bands of several policy versions add up over the years).
MARKET_YEARS_MAX = 10
MARKET_BANDS_MAX = 1000


@dataclass(frozen=True)
class YearTypes:
    year: int
    totals: market.TypeTotals

    @property
    def shares(self) -> market.TypeShares:
        return market.type_shares(self.totals)

    @property
    def signals(self) -> market.ExtractiveSignals:
        return market.extractive_signals(self.totals)


@dataclass(frozen=True)
class YearBand:
    year: int | None  # None: the whole period
    band: market.BandTotals
    lower: Decimal | None


@dataclass(frozen=True)
class TopProvider:
    name: str
    value: Decimal
    share: Fraction


@dataclass(frozen=True)
class MarketFigures:
    """Everything the market dashboard and its API show for one council and a range of calendar years."""

    first_year: int
    last_year: int
    by_year: list[YearTypes]
    period: market.TypeTotals
    bands: list[YearBand]
    period_bands: list[YearBand]
    concentration_by_year: dict[int, market.Concentration]
    concentration: market.Concentration
    top_providers: list[TopProvider]
    bid_figures: list[BidFigures]

    @property
    def shares(self) -> market.TypeShares:
        return market.type_shares(self.period)

    @property
    def signals(self) -> market.ExtractiveSignals:
        return market.extractive_signals(self.period)

    @property
    def reserved_local_share(self) -> Fraction | None:
        return market.reserved_local_share(b.band for b in self.period_bands)

    def reserved_local_share_in(self, year: int) -> Fraction | None:
        return market.reserved_local_share(b.band for b in self.bands if b.year == year)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def concentration_rows(self) -> list[tuple[int, market.Concentration]]:
        """Each year with awards and its concentration, in order."""
        return sorted(self.concentration_by_year.items())


def _decimal(value: Any) -> Decimal:
    """A sum as the database returns it (Decimal on PostgreSQL, maybe float on SQLite), as a Decimal."""
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _awarded(council: Council, first_year: int, last_year: int) -> QuerySet[Agreement]:
    return Agreement.objects.filter(
        council=council, awarded_on__gte=date(first_year, 1, 1), awarded_on__lte=date(last_year, 12, 31)
    ).order_by()


_TYPE_SUMS = {
    "local": Q(provider_local=True),
    "vcse": Q(provider_vcse=True),
    "sme": Q(provider_sme=True),
    "asset_locked": Q(provider_asset_locked=True),
    "private_equity": Q(provider_private_equity=True),
}


def _added(a: market.TypeTotals, b: market.TypeTotals) -> market.TypeTotals:
    return market.TypeTotals(
        value=a.value + b.value,
        agreements=a.agreements + b.agreements,
        **{name: getattr(a, name) + getattr(b, name) for name in _TYPE_SUMS},
    )


def _type_totals(row: dict[str, Any]) -> market.TypeTotals:
    return market.TypeTotals(
        value=_decimal(row["awarded"]),
        agreements=row["agreements"],
        **{name: _decimal(row[name]) for name in _TYPE_SUMS},
    )


def _concentration_rows(council: Council, first_year: int, last_year: int) -> tuple[dict[int, Any], Any]:
    """Σ value, Σ value², the top five's sum and the number of providers, per year and for the whole
    period, from the providers' totals: one query, whatever the number of agreements or providers."""
    per_year = (
        _awarded(council, first_year, last_year)
        .annotate(year=ExtractYear("awarded_on"))
        .values("year", "provider")
        .annotate(v=Sum("value"))
        .values("year", "v")
    )
    whole = _awarded(council, first_year, last_year).values("provider").annotate(v=Sum("value")).values("v")
    year_sql, year_params = per_year.query.sql_with_params()
    whole_sql, whole_params = whole.query.sql_with_params()
    sums = (
        "COUNT(*), SUM(v), SUM(v * v), "
        f"SUM(CASE WHEN rn <= {market.TOP} THEN v ELSE 0 END)"  # noqa: S608 (a constant, not input)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT year, {sums} FROM (SELECT year, v, ROW_NUMBER() OVER (PARTITION BY year ORDER BY v DESC) AS rn "  # noqa: S608
            f"FROM ({year_sql}) AS providers) AS ranked GROUP BY year "
            f"UNION ALL SELECT NULL, {sums} FROM (SELECT v, ROW_NUMBER() OVER (ORDER BY v DESC) AS rn "
            f"FROM ({whole_sql}) AS providers) AS ranked",
            (*year_params, *whole_params),
        )
        rows = cursor.fetchall()
    by_year = {int(row[0]): row[1:] for row in rows if row[0] is not None}
    period = next((row[1:] for row in rows if row[0] is None), None)
    return by_year, period


def _concentration(row: Any) -> market.Concentration:
    if not row or not row[0]:
        return market.concentration([])
    providers, total, squares, top = row
    return market.concentration_from_sums(
        providers=int(providers), total=_decimal(total), sum_of_squares=_decimal(squares), top_total=_decimal(top)
    )


def market_years(*, today: date, first_year: int | None = None, last_year: int | None = None) -> tuple[int, int]:
    """The years to show: the last five calendar years to this one unless asked, at most
    :data:`MARKET_YEARS_MAX` of them, in order."""
    last = last_year if last_year is not None else today.year
    first = first_year if first_year is not None else last - 4
    if first > last:
        first, last = last, first
    return max(first, last - MARKET_YEARS_MAX + 1), last


def market_figures(*, council: Council, first_year: int, last_year: int, now: datetime) -> MarketFigures:
    """The council's market figures for the calendar years ``first_year`` to ``last_year``, by the
    date each agreement was awarded and the provider type and band it kept at award.

    Database aggregates: three queries here, and each bid figures source's own (tenders: three),
    whatever the number of agreements. Only the council's agreements are read. The agreements'
    figures are kept between requests until the council's ledger changes (social_value.kept); each
    bid figures source keeps its own, or not.
    """
    return replace(
        _kept_awarded(council, first_year, last_year),
        bid_figures=market_bid_figures(council=council, first_year=first_year, last_year=last_year, now=now),
    )


def market_bid_figures(*, council: Council, first_year: int, last_year: int, now: datetime) -> list[BidFigures]:
    """Each bid figures source's figures of the council's closed competitions in those years."""
    return market_sources.bid_figures(council=council, first_year=first_year, last_year=last_year, now=now)


def _kept_awarded(council: Council, first_year: int, last_year: int) -> MarketFigures:
    return kept.kept(
        council.pk, ("market", first_year, last_year), lambda: _awarded_figures(council, first_year, last_year)
    )


def made_from_market_awarded(
    *, council: Council, first_year: int, last_year: int, parts: tuple[object, ...], make: Callable[[MarketFigures], T]
) -> T:
    """What ``make`` makes of the council's awarded figures alone (no bid figures, no person, no
    request), such as the dashboard's rendered tables: kept with the figures under ``parts`` until
    the ledger changes. On a miss ``make`` is given the figures read then (through the kept ones),
    so what is kept is never older than the version it is kept under."""
    return kept.kept(
        council.pk, (*parts, first_year, last_year), lambda: make(_kept_awarded(council, first_year, last_year))
    )


def _awarded_figures(council: Council, first_year: int, last_year: int) -> MarketFigures:
    awarded = _awarded(council, first_year, last_year)
    # One query: the value by year and band, with each provider type's part; the years' totals are
    # the sums of their bands'.
    band_rows = list(
        awarded.annotate(year=ExtractYear("awarded_on"))
        .values("year", "band_label", "band_lower", "band_reserved_for_local")
        .annotate(
            awarded=Sum("value"),
            agreements=Count("pk"),
            **{name: Sum("value", filter=condition) for name, condition in _TYPE_SUMS.items()},
        )
        .order_by("year", "band_lower", "band_label", "band_reserved_for_local")[:MARKET_BANDS_MAX]
    )
    years: dict[int, market.TypeTotals] = {}
    for band_row in band_rows:
        totals, so_far = _type_totals(band_row), years.get(band_row["year"])
        years[band_row["year"]] = totals if so_far is None else _added(so_far, totals)
    by_year = [YearTypes(year=year, totals=totals) for year, totals in sorted(years.items())]
    period = market.TypeTotals(value=Decimal(0))
    for year_types in by_year:
        period = _added(period, year_types.totals)
    bands = [
        YearBand(
            year=row["year"],
            lower=row["band_lower"],
            band=market.BandTotals(
                label=row["band_label"] or "No band",
                reserved_for_local=row["band_reserved_for_local"],
                value=_decimal(row["awarded"]),
                local=_decimal(row["local"]),
                agreements=row["agreements"],
            ),
        )
        for row in band_rows
    ]
    merged: dict[tuple[Any, str, bool], YearBand] = {}
    for year_band in bands:
        key = (year_band.lower, year_band.band.label, year_band.band.reserved_for_local)
        before = merged.get(key)
        merged[key] = YearBand(
            year=None,
            lower=year_band.lower,
            band=market.BandTotals(
                label=year_band.band.label,
                reserved_for_local=year_band.band.reserved_for_local,
                value=year_band.band.value + (before.band.value if before else 0),
                local=year_band.band.local + (before.band.local if before else 0),
                agreements=year_band.band.agreements + (before.band.agreements if before else 0),
            ),
        )
    period_bands = sorted(
        merged.values(),
        key=lambda b: (b.lower is None, b.lower or Decimal(0), b.band.label, b.band.reserved_for_local),
    )
    concentration_by_year, whole = _concentration_rows(council, first_year, last_year)
    top = (
        awarded.values("provider", "provider__name")
        .annotate(v=Sum("value"))
        .order_by("-v", "provider__name", "provider")[: market.TOP]
    )
    return MarketFigures(
        first_year=first_year,
        last_year=last_year,
        by_year=by_year,
        period=period,
        bands=bands,
        period_bands=period_bands,
        concentration_by_year={year: _concentration(row) for year, row in concentration_by_year.items()},
        concentration=_concentration(whole),
        top_providers=[
            TopProvider(
                name=row["provider__name"], value=_decimal(row["v"]), share=market.share(row["v"], period.value)
            )
            for row in top
        ],
        bid_figures=[],
    )


@dataclass(frozen=True)
class MarketHeadline:
    """The portal's headline shares: of the value awarded in the last 12 months."""

    since: date
    agreements: int
    value: Decimal
    local: Fraction
    vcse: Fraction
    asset_locked: Fraction


def market_headline(*, council: Council, today: date) -> MarketHeadline:
    """Shares of the value the council awarded in the 12 months to ``today`` going to local providers,
    VCSE organisations and asset-locked providers, as each was at award: one query."""
    since = (
        today.replace(year=today.year - 1)
        if not (today.month == 2 and today.day == 29)
        else date(today.year - 1, 2, 28)
    )
    row = Agreement.objects.filter(council=council, awarded_on__gt=since, awarded_on__lte=today).aggregate(
        awarded=Sum("value"),
        agreements=Count("pk"),
        local=Sum("value", filter=Q(provider_local=True)),
        vcse=Sum("value", filter=Q(provider_vcse=True)),
        asset_locked=Sum("value", filter=Q(provider_asset_locked=True)),
    )
    value = _decimal(row["awarded"])
    return MarketHeadline(
        since=since,
        agreements=row["agreements"],
        value=value,
        local=market.share(_decimal(row["local"]), value),
        vcse=market.share(_decimal(row["vcse"]), value),
        asset_locked=market.share(_decimal(row["asset_locked"]), value),
    )


@dataclass
class MeasureGroup:
    """The measures of one outcome in a published version, for a select's optgroup."""

    outcome_id: int
    theme: str
    outcome: str
    versions: list[MeasureVersion] = field(default_factory=list)
    # Whether the tender asks about this outcome (its measures are listed first).
    asked: bool = False

    @property
    def label(self) -> str:
        return f"{self.theme}: {self.outcome}"


@dataclass
class PublishedMeasures:
    """The measures of the council's newest published framework version, grouped by theme and outcome."""

    version: FrameworkVersion
    groups: list[MeasureGroup]

    def by_id(self) -> dict[int, MeasureVersion]:
        return {v.pk: v for group in self.groups for v in group.versions}


def published_measures(
    *, council: Council | int, asked: set[int] | frozenset[int] = frozenset()
) -> PublishedMeasures | None:
    """The measures a bidder may commit to: those of the newest published framework version, grouped
    by theme and outcome (as they were frozen), the outcomes ``asked`` about (ids of the council's
    framework outcomes) first. None when the council has published no framework. Two queries."""
    latest = FrameworkVersion.objects.filter(council=council).order_by("-number").first()
    if latest is None:
        return None
    versions = (
        MeasureVersion.objects.filter(council=council, framework_versions=latest)
        .select_related("measure")
        .only(
            "id",
            "council",
            "name",
            "unit",
            "proxy_value",
            "proxy_source",
            "proxy_year",
            "theme_title",
            "outcome_title",
            "measure__id",
            "measure__outcome_id",
            "measure__code",
        )
        .order_by(
            "measure__outcome__theme__position",
            "measure__outcome__theme__title",
            "measure__outcome__position",
            "measure__outcome__title",
            "measure__position",
            "measure__code",
        )
    )
    groups: dict[tuple[int, str, str], MeasureGroup] = {}
    for version in versions:
        key = (version.measure.outcome_id, version.theme_title, version.outcome_title)
        if key not in groups:
            groups[key] = MeasureGroup(
                outcome_id=version.measure.outcome_id,
                theme=version.theme_title,
                outcome=version.outcome_title,
                asked=version.measure.outcome_id in asked,
            )
        groups[key].versions.append(version)
    ordered = sorted(groups.values(), key=lambda g: not g.asked)  # stable: the framework's order otherwise
    return PublishedMeasures(version=latest, groups=ordered)


def measure_facts(*, council: Council | int, ids: set[int]) -> dict[int, MeasureFacts]:
    """What the council's measure versions ``ids`` say (name, unit, theme, outcome, proxy), in one
    query; another council's are not found. No query for no ids."""
    if not ids:
        return {}
    return {
        v.pk: MeasureFacts(
            name=v.name,
            unit=v.unit,
            theme=v.theme_title,
            outcome=v.outcome_title,
            proxy_value=v.proxy_value,
            proxy_source=v.proxy_source,
            proxy_year=v.proxy_year,
        )
        for v in MeasureVersion.objects.filter(council=council, pk__in=ids).only(
            "id", "name", "unit", "theme_title", "outcome_title", "proxy_value", "proxy_source", "proxy_year"
        )
    }
