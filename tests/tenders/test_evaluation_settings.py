"""The evaluation model's settings (blind evaluation, price formula, tie-break): saved on the
evaluation model page, audited, fixed at publication, and shown on the public notice with the
formula in plain words. The tender policy's four evaluation settings, with errors next to them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.models import AuditEvent, Role
from commissioning.tenancy import council_scope
from tenders import services
from tenders.audit_labels import TenderAction
from tenders.models import PriceFormula, Tender, TenderPolicy, TieBreak
from tests.factories import CouncilWorld
from tests.tenders.test_tenders import _criteria_post, _world_tender

ROWS = [
    {"title": "Quality", "kind": "quality", "weight": "60"},
    {"title": "Price", "kind": "price", "weight": "30"},
    {"title": "Social value", "kind": "social_value", "weight": "10"},
]


@pytest.mark.world("draft_tender")
def test_the_settings_are_saved_with_the_model_and_audited(client, knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = f"/c/knowsley/tenders/{tender.pk}/evaluation-model/"
    page = client.get(url).content.decode()
    assert "Blind evaluation of quality and social value" in page and "How equal total scores are settled" in page
    data = {
        **_criteria_post(ROWS),
        "blind_evaluation": "on",
        "price_formula": PriceFormula.LINEAR_TO_BUDGET,
        "tie_break": TieBreak.PRICE_QUALITY_SOCIAL_VALUE,
    }
    assert client.post(url, data).status_code == 302
    with council_scope(knowsley.council):
        saved = Tender.objects.get(pk=tender.pk)
        events = AuditEvent.objects.filter(action=TenderAction.TENDER_EVALUATION_SETTINGS_CHANGED).count()
    assert (saved.blind_evaluation, saved.price_formula, saved.tie_break) == (
        True,
        PriceFormula.LINEAR_TO_BUDGET,
        TieBreak.PRICE_QUALITY_SOCIAL_VALUE,
    )
    assert events == 1
    bad = client.post(url, {**data, "price_formula": "cheapest"})
    assert bad.status_code == 200 and "Select how price is scored" in bad.content.decode()


@pytest.mark.world("draft_tender")
def test_the_settings_are_fixed_at_publication(knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=tender.pk).update(published_at=timezone.now())
        with pytest.raises(ValidationError, match="locked because the tender is published"):
            services.evaluation_settings_update(
                tender=tender,
                actor=knowsley.people[Role.COMMISSIONER],
                blind_evaluation=True,
                price_formula=PriceFormula.RELATIVE_TO_LOWEST,
                tie_break=TieBreak.QUALITY_SOCIAL_VALUE_PRICE,
            )


@pytest.mark.world("published")
def test_the_notice_states_the_formula_and_the_tie_break(client, knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = knowsley.published
        assert tender is not None
        Tender.objects.filter(pk=tender.pk).update(blind_evaluation=True)
    page = client.get(f"/c/knowsley/opportunities/{tender.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Price is scored relative to the lowest price" in text
    assert "higher quality score, then higher social value score, then lower price" in text
    assert "evaluated blind" in text


@pytest.mark.world("people")
def test_the_tender_policy_takes_the_evaluation_settings_with_clear_errors(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people[Role.ADMIN])
    url = "/c/knowsley/settings/tender-policy/"
    page = client.get(url)
    assert page.status_code == 200 and "Evaluators needed on each criterion" in page.content.decode()
    base = {"minimum_social_value_weight": "10", "standstill_days": "8"}
    bad = client.post(url, {**base, "minimum_evaluators": "0", "abnormally_low_percent": "150"})
    text = bad.content.decode()
    assert "At least 1 evaluator must score each criterion" in text
    assert "The threshold must be 100% or less" in text
    good = {
        **base,
        "minimum_evaluators": "3",
        "justification_minimum_length": "80",
        "moderation_spread_percent": "30",
        "abnormally_low_percent": "60",
    }
    assert client.post(url, good).status_code == 302
    with council_scope(knowsley.council):
        policy = TenderPolicy.objects.get(council=knowsley.council)
    assert (policy.minimum_evaluators, policy.justification_minimum_length) == (3, 80)
    assert (policy.moderation_spread_percent, policy.abnormally_low_percent) == (30, 60)


@pytest.mark.world("draft_tender")
def test_the_settings_are_part_of_what_an_officer_approves(knowsley: CouncilWorld) -> None:
    from tenders import selectors

    tender = _world_tender(knowsley)
    with council_scope(knowsley.council):
        approved = selectors.tender_content_sha256(tender=tender)
        services.evaluation_settings_update(
            tender=tender,
            actor=knowsley.people[Role.COMMISSIONER],
            blind_evaluation=False,
            price_formula=PriceFormula.LINEAR_TO_BUDGET,
            tie_break=TieBreak.QUALITY_SOCIAL_VALUE_PRICE,
        )
        changed = Tender.objects.get(pk=tender.pk)
        content = selectors.tender_content(tender=changed)
        # A change after approval makes the approval stale, as a change to the weights does.
        assert selectors.tender_content_sha256(tender=changed) != approved
    assert content["evaluation_settings"]["price_formula"] == PriceFormula.LINEAR_TO_BUDGET


# --- The published snapshot (TenderRevision.evaluation_settings) ---------------------------------------


@pytest.mark.world("draft_for_approval")
def test_publication_and_every_later_version_snapshot_the_settings(knowsley: CouncilWorld) -> None:
    from datetime import timedelta

    from tenders.models import TenderRevision
    from tests.tenders.test_publication import approve, make_ready

    officer = knowsley.people[Role.OFFICER]
    with council_scope(knowsley.council):
        tender = make_ready(knowsley)
        services.evaluation_settings_update(
            tender=tender,
            actor=knowsley.people[Role.COMMISSIONER],
            blind_evaluation=True,
            price_formula=PriceFormula.LINEAR_TO_BUDGET,
            tie_break=TieBreak.PRICE_QUALITY_SOCIAL_VALUE,
        )
        approve(knowsley, tender)
        first = services.tender_publish(tender=tender, actor=officer)
        tender.refresh_from_db()
        second = services.tender_change_publish(
            tender=tender,
            actor=officer,
            reason="More time for bidders",
            submission_deadline=tender.submission_deadline + timedelta(days=7),
        )
        stored = list(TenderRevision.objects.filter(tender=tender).order_by("number"))
    expected = {
        "blind_evaluation": True,
        "price_formula": PriceFormula.LINEAR_TO_BUDGET,
        "tie_break": TieBreak.PRICE_QUALITY_SOCIAL_VALUE,
    }
    assert first.evaluation_settings == expected and second.evaluation_settings == expected
    assert [r.evaluation_settings for r in stored] == [expected, expected]


@pytest.mark.world("bids")
def test_evaluation_decides_by_the_published_settings(client, knowsley: CouncilWorld) -> None:
    from tenders import selectors
    from tests.factories.scoring_world import scoring_world, started

    sw = started(scoring_world(knowsley, blind=True))
    with council_scope(knowsley.council):
        # Someone changes the row behind the services' back: the published snapshot still decides.
        Tender.objects.filter(pk=sw.tender.pk).update(
            blind_evaluation=False,
            price_formula=PriceFormula.LINEAR_TO_BUDGET,
            tie_break=TieBreak.PRICE_QUALITY_SOCIAL_VALUE,
        )
        tender = selectors.opening_tender(council=knowsley.council, tender_id=sw.tender.pk)
    assert tender.blind_evaluation is True
    assert tender.price_formula == PriceFormula.RELATIVE_TO_LOWEST
    assert tender.tie_break == TieBreak.QUALITY_SOCIAL_VALUE_PRICE
    client.force_login(sw.evaluators[0])
    mine = client.get(sw.url("mine/")).content.decode()
    assert "Bid A" in mine and sw.bids[0].organisation.name not in mine
    with council_scope(knowsley.council):
        services.bidder_conflict_declare(
            tender=sw.tender, bid=sw.bids[0], actor=sw.evaluators[1], has_conflict=True, details="A former client."
        )
        declared = selectors.current_declaration(tender=sw.tender, user=sw.evaluators[1])
    assert declared is not None and declared.details == "Bid A: A former client."
