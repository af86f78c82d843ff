"""Reads of the council's policies for tenders: the local spend policy (its bands, the eligibility they
give), the tender policy, and the reference data they rest on (bank holidays, procurement thresholds).
Council-owned reads are always given the council.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max

from commissioning.models import Council, Organisation
from tenders import eligibility
from tenders.models import ENGLAND_AND_WALES, BankHoliday, ProcurementThreshold, SpendPolicyBand, TenderPolicy

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

    With no bands set, every opportunity is open to all. The same pure rule as a tender's
    eligibility (:func:`tenders.eligibility.tender_rule`), without an override: a tender's own
    eligibility is :func:`tenders.selectors.publication.tender_eligibility`.
    """
    bands = [b.as_band() for b in spend_bands_in_force(council=council, on=on)]
    name = _council_name(council)
    rule = eligibility.tender_rule(
        estimated_value, bands, override=None, local_area=council.local_area, council_name=name
    )
    if organisation is None:
        return BandAnswer(band=rule.band, notice=rule.notice)
    answer = eligibility.tender_eligibility(rule, organisation_facts(organisation), council.local_area, name)
    return BandAnswer(band=rule.band, notice=rule.notice, eligibility=answer)
