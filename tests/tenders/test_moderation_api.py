"""The moderation and prices API: the board, open (refused with what is missing), agree (400 on a
score off the scale), lock, a change and its decision (403 for the asker), prices opened, listed
and an abnormally low price decided; roles, other councils, and the schema."""

from __future__ import annotations

import pytest

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders.models import AbnormallyLowReview, ScoreSheet
from tests.factories import CouncilWorld
from tests.factories.moderation_world import ModerationWorld, moderation_tender
from tests.helpers import api_with_token

pytestmark = pytest.mark.world("commissions")


def _url(world: ModerationWorld, suffix: str) -> str:
    return f"/api/v1/councils/{world.tender.council.slug}/tenders/{world.tender.pk}/{suffix}"


def _world(council: CouncilWorld, **kwargs: object) -> ModerationWorld:
    with council_scope(council.council):
        return moderation_tender(council, **kwargs)  # type: ignore[arg-type]


def test_the_whole_moderation_through_the_api(knowsley: CouncilWorld) -> None:
    world = _world(knowsley)
    api = api_with_token(world.commissioner)
    board = api.get(_url(world, "moderation/"))
    assert board.status_code == 200
    body = board.json()
    assert body["opened_at"] is None and body["problems"] == []
    first = body["bids"][0]["cells"][0]
    assert first["wide"] is True and first["spread"] == "2.00"
    assert [s["score"] for s in first["scores"]] == ["4.00", "2.00"]
    assert api.post(_url(world, "moderation/open/")).status_code == 200
    quality, social = world.scored
    bad = api.post(
        _url(world, "moderation/scores/"),
        {"bid": world.bids[0].pk, "criterion": quality.pk, "score": "9", "rationale": "x"},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"score": ["Enter a score from 0 to 5"]}
    early = api.post(_url(world, "moderation/lock/"))
    assert early.status_code == 400 and "no agreed score" in str(early.json())
    for bid in world.bids:
        for criterion in world.scored:
            agreed = api.post(
                _url(world, "moderation/scores/"),
                {"bid": bid.pk, "criterion": criterion.pk, "score": "3", "rationale": "Agreed."},
                format="json",
            )
            assert agreed.status_code == 200, agreed.content
    assert agreed.json()["score"] == "3.00"
    locked = api.post(_url(world, "moderation/lock/"))
    assert locked.status_code == 200 and locked.json()["locked_at"]
    asked = api.post(
        _url(world, "moderation/changes/"),
        {"bid": world.bids[0].pk, "criterion": social.pk, "score": "4", "rationale": "Better.", "reason": "Misread."},
        format="json",
    )
    assert asked.status_code == 201
    change_id = asked.json()["id"]
    decide = _url(world, f"moderation/changes/{change_id}/decide/")
    assert api.post(decide, {"decision": "approved"}, format="json").status_code == 403  # a commissioner
    officer = api_with_token(world.officer)
    assert officer.post(decide, {"decision": "maybe"}, format="json").status_code == 400
    decided = officer.post(decide, {"decision": "approved"}, format="json")
    assert decided.status_code == 200 and decided.json()["decision"] == "approved"
    cell = officer.get(_url(world, "moderation/")).json()["bids"][0]["cells"][1]
    assert cell["moderated"]["score"] == "4.00" and cell["moderated"]["revision"] == 2


def test_open_is_refused_with_what_is_missing(knowsley: CouncilWorld) -> None:
    world = _world(knowsley)
    with council_scope(knowsley.council):
        ScoreSheet.objects.filter(evaluator=world.evaluators[0]).update(submitted_at=None)
    api = api_with_token(world.commissioner)
    refused = api.post(_url(world, "moderation/open/"))
    assert refused.status_code == 400
    assert "has not submitted their scores for 3 bids" in str(refused.json())
    assert api.get(_url(world, "moderation/")).json()["problems"]


def test_prices_through_the_api(knowsley: CouncilWorld) -> None:
    world = _world(knowsley)
    api = api_with_token(world.commissioner)
    before = api.get(_url(world, "prices/")).json()
    assert before["opened_at"] is None and before["lots"] == []
    opened = api.post(_url(world, "prices/open/"))
    assert opened.status_code == 200
    (lot,) = opened.json()["lots"]
    assert [(b["amount"], b["points"]) for b in lot["bids"]] == [
        ("40000.00", "30.00"),
        ("95000.00", "12.63"),
        ("100000.00", "12.00"),
    ]
    assert lot["bids"][0]["review"]["flag"].startswith("£40,000.00 is below 70%")
    assert api.post(_url(world, "prices/open/")).status_code == 400
    with council_scope(knowsley.council):
        review = AbnormallyLowReview.objects.get(tender=world.tender)
    url = _url(world, f"prices/reviews/{review.pk}/decide/")
    missing = api.post(url, {"decision": "accept"}, format="json")
    assert missing.status_code == 400 and set(missing.json()["error"]["fields"]) == {"explanation", "reason"}
    done = api.post(
        url, {"explanation": "Volunteers.", "decision": "exclude", "reason": "Not credible."}, format="json"
    )
    assert done.status_code == 200 and done.json()["decision"] == "exclude"


def test_blind_prices_wait_for_the_lock(knowsley: CouncilWorld) -> None:
    world = _world(knowsley, blind=True)
    api = api_with_token(world.commissioner)
    assert [b["label"] for b in api.get(_url(world, "moderation/")).json()["bids"]] == ["Bid A", "Bid B", "Bid C"]
    refused = api.post(_url(world, "prices/open/"))
    assert refused.status_code == 400 and "blind evaluation" in str(refused.json())


@pytest.mark.parametrize(("role", "read", "write"), [(Role.OFFICER, 200, 403), (Role.EVALUATOR, 403, 403)])
def test_roles(knowsley: CouncilWorld, role: str, read: int, write: int) -> None:
    world = _world(knowsley)
    api = api_with_token(knowsley.people[role])
    assert api.get(_url(world, "moderation/")).status_code == read
    assert api.get(_url(world, "prices/")).status_code == read
    assert api.post(_url(world, "moderation/open/")).status_code == write
    assert api.post(_url(world, "prices/open/")).status_code == write


def test_another_council_gets_404(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    theirs = _world(southwark)
    api = api_with_token(knowsley.people[Role.COMMISSIONER])
    base = f"/api/v1/councils/knowsley/tenders/{theirs.tender.pk}/"
    assert api.get(f"{base}moderation/").status_code == 404
    assert api.post(f"{base}prices/open/").status_code == 404


def test_the_endpoints_are_in_the_schema(client, db: None) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for suffix in ("moderation/", "moderation/changes/{change_id}/decide/", "prices/reviews/{review_id}/decide/"):
        assert f"/api/v1/councils/{{council_slug}}/tenders/{{tender_id}}/{suffix}" in schema


def test_constant_queries_for_5_and_50_bids(knowsley: CouncilWorld) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tenders import services

    small = _world(knowsley, prices=["1000.00"] * 5, title="Small")
    large = _world(knowsley, prices=[f"{1000 + i}.00" for i in range(50)], title="Large")
    api = api_with_token(small.commissioner)
    for world in (small, large):
        with council_scope(knowsley.council):
            services.moderation_open(tender=world.tender, actor=world.commissioner)
            services.prices_open(tender=world.tender, actor=world.commissioner)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url).status_code == 200
        return len(queries)

    for suffix in ("moderation/", "prices/"):
        assert count(_url(small, suffix)) == count(_url(large, suffix))
