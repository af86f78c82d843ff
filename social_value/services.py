"""Writes of the social value ledger: an agreement (a contract, later a grant award) and the KPIs it is held to.

This app imports only the core: tenders and grants call it with plain data (the winning bid's
commitments as the provider typed them), never with their own models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.models import Council, Organisation
from social_value import kept
from social_value.models import Agreement, AgreementKind, MeasureVersion, ReportingPeriod, SocialValueKPI

__all__ = ["agreement_record", "kpis_from_commitments", "provider_facts_now"]

MEASURE_MAX_LENGTH = SocialValueKPI._meta.get_field("measure").max_length or 300
UNIT_MAX_LENGTH = SocialValueKPI._meta.get_field("unit").max_length or 100
# The target column holds 12 digits before the point.
TARGET_LIMIT = Decimal(10) ** 12


def _text(value: Any) -> str:
    return str(value if value is not None else "").strip()


def _quantity(text: str) -> Decimal | None:
    """The committed quantity as a number ("1,200" reads as 1200), or None when it is not one."""
    try:
        number = Decimal(text.replace(",", "").replace("£", ""))
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number >= TARGET_LIMIT:
        return None
    return number.quantize(Decimal("0.01"))


def _due_by(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _truthy(value: Any) -> bool:
    return value is True or _text(value).lower() in {"true", "yes", "1", "on"}


def _measure_versions(council: Council, commitments: list[Mapping[str, Any]]) -> dict[int, MeasureVersion]:
    """The council's framework measure versions the commitments name, in one query (another council's are not found)."""
    ids = set()
    for commitment in commitments:
        try:
            ids.add(int(commitment.get("measure_version") or 0))
        except (TypeError, ValueError):
            continue
    ids.discard(0)
    if not ids:
        return {}
    return {v.pk: v for v in MeasureVersion.objects.filter(council=council, pk__in=ids)}


@transaction.atomic
def agreement_record(
    *,
    council: Council,
    kind: str,
    source_id: int,
    provider: Organisation,
    title: str,
    value: Decimal,
    awarded_on: date,
    starts_on: date,
    ends_on: date,
    commitments: Iterable[Mapping[str, Any]],
    reporting_period: str = ReportingPeriod.QUARTERLY,
    provider_local: bool | None = None,
    provider_vcse: bool | None = None,
    provider_sme: bool | None = None,
    provider_asset_locked: bool | None = None,
    provider_private_equity: bool | None = None,
    provider_ownership: str | None = None,
    band_label: str = "",
    band_lower: Decimal | None = None,
    band_reserved_for_local: bool = False,
) -> Agreement:
    """Record a contract or grant award in the ledger, with the winning commitments as its KPIs.

    Called once per agreement: a second call for the same kind and id is refused, never doubled.
    The market facts (issue 11, "Market shaping") are kept as they were at award: the caller passes
    the provider type it judged eligibility by and the spend policy band; a fact not given is read
    from the provider's profile now (:func:`provider_facts_now`).
    """
    if kind not in AgreementKind.values:
        raise ValidationError({"kind": f"Unknown agreement kind {kind!r}"})
    if reporting_period not in ReportingPeriod.values:
        raise ValidationError({"reporting_period": "Choose how often the provider reports"})
    if Agreement.objects.filter(council=council, kind=kind, source_id=source_id).exists():
        raise ValidationError("This agreement is already in the social value ledger")
    agreement = Agreement.objects.create(
        council=council,
        kind=kind,
        source_id=source_id,
        provider=provider,
        title=title[:300],
        value=value,
        awarded_on=awarded_on,
        starts_on=starts_on,
        ends_on=ends_on,
        reporting_period=reporting_period,
        **_market_facts(
            council,
            provider,
            {
                "provider_local": provider_local,
                "provider_vcse": provider_vcse,
                "provider_sme": provider_sme,
                "provider_asset_locked": provider_asset_locked,
                "provider_private_equity": provider_private_equity,
                "provider_ownership": provider_ownership,
            },
        ),
        band_label=band_label[:150],
        band_lower=band_lower,
        band_reserved_for_local=band_reserved_for_local,
    )
    kpis_from_commitments(agreement=agreement, commitments=commitments)
    return agreement


def provider_facts_now(*, council: Council, provider: Organisation) -> dict[str, Any]:
    """The provider type as its profile says today, against the council's local area today: local
    (registered or main operating postcode district in the area), VCSE, SME, asset lock, private
    equity and ownership, as :class:`Agreement` keeps them."""
    ownership = provider.ownership_facts
    return {
        "provider_local": bool(provider.postcode_districts & set(council.local_area or ())),
        "provider_vcse": provider.is_vcse,
        "provider_sme": provider.is_sme,
        "provider_asset_locked": ownership.asset_locked,
        "provider_private_equity": ownership.private_equity,
        "provider_ownership": ownership.ownership,
    }


def _market_facts(council: Council, provider: Organisation, given: dict[str, Any]) -> dict[str, Any]:
    if all(value is not None for value in given.values()):
        return given
    now = provider_facts_now(council=council, provider=provider)
    return {name: now[name] if value is None else value for name, value in given.items()}


def kpis_from_commitments(*, agreement: Agreement, commitments: Iterable[Mapping[str, Any]]) -> list[SocialValueKPI]:
    """Turn the winning commitments into the agreement's social value KPIs, one per commitment, in order.

    The rule (issue 11, "From award to delivery"): what the provider committed to is what it is held
    to. A commitment that picked a framework measure keeps that measure version, whose name and unit
    are the KPI's (the unit was fixed when the bidder chose it); another measure the bidder named
    keeps its own words and has no measure version. A quantity that is not a number cannot be a
    target: it is kept as target 0 with the committed words in the notes, so nothing committed is
    lost and the officer sees what to agree. A commitment without a measure is skipped.
    """
    commitments = [c for c in commitments if isinstance(c, Mapping)]
    versions = _measure_versions(agreement.council, commitments)
    rows: list[SocialValueKPI] = []
    for commitment in commitments:
        try:
            version = versions.get(int(commitment.get("measure_version") or 0))
        except (TypeError, ValueError):
            version = None
        measure = version.name if version else _text(commitment.get("measure"))
        if not measure:
            continue
        quantity_text = _text(commitment.get("quantity"))
        by_text = _text(commitment.get("by"))
        quantity, due_by = _quantity(quantity_text), _due_by(by_text)
        notes = []
        if quantity is None:
            notes.append(f"Committed quantity, not a number: {quantity_text or '(none)'}")
        if by_text and due_by is None:
            notes.append(f"Committed by: {by_text}")
        rows.append(
            SocialValueKPI(
                council=agreement.council,
                agreement=agreement,
                measure_version=version,
                position=len(rows) + 1,
                measure=measure[:MEASURE_MAX_LENGTH],
                unit=(version.unit if version else _text(commitment.get("unit")))[:UNIT_MAX_LENGTH],
                target=quantity if quantity is not None else Decimal(0),
                due_by=due_by,
                local=_truthy(commitment.get("local")),
                notes="\n".join(notes),
            )
        )
    made = SocialValueKPI.objects.bulk_create(rows)
    kept.renew_on_commit(agreement.council_id)  # bulk_create sends no post_save
    return made
