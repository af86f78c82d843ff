"""tenders.kept (a tender's results): a tender's results are worked out once for every reader, and never
believed after a write to what they are read from (a moderated score, a bidder's name, the
council's minimum social value weight)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from commissioning.models import Organisation, Role
from commissioning.tenancy import council_scope
from tenders.models import ModeratedScore, TenderPolicy
from tenders.selectors.policy import tender_policy
from tests.factories.results import ResultsTender
from tests.factories.worlds import CouncilWorld
from tests.helpers import count_renders, query_counts, signed_in
from tests.tenders.test_results_pages import build, url

pytestmark = [pytest.mark.django_db, pytest.mark.world("commissions")]


def _page(client: Client, world: CouncilWorld, built: ResultsTender) -> str:
    response = client.get(url(world, built.tender, "results"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_reader_reads_the_kept_results(knowsley: CouncilWorld) -> None:
    built = build(knowsley)
    page = url(knowsley, built.tender, "results")
    cold = query_counts(signed_in(knowsley.people[Role.COMMISSIONER]), [page])[page]
    warm = query_counts(signed_in(knowsley.people[Role.OFFICER]), [page])[page]
    assert warm < cold
    assert "87.50" in _page(signed_in(knowsley.people[Role.OFFICER]), knowsley, built)


def test_a_changed_moderated_score_is_seen_at_once(knowsley: CouncilWorld) -> None:
    built = build(knowsley)
    client = signed_in(knowsley.people[Role.COMMISSIONER])
    assert "87.50" in _page(client, knowsley, built)  # 60 + 12.5 + 15
    with council_scope(knowsley.council):
        moderated = ModeratedScore.objects.get(bid=built.bids[0], criterion=built.quality)
        moderated.score = Decimal(4)
        moderated.save()
    text = _page(client, knowsley, built)
    assert "75.50" in text and "87.50" not in text  # 48 + 12.5 + 15


def test_a_renamed_bidder_and_a_new_minimum_weight_are_seen_at_once(knowsley: CouncilWorld) -> None:
    built = build(knowsley)
    client = signed_in(knowsley.people[Role.COMMISSIONER])
    assert "council's minimum social value weight of 10%" in _page(client, knowsley, built)
    organisation = Organisation.objects.get(pk=built.bids[0].organisation_id)
    organisation.name = "Renamed Navigators CIC"
    organisation.save()
    assert "Renamed Navigators CIC" in _page(client, knowsley, built)
    with council_scope(knowsley.council):
        policy: TenderPolicy = tender_policy(council=knowsley.council)
        policy.minimum_social_value_weight = Decimal(20)
        policy.save()
    assert "council's minimum social value weight of 20%" in _page(client, knowsley, built)


def test_the_lots_are_rendered_once_for_every_reader_until_a_write(
    knowsley: CouncilWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tenders.views import results as views

    rendered = count_renders(monkeypatch, views)
    built = build(knowsley)
    organisation = Organisation.objects.get(pk=built.bids[0].organisation_id)
    organisation.name = "Navigators <b>& Co</b>"
    organisation.save()
    first = _page(signed_in(knowsley.people[Role.COMMISSIONER]), knowsley, built)
    second = _page(signed_in(knowsley.people[Role.OFFICER]), knowsley, built)
    assert rendered == ["tenders/results/_intro.html", "tenders/results/_lots.html"]
    assert "Navigators &lt;b&gt;&amp; Co&lt;/b&gt;" in second and "&amp;lt;" not in second  # escaped once
    assert second.count("<table") == first.count("<table") >= 2  # the ranking and the sensitivity table
    with council_scope(knowsley.council):
        moderated = ModeratedScore.objects.get(bid=built.bids[0], criterion=built.quality)
        moderated.score = Decimal(4)
        moderated.save()
    assert "75.50" in _page(signed_in(knowsley.people[Role.OFFICER]), knowsley, built)
    assert len(rendered) == 4
