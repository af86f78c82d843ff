"""social_value.services.kpis_from_commitments: the winning commitments become an agreement's KPIs,
as committed (measure, unit, quantity as the target, by when), in order; nothing committed is lost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from commissioning.tenancy import council_scope
from social_value.models import SocialValueKPI
from social_value.services import kpis_from_commitments
from tests.factories import CouncilWorld

pytestmark = pytest.mark.world("people")


def test_each_commitment_becomes_a_kpi_in_order(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        kpis = kpis_from_commitments(
            council=knowsley.council,
            agreement_kind="contract",
            agreement_id=41,
            commitments=[
                {"measure": "Volunteering hours", "quantity": "1,200", "unit": "hours", "by": "2027-03-31"},
                {"measure": "Apprentices", "quantity": "3", "unit": "people", "by": "", "local": True},
            ],
        )
        stored = list(SocialValueKPI.objects.filter(council=knowsley.council, agreement_id=41))
    assert [(k.position, k.measure, k.target, k.unit, k.due_by, k.local) for k in stored] == [
        (1, "Volunteering hours", Decimal("1200.00"), "hours", date(2027, 3, 31), False),
        (2, "Apprentices", Decimal("3.00"), "people", None, True),
    ]
    assert len(kpis) == 2 and all(k.agreement_kind == "contract" for k in stored)


def test_words_that_are_not_numbers_or_dates_are_kept_in_the_notes_and_empty_measures_skipped(
    knowsley: CouncilWorld,
) -> None:
    with council_scope(knowsley.council):
        kpis_from_commitments(
            council=knowsley.council,
            agreement_kind="contract",
            agreement_id=42,
            commitments=[
                {"measure": "Local jobs", "quantity": "several", "unit": "jobs", "by": "by the summer"},
                {"measure": "  ", "quantity": "5"},
                {"measure": "Huge", "quantity": "1e20"},
            ],
        )
        stored = list(SocialValueKPI.objects.filter(council=knowsley.council, agreement_id=42))
    assert [k.measure for k in stored] == ["Local jobs", "Huge"]
    assert stored[0].target == 0 and "several" in stored[0].notes and "by the summer" in stored[0].notes
    assert stored[1].target == 0 and "1e20" in stored[1].notes


def test_an_agreement_gets_its_kpis_once_and_only_known_kinds(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        kpis_from_commitments(
            council=knowsley.council,
            agreement_kind="contract",
            agreement_id=43,
            commitments=[{"measure": "A", "quantity": "1"}],
        )
        with pytest.raises(ValidationError):
            kpis_from_commitments(
                council=knowsley.council, agreement_kind="contract", agreement_id=43, commitments=[{"measure": "B"}]
            )
        with pytest.raises(ValidationError):
            kpis_from_commitments(council=knowsley.council, agreement_kind="lease", agreement_id=1, commitments=[])
        assert SocialValueKPI.objects.filter(council=knowsley.council, agreement_id=43).count() == 1
