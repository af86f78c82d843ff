"""Commissions, the outcomes framework and the options appraisal: the services' rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commissioning import services
from commissioning.errors import Conflict
from commissioning.models import AuditEvent, Commission, DeliveryOption, Role
from commissioning.tenancy import council_scope
from tests.factories import CouncilWorld, OutcomeFactory, commission_in

REASON = "Local VCSE organisations already run the venues and residents trust them more."


@pytest.fixture
def council(knowsley: CouncilWorld):  # type: ignore[no-untyped-def]
    with council_scope(knowsley.council):
        yield knowsley


def _events(world: CouncilWorld, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(council=world.council, action=action).order_by("sequence"))


def test_opening_a_commission_creates_five_options_with_in_house_first(council: CouncilWorld) -> None:
    # Given a commissioner and an outcome of the framework
    outcome = OutcomeFactory(council=council.council)
    # When they open a commission
    commission = commission_in(council.council, by=council.people[Role.COMMISSIONER], outcomes=[outcome])
    # Then its appraisal has one option of each kind, in-house first and marked the default
    options = list(commission.options.all())
    assert [o.kind for o in options] == DeliveryOption.values
    assert options[0].kind == DeliveryOption.IN_HOUSE and options[0].is_default
    assert not any(o.is_default for o in options[1:])
    assert commission.decision is None
    assert list(commission.outcomes.all()) == [outcome]
    # And the opening is audited once, with what was opened
    [event] = [e for e in _events(council, "commission.created") if e.object_id == str(commission.pk)]
    assert event.after["title"] == "Community navigation service"
    assert event.after["outcomes"] == [outcome.title]
    assert event.after["estimated_annual_value"] == "60000.00"


def test_values_must_be_positive_and_whole_life_at_least_annual(council: CouncilWorld) -> None:
    commissioner = council.people[Role.COMMISSIONER]
    with pytest.raises(ValidationError) as error:
        commission_in(council.council, by=commissioner, annual="50000", whole_life="20000")
    assert error.value.message_dict == {
        "whole_life_value": ["The whole-life value must be at least the estimated annual value"]
    }
    with pytest.raises(ValidationError) as error:
        commission_in(council.council, by=commissioner, annual="0", whole_life="10")
    assert "estimated_annual_value" in error.value.message_dict
    assert not Commission.objects.filter(council=council.council).exclude(title__endswith="private-commission")


def test_the_database_refuses_a_decision_without_its_reason(council: CouncilWorld) -> None:
    commission = commission_in(council.council, by=council.people[Role.COMMISSIONER])
    with pytest.raises(IntegrityError), transaction.atomic():
        Commission.objects.filter(pk=commission.pk).update(decision=DeliveryOption.CONTRACT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Commission.objects.filter(pk=commission.pk).update(whole_life_value=Decimal("1"))


def test_a_decision_needs_a_reason(council: CouncilWorld) -> None:
    commissioner = council.people[Role.COMMISSIONER]
    commission = commission_in(council.council, by=commissioner)
    with pytest.raises(ValidationError) as error:
        services.commission_decide(commission=commission, actor=commissioner, decision="in_house", reason="  ")
    assert error.value.message_dict == {"decision_reason": ["Enter the reason for the decision"]}
    # In-house, the default, needs only a short reason.
    services.commission_decide(commission=commission, actor=commissioner, decision="in_house", reason="Cheaper.")
    commission.refresh_from_db()
    assert commission.decision == "in_house"


@pytest.mark.parametrize("decision", ["grant", "contract", "social_investment", "partnership"])
def test_choosing_other_than_in_house_must_say_why_not_in_house(council: CouncilWorld, decision: str) -> None:
    commissioner = council.people[Role.COMMISSIONER]
    commission = commission_in(council.council, by=commissioner)
    with pytest.raises(ValidationError) as error:
        services.commission_decide(commission=commission, actor=commissioner, decision=decision, reason="Better.")
    assert "why the service should not be delivered in-house" in error.value.message_dict["decision_reason"][0]
    commission.refresh_from_db()
    assert commission.decision is None
    services.commission_decide(commission=commission, actor=commissioner, decision=decision, reason=REASON)
    commission.refresh_from_db()
    assert (commission.decision, commission.decision_reason, commission.decided_by) == (decision, REASON, commissioner)
    assert commission.decided_at is not None


def test_an_unknown_decision_is_refused(council: CouncilWorld) -> None:
    commissioner = council.people[Role.COMMISSIONER]
    commission = commission_in(council.council, by=commissioner)
    with pytest.raises(ValidationError):
        services.commission_decide(commission=commission, actor=commissioner, decision="outsourcing", reason=REASON)


@pytest.mark.parametrize(
    ("decision", "kind", "allowed", "reason"),
    [
        (None, "contract", False, "Record the options appraisal decision first"),
        (None, "grant", False, "Record the options appraisal decision first"),
        (
            "in_house",
            "contract",
            False,
            "This commission's decision is in-house delivery: a tender needs the decision 'contract'",
        ),
        (
            "in_house",
            "grant",
            False,
            "This commission's decision is in-house delivery: a grant round needs the decision 'grant'",
        ),
        ("contract", "contract", True, "The options appraisal decided on a contract: you can now create a tender"),
        (
            "contract",
            "grant",
            False,
            "This commission's decision is contract: a grant round needs the decision 'grant'",
        ),
        ("grant", "grant", True, "The options appraisal decided on a grant: you can now create a grant round"),
        ("grant", "contract", False, "This commission's decision is grant: a tender needs the decision 'contract'"),
        (
            "partnership",
            "contract",
            False,
            "This commission's decision is partnership: a tender needs the decision 'contract'",
        ),
    ],
)
def test_commission_may_start_answers_for_each_state(
    council: CouncilWorld, decision: str | None, kind: str, allowed: bool, reason: str
) -> None:
    commission = commission_in(council.council, by=council.people[Role.COMMISSIONER], decision=decision, reason=REASON)
    assert services.commission_may_start(commission=commission, kind=kind) == (allowed, reason)


def test_commission_may_start_knows_only_tenders_and_grant_rounds(council: CouncilWorld) -> None:
    commission = commission_in(council.council, by=council.people[Role.COMMISSIONER])
    with pytest.raises(ValueError, match="kind must be one of"):
        services.commission_may_start(commission=commission, kind="in_house")


def test_every_change_is_audited_once_with_before_and_after(council: CouncilWorld) -> None:
    commissioner = council.people[Role.COMMISSIONER]
    admin = council.people[Role.ADMIN]
    # Given an outcome, an indicator and a commission
    outcome = services.outcome_create(council=council.council, actor=admin, title="People live healthy lives")
    services.indicator_create(outcome=outcome, actor=admin, name="People living at home", measure="number a year")
    services.outcome_update(outcome=outcome, actor=admin, description="Residents stay well for longer.")
    commission = commission_in(council.council, by=commissioner)
    # When the commissioner changes it, notes an option and decides, twice
    services.commission_update(
        commission=commission, actor=commissioner, estimated_annual_value=Decimal("65000"), outcomes=[outcome]
    )
    services.commission_update(commission=commission, actor=commissioner, title=commission.title)  # no change
    option = commission.options.get(kind="in_house")
    services.appraisal_option_update(option=option, actor=commissioner, notes="We lack the staff.")
    services.appraisal_option_update(option=option, actor=commissioner, notes="We lack the staff.")  # no change
    services.commission_decide(commission=commission, actor=commissioner, decision="in_house", reason="Cheaper.")
    services.commission_decide(commission=commission, actor=commissioner, decision="contract", reason=REASON)
    # Then each change wrote one event, and a no-op wrote none
    counts = {
        action: len(_events(council, action))
        for action in (
            "outcome.created",
            "indicator.created",
            "outcome.updated",
            "commission.updated",
            "appraisal_option.updated",
            "commission.decided",
        )
    }
    assert counts == {
        "outcome.created": 1,
        "indicator.created": 1,
        "outcome.updated": 1,
        "commission.updated": 1,
        "appraisal_option.updated": 1,
        "commission.decided": 2,
    }
    [update] = _events(council, "commission.updated")
    assert update.before == {"estimated_annual_value": "60000.00", "outcomes": []}
    assert update.after == {"estimated_annual_value": "65000.00", "outcomes": ["People live healthy lives"]}
    decided = _events(council, "commission.decided")[-1]
    assert decided.before["decision"] == "in_house" and decided.after["decision"] == "contract"
    assert decided.after["decided_by"] == commissioner.email


def test_outcomes_come_from_the_councils_own_active_framework(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    with council_scope(southwark.council):
        theirs = OutcomeFactory(council=southwark.council)
    with council_scope(knowsley.council):
        retired = OutcomeFactory(council=knowsley.council, is_active=False)
        for outcome in (theirs, retired):
            with pytest.raises(ValidationError) as error:
                commission_in(knowsley.council, by=knowsley.people[Role.COMMISSIONER], outcomes=[outcome])
            assert error.value.message_dict == {"outcomes": ["Choose outcomes from the council's outcomes framework"]}


def test_outcome_titles_are_unique_in_a_council(council: CouncilWorld) -> None:
    admin = council.people[Role.ADMIN]
    services.outcome_create(council=council.council, actor=admin, title="Residents have a say")
    with pytest.raises(Conflict):
        services.outcome_create(council=council.council, actor=admin, title="residents have a say ")
    outcome = services.outcome_create(council=council.council, actor=admin, title="Another")
    assert outcome.position > 0
    with pytest.raises(Conflict):
        services.outcome_update(outcome=outcome, actor=admin, title="Residents have a say")
