"""social_value.services.agreement_record: a contract or grant award enters the ledger once, and its
winning commitments become its KPIs as committed (a framework measure version keeps its name and unit;
another measure keeps the bidder's words), in order; nothing committed is lost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value import framework
from social_value.models import Agreement, MeasureVersion, SocialValueKPI
from social_value.services import agreement_record
from tests.factories import CouncilWorld, OrganisationFactory
from tests.factories.social_value import framework_rows

pytestmark = pytest.mark.world("commissions")


def _record(world: CouncilWorld, source_id: int, commitments: list[dict[str, Any]], **overrides: Any) -> Agreement:
    values: dict[str, Any] = {
        "council": world.council,
        "kind": "contract",
        "source_id": source_id,
        "provider": OrganisationFactory(),
        "title": "Community navigation",
        "value": Decimal(85000),
        "awarded_on": date(2026, 11, 2),
        "starts_on": date(2027, 1, 1),
        "ends_on": date(2029, 12, 31),
        "commitments": commitments,
        **overrides,
    }
    return agreement_record(**values)


def test_each_commitment_becomes_a_kpi_in_order(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        agreement = _record(
            knowsley,
            41,
            [
                {"measure": "Volunteering hours", "quantity": "1,200", "unit": "hours", "by": "2027-03-31"},
                {"measure": "Apprentices", "quantity": "3", "unit": "people", "by": "", "local": True},
            ],
        )
        stored = list(SocialValueKPI.objects.filter(agreement=agreement))
    assert [(k.position, k.measure, k.target, k.unit, k.due_by, k.local, k.measure_version_id) for k in stored] == [
        (1, "Volunteering hours", Decimal("1200.00"), "hours", date(2027, 3, 31), False, None),
        (2, "Apprentices", Decimal("3.00"), "people", None, True, None),
    ]
    assert (agreement.kind, agreement.source_id, agreement.reporting_period) == ("contract", 41, "quarterly")


def test_a_framework_measure_keeps_its_version_name_and_unit_whatever_the_bid_said(knowsley: CouncilWorld) -> None:
    admin = knowsley.people[Role.ADMIN]
    with council_scope(knowsley.council):
        (measure,) = framework_rows(council=knowsley.council, measures=1)
        framework.framework_publish(council=knowsley.council, actor=admin)
        version = MeasureVersion.objects.get(measure=measure)
        agreement = _record(
            knowsley,
            44,
            [{"measure_version": str(version.pk), "measure": "typed over", "unit": "typed", "quantity": "12"}],
        )
        (kpi,) = SocialValueKPI.objects.filter(agreement=agreement).select_related("measure_version")
    assert (kpi.measure_version, kpi.measure, kpi.unit, kpi.target) == (version, version.name, version.unit, 12)


def test_another_councils_measure_version_is_not_taken(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    with council_scope(southwark.council):
        (measure,) = framework_rows(council=southwark.council, measures=1)
        framework.framework_publish(council=southwark.council, actor=southwark.people[Role.ADMIN])
        theirs = MeasureVersion.objects.get(measure=measure)
    with council_scope(knowsley.council):
        agreement = _record(
            knowsley, 45, [{"measure_version": theirs.pk, "measure": "Local jobs", "unit": "jobs", "quantity": "2"}]
        )
        (kpi,) = SocialValueKPI.objects.filter(agreement=agreement)
    assert (kpi.measure_version_id, kpi.measure, kpi.unit) == (None, "Local jobs", "jobs")


def test_words_that_are_not_numbers_or_dates_are_kept_in_the_notes_and_empty_measures_skipped(
    knowsley: CouncilWorld,
) -> None:
    with council_scope(knowsley.council):
        agreement = _record(
            knowsley,
            42,
            [
                {"measure": "Local jobs", "quantity": "several", "unit": "jobs", "by": "by the summer"},
                {"measure": "  ", "quantity": "5"},
                {"measure": "Huge", "quantity": "1e20", "measure_version": "not a number"},
            ],
        )
        stored = list(SocialValueKPI.objects.filter(agreement=agreement))
    assert [k.measure for k in stored] == ["Local jobs", "Huge"]
    assert stored[0].target == 0 and "several" in stored[0].notes and "by the summer" in stored[0].notes
    assert stored[1].target == 0 and "1e20" in stored[1].notes


def test_an_agreement_enters_the_ledger_once_and_only_known_kinds_and_periods(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        _record(knowsley, 43, [{"measure": "A", "quantity": "1"}])
        with pytest.raises(ValidationError):
            _record(knowsley, 43, [{"measure": "B"}])
        with pytest.raises(ValidationError):
            _record(knowsley, 1, [], kind="lease")
        with pytest.raises(ValidationError):
            _record(knowsley, 2, [], reporting_period="weekly")
        assert Agreement.objects.filter(council=knowsley.council).count() == 1
        assert SocialValueKPI.objects.filter(council=knowsley.council, agreement__source_id=43).count() == 1
