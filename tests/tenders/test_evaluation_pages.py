"""Evaluation pages: sealed before the deadline; the commissioner starts, assigns and sees counts
(never scores) with the policy's minimum as a warning; an evaluator declares before seeing any of
a bid (the bidder's name even in a blind evaluation, never its content or price), scores with the
htmx autosave or "Save draft", and submits (errors next to each field, typed text kept); an
officer decides on recusals; other councils and other roles are refused; constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import services
from tenders.models import Criterion, Recusal, Scale, Score, ScoreSheet
from tests.factories import CouncilWorld
from tests.factories.scoring_world import JUSTIFICATION, ScoringWorld, declared, scored, scoring_world, started

pytestmark = pytest.mark.world("bids")

ANSWER = "private-bid-answer"


def score_data(sw: ScoringWorld, **overrides: str) -> dict[str, str]:
    data: dict[str, str] = {}
    for criterion in sw.criteria:
        data[services.score_field(criterion.pk, "score")] = "4"
        data[services.score_field(criterion.pk, "justification")] = JUSTIFICATION
        data[services.score_field(criterion.pk, "revision")] = "0"
    data.update(overrides)
    return data


def test_before_the_deadline_the_pages_are_sealed(client, knowsley: CouncilWorld) -> None:
    tender = knowsley.published
    assert tender is not None
    client.force_login(knowsley.people[Role.COMMISSIONER])
    page = client.get(f"/c/knowsley/tenders/{tender.pk}/evaluation/")
    assert page.status_code == 200 and "Start the evaluation" not in page.content.decode()
    assert client.post(f"/c/knowsley/tenders/{tender.pk}/evaluation/start/").status_code == 403
    client.force_login(knowsley.people[Role.EVALUATOR])
    assert (
        "Knowsley Community Trust"
        not in client.get(f"/c/knowsley/tenders/{tender.pk}/evaluation/mine/").content.decode()
    )


def test_the_commissioner_starts_assigns_and_sees_counts_only(client, knowsley: CouncilWorld) -> None:
    sw = scoring_world(knowsley)
    client.force_login(sw.commissioner)
    assert "Start the evaluation" in client.get(sw.url()).content.decode()
    assert client.post(sw.url("start/")).status_code == 302
    first, second = sw.evaluators
    refused = client.post(sw.url("evaluators/"), {"user": str(sw.officer.pk), "criterion": ""})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.content.decode()
    assert client.post(sw.url("evaluators/"), {"user": str(first.pk), "criterion": ""}).status_code == 302
    page = client.get(sw.url()).content.decode()
    assert 'id="panel-short"' in page and "at least 2 evaluators" in page
    assert client.post(sw.url("evaluators/"), {"user": str(second.pk), "criterion": ""}).status_code == 302
    declared(sw, first)
    scored(sw, first, sw.bids[0], score=3)
    page = client.get(sw.url()).content.decode()
    assert 'id="panel-short"' not in page
    assert "1 of 2" in page and JUSTIFICATION not in page and ANSWER not in page
    # The tender page links to the evaluation.
    assert sw.url() in client.get(f"/c/knowsley/tenders/{sw.tender.pk}/").content.decode()


def test_an_officer_removes_an_evaluator_with_a_reason(client, knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    with council_scope(knowsley.council):
        from tenders.selectors import current_assignments

        assignment = current_assignments(tender=sw.tender).last()
    client.force_login(sw.officer)
    url = sw.url(f"evaluators/{assignment.pk}/remove/")
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "Enter the reason for removing the evaluator" in empty.content.decode()
    assert client.post(url, {"reason": "Left the council"}).status_code == 302
    assert client.get(url).status_code == 404


def test_an_evaluator_declares_before_seeing_the_bid(client, knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley, blind=True))
    bid = sw.bids[0]
    client.force_login(sw.evaluators[0])
    mine = client.get(sw.url("mine/")).content.decode()
    assert "Bid A" in mine and "Declare your interests" in mine and "Knowsley Community Trust" not in mine
    score_url = sw.url(f"bids/{bid.pk}/")
    assert client.get(score_url).status_code == 302
    declare = client.get(sw.url(f"bids/{bid.pk}/declare/")).content.decode()
    assert "Knowsley Community Trust" in declare and ANSWER not in declare and "150,000" not in declare
    missing = client.post(sw.url(f"bids/{bid.pk}/declare/"), {"has_conflict": "yes", "details": ""})
    assert missing.status_code == 400 and "Describe the conflict of interest" in missing.content.decode()
    assert client.post(sw.url(f"bids/{bid.pk}/declare/"), {"has_conflict": "no"}).status_code == 302
    page = client.get(score_url).content.decode()
    assert ANSWER in page and "Score Bid A" in page
    assert "Knowsley Community Trust" not in page and "150,000" not in page


def test_a_conflict_recuses_and_the_officer_decides(client, knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    bid = sw.bids[0]
    second = sw.evaluators[1]
    client.force_login(second)
    answer = client.post(
        sw.url(f"bids/{bid.pk}/declare/"), {"has_conflict": "yes", "details": "My sister works there.", "scope": "bid"}
    )
    assert answer.status_code == 302
    recused = client.get(sw.url(f"bids/{bid.pk}/"))
    assert recused.status_code == 403 and ANSWER not in recused.content.decode()
    with council_scope(knowsley.council):
        recusal = Recusal.objects.get(tender=sw.tender, user=second)
    assert client.get(sw.url(f"recusals/{recusal.pk}/")).status_code == 403
    client.force_login(sw.officer)
    listing = client.get(sw.url("recusals/")).content.decode()
    assert "My sister works there." in listing and "Decide" in listing
    empty = client.post(sw.url(f"recusals/{recusal.pk}/"), {"decision": "stands", "reason": ""})
    assert empty.status_code == 400 and "Enter the reason for the decision" in empty.content.decode()
    done = client.post(sw.url(f"recusals/{recusal.pk}/"), {"decision": "stands", "reason": "Two remain."})
    assert done.status_code == 302
    assert "The panel still stands: Two remain." in client.get(sw.url("recusals/")).content.decode()


def test_scoring_keeps_what_was_typed_and_submits_with_errors_by_field(client, knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    first = sw.evaluators[0]
    declared(sw, first)
    bid = sw.bids[0]
    quality, social = sw.criteria
    client.force_login(first)
    url = sw.url(f"bids/{bid.pk}/")
    typed = score_data(
        sw,
        **{
            services.score_field(social.pk, "score"): "",
            services.score_field(quality.pk, "justification"): "Short but mine",
            "submit": "1",
        },
    )
    page = client.post(url, typed)
    body = page.content.decode()
    assert page.status_code == 400 and "There is a problem" in body
    assert "Short but mine" in body  # nothing typed is lost
    assert f'href="#id_{services.score_field(social.pk, "score")}' in body
    assert "at least 50 characters" in body
    with council_scope(knowsley.council):
        saved = Score.objects.get(sheet__bid=bid, sheet__evaluator=first, criterion=quality)
        assert saved.justification == "Short but mine"  # the draft was saved all the same
        revisions = {s.criterion_id: s.revision for s in Score.objects.filter(sheet__bid=bid, sheet__evaluator=first)}
    complete = score_data(sw, submit="1")
    for criterion_id, revision in revisions.items():
        complete[services.score_field(criterion_id, "revision")] = str(revision)
    assert client.post(url, complete).status_code == 302
    with council_scope(knowsley.council):
        assert ScoreSheet.objects.get(bid=bid, evaluator=first).submitted_at is not None
    locked = client.post(url, score_data(sw, save="1"))
    assert locked.status_code == 400 and "locked" in locked.content.decode()
    assert "Other evaluators" in client.get(url).content.decode()


def test_the_htmx_autosave_answers_with_the_status_and_refuses_stale_saves(client, knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    first = sw.evaluators[0]
    declared(sw, first)
    bid = sw.bids[0]
    quality = sw.criteria[0]
    client.force_login(first)
    url = sw.url(f"bids/{bid.pk}/")
    data = {
        services.score_field(quality.pk, "score"): "2",
        services.score_field(quality.pk, "justification"): "First thoughts",
        services.score_field(quality.pk, "revision"): "0",
    }
    saved = client.post(url, data, HTTP_HX_REQUEST="true")
    body = saved.content.decode()
    assert saved.status_code == 200 and "Draft saved" in body
    assert f'name="{services.score_field(quality.pk, "revision")}" value="1"' in body and 'hx-swap-oob="true"' in body
    stale = client.post(
        url, {**data, services.score_field(quality.pk, "justification"): "Other tab"}, HTTP_HX_REQUEST="true"
    )
    assert "saved from another page" in stale.content.decode()
    with council_scope(knowsley.council):
        assert Score.objects.get(sheet__bid=bid, criterion=quality).justification == "First thoughts"
    # Without JavaScript "Save draft" saves the same way and comes back to the page.
    plain = client.post(url, {**data, services.score_field(quality.pk, "revision"): "1", "save": "1"})
    assert plain.status_code == 302
    assert "First thoughts" in client.get(url).content.decode()


def test_a_hundred_point_criterion_takes_a_number(client, knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    first = sw.evaluators[0]
    declared(sw, first)
    quality = sw.criteria[0]
    with council_scope(knowsley.council):
        Criterion.objects.filter(pk=quality.pk).update(scale=Scale.ZERO_TO_HUNDRED)
    client.force_login(first)
    url = sw.url(f"bids/{sw.bids[0].pk}/")
    number = services.score_field(quality.pk, "number")
    wrong = client.post(url, {number: "130", "save": "1", services.score_field(quality.pk, "revision"): "0"})
    assert wrong.status_code == 400 and "Enter a score from 0 to 100" in wrong.content.decode()
    assert 'value="130"' in wrong.content.decode()
    assert (
        client.post(url, {number: "72.5", "save": "1", services.score_field(quality.pk, "revision"): "0"}).status_code
        == 302
    )
    with council_scope(knowsley.council):
        assert Score.objects.get(criterion=quality).score == Decimal("72.5")
    assert 'value="72.5"' in client.get(url).content.decode()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CITIZEN, Role.EVALUATOR])
def test_only_commissioners_and_officers_see_the_overview(client, knowsley: CouncilWorld, role: str) -> None:
    sw = started(scoring_world(knowsley))
    client.force_login(knowsley.people[role])
    assert client.get(sw.url()).status_code == 403
    assert client.get(sw.url("recusals/")).status_code == 403


def test_commissioners_do_not_reach_the_score_sheet(client, knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    client.force_login(sw.commissioner)
    assert client.get(sw.url(f"bids/{sw.bids[0].pk}/")).status_code == 403
    assert client.get(sw.url("mine/")).status_code == 403


def test_another_councils_evaluation_is_not_found(client, knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    client.force_login(southwark.people[Role.COMMISSIONER])
    assert client.get(sw.url()).status_code in (403, 404)
    assert client.get(f"/c/southwark/tenders/{sw.tender.pk}/evaluation/").status_code == 404
    client.force_login(southwark.people[Role.EVALUATOR])
    assert client.get(f"/c/southwark/tenders/{sw.tender.pk}/evaluation/bids/{sw.bids[0].pk}/").status_code == 404


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _counts(client, sw: ScoringWorld) -> list[int]:  # type: ignore[no-untyped-def]
    client.force_login(sw.commissioner)
    counts = [_queries(client, sw.url()), _queries(client, sw.url("recusals/"))]
    client.force_login(sw.evaluators[0])
    counts += [_queries(client, sw.url("mine/")), _queries(client, sw.url(f"bids/{sw.bids[0].pk}/"))]
    return counts


def _world(world: CouncilWorld, n: int) -> ScoringWorld:
    sw = started(scoring_world(world, extra_bids=n - 1))
    declared(sw, sw.evaluators[0])
    with council_scope(world.council):
        for bid in sw.bids[1:]:
            services.bidder_conflict_declare(
                tender=sw.tender, bid=bid, actor=sw.evaluators[1], has_conflict=True, details="Knows them."
            )
    scored(sw, sw.evaluators[0], sw.bids[-1])
    return sw


def test_pages_run_the_same_queries_with_5_and_50_bids(client, knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    small = _counts(client, _world(knowsley, 5))
    large = _counts(client, _world(southwark, 50))
    assert small == large


def test_submitting_while_this_pages_autosave_was_on_its_way_is_not_stale(client, knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley))
    first = sw.evaluators[0]
    declared(sw, first)
    client.force_login(first)
    url = sw.url(f"bids/{sw.bids[0].pk}/")
    social = sw.criteria[1]
    autosave = {**score_data(sw), "page": "tab-one"}
    assert "Draft saved" in client.post(url, autosave, HTTP_HX_REQUEST="true").content.decode()
    # The page had not yet swapped in the new revisions when "Submit scores" was pressed.
    submit = {**score_data(sw, **{services.score_field(social.pk, "score"): "5"}), "page": "tab-one", "submit": "1"}
    response = client.post(url, submit)
    assert response.status_code == 302, response.content.decode()[:3000]
    # Another page with the same old revisions is still refused.
    with council_scope(knowsley.council):
        ScoreSheet.objects.filter(bid=sw.bids[0]).update(submitted_at=None)
    other = {**score_data(sw, **{services.score_field(social.pk, "score"): "1"}), "page": "tab-two", "save": "1"}
    assert "saved from another page" in client.post(url, other).content.decode()


def test_submit_is_not_refused_when_its_own_first_autosave_landed_while_it_waited(
    client, knowsley: CouncilWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The flaky browser journey, made deterministic: the page's autosave created the scores while
    "Submit scores" (posted with the revisions the page had before, 0) was already reading the sheet,
    so Submit read no scores yet and met the autosave's rows only at the lock."""
    from tenders.views import evaluation as views

    sw = started(scoring_world(knowsley))
    first = sw.evaluators[0]
    declared(sw, first)
    client.force_login(first)
    url = sw.url(f"bids/{sw.bids[0].pk}/")
    autosave = {**score_data(sw, **{services.score_field(sw.criteria[1].pk, "score"): "2"}), "page": "tab-one"}
    assert "Draft saved" in client.post(url, autosave, HTTP_HX_REQUEST="true").content.decode()
    read_before = views.selectors.my_score_sheet
    monkeypatch.setattr(views.selectors, "my_score_sheet", lambda **kwargs: (read_before(**kwargs)[0], {}))
    submit = {**score_data(sw), "page": "tab-one", "submit": "1"}
    response = client.post(url, submit)
    assert response.status_code == 302, response.content.decode()[:3000]
    with council_scope(knowsley.council):
        sheet = ScoreSheet.objects.get(bid=sw.bids[0], evaluator=first)
        assert sheet.submitted_at is not None
        assert {s.score for s in Score.objects.filter(sheet=sheet)} == {Decimal(4)}
    # Another page in the same race is still told, in words by the field, that its scores are stale.
    with council_scope(knowsley.council):
        ScoreSheet.objects.filter(pk=sheet.pk).update(submitted_at=None)
    other = {**score_data(sw, **{services.score_field(sw.criteria[1].pk, "score"): "1"}), "page": "tab-two"}
    refused = client.post(url, {**other, "submit": "1"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "saved from another page" in body
    summary = body.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    assert f'href="#id_{services.score_field(sw.criteria[1].pk, "justification")}"' in summary


def test_an_error_on_a_hidden_field_is_shown_in_words_with_a_link(client, knowsley: CouncilWorld) -> None:
    from tenders.forms.evaluation import PAGE_OUT_OF_DATE

    sw = started(scoring_world(knowsley))
    first = sw.evaluators[0]
    declared(sw, first)
    client.force_login(first)
    url = sw.url(f"bids/{sw.bids[0].pk}/")
    broken = {**score_data(sw, **{services.score_field(sw.criteria[0].pk, "revision"): "-1"}), "submit": "1"}
    response = client.post(url, broken)
    body = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in body
    summary = body.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    items = [item.split("</li>")[0] for item in summary.split("<li>")[1:]]
    assert len(items) == 1 and PAGE_OUT_OF_DATE in items[0] and 'href="#id_criterion-' in items[0]
    assert "Ensure this value is greater than" not in body
    status = client.post(url, {**broken, "page": "x" * 41}, HTTP_HX_REQUEST="true").content.decode()
    assert PAGE_OUT_OF_DATE in status and "Draft saved" not in status


@pytest.mark.parametrize("blind", [True, False])
def test_a_blind_evaluation_shows_attachments_as_numbered_documents(
    client, knowsley: CouncilWorld, blind: bool
) -> None:
    from tenders.models import Evaluation
    from tests.factories.scoring_world import attachment_of

    sw = started(scoring_world(knowsley, blind=blind))
    first = sw.evaluators[0]
    declared(sw, first)
    client.force_login(first)
    attachment = attachment_of(sw, sw.bids[0])
    assert attachment is not None
    page = client.get(sw.url(f"bids/{sw.bids[0].pk}/")).content.decode()
    download = client.get(sw.url(f"bids/{sw.bids[0].pk}/attachments/{attachment.pk}/"))
    assert download.status_code == 200 and b"knowsley-private-attachment" in download.content
    disposition = download["Content-Disposition"]
    if blind:
        assert "knowsley-private-safeguarding" not in page
        assert "Document 1</a> (PDF, " in page
        assert "safeguarding" not in disposition and "Document 1.pdf" in disposition.replace("%20", " ")
    else:
        assert "knowsley-private-safeguarding.pdf</a> (PDF, " in page
        assert "knowsley-private-safeguarding.pdf" in disposition
    # Once moderation is locked the evaluation is no longer blind: the real name again.
    now = timezone.now()
    with council_scope(knowsley.council):
        Evaluation.objects.filter(tender=sw.tender).update(moderation_opened_at=now, moderation_locked_at=now)
    unlocked = client.get(sw.url(f"bids/{sw.bids[0].pk}/attachments/{attachment.pk}/"))
    assert "knowsley-private-safeguarding.pdf" in unlocked["Content-Disposition"]
