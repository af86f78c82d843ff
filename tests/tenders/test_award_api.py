"""The award API: the same rules as the pages, in the one error shape (4xx JSON): recommend with
reasons, four-eyes 403, conflicts 409, the public award notices, each bidder's own assessment
summaries (404 for another's) and challenge, suspension and the contract with its KPIs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders.models import AssessmentSummary, AwardNotice
from tests.factories import CouncilWorld
from tests.factories.award_world import AwardWorld, award_world

pytestmark = pytest.mark.world("policies")


@pytest.fixture
def aw(knowsley: CouncilWorld) -> AwardWorld:
    with council_scope(knowsley.council):
        return award_world(knowsley)


def _api(aw: AwardWorld, rest: str = "") -> str:
    return f"/api/v1/councils/knowsley/tenders/{aw.tender.pk}/award/{rest}"


def _as(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def _recommend(aw: AwardWorld, **body) -> dict:  # type: ignore[no-untyped-def, type-arg]
    response = _as(aw.commissioner).post(
        _api(aw, "recommendations/"), {"lot": aw.lot.pk, "bid": aw.bids[0].pk, **body}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def _approve(aw: AwardWorld) -> AwardNotice:
    recommendation = _recommend(aw)
    response = _as(aw.officer).post(
        _api(aw, f"recommendations/{recommendation['id']}/decision/"), {"decision": "approve"}, format="json"
    )
    assert response.status_code == 200, response.json()
    with council_scope(aw.tender.council):
        return AwardNotice.objects.get(recommendation_id=recommendation["id"])


def test_the_award_shows_the_ranking_and_refuses_those_without_the_role(knowsley: CouncilWorld, aw: AwardWorld) -> None:
    body = _as(aw.commissioner).get(_api(aw)).json()
    (lot,) = body["lots"]
    assert lot["lot"] == aw.lot.pk and lot["blockers"] == [] and lot["notice"] is None
    assert [r["bid_id"] for r in lot["ranking"]][0] == aw.bids[0].pk
    assert lot["ranking"][0]["organisation"] == aw.organisations[0].name
    refused = _as(knowsley.people[Role.EVALUATOR]).get(_api(aw))
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
    assert _as(knowsley.provider).get(_api(aw)).status_code == 404


def test_recommend_validates_in_the_error_shape(aw: AwardWorld) -> None:
    client = _as(aw.commissioner)
    other = client.post(_api(aw, "recommendations/"), {"lot": aw.lot.pk, "bid": aw.bids[1].pk}, format="json")
    assert other.status_code == 400 and "reason" in other.json()["error"]["fields"]
    bad = client.post(_api(aw, "recommendations/"), {"lot": "x", "bid": []}, format="json")
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"lot", "bid"}
    assert client.post(_api(aw, "recommendations/"), {"lot": 999999, "bid": None}, format="json").status_code == 404
    form = client.post(_api(aw, "recommendations/"), {"lot": str(aw.lot.pk)})
    assert form.status_code == 415
    first = _recommend(aw)
    assert first["bid"] == aw.bids[0].pk and first["ranking"][0]["rank"] == 1
    again = client.post(_api(aw, "recommendations/"), {"lot": aw.lot.pk, "bid": aw.bids[0].pk}, format="json")
    assert again.status_code == 409
    officer = _as(aw.officer).post(_api(aw, "recommendations/"), {"lot": aw.lot.pk, "bid": None}, format="json")
    assert officer.status_code == 403


def test_four_eyes_and_decisions(knowsley: CouncilWorld, aw: AwardWorld) -> None:
    from tests.factories.councils import MembershipFactory

    recommendation = _recommend(aw)
    decision = _api(aw, f"recommendations/{recommendation['id']}/decision/")
    with council_scope(knowsley.council):
        MembershipFactory(council=knowsley.council, user=aw.evaluator, role=Role.OFFICER)
    refused = _as(aw.evaluator).post(decision, {"decision": "approve"}, format="json")
    assert refused.status_code == 403 and "evaluator" in refused.json()["error"]["message"]
    bad = _as(aw.officer).post(decision, {"decision": "maybe"}, format="json")
    assert bad.status_code == 400 and "decision" in bad.json()["error"]["fields"]
    no_comment = _as(aw.officer).post(decision, {"decision": "send_back"}, format="json")
    assert no_comment.status_code == 400 and "comment" in no_comment.json()["error"]["fields"]
    sent_back = _as(aw.officer).post(decision, {"decision": "send_back", "comment": "Check B."}, format="json")
    assert sent_back.status_code == 200 and sent_back.json()["decision"] == "rejected"
    assert _as(aw.officer).post(decision, {"decision": "approve"}, format="json").status_code == 409


def test_the_public_notice_in_the_opportunities_api(aw: AwardWorld) -> None:
    public = APIClient()
    url = f"/api/v1/councils/knowsley/opportunities/{aw.tender.pk}/award/"
    assert public.get(url).json() == []
    notice = _approve(aw)
    (row,) = public.get(url).json()
    assert row["winner"] == aw.organisations[0].name and row["value"] == "80000.00"
    assert row["standstill"]["working_days"] == notice.standstill_days
    assert row["standstill"]["ends_on"] == notice.standstill_end.isoformat()
    assert row["standstill"]["running"] is True and row["contract_entered"] is False
    assert public.get("/api/v1/councils/knowsley/opportunities/999999/award/").status_code == 404


def test_each_bidder_reads_their_own_summary_and_challenges(aw: AwardWorld) -> None:
    notice = _approve(aw)
    with council_scope(aw.tender.council):
        mine = AssessmentSummary.objects.get(notice=notice, bid=aw.bids[1])
        theirs = AssessmentSummary.objects.get(notice=notice, bid=aw.bids[2])
    client = _as(aw.providers[1])
    (row,) = client.get("/api/v1/me/assessment-summaries/").json()
    assert row["id"] == mine.pk and row["successful"] is False
    detail = client.get(f"/api/v1/me/assessment-summaries/{mine.pk}/").json()
    assert detail["bidder"]["rank"] == 2 and detail["winner"]["organisation"] == aw.organisations[0].name
    assert {r["criterion_id"] for r in detail["rows"]} == {c.pk for c in aw.criteria}
    assert client.get(f"/api/v1/me/assessment-summaries/{theirs.pk}/").status_code == 404
    challenge = f"/api/v1/me/assessment-summaries/{mine.pk}/challenges/"
    assert client.post(challenge, {"reasons": ""}, format="json").status_code == 400
    made = client.post(challenge, {"reasons": "The price score is wrong."}, format="json")
    assert made.status_code == 201 and made.json()["bid"] == aw.bids[1].pk
    assert _as(aw.providers[2]).post(challenge, {"reasons": "x"}, format="json").status_code == 404
    challenges = _as(aw.officer).get(_api(aw)).json()["lots"][0]["challenges"]
    assert [c["reasons"] for c in challenges] == ["The price score is wrong."]


def test_suspension_and_the_contract_with_kpis(aw: AwardWorld) -> None:
    notice = _approve(aw)
    officer = _as(aw.officer)
    contract = _api(aw, f"notices/{notice.pk}/contract/")
    body = {"value": "80000.00", "start_date": "2027-04-01", "end_date": "2029-03-31"}
    early = officer.post(contract, body, format="json")
    assert early.status_code == 400 and "standstill ends" in str(early.json()["error"]["fields"])
    with council_scope(aw.tender.council):
        AwardNotice.objects.filter(pk=notice.pk).update(standstill_end=timezone.localdate() - timedelta(days=1))
    backwards = officer.post(contract, {**body, "end_date": "2027-01-01"}, format="json")
    assert backwards.status_code == 400 and "end_date" in backwards.json()["error"]["fields"]
    made = officer.post(contract, body, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["provider"] == aw.organisations[0].name
    assert [k["measure"] for k in made.json()["social_value_kpis"]] == ["Local volunteering hours", "Local apprentices"]
    assert officer.post(contract, body, format="json").status_code == 409
    suspend = officer.post(_api(aw, f"notices/{notice.pk}/suspension/"), {"reason": "Late."}, format="json")
    assert suspend.status_code == 409  # the contract is entered
    listed = officer.get("/api/v1/councils/knowsley/contracts/").json()["results"]
    assert [c["id"] for c in listed] == [made.json()["id"]]
    award = officer.get(_api(aw)).json()["lots"][0]
    assert award["contract"]["social_value_kpis"][0]["target"] == "400.00"


def test_suspending_blocks_the_contract(aw: AwardWorld) -> None:
    notice = _approve(aw)
    officer = _as(aw.officer)
    assert officer.post(_api(aw, f"notices/{notice.pk}/suspension/"), {}, format="json").status_code == 400
    done = officer.post(_api(aw, f"notices/{notice.pk}/suspension/"), {"reason": "A challenge."}, format="json")
    assert done.status_code == 200 and done.json()["lots"][0]["notice"]["suspended"] is True
    with council_scope(aw.tender.council):
        AwardNotice.objects.filter(pk=notice.pk).update(standstill_end=timezone.localdate() - timedelta(days=1))
    body = {"value": "80000.00", "start_date": "2027-04-01", "end_date": "2029-03-31"}
    refused = officer.post(_api(aw, f"notices/{notice.pk}/contract/"), body, format="json")
    assert refused.status_code == 400 and "suspended" in str(refused.json()["error"]["fields"])
