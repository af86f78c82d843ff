"""Reads of the social value framework, always given the council, in a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from commissioning.models import Council, Outcome
from social_value.commitments import MeasureFacts
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

__all__ = [
    "MAX_LISTED",
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
