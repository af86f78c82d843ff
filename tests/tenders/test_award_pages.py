"""The award's pages: by role, the recommend → decide → notice journey without JavaScript, errors
next to the field, the public notice, the provider's own assessment summaries (never another's),
the challenge, suspension and contract pages, the tender page panel, and constant SQL queries
whatever the number of bids.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value.models import Agreement, AgreementKind, ReportingPeriod
from tenders import services
from tenders.models import AssessmentSummary, AwardNotice, AwardRecommendation, Challenge, Contract
from tests.factories import CouncilWorld
from tests.factories.award_world import AwardWorld, award_world

pytestmark = pytest.mark.world("policies")


@pytest.fixture
def aw(knowsley: CouncilWorld) -> AwardWorld:
    with council_scope(knowsley.council):
        return award_world(knowsley)


def _url(aw: AwardWorld, rest: str = "") -> str:
    return f"/c/knowsley/tenders/{aw.tender.pk}/award/{rest}"


def _approved(aw: AwardWorld) -> AwardNotice:
    with council_scope(aw.tender.council):
        recommendation = services.award_recommend(
            tender=aw.tender, lot=aw.lot, actor=aw.commissioner, bid_id=aw.bids[0].pk
        )
        services.award_decide(recommendation=recommendation, actor=aw.officer, approve=True)
        return AwardNotice.objects.get(recommendation=recommendation)


def _end_standstill(aw: AwardWorld, notice: AwardNotice) -> None:
    with council_scope(aw.tender.council):
        AwardNotice.objects.filter(pk=notice.pk).update(
            published_at=timezone.now() - timedelta(days=20), standstill_end=timezone.localdate() - timedelta(days=1)
        )


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COMMISSIONER, Role.EVALUATOR, Role.OFFICER, Role.CITIZEN])
def test_the_award_page_by_role(client, knowsley: CouncilWorld, aw: AwardWorld, role: str) -> None:
    client.force_login(knowsley.people[role])
    page = client.get(_url(aw))
    recommend = client.post(_url(aw, f"lots/{aw.lot.pk}/recommend/"), {"bid": str(aw.bids[0].pk)})
    if role in (Role.ADMIN, Role.COMMISSIONER, Role.OFFICER):
        assert page.status_code == 200
        assert aw.organisations[0].name in page.content.decode()
    else:
        assert page.status_code == 403
    assert recommend.status_code == (302 if role == Role.COMMISSIONER else 403)
    with council_scope(knowsley.council):
        assert AwardRecommendation.objects.filter(tender=aw.tender).exists() == (role == Role.COMMISSIONER)


def test_commissioner_recommends_another_bid_only_with_a_reason_shown_next_to_the_field(client, aw: AwardWorld) -> None:
    client.force_login(aw.commissioner)
    form = client.get(_url(aw, f"lots/{aw.lot.pk}/recommend/"))
    assert form.status_code == 200 and "checked" in form.content.decode()

    refused = client.post(_url(aw, f"lots/{aw.lot.pk}/recommend/"), {"bid": str(aw.bids[1].pk), "reason": ""})
    body = refused.content.decode()
    assert refused.status_code == 200
    assert "govuk-error-summary" in body and "Enter the reason for recommending a bid other than" in body
    assert 'id="reason-error"' in body or "govuk-error-message" in body

    saved = client.post(
        _url(aw, f"lots/{aw.lot.pk}/recommend/"), {"bid": str(aw.bids[1].pk), "reason": "Bid A cannot start."}
    )
    assert saved.status_code == 302
    with council_scope(aw.tender.council):
        assert AwardRecommendation.objects.get(tender=aw.tender).bid_id == aw.bids[1].pk


def test_the_officer_approves_and_the_recommender_is_refused(client, knowsley: CouncilWorld, aw: AwardWorld) -> None:
    with council_scope(knowsley.council):
        recommendation = services.award_recommend(
            tender=aw.tender, lot=aw.lot, actor=aw.commissioner, bid_id=aw.bids[0].pk
        )
    decide = _url(aw, f"recommendations/{recommendation.pk}/")
    client.force_login(aw.officer)
    page = client.get(decide)
    assert page.status_code == 200 and aw.organisations[0].name in page.content.decode()
    missing = client.post(decide, {"decision": "send_back", "comment": ""})
    assert "Enter what the commissioner should change" in missing.content.decode()
    assert client.post(decide, {"decision": "approve"}).status_code == 302

    award = client.get(_url(aw)).content.decode()
    assert "Award notice" in award and "working days, ending on" in award
    with council_scope(knowsley.council):
        assert AssessmentSummary.objects.filter(notice__tender=aw.tender).count() == 3


def test_an_evaluator_officer_sees_why_they_cannot_decide(client, knowsley: CouncilWorld, aw: AwardWorld) -> None:
    from tests.factories.councils import MembershipFactory

    with council_scope(knowsley.council):
        MembershipFactory(council=knowsley.council, user=aw.evaluator, role=Role.OFFICER)
        recommendation = services.award_recommend(
            tender=aw.tender, lot=aw.lot, actor=aw.commissioner, bid_id=aw.bids[0].pk
        )
    client.force_login(aw.evaluator)
    page = client.get(_url(aw, f"recommendations/{recommendation.pk}/")).content.decode()
    assert "You were an evaluator of this tender" in page and "Save the decision" not in page
    assert client.post(_url(aw, f"recommendations/{recommendation.pk}/"), {"decision": "approve"}).status_code == 403


def test_the_public_notice_shows_winner_value_and_standstill(client, aw: AwardWorld) -> None:
    assert client.get(f"/c/knowsley/opportunities/{aw.tender.pk}/award/").status_code == 404
    notice = _approved(aw)
    page = client.get(f"/c/knowsley/opportunities/{aw.tender.pk}/award/").content.decode()
    assert aw.organisations[0].name in page and "£80,000" in page
    assert f"{notice.standstill_days} working days, ending on {notice.standstill_end:%A %-d %B %Y}" in page
    opportunity = client.get(f"/c/knowsley/opportunities/{aw.tender.pk}/").content.decode()
    assert "Read the award notice" in opportunity


def test_each_bidder_reads_only_their_own_assessment_summary(client, aw: AwardWorld) -> None:
    notice = _approved(aw)
    with council_scope(aw.tender.council):
        mine = AssessmentSummary.objects.get(notice=notice, bid=aw.bids[2])
        theirs = AssessmentSummary.objects.get(notice=notice, bid=aw.bids[1])
    client.force_login(aw.providers[2])
    listing = client.get("/bids/assessment-summaries/").content.decode()
    assert aw.tender.title in listing and listing.count('href="/bids/assessment-summaries/') == 1
    assert f'href="/bids/assessment-summaries/{mine.pk}/"' in listing
    page = client.get(f"/bids/assessment-summaries/{mine.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Your bid was not successful" in body and "Rationale for bidder C" in body
    assert "Rationale for bidder A" in body  # the winner's reasons, as regulation 31 asks
    assert "Rationale for bidder B" not in body
    assert client.get(f"/bids/assessment-summaries/{theirs.pk}/").status_code == 404
    assert "Your assessment summaries" in client.get("/bids/").content.decode()


def test_a_bidder_challenges_during_standstill_and_the_officer_suspends(client, aw: AwardWorld) -> None:
    notice = _approved(aw)
    challenge_url = f"/c/knowsley/opportunities/{aw.tender.pk}/award/{notice.pk}/challenge/"
    client.force_login(aw.providers[1])
    assert client.get(challenge_url).status_code == 200
    empty = client.post(challenge_url, {"bid": str(aw.bids[1].pk), "reasons": ""})
    assert "Enter the reasons for your challenge" in empty.content.decode()
    assert (
        client.post(challenge_url, {"bid": str(aw.bids[1].pk), "reasons": "Scores ignored our plan."}).status_code
        == 302
    )

    client.force_login(aw.officer)
    assert "Scores ignored our plan." in client.get(_url(aw)).content.decode()
    suspend = _url(aw, f"notices/{notice.pk}/suspend/")
    assert "Enter the reason for suspending" in client.post(suspend, {"reason": ""}).content.decode()
    assert client.post(suspend, {"reason": "Reviewing the challenge."}).status_code == 302
    _end_standstill(aw, notice)
    page = client.get(_url(aw, f"notices/{notice.pk}/contract/")).content.decode()
    assert "The award is suspended" in page
    with council_scope(aw.tender.council):
        assert Challenge.objects.filter(notice=notice).count() == 1


def test_someone_who_did_not_bid_cannot_challenge(client, knowsley: CouncilWorld, aw: AwardWorld) -> None:
    notice = _approved(aw)
    client.force_login(knowsley.provider)
    assert client.get(f"/c/knowsley/opportunities/{aw.tender.pk}/award/{notice.pk}/challenge/").status_code == 404


def test_the_contract_is_entered_after_standstill_with_its_kpis(client, aw: AwardWorld) -> None:
    notice = _approved(aw)
    client.force_login(aw.officer)
    contract_url = _url(aw, f"notices/{notice.pk}/contract/")
    assert "The standstill ends on" in client.get(contract_url).content.decode()
    _end_standstill(aw, notice)
    dates = {
        "value": "80,000",
        "start_date_day": "1",
        "start_date_month": "4",
        "start_date_year": "2027",
        "end_date_day": "31",
        "end_date_month": "3",
        "end_date_year": "2027",
    }
    wrong = client.post(contract_url, dates)
    assert "The end date must be the same as or after the start date" in wrong.content.decode()
    assert "How often does the provider report on its social value KPIs?" in wrong.content.decode()
    assert (
        client.post(contract_url, {**dates, "end_date_year": "2029", "reporting_period": "weekly"}).status_code == 200
    )
    response = client.post(contract_url, {**dates, "end_date_year": "2029", "reporting_period": "half_yearly"})
    assert response.status_code == 302
    page = client.get(_url(aw)).content.decode()
    assert "Local volunteering hours" in page and "Local apprentices" in page
    # The bid's own words are "another measure": flagged, and the reporting period as chosen.
    assert page.count("Not in the framework") == 2 and "Every six months" in page
    with council_scope(aw.tender.council):
        contract = Contract.objects.get(notice=notice)
        assert contract.organisation_id == aw.organisations[0].pk
        agreement = Agreement.objects.get(kind=AgreementKind.CONTRACT, source_id=contract.pk)
        assert agreement.reporting_period == ReportingPeriod.HALF_YEARLY


def test_the_tender_page_links_to_the_award(client, aw: AwardWorld) -> None:
    client.force_login(aw.commissioner)
    page = client.get(f"/c/knowsley/tenders/{aw.tender.pk}/").content.decode()
    assert "Recommend and approve the award" in page


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_pages_run_the_same_queries_with_2_and_6_bids(client, knowsley: CouncilWorld) -> None:
    counts = []
    for n, title in ((2, "Small"), (6, "Large")):
        with council_scope(knowsley.council):
            world = award_world(knowsley, n=n, title=f"{title} award tender")
        notice = _approved(world)
        with council_scope(knowsley.council):
            summary = AssessmentSummary.objects.get(notice=notice, bid=world.bids[1])
        client.force_login(world.officer)
        staff = [_queries(client, _url(world)), _queries(client, f"/c/knowsley/opportunities/{world.tender.pk}/award/")]
        client.force_login(world.providers[1])
        provider = [
            _queries(client, "/bids/assessment-summaries/"),
            _queries(client, f"/bids/assessment-summaries/{summary.pk}/"),
        ]
        counts.append(staff + provider)
    assert counts[0] == counts[1]
