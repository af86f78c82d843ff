"""At contract award the ledger's agreement keeps the market facts (issue 11, "Market shaping"): the
winner's type as eligibility judged it against the council's local area, its ownership, and the
spend policy band the tender fell in; a later edit of the provider's profile changes none of them."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning import services as core_services
from commissioning.models import AuditEvent
from commissioning.tenancy import council_scope
from social_value.models import Agreement
from tenders import services
from tenders.models import AwardNotice
from tests.factories import CouncilWorld
from tests.factories.award_world import AwardWorld, award_world

pytestmark = pytest.mark.world("policies")


@pytest.fixture
def aw(knowsley: CouncilWorld):  # type: ignore[no-untyped-def]
    with council_scope(knowsley.council):
        yield award_world(knowsley)


def _contract(aw: AwardWorld) -> Agreement:
    recommendation = services.award_recommend(tender=aw.tender, lot=aw.lot, actor=aw.commissioner, bid_id=aw.bids[0].pk)
    services.award_decide(recommendation=recommendation, actor=aw.officer, approve=True)
    notice = AwardNotice.objects.get(recommendation=recommendation)
    AwardNotice.objects.filter(pk=notice.pk).update(standstill_end=timezone.localdate() - timedelta(days=1))
    notice.refresh_from_db()
    start = timezone.localdate() + timedelta(days=30)
    contract = services.contract_enter(
        notice=notice, actor=aw.officer, value=Decimal("80000"), start_date=start, end_date=start + timedelta(days=365)
    )
    return Agreement.objects.get(council=aw.tender.council, kind="contract", source_id=contract.pk)


def test_the_agreement_keeps_the_winners_type_and_the_band_at_award(aw: AwardWorld) -> None:
    # Given the winner is a small charity in Huyton (L36, in Knowsley's local area) and the tender's
    # £100,000 falls in the intermediate band, reserved for local organisations
    agreement = _contract(aw)
    # Then the agreement keeps it all as it was at award
    assert (
        agreement.provider_local,
        agreement.provider_vcse,
        agreement.provider_sme,
        agreement.provider_asset_locked,
        agreement.provider_private_equity,
        agreement.provider_ownership,
    ) == (True, True, True, True, False, "charity")
    assert (agreement.band_label, agreement.band_lower, agreement.band_reserved_for_local) == (
        "Intermediate value",
        Decimal("5000.00"),
        True,
    )
    # And the contract's audit event records them
    event = AuditEvent.objects.get(council=aw.tender.council_id, action="contract.entered")
    assert event.after["market_facts"]["provider_local"] is True
    assert event.after["market_facts"]["band_label"] == "Intermediate value"


def test_a_later_profile_edit_changes_no_figure_of_the_past(aw: AwardWorld) -> None:
    agreement = _contract(aw)
    winner = aw.organisations[0]
    # When the provider later becomes a large private-equity-backed company in Manchester
    fields = {f: getattr(winner, f) for f in winner.PROFILE_FIELDS}
    fields.update(
        legal_form="large_company",
        charity_number="",
        companies_house_number="01234567",
        size_band="large",
        postcode="M1 1AE",
        ownership="private_equity",
        asset_locked=False,
        parent_name="Care Capital LP",
        parent_country="Cayman Islands",
    )
    core_services.organisation_update(organisation=winner, actor=aw.officer, **fields)
    # Then the agreement still says what was true at award
    agreement.refresh_from_db()
    assert (agreement.provider_local, agreement.provider_vcse, agreement.provider_private_equity) == (True, True, False)
    assert agreement.provider_ownership == "charity"


@pytest.mark.world("evaluated")
def test_the_migration_fills_the_facts_of_contracts_entered_before(knowsley: CouncilWorld) -> None:
    import importlib

    from django.apps import apps

    from commissioning.tenancy import platform_scope

    # Given the world's contract's agreement, as it was before the facts were kept
    with council_scope(knowsley.council):
        agreement = Agreement.objects.get(council=knowsley.council, kind="contract")
        Agreement.objects.filter(pk=agreement.pk).update(
            band_label="", band_lower=None, band_reserved_for_local=False, provider_local=False, provider_vcse=False
        )
    # When the migration runs
    migration = importlib.import_module("tenders.migrations.0018_agreement_market_facts")
    with platform_scope():
        migration.fill(apps, None)
    # Then it has the provider's type and the band the tender fell in when it was published
    with council_scope(knowsley.council):
        agreement.refresh_from_db()
        expected = Agreement.objects.get(pk=agreement.pk)
    assert agreement.band_label != "" and agreement.band_lower is not None
    assert agreement.provider_vcse is True and agreement.provider_local is True
    assert expected.band_reserved_for_local == agreement.band_reserved_for_local
