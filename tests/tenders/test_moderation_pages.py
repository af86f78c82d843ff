"""Moderation and prices pages: by role, the refusal saying what is missing, agreeing scores with
errors next to the fields, the lock, a change approved by an officer, prices opened and an
abnormally low price decided; blind labels; other councils get 404; constant queries for 5 and 50 bids."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import services
from tenders.models import AbnormallyLowReview, ModeratedScore, ModeratedScoreChange, ScoreSheet
from tests.factories import CouncilWorld
from tests.factories.moderation_world import ModerationWorld, moderation_tender

pytestmark = pytest.mark.world("commissions")


def _url(world: ModerationWorld, suffix: str = "moderation/") -> str:
    return f"/c/{world.tender.council.slug}/tenders/{world.tender.pk}/{suffix}"


def _world(knowsley: CouncilWorld, **kwargs: object) -> ModerationWorld:
    with council_scope(knowsley.council):
        return moderation_tender(knowsley, **kwargs)  # type: ignore[arg-type]


def _agree_data(world: ModerationWorld, score: str = "3") -> dict[str, str]:
    data = {"action": "agree"}
    for criterion in world.scored:
        data[f"score_{criterion.pk}"] = score
        data[f"rationale_{criterion.pk}"] = "Agreed in the session."
    return data


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.COMMISSIONER, 200), (Role.OFFICER, 200), (Role.EVALUATOR, 403), (Role.ADMIN, 403), (Role.CITIZEN, 403)],
)
def test_pages_by_role(client, knowsley: CouncilWorld, role: str, status: int) -> None:
    world = _world(knowsley)
    client.force_login(knowsley.people[role])
    assert client.get(_url(world)).status_code == status
    assert client.get(_url(world, f"moderation/bids/{world.bids[0].pk}/")).status_code == status
    assert client.get(_url(world, "prices/")).status_code == status
    if status == 200:
        assert "Moderation and prices" in client.get(_url(world, "")).content.decode()


def test_the_board_refuses_to_open_and_says_what_is_missing(client, knowsley: CouncilWorld) -> None:
    world = _world(knowsley)
    with council_scope(knowsley.council):
        ScoreSheet.objects.filter(evaluator=world.evaluators[1], bid=world.bids[0]).update(submitted_at=None)
    client.force_login(world.commissioner)
    page = client.get(_url(world)).content.decode()
    assert "Moderation cannot open yet" in page
    assert f"{escape(world.evaluators[1].name)} has not submitted their scores for 1 bid." in page
    assert "Open moderation" not in page
    refused = client.post(_url(world), {"action": "open"})
    assert refused.status_code == 400 and "There is a problem" in refused.content.decode()


def test_open_agree_with_errors_lock_and_change(client, knowsley: CouncilWorld) -> None:
    world = _world(knowsley)
    client.force_login(world.commissioner)
    board = client.get(_url(world)).content.decode()
    assert "Open moderation" in board and "Spread 2" in board and "govuk-tag--red" in board
    assert client.post(_url(world), {"action": "open"}).status_code == 302
    bid_url = _url(world, f"moderation/bids/{world.bids[0].pk}/")
    page = client.get(bid_url).content.decode()
    assert "Justification by evaluator 2 on bid 1." in page and "Save the agreed scores" in page
    quality = world.scored[0]
    bad = client.post(bid_url, {"action": "agree", f"score_{quality.pk}": "7", f"rationale_{quality.pk}": ""})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Enter a score from 0 to 5" in text and "There is a problem" in text
    missing = client.post(bid_url, {"action": "agree", f"score_{quality.pk}": "3"})
    assert "Enter the rationale for the agreed score on" in missing.content.decode()
    refused = client.post(_url(world), {"action": "lock"})
    assert refused.status_code == 400 and "no agreed score on" in refused.content.decode()
    for bid in world.bids:
        assert client.post(_url(world, f"moderation/bids/{bid.pk}/"), _agree_data(world)).status_code == 302
    assert client.post(_url(world), {"action": "lock"}).status_code == 302
    assert "submitted and locked" in client.get(_url(world)).content.decode()
    # After the lock: a change request, then an officer approves it.
    change = client.post(
        bid_url,
        {"action": "request", "criterion": quality.pk, "score": "4", "rationale": "Higher.", "reason": ""},
    )
    assert change.status_code == 400 and "Enter the reason for the change" in change.content.decode()
    asked = {"action": "request", "criterion": quality.pk, "score": "4", "rationale": "Higher.", "reason": "A typo."}
    assert client.post(bid_url, asked).status_code == 302
    with council_scope(knowsley.council):
        pending = ModeratedScoreChange.objects.get(tender=world.tender)
    client.force_login(world.officer)
    page = client.get(bid_url).content.decode()
    assert "Waiting for an officer" in page and "Record the decision" in page
    decided = client.post(bid_url, {"action": "decide", "change": pending.pk, "decision": "approved"})
    assert decided.status_code == 302
    with council_scope(knowsley.council):
        assert ModeratedScore.objects.get(bid=world.bids[0], criterion=quality).score == Decimal(4)


def test_an_officer_cannot_agree_and_a_commissioner_cannot_decide(client, knowsley: CouncilWorld) -> None:
    world = _world(knowsley)
    client.force_login(world.officer)
    assert client.post(_url(world), {"action": "open"}).status_code == 403
    bid_url = _url(world, f"moderation/bids/{world.bids[0].pk}/")
    assert client.post(bid_url, _agree_data(world)).status_code == 403
    client.force_login(world.commissioner)
    assert client.post(bid_url, {"action": "decide", "change": "1", "decision": "approved"}).status_code == 403


def test_a_blind_board_shows_letters(client, knowsley: CouncilWorld) -> None:
    world = _world(knowsley, blind=True)
    client.force_login(world.commissioner)
    page = client.get(_url(world)).content.decode()
    assert "Bid A" in page and "Knowsley Provider 1" not in page
    bid_page = client.get(_url(world, f"moderation/bids/{world.bids[1].pk}/")).content.decode()
    assert "Moderation of Bid B" in bid_page and "Knowsley Provider" not in bid_page
    prices = client.get(_url(world, "prices/")).content.decode()
    assert "prices open only once the moderated scores are locked" in prices


def test_prices_opened_scored_and_an_abnormally_low_price_accepted(client, knowsley: CouncilWorld) -> None:
    world = _world(knowsley)
    client.force_login(world.commissioner)
    assert "Open the prices" in client.get(_url(world, "prices/")).content.decode()
    assert client.post(_url(world, "prices/")).status_code == 302
    page = client.get(_url(world, "prices/")).content.decode()
    assert "£40,000" in page and "30.00" in page and "relative to the lowest price" in page
    assert "1 abnormally low price to decide" in page
    with council_scope(knowsley.council):
        review = AbnormallyLowReview.objects.get(tender=world.tender)
    review_url = _url(world, f"prices/reviews/{review.pk}/")
    bad = client.post(review_url, {"explanation": "", "decision": "accept", "reason": ""})
    assert bad.status_code == 400 and "Enter the provider&#x27;s explanation of the price" in bad.content.decode()
    good = {"explanation": "Volunteers deliver part of it.", "decision": "accept", "reason": "Credible."}
    assert client.post(review_url, good).status_code == 302
    assert "Accept the price: Credible." in client.get(_url(world, "prices/")).content.decode()


def test_other_councils_get_404(client, knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    theirs = _world(southwark)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    for suffix in ("moderation/", f"moderation/bids/{theirs.bids[0].pk}/", "prices/", "prices/reviews/1/"):
        url = f"/c/knowsley/tenders/{theirs.tender.pk}/{suffix}"
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "open"}).status_code == 404


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("blind", [False, True])
def test_constant_queries_for_5_and_50_bids(client, knowsley: CouncilWorld, blind: bool) -> None:
    small = _world(knowsley, prices=["1000.00"] * 5, blind=blind, title="Small")
    large = _world(knowsley, prices=[f"{1000 + i}.00" for i in range(50)], blind=blind, title="Large")
    client.force_login(small.commissioner)
    for world in (small, large):
        with council_scope(knowsley.council):
            services.moderation_open(tender=world.tender, actor=world.commissioner)
            if not blind:
                services.prices_open(tender=world.tender, actor=world.commissioner)
    for suffix in ("moderation/", "prices/"):
        assert _count(client, _url(small, suffix)) == _count(client, _url(large, suffix))
    first = f"moderation/bids/{small.bids[0].pk}/"
    assert _count(client, _url(small, first)) == _count(client, _url(large, f"moderation/bids/{large.bids[0].pk}/"))
