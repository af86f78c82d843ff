"""Reads of the tenders app. Council-owned reads are always given the council."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max, Prefetch, QuerySet
from django.http import Http404

from commissioning.models import Council, Organisation
from tenders import eligibility
from tenders.calendar import standstill_end
from tenders.models import (
    ENGLAND_AND_WALES,
    BankHoliday,
    Clause,
    Criterion,
    Lot,
    ProcurementThreshold,
    SpecificationSection,
    SpecificationVersion,
    SpendPolicyBand,
    Tender,
    TenderPolicy,
)

__all__ = [
    "spend_bands_in_force",
    "SpendPolicyVersion",
    "spend_policy_versions",
    "tender_policy",
    "bank_holidays",
    "holiday_dates",
    "thresholds_in_force",
    "threshold",
    "organisation_facts",
    "BandAnswer",
    "band_notices",
    "organisation_eligibility",
    "tender_list",
    "tender_get",
    "lot_get",
    "lots_over_value",
    "tender_band",
    "tender_standstill_end",
    "CriterionRow",
    "criteria_rows",
    "specification_sections",
    "section_get",
    "specification_versions",
    "version_get",
    "clause_list",
    "clause_get",
]


def spend_bands_in_force(*, council: Council, on: date) -> list[SpendPolicyBand]:
    """The version of the council's bands with the latest effective date on or before ``on``."""
    latest = SpendPolicyBand.objects.filter(council=council, effective_from__lte=on).aggregate(
        latest=Max("effective_from")
    )["latest"]
    if latest is None:
        return []
    return list(SpendPolicyBand.objects.filter(council=council, effective_from=latest).order_by("position"))


@dataclass(frozen=True)
class SpendPolicyVersion:
    effective_from: date
    bands: list[SpendPolicyBand]
    status: str  # "in force", "scheduled" or "replaced"
    notices: list[tuple[SpendPolicyBand, str]]  # each band with the sentence its notices carry


def spend_policy_versions(*, council: Council, on: date) -> list[SpendPolicyVersion]:
    """Every version of the council's bands, newest first, each marked as in force, scheduled or replaced."""
    grouped: dict[date, list[SpendPolicyBand]] = {}
    for band in SpendPolicyBand.objects.filter(council=council).order_by("-effective_from", "position"):
        grouped.setdefault(band.effective_from, []).append(band)
    in_force = max((d for d in grouped if d <= on), default=None)
    return [
        SpendPolicyVersion(
            effective_from=day,
            bands=bands,
            status="scheduled" if day > on else "in force" if day == in_force else "replaced",
            notices=band_notices(council=council, bands=bands),
        )
        for day, bands in grouped.items()
    ]


def tender_policy(*, council: Council) -> TenderPolicy:
    """The council's tender policy; the defaults (not saved) when its admins have not set one."""
    return TenderPolicy.objects.filter(council=council).first() or TenderPolicy(council=council)


def bank_holidays(*, between: tuple[date, date], region: str = ENGLAND_AND_WALES) -> list[BankHoliday]:
    """Bank holidays from the first date to the second, both included."""
    start, end = between
    return list(BankHoliday.objects.filter(region=region, date__gte=start, date__lte=end).order_by("date"))


def holiday_dates(*, between: tuple[date, date], region: str = ENGLAND_AND_WALES) -> set[date]:
    return {holiday.date for holiday in bank_holidays(between=between, region=region)}


def thresholds_in_force(*, on: date) -> list[ProcurementThreshold]:
    """For each threshold, the amount with the latest effective date on or before ``on``."""
    rows = ProcurementThreshold.objects.filter(effective_from__lte=on).order_by("key", "-effective_from")
    latest: dict[str, ProcurementThreshold] = {}
    for row in rows:
        latest.setdefault(row.key, row)
    return sorted(latest.values(), key=lambda t: t.amount)


def threshold(*, key: str, on: date) -> ProcurementThreshold | None:
    return ProcurementThreshold.objects.filter(key=key, effective_from__lte=on).order_by("-effective_from").first()


def organisation_facts(organisation: Organisation) -> eligibility.OrganisationFacts:
    return eligibility.OrganisationFacts(
        postcode_districts=frozenset(organisation.postcode_districts),
        is_vcse=organisation.is_vcse,
        is_sme=organisation.is_sme,
        registered_postcode=organisation.postcode,
        operating_postcode=organisation.operating_postcode,
        name=organisation.name,
    )


@dataclass(frozen=True)
class BandAnswer:
    """The band an estimated value falls in, with its notice, and the answer for one organisation if given."""

    band: eligibility.Band | None
    notice: str
    eligibility: eligibility.Eligibility | None = None


def _council_name(council: Council) -> str:
    return council.header_name


def band_notices(*, council: Council, bands: Iterable[SpendPolicyBand]) -> list[tuple[SpendPolicyBand, str]]:
    return [
        (band, eligibility.notice(band.as_band(), local_area=council.local_area, council_name=_council_name(council)))
        for band in bands
    ]


def organisation_eligibility(
    *, council: Council, organisation: Organisation | None, estimated_value: Decimal, on: date
) -> BandAnswer:
    """The band of ``estimated_value`` under the council's policy on ``on``, and whether the organisation may bid.

    With no bands set, every opportunity is open to all. Bid submission (a later issue) calls this
    and refuses an ineligible bid with the reasons and the remedy.
    """
    bands = [b.as_band() for b in spend_bands_in_force(council=council, on=on)]
    if not bands:
        open_notice = "Open to all organisations."
        answer = eligibility.Eligibility(eligible=True, notice=open_notice) if organisation is not None else None
        return BandAnswer(band=None, notice=open_notice, eligibility=answer)
    band = eligibility.band_for(estimated_value, bands)
    name = _council_name(council)
    notice = eligibility.notice(band, local_area=council.local_area, council_name=name)
    if organisation is None:
        return BandAnswer(band=band, notice=notice)
    answer = eligibility.eligibility(band, organisation_facts(organisation), council.local_area, name, all_bands=bands)
    return BandAnswer(band=band, notice=notice, eligibility=answer)


# --- Tenders ------------------------------------------------------------------------------------


def tender_list(*, council: Council) -> QuerySet[Tender]:
    """The council's tenders, newest first, with their commissions."""
    return (
        Tender.objects.filter(council=council)
        .select_related("commission", "created_by")
        .prefetch_related(Prefetch("lots", queryset=Lot.objects.filter(council=council)))
        .order_by("-created_at", "-pk")
    )


def tender_get(*, council: Council, tender_id: int) -> Tender:
    """One tender of the council (404 otherwise), with its lots and criteria."""
    tender = (
        tender_list(council=council)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.filter(council=council)))
        .filter(pk=tender_id)
        .first()
    )
    if tender is None:
        raise Http404("No such tender")
    return tender


def lot_get(*, tender: Tender, lot_id: int) -> Lot:
    lot = Lot.objects.filter(council=tender.council_id, tender=tender, pk=lot_id).first()
    if lot is None:
        raise Http404("No such lot")
    return lot


def lots_over_value(*, tender: Tender, lots: Iterable[Lot] | None = None) -> Decimal | None:
    """By how much the lots' estimated values add up to more than the tender's, or None if they do not."""
    if lots is None:
        lots = Lot.objects.filter(council=tender.council_id, tender=tender)
    total = sum((lot.estimated_value for lot in lots if lot.estimated_value is not None), Decimal(0))
    return total - tender.estimated_value if total > tender.estimated_value else None


def tender_band(*, tender: Tender, on: date) -> BandAnswer:
    """The band of the tender's estimated value under the council's spend policy on ``on``, with its notice."""
    return organisation_eligibility(
        council=tender.council, organisation=None, estimated_value=tender.estimated_value, on=on
    )


def tender_standstill_end(*, tender: Tender) -> date | None:
    """The last day of the standstill if the award notice is published on the planned award date."""
    if tender.planned_award_date is None:
        return None
    start = tender.planned_award_date
    holidays = holiday_dates(between=(start, start + timedelta(days=7 * (tender.standstill_days + 10))))
    return standstill_end(start, tender.standstill_days, holidays=holidays)


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


# --- The specification and the clause library ---------------------------------------------------


def specification_sections(*, tender: Tender) -> list[SpecificationSection]:
    return list(
        SpecificationSection.objects.filter(council=tender.council_id, tender=tender)
        .select_related("updated_by")
        .order_by("position", "pk")
    )


def section_get(*, tender: Tender, section_id: int) -> SpecificationSection:
    section = (
        SpecificationSection.objects.filter(council=tender.council_id, tender=tender, pk=section_id)
        .select_related("tender", "updated_by")
        .first()
    )
    if section is None:
        raise Http404("No such section")
    return section


def specification_versions(*, tender: Tender) -> list[SpecificationVersion]:
    """Every saved version, newest first, with who saved it."""
    return list(
        SpecificationVersion.objects.filter(council=tender.council_id, tender=tender)
        .select_related("created_by")
        .order_by("-number")
    )


def version_get(*, tender: Tender, number: int | None = None, version_id: int | None = None) -> SpecificationVersion:
    versions = SpecificationVersion.objects.filter(council=tender.council_id, tender=tender).select_related(
        "created_by"
    )
    version = (versions.filter(number=number) if version_id is None else versions.filter(pk=version_id)).first()
    if version is None:
        raise Http404("No such version")
    return version


def clause_list(*, council: Council, active_only: bool = False) -> QuerySet[Clause]:
    clauses = Clause.objects.filter(council=council).order_by("category", "title", "pk")
    return clauses.filter(active=True) if active_only else clauses


def clause_get(*, council: Council, clause_id: int) -> Clause:
    clause = Clause.objects.filter(council=council, pk=clause_id).first()
    if clause is None:
        raise Http404("No such clause")
    return clause
