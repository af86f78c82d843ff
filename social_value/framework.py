"""Writes of the social value framework: measures added, changed and retired, CSV imports, published
versions, and the starting framework from the Social Value Model.

Every write is atomic and writes its audit event in the same transaction. The rules:

- A measure's ``code`` is unique in the council's framework; it names the measure in CSV files.
- A retired measure is kept, with its versions, and cannot be changed (it is history).
- A measure's definition frozen in a published version never changes: publishing writes a new
  :class:`~social_value.models.MeasureVersion` for each measure changed since (see
  ``social_value.framework_models``).
- An import is all or nothing: any bad row refuses the whole file, with every problem listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.errors import Conflict
from commissioning.models import Council, Outcome, User
from commissioning.services.changes import refuse_unknown_fields
from social_value import social_value_model
from social_value.audit_labels import SocialValueAction
from social_value.framework_csv import CsvProblem, MeasureRow, read_framework_csv
from social_value.framework_models import DEFINITION_FIELDS
from social_value.models import (
    FrameworkOutcome,
    FrameworkVersion,
    FrameworkVersionEntry,
    Measure,
    MeasureVersion,
    SocialValueFramework,
    Theme,
)

__all__ = [
    "FrameworkImportRefused",
    "ImportReport",
    "framework_get_or_create",
    "framework_import",
    "framework_publish",
    "framework_seed_social_value_model",
    "measure_create",
    "measure_retire",
    "measure_update",
]

MEASURE_FIELDS = (*DEFINITION_FIELDS, "outcome", "code", "contributes_to")


class FrameworkImportRefused(ValidationError):
    """The file was refused: ``problems`` lists every bad row (row, column, message). Nothing was imported."""

    def __init__(self, problems: list[CsvProblem]) -> None:
        self.problems = problems
        super().__init__([str(problem) for problem in problems])


@dataclass(frozen=True)
class ImportReport:
    added: list[str]
    changed: list[str]
    unchanged: int


def _pounds(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def _snapshot(measure: Measure) -> dict[str, Any]:
    snapshot: dict[str, Any] = {"code": measure.code, **measure.definition()}
    snapshot["proxy_value"] = _pounds(measure.proxy_value)
    snapshot["outcome"] = measure.outcome.title
    snapshot["contributes_to"] = sorted(o.title for o in measure.contributes_to.all())
    return snapshot


def framework_get_or_create(*, council: Council) -> SocialValueFramework:
    framework, _ = SocialValueFramework.objects.get_or_create(council=council)
    return framework


def _locked_framework(council: Council) -> SocialValueFramework:
    """The council's framework row, locked: imports and publications of one council take turns."""
    framework_get_or_create(council=council)
    return SocialValueFramework.objects.select_for_update().get(council=council)


def _core_outcomes(council: Council, outcomes: Iterable[Outcome | int]) -> list[Outcome]:
    wanted = {o.pk if isinstance(o, Outcome) else int(o) for o in outcomes}
    found = list(Outcome.objects.filter(council=council, pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"contributes_to": "Choose outcomes from the council's outcomes framework"})
    return found


def _check_code(council: Council, code: str, exclude_pk: int | None = None) -> str:
    code = code.strip()
    clash = Measure.objects.filter(council=council, code__iexact=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise Conflict({"code": f"The framework already has a measure with the code {code}"})
    return code


def _check_proxy(measure: Measure) -> None:
    errors = {}
    if measure.proxy_value is not None:
        if not measure.proxy_source.strip():
            errors["proxy_source"] = "Say where the proxy value comes from"
        if measure.proxy_year is None:
            errors["proxy_year"] = "Give the year of the proxy value"
    elif measure.proxy_source.strip() or measure.proxy_year is not None:
        errors["proxy_value"] = "Give the proxy value, or leave its source and year empty"
    if errors:
        raise ValidationError(errors)


def _set_contributions(measure: Measure, outcomes: list[Outcome]) -> None:
    measure.contributes_to.set(outcomes, through_defaults={"council": measure.council})


@transaction.atomic
def measure_create(
    *,
    council: Council,
    actor: User | None,
    outcome: FrameworkOutcome,
    code: str,
    name: str,
    unit: str,
    description: str = "",
    evidence: str = "",
    proxy_value: Decimal | None = None,
    proxy_source: str = "",
    proxy_year: int | None = None,
    contributes_to: Iterable[Outcome | int] = (),
) -> Measure:
    """Add a measure under an outcome of the framework. It is in use from the next published version."""
    if outcome.council_id != council.pk:
        raise ValidationError({"outcome": "Choose an outcome of this council's framework"})
    last = Measure.objects.filter(council=council).order_by("-position").values_list("position", flat=True).first()
    measure = Measure(
        council=council,
        outcome=outcome,
        code=_check_code(council, code),
        name=name.strip(),
        unit=unit.strip(),
        description=description.strip(),
        evidence=evidence.strip(),
        proxy_value=proxy_value,
        proxy_source=proxy_source.strip(),
        proxy_year=proxy_year,
        position=(last or 0) + 1,
    )
    _check_proxy(measure)
    measure.full_clean()
    measure.save()
    _set_contributions(measure, _core_outcomes(council, contributes_to))
    audit_record(
        council=council, actor=actor, action=SocialValueAction.MEASURE_CREATED, target=measure, after=_snapshot(measure)
    )
    return measure


def _refuse_if_retired(measure: Measure) -> None:
    if measure.is_retired:
        raise ValidationError(f"The measure {measure.code} is retired: it is kept as it was, for history")


@transaction.atomic
def measure_update(*, measure: Measure, actor: User | None, **changes: Any) -> Measure:
    """Change a measure. Its published versions keep the definition they froze; the change is in
    the next version published."""
    refuse_unknown_fields(changes, MEASURE_FIELDS, what="measure fields")
    measure = Measure.objects.select_for_update().select_related("outcome").get(pk=measure.pk)
    _refuse_if_retired(measure)
    before = _snapshot(measure)
    contributes_to = changes.pop("contributes_to", None)
    if "code" in changes:
        changes["code"] = _check_code(measure.council, changes["code"], exclude_pk=measure.pk)
    if "outcome" in changes and changes["outcome"].council_id != measure.council_id:
        raise ValidationError({"outcome": "Choose an outcome of this council's framework"})
    for name, value in changes.items():
        setattr(measure, name, value.strip() if isinstance(value, str) else value)
    _check_proxy(measure)
    measure.full_clean()
    measure.save()
    if contributes_to is not None:
        _set_contributions(measure, _core_outcomes(measure.council, contributes_to))
    after = _snapshot(measure)
    if after != before:
        audit_record(
            council=measure.council,
            actor=actor,
            action=SocialValueAction.MEASURE_UPDATED,
            target=measure,
            before=before,
            after=after,
        )
    return measure


@transaction.atomic
def measure_retire(*, measure: Measure, actor: User) -> Measure:
    """Retire a measure: kept with its versions for history, left out of the next published version,
    and no longer offered for new commitments."""
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    _refuse_if_retired(measure)
    measure.retired_at = timezone.now()
    measure.retired_by = actor
    measure.save(update_fields=["retired_at", "retired_by", "updated_at"])
    audit_record(
        council=measure.council,
        actor=actor,
        action=SocialValueAction.MEASURE_RETIRED,
        target=measure,
        after={"code": measure.code, "name": measure.name},
    )
    return measure


@transaction.atomic
def framework_publish(*, council: Council, actor: User | None, note: str = "") -> FrameworkVersion:
    """Publish a version: freeze each measure in use (not retired) at its current definition.

    A measure whose definition equals its latest version's keeps that version; one changed since
    (or never published) gets the next version number. Refused when nothing changed since the last
    published version, so version numbers mean something."""
    framework = _locked_framework(council)
    measures = list(
        Measure.objects.filter(council=council, retired_at__isnull=True).select_related("outcome__theme").order_by("pk")
    )
    if not measures:
        raise ValidationError("The framework has no measures in use to publish")
    latest = {
        v.measure_id: v
        for v in MeasureVersion.objects.filter(council=council, measure__in=measures).order_by("measure_id", "number")
    }
    frozen: list[MeasureVersion] = []
    new_versions: list[MeasureVersion] = []
    for measure in measures:
        version = latest.get(measure.pk)
        if version is None or version.definition() != measure.definition():
            version = MeasureVersion(
                council=council,
                measure=measure,
                number=measure.version + 1,
                theme_title=measure.outcome.theme.title,
                outcome_title=measure.outcome.title,
                **measure.definition(),
            )
            new_versions.append(version)
        frozen.append(version)
    previous = FrameworkVersion.objects.filter(council=council, framework=framework).order_by("-number").first()
    if previous is not None and not new_versions:
        in_previous = set(
            FrameworkVersionEntry.objects.filter(council=council, framework_version=previous).values_list(
                "measure_version_id", flat=True
            )
        )
        if in_previous == {v.pk for v in frozen}:
            raise ValidationError(f"Nothing has changed since version {previous.number} was published")
    MeasureVersion.objects.bulk_create(new_versions)
    for version in new_versions:
        Measure.objects.filter(pk=version.measure_id).update(version=version.number)
    published = FrameworkVersion.objects.create(
        council=council,
        framework=framework,
        number=(previous.number if previous else 0) + 1,
        note=note.strip(),
        published_at=timezone.now(),
        published_by=actor,
    )
    FrameworkVersionEntry.objects.bulk_create(
        FrameworkVersionEntry(council=council, framework_version=published, measure_version=v) for v in frozen
    )
    audit_record(
        council=council,
        actor=actor,
        action=SocialValueAction.FRAMEWORK_PUBLISHED,
        target=published,
        after={
            "number": published.number,
            "note": published.note,
            "measures": len(frozen),
            "new_measure_versions": sorted(f"{v.measure.code} v{v.number}" for v in new_versions),
        },
    )
    return published


def _import_problems(council: Council, rows: list[MeasureRow]) -> list[CsvProblem]:
    """What only the database can tell: rows about retired measures that try to change them."""
    retired = {
        code.casefold(): code
        for code in Measure.objects.filter(council=council, retired_at__isnull=False).values_list("code", flat=True)
    }
    return [
        CsvProblem(
            row.row, "retired", f"{retired[row.code.casefold()]} is retired: write yes here, it is kept as it was"
        )
        for row in rows
        if row.code.casefold() in retired and not row.retired
    ]


@transaction.atomic
def framework_import(*, council: Council, actor: User, data: bytes) -> ImportReport:
    """Import a framework CSV (``social_value.framework_csv``): known codes update their measures,
    new codes add measures, new theme and outcome titles add themes and outcomes.

    All or nothing: any problem in any row raises :class:`FrameworkImportRefused` listing them all,
    and nothing is written. Rows of retired measures must say so (``retired`` = yes) and change
    nothing; ``retired`` = yes on a measure in use retires it."""
    framework = _locked_framework(council)
    titles = dict(Outcome.objects.filter(council=council).values_list("title", "pk"))
    read = read_framework_csv(data, outcome_titles=titles)
    problems = read.problems + _import_problems(council, read.rows)
    if problems:
        raise FrameworkImportRefused(sorted(problems))

    themes = {t.title.casefold(): t for t in Theme.objects.filter(council=council, framework=framework)}
    outcomes = {
        (o.theme_id, o.title.casefold()): o
        for o in FrameworkOutcome.objects.filter(council=council, theme__framework=framework)
    }
    measures = {
        m.code.casefold(): m
        for m in Measure.objects.filter(council=council).select_related("outcome").prefetch_related("contributes_to")
    }
    added: list[str] = []
    changed: list[str] = []
    unchanged = 0
    for row in read.rows:
        measure = measures.get(row.code.casefold())
        if measure is not None and measure.is_retired:
            unchanged += 1
            continue
        theme = themes.get(row.theme.casefold())
        if theme is None:
            theme = themes[row.theme.casefold()] = Theme.objects.create(
                council=council, framework=framework, title=row.theme, position=len(themes) + 1
            )
        outcome = outcomes.get((theme.pk, row.outcome.casefold()))
        if outcome is None:
            outcome = outcomes[(theme.pk, row.outcome.casefold())] = FrameworkOutcome.objects.create(
                council=council, theme=theme, title=row.outcome, position=len(outcomes) + 1
            )
        definition: dict[str, Any] = {
            "outcome": outcome,
            "name": row.name,
            "unit": row.unit,
            "description": row.description,
            "evidence": row.evidence,
            "proxy_value": row.proxy_value,
            "proxy_source": row.proxy_source,
            "proxy_year": row.proxy_year,
            "contributes_to": [titles[title] for title in row.contributes_to],
        }
        if measure is None:
            measure = measure_create(council=council, actor=actor, code=row.code, **definition)
            added.append(measure.code)
        else:
            before = _snapshot(measure)
            measure = measure_update(measure=measure, actor=actor, **definition)
            if _snapshot(measure) != before:
                changed.append(measure.code)
            else:
                unchanged += 1
        if row.retired:
            measure_retire(measure=measure, actor=actor)
    audit_record(
        council=council,
        actor=actor,
        action=SocialValueAction.FRAMEWORK_IMPORTED,
        target=framework,
        after={"added": added, "changed": changed, "unchanged": unchanged},
    )
    return ImportReport(added=added, changed=changed, unchanged=unchanged)


@transaction.atomic
def framework_seed_social_value_model(*, council: Council, actor: User | None) -> SocialValueFramework:
    """Give the council a starting framework from the Social Value Model (PPN 002), with its Open
    Government Licence attribution, and publish it as version 1. A council that already has themes
    keeps its framework (idempotent). The seeded measures carry no proxy values."""
    framework = _locked_framework(council)
    if Theme.objects.filter(council=council, framework=framework).exists():
        return framework
    framework.name = social_value_model.FRAMEWORK_NAME
    framework.source = social_value_model.SOURCE
    framework.attribution = social_value_model.ATTRIBUTION
    framework.save(update_fields=["name", "source", "attribution"])
    for t, seed_theme in enumerate(social_value_model.SOCIAL_VALUE_MODEL, start=1):
        theme = Theme.objects.create(council=council, framework=framework, title=seed_theme.title, position=t)
        for o, seed_outcome in enumerate(seed_theme.outcomes, start=1):
            outcome = FrameworkOutcome.objects.create(
                council=council, theme=theme, title=seed_outcome.title, position=o
            )
            Measure.objects.bulk_create(
                Measure(
                    council=council,
                    outcome=outcome,
                    code=m.code,
                    name=m.name,
                    unit=m.unit,
                    description=m.description,
                    evidence=m.evidence,
                    position=t * 100 + o * 10 + p,
                )
                for p, m in enumerate(seed_outcome.measures, start=1)
            )
    audit_record(
        council=council,
        actor=actor,
        action=SocialValueAction.FRAMEWORK_SEEDED,
        target=framework,
        after={"source": framework.source, "measures": Measure.objects.filter(council=council).count()},
    )
    framework_publish(council=council, actor=actor, note="Started from the Social Value Model (PPN 002)")
    return framework
