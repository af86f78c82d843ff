"""Evaluation API: sealed before the deadline; the commissioner's counts (never scores); the
evaluator's own bids, declaration, score sheet (revisions, scale, stale refused) and submission
(errors by field, then locked); other roles and councils refused; 4xx JSON on bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commissioning.models import Role
from tenders import services
from tests.factories import CouncilWorld
from tests.factories.scoring_world import JUSTIFICATION, declared, scored, scoring_world, started
from tests.helpers import api_as

pytestmark = pytest.mark.world("bids")


def test_before_the_deadline_every_endpoint_is_sealed(knowsley: CouncilWorld) -> None:
    tender = knowsley.published
    assert tender is not None
    base = f"/api/v1/councils/knowsley/tenders/{tender.pk}/evaluation/"
    progress = api_as(knowsley.people[Role.COMMISSIONER]).get(f"{base}progress/")
    assert progress.status_code == 403 and progress.json()["error"]["code"] == "sealed"
    mine = api_as(knowsley.people[Role.EVALUATOR]).get(f"{base}mine/")
    assert mine.status_code == 403 and "Knowsley Community Trust" not in mine.content.decode()


def test_the_commissioner_sees_counts_never_scores(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    first = sw.evaluators[0]
    declared(sw, first)
    scored(sw, first, sw.bids[0], score=3)
    response = api_as(sw.commissioner).get(sw.api("progress/"))
    assert response.status_code == 200
    body = response.json()
    assert body["started"] and body["bids"] == 2 and body["minimum_evaluators"] == 2
    row = next(e for e in body["evaluators"] if e["id"] == first.pk)
    assert (row["declared"], row["submitted"], row["owed"], row["recused"]) == (2, 1, 1, 0)
    assert JUSTIFICATION not in response.content.decode()
    assert api_as(first).get(sw.api("progress/")).status_code == 403


def test_an_evaluator_declares_scores_and_submits(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley, blind=True))
    first = sw.evaluators[0]
    bid = sw.bids[0]
    quality, social = sw.criteria
    client = api_as(first)
    mine = client.get(sw.api("mine/")).json()
    assert mine["blind"] and [b["label"] for b in mine["bids"]] == ["Bid A", "Bid B"]
    assert mine["bids"][0]["name"] == "Bid A" and mine["bids"][0]["status"] == "Declare your interests"
    assert [d["score"] for d in mine["criteria"][0]["descriptors"]] == [0, 1, 2, 3, 4, 5]
    before = client.get(sw.api(f"bids/{bid.pk}/scores/"))
    assert before.status_code == 403
    bad = client.post(sw.api(f"bids/{bid.pk}/declaration/"), {"has_conflict": True}, format="json")
    assert bad.status_code == 400 and "details" in bad.json()["error"]["fields"]
    ok = client.post(sw.api(f"bids/{bid.pk}/declaration/"), {"has_conflict": False}, format="json")
    assert ok.status_code == 200 and ok.json()["may_score"]
    put = client.put(
        sw.api(f"bids/{bid.pk}/scores/"),
        {"scores": [{"criterion_id": quality.pk, "score": "4", "justification": JUSTIFICATION, "revision": 0}]},
        format="json",
    )
    assert put.status_code == 200
    saved = {s["criterion_id"]: s for s in put.json()["scores"]}
    assert saved[quality.pk]["revision"] == 1 and Decimal(saved[quality.pk]["score"]) == 4
    stale = client.put(
        sw.api(f"bids/{bid.pk}/scores/"),
        {"scores": [{"criterion_id": quality.pk, "score": "2", "justification": "x", "revision": 0}]},
        format="json",
    )
    assert stale.status_code == 400
    assert services.score_field(quality.pk, "justification") in stale.json()["error"]["fields"]
    off_scale = client.put(
        sw.api(f"bids/{bid.pk}/scores/"),
        {"scores": [{"criterion_id": social.pk, "score": "9", "justification": "", "revision": 0}]},
        format="json",
    )
    assert off_scale.status_code == 400
    assert services.score_field(social.pk, "score") in off_scale.json()["error"]["fields"]
    incomplete = client.post(sw.api(f"bids/{bid.pk}/scores/submit/"), format="json")
    assert incomplete.status_code == 400
    assert set(incomplete.json()["error"]["fields"]) == {
        services.score_field(social.pk, "score"),
        services.score_field(social.pk, "justification"),
    }
    client.put(
        sw.api(f"bids/{bid.pk}/scores/"),
        {"scores": [{"criterion_id": social.pk, "score": "3", "justification": JUSTIFICATION, "revision": 0}]},
        format="json",
    )
    done = client.post(sw.api(f"bids/{bid.pk}/scores/submit/"), format="json")
    assert done.status_code == 200 and done.json()["submitted_at"] and done.json()["others"] == []
    locked = client.put(
        sw.api(f"bids/{bid.pk}/scores/"),
        {"scores": [{"criterion_id": social.pk, "score": "1", "justification": "x", "revision": 1}]},
        format="json",
    )
    assert locked.status_code == 400 and "locked" in locked.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"scores": []},
        {"scores": "x"},
        {"scores": [{"criterion_id": "a", "revision": 0}]},
        {"scores": [{"criterion_id": 1}]},
        {"scores": [{"criterion_id": 999999, "revision": 0}]},
    ],
)
def test_bad_score_bodies_are_400_json(knowsley: CouncilWorld, body: dict) -> None:
    sw = started(scoring_world(knowsley))
    declared(sw, sw.evaluators[0])
    response = api_as(sw.evaluators[0]).put(sw.api(f"bids/{sw.bids[0].pk}/scores/"), body, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_a_recused_evaluator_and_other_bids_are_refused(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    second = sw.evaluators[1]
    client = api_as(second)
    conflict = client.post(
        sw.api(f"bids/{sw.bids[0].pk}/declaration/"),
        {"has_conflict": True, "details": "I volunteer there.", "whole_tender": True},
        format="json",
    )
    assert conflict.status_code == 200 and conflict.json()["recused"]
    assert client.get(sw.api(f"bids/{sw.bids[1].pk}/scores/")).status_code == 403
    assert client.get(sw.api("bids/999999/scores/")).status_code == 404
    other = started(scoring_world(southwark))
    assert (
        api_as(southwark.people[Role.EVALUATOR])
        .get(f"/api/v1/councils/southwark/tenders/{sw.tender.pk}/evaluation/mine/")
        .status_code
        == 404
    )
    assert api_as(sw.evaluators[0]).get(other.api("mine/")).status_code in (403, 404)
