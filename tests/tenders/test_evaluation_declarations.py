"""One register of interests for a tender: an assigned evaluator declares for the tender like the
team does, each declaration against a bidder renews their declaration for the tender (a conflict
named by the bid's blind label, a conflict they declared for the tender carried over), the tender
team page lists the evaluators with it, and the declaration page for each bid shows the
conflict they declared for the tender."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from commissioning.models import AuditEvent, User
from commissioning.tenancy import council_scope
from tenders import selectors, services
from tenders.audit_labels import TenderAction
from tenders.models import ConflictDeclaration
from tests.factories import CouncilWorld
from tests.factories.scoring_world import ScoringWorld, scoring_world, started

pytestmark = pytest.mark.world("bids")


def declarations(sw: ScoringWorld, user: User) -> list[ConflictDeclaration]:
    with council_scope(sw.world.council):
        return list(ConflictDeclaration.objects.filter(tender=sw.tender, user=user).order_by("pk"))


def test_an_assigned_evaluator_declares_for_the_tender_and_is_on_the_team(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley), assign=False)
    second = sw.evaluators[1]
    with council_scope(knowsley.council):
        assert second.pk not in {row.user.pk for row in selectors.tender_team(tender=sw.tender)}
        with pytest.raises(ValidationError, match="Only people on the tender team"):
            services.conflict_declare(tender=sw.tender, actor=second, has_conflict=False)
        assignment = services.evaluator_assign(tender=sw.tender, actor=sw.commissioner, user=second)
        services.conflict_declare(tender=sw.tender, actor=second, has_conflict=False)
        row = next(row for row in selectors.tender_team(tender=sw.tender) if row.user.pk == second.pk)
        assert row.roles == ["Assigned evaluator"] and row.declaration is not None
        services.evaluator_remove(assignment=assignment, actor=sw.officer, reason="Moved to another team")
        assert second.pk not in {row.user.pk for row in selectors.tender_team(tender=sw.tender)}


def test_each_bidder_declaration_renews_the_tender_declaration_with_blind_labels(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley, extra_bids=2, blind=True))
    evaluator = sw.evaluators[1]
    first, second, third = sw.bids
    with council_scope(knowsley.council):
        services.bidder_conflict_declare(tender=sw.tender, bid=first, actor=evaluator, has_conflict=False)
        services.bidder_conflict_declare(
            tender=sw.tender, bid=second, actor=evaluator, has_conflict=True, details="My sister chairs its board."
        )
        services.bidder_conflict_declare(tender=sw.tender, bid=third, actor=evaluator, has_conflict=False)
        current = selectors.current_declaration(tender=sw.tender, user=evaluator)
        audited = AuditEvent.objects.filter(
            council=knowsley.council, action=TenderAction.TENDER_CONFLICT_DECLARED, actor=evaluator
        ).count()
    history = declarations(sw, evaluator)
    assert [d.has_conflict for d in history] == [False, True, True]
    assert all(d.from_evaluation for d in history)
    assert [d.superseded_at is None for d in history] == [False, False, True]
    assert current is not None and current.pk == history[-1].pk
    assert current.details == "Bid B: My sister chairs its board."
    organisation = second.organisation.name
    assert organisation not in current.details
    assert audited == 3


def test_a_conflict_declared_for_the_tender_is_carried_over_and_shown(client, knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley, blind=True))
    evaluator = sw.evaluators[0]
    bid = sw.bids[0]
    with council_scope(knowsley.council):
        services.conflict_declare(
            tender=sw.tender, actor=evaluator, has_conflict=True, details="I am a trustee of a local charity."
        )
    client.force_login(evaluator)
    page = client.get(sw.url(f"bids/{bid.pk}/declare/")).content.decode()
    assert "You declared for this tender on" in page and "I am a trustee of a local charity." in page
    assert client.post(sw.url(f"bids/{bid.pk}/declare/"), {"has_conflict": "no"}).status_code == 302
    with council_scope(knowsley.council):
        current = selectors.current_declaration(tender=sw.tender, user=evaluator)
        services.bidder_conflict_declare(
            tender=sw.tender, bid=sw.bids[1], actor=evaluator, has_conflict=True, details="I mentor its director."
        )
        again = selectors.current_declaration(tender=sw.tender, user=evaluator)
    assert current is not None and current.has_conflict and current.from_evaluation
    assert current.details == "Declared for the tender: I am a trustee of a local charity."
    assert again is not None and again.details == (
        "Declared for the tender: I am a trustee of a local charity.\nBid B: I mentor its director."
    )
    # The carried-over declaration is still shown on the next bid's declaration page, once.
    page = client.get(sw.url(f"bids/{sw.bids[1].pk}/declare/")).content.decode()
    assert page.count("I am a trustee of a local charity.") == 1
    # The tender team page lists the evaluator with their current declaration for the tender.
    client.force_login(sw.commissioner)
    team = client.get(f"/c/{sw.slug}/tenders/{sw.tender.pk}/team/").content.decode()
    assert "Assigned evaluator" in team and "I mentor its director." in team
    assert sw.bids[1].organisation.name not in team


def test_without_a_blind_evaluation_the_organisation_is_named_too(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    evaluator = sw.evaluators[1]
    bid = sw.bids[0]
    with council_scope(knowsley.council):
        services.bidder_conflict_declare(
            tender=sw.tender, bid=bid, actor=evaluator, has_conflict=True, details="I used to work there."
        )
        current = selectors.current_declaration(tender=sw.tender, user=evaluator)
    assert current is not None
    assert current.details == f"Bid A ({bid.organisation.name}): I used to work there."


def test_a_later_declaration_for_the_tender_keeps_the_bidder_conflicts_on_the_register(
    client, knowsley: CouncilWorld
) -> None:
    sw = started(scoring_world(knowsley, blind=True))
    evaluator = sw.evaluators[1]
    with council_scope(knowsley.council):
        services.bidder_conflict_declare(
            tender=sw.tender, bid=sw.bids[1], actor=evaluator, has_conflict=True, details="I mentor its director."
        )
        services.conflict_declare(
            tender=sw.tender, actor=evaluator, has_conflict=True, details="I sit on a local charity's board."
        )
        current = selectors.current_declaration(tender=sw.tender, user=evaluator)
        own = selectors.team_declaration(tender=sw.tender, user=evaluator)
    assert current is not None and current.from_evaluation
    assert (
        current.details == "Declared for the tender: I sit on a local charity's board.\nBid B: I mentor its director."
    )
    assert own is not None and own.details == "I sit on a local charity's board."
    # The tender's declaration page starts from what they declared for the tender themselves.
    client.force_login(evaluator)
    page = client.get(f"/c/{sw.slug}/tenders/{sw.tender.pk}/declaration/").content.decode()
    assert "\nI sit on a local charity&#x27;s board.</textarea>" in page
