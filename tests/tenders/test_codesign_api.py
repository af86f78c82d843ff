"""The co-design API: a tender's comment rounds, for council members who may see tenders."""

from __future__ import annotations

import pytest

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders.models import Tender
from tests.factories import CouncilWorld
from tests.helpers import api_with_token

pytestmark = pytest.mark.world("codesign")


def _url(world: CouncilWorld, tender_id: int) -> str:
    return f"/api/v1/councils/{world.council.slug}/tenders/{tender_id}/comment-rounds/"


def test_council_members_read_the_rounds_with_comments_and_replies(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = Tender.objects.get(title="knowsley-private-tender")
    response = api_with_token(knowsley.people[Role.EVALUATOR]).get(_url(knowsley, tender.pk))
    assert response.status_code == 200
    (round_,) = response.json()["results"]
    assert round_["is_open"] is True and round_["open_to_citizens"] is True
    assert round_["organisations"] == [knowsley.organisation.name]
    assert round_["comment_count"] == 1 and round_["unresolved_count"] == 0
    assert round_["comments"][0]["reply"].startswith("knowsley-private-reply")
    assert round_["comments"][0]["organisation"] is None


def test_citizens_and_outsiders_cannot_read_the_rounds(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = Tender.objects.get(title="knowsley-private-tender")
    assert api_with_token(knowsley.people[Role.CITIZEN]).get(_url(knowsley, tender.pk)).status_code == 403
    for outsider in (southwark.people[Role.COMMISSIONER], knowsley.provider):
        response = api_with_token(outsider).get(_url(knowsley, tender.pk))
        assert response.status_code == 404 and "knowsley-private" not in response.content.decode()
    # Another council's tender id under my council: not found.
    with council_scope(southwark.council):
        theirs = Tender.objects.get(title="southwark-private-tender")
    response = api_with_token(knowsley.people[Role.COMMISSIONER]).get(_url(knowsley, theirs.pk))
    assert response.status_code == 404


def test_the_endpoint_is_in_the_openapi_schema(client, db: None) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/councils/{council_slug}/tenders/{tender_id}/comment-rounds/" in schema
