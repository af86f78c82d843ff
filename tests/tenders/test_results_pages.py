"""The results page and "Why this bidder won": who sees them, what they show, sealing, query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders.models import Tender
from tests.factories.results import results_tender
from tests.factories.worlds import CouncilWorld
from tests.helpers import query_counts, signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.world("commissions")]

ROLES = [Role.ADMIN, Role.COMMISSIONER, Role.EVALUATOR, Role.OFFICER, Role.CITIZEN]
MAY_VIEW = {Role.COMMISSIONER, Role.OFFICER}


def url(world: CouncilWorld, tender: Tender, page: str) -> str:
    return f"/c/{world.council.slug}/tenders/{tender.pk}/{page}/"


def build(world: CouncilWorld, count: int = 3, **kwargs):  # noqa: ANN003, ANN201
    scores = [(5, 5, 100000), (4, 5, 80000), (3, 2, 50000)] if count == 3 else None
    scores = scores or [(2 + i % 4, 1 + i % 5, 50000 + 131 * i) for i in range(count)]
    with council_scope(world.council):
        return results_tender(world, scores=scores, **kwargs)


@pytest.mark.parametrize("role", ROLES)
def test_only_commissioners_and_officers_see_the_results(knowsley: CouncilWorld, role: str) -> None:
    built = build(knowsley)
    client = signed_in(knowsley.people[role])
    for page in ("results", "why"):
        response = client.get(url(knowsley, built.tender, page))
        assert response.status_code == (200 if role in MAY_VIEW else 403), (page, role)


def test_the_results_page_shows_ranking_blockers_and_sensitivity(knowsley: CouncilWorld) -> None:
    built = build(knowsley, locked=False)
    page = signed_in(knowsley.people[Role.COMMISSIONER]).get(url(knowsley, built.tender, "results")).content.decode()
    assert "Bidder 1 Community navigation" in page
    assert "87.50" in page  # 60 + 12.5 + 15
    assert "govuk-warning-text" in page and "Moderation is not locked" in page
    assert 'role="img"' in page and "<title id=" in page and "<desc id=" in page
    assert "At the council's minimum social value weight of 10%, Bidder 1 Community navigation would have won" in page
    assert "Total score at each social value weight" in page  # the table beside the chart


def test_the_why_page_shows_every_score_and_the_formula(knowsley: CouncilWorld) -> None:
    built = build(knowsley, individual_scores=True)
    page = signed_in(knowsley.people[Role.OFFICER]).get(url(knowsley, built.tender, "why")).content.decode()
    assert "Scored 5: the answer names local partners and a plan." in page
    assert "The panel agreed 5 on How will residents find the service?." in page
    assert "Price is scored relative to the lowest price" in page
    assert "Quality matters most; social value above the council" in page
    assert "No award has been recommended yet." in page


def test_sealed_before_the_deadline(knowsley: CouncilWorld) -> None:
    built = build(knowsley)
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=built.tender.pk).update(
            submission_deadline=timezone.now() + timedelta(days=1),
            clarification_deadline=timezone.now() + timedelta(hours=1),
        )
    client = signed_in(knowsley.people[Role.COMMISSIONER])
    for page in ("results", "why"):
        response = client.get(url(knowsley, built.tender, page))
        assert response.status_code == 403
        assert "Bidder 1" not in response.content.decode()


def test_another_councils_tender_is_not_found(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    built = build(knowsley)
    client = signed_in(southwark.people[Role.COMMISSIONER])
    for page in ("results", "why"):
        assert client.get(f"/c/southwark/tenders/{built.tender.pk}/{page}/").status_code == 404


def test_the_tender_page_links_to_the_results(knowsley: CouncilWorld) -> None:
    built = build(knowsley)
    page = signed_in(knowsley.people[Role.OFFICER]).get(f"/c/knowsley/tenders/{built.tender.pk}/").content.decode()
    assert url(knowsley, built.tender, "results") in page


def test_queries_are_the_same_for_5_and_100_bids(knowsley: CouncilWorld) -> None:
    small = build(knowsley, count=5, title="Small")
    large = build(knowsley, count=100, title="Large", individual_scores=True)
    client = signed_in(knowsley.people[Role.COMMISSIONER])
    for page in ("results", "why"):
        counts = query_counts(client, [url(knowsley, small.tender, page), url(knowsley, large.tender, page)])
        assert len(set(counts.values())) == 1, counts
