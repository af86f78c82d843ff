"""A bidder found non-compliant at opening gets an assessment summary too: it says the bid was not
assessed and why (the reason recorded at opening), with the award criteria and weights and the
winner's points and reasons; the provider reads it on its page and in the API and may challenge
the award during standstill, as assessed bidders can; another organisation cannot read it."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from commissioning.tenancy import council_scope
from tenders import services
from tenders.models import AssessmentSummary, AwardNotice, Bid, Challenge, Compliance
from tests.factories import CouncilWorld
from tests.factories.award_world import AwardWorld, award_world

pytestmark = pytest.mark.world("policies")

REASON = "The safeguarding policy required by the specification was missing."


@pytest.fixture
def aw(knowsley: CouncilWorld) -> AwardWorld:
    with council_scope(knowsley.council):
        world = award_world(knowsley)
        # The third bid was found non-compliant at opening (so it is neither evaluated nor ranked).
        Bid.objects.filter(pk=world.bids[2].pk).update(compliance=Compliance.NON_COMPLIANT, compliance_reason=REASON)
    return world


def _approve(aw: AwardWorld) -> AwardNotice:
    with council_scope(aw.tender.council):
        recommendation = services.award_recommend(
            tender=aw.tender, lot=aw.lot, actor=aw.commissioner, bid_id=aw.bids[0].pk
        )
        services.award_decide(recommendation=recommendation, actor=aw.officer, approve=True)
        return AwardNotice.objects.get(recommendation=recommendation)


def _as(user) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_non_compliant_bidder_is_told_it_was_not_assessed_and_why(aw: AwardWorld) -> None:
    notice = _approve(aw)
    with council_scope(aw.tender.council):
        summaries = {s.bid_id: s for s in AssessmentSummary.objects.filter(notice=notice)}
    assert set(summaries) == {bid.pk for bid in aw.bids}
    summary = summaries[aw.bids[2].pk]
    assert not summary.successful and summary.organisation_id == aw.organisations[2].pk
    content = summary.content
    assert content["not_assessed_reason"] == REASON
    assert "not assessed" in content["why"] and REASON.rstrip(".") in content["why"]
    assert aw.organisations[0].name in content["why"]
    assert content["bidder"] == {
        "bid_id": aw.bids[2].pk,
        "organisation": aw.organisations[2].name,
        "total": None,
        "rank": None,
        "price": None,
    }
    assert [c["title"] for c in content["criteria"]] == [c.title for c in aw.criteria]
    quality = next(row for row in content["rows"] if row["criterion_id"] == aw.quality.pk)
    assert quality["points"] is None and quality["score"] is None and "Not assessed" in quality["reason"]
    assert quality["winner_score"] == "5.00" and quality["winner_points"] is not None
    assert content["winner"]["organisation"] == aw.organisations[0].name
    # The assessed bidders' summaries count only the assessed bids.
    assert summaries[aw.bids[1].pk].content["assessed"] == 2
    assert "ranked 2 of 2" in summaries[aw.bids[1].pk].content["why"]


def test_the_non_compliant_bidder_reads_it_and_challenges_through_the_api(client, aw: AwardWorld) -> None:
    notice = _approve(aw)
    with council_scope(aw.tender.council):
        summary = AssessmentSummary.objects.get(notice=notice, bid=aw.bids[2])
    provider = aw.providers[2]
    api = _as(provider)
    (row,) = api.get("/api/v1/me/assessment-summaries/").json()
    assert row["id"] == summary.pk and row["successful"] is False
    detail = api.get(f"/api/v1/me/assessment-summaries/{summary.pk}/")
    assert detail.status_code == 200
    body = detail.json()
    assert body["not_assessed_reason"] == REASON and body["bidder"]["total"] is None
    assert body["winner"]["organisation"] == aw.organisations[0].name
    assert {r["criterion_id"] for r in body["rows"]} == {c.pk for c in aw.criteria}
    # Another organisation's member cannot read it, nor challenge through it.
    other = _as(aw.providers[1])
    assert other.get(f"/api/v1/me/assessment-summaries/{summary.pk}/").status_code == 404
    url = f"/api/v1/me/assessment-summaries/{summary.pk}/challenges/"
    assert other.post(url, {"reasons": "x"}, format="json").status_code == 404
    made = api.post(url, {"reasons": "Our safeguarding policy was attached as appendix 3."}, format="json")
    assert made.status_code == 201 and made.json()["bid"] == aw.bids[2].pk
    with council_scope(aw.tender.council):
        assert Challenge.objects.filter(notice=notice, bid=aw.bids[2], raised_by=provider).count() == 1
    # The provider's page shows it.
    client.force_login(provider)
    listing = client.get("/bids/assessment-summaries/").content.decode()
    assert aw.tender.title in listing
    page = client.get(f"/bids/assessment-summaries/{summary.pk}/").content.decode()
    assert "Not assessed: found non-compliant at opening" in page and REASON.rstrip(".") in page
    assert "Challenge the award" in page
    client.force_login(aw.providers[1])
    assert client.get(f"/bids/assessment-summaries/{summary.pk}/").status_code == 404
