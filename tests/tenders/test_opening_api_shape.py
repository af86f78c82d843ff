"""The council's bids API writes its list without walking the serializer (tenders.api.opening):
each bid of the list must be exactly what the serializer writes for the same bid, as the detail
endpoint (which still goes through OpenedBidSerializer) answers it, commitments, attachments,
declarations, times and compliance included."""

from __future__ import annotations

import pytest

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import services
from tests.factories import CouncilWorld
from tests.helpers import api_with_token
from tests.tenders.test_commitments_evaluation import _commitments, _proxy_framework, _submit
from tests.tenders.test_opening import add_bids, open_bids, published_tender, reload, the_bid

pytestmark = [pytest.mark.django_db, pytest.mark.world("bids")]


def test_every_bid_of_the_list_is_what_the_serializer_writes(knowsley: CouncilWorld) -> None:
    proxied, plain = _proxy_framework(knowsley)
    tender = published_tender(knowsley)
    bids = [the_bid(knowsley), *add_bids(knowsley, 2)]
    _submit(knowsley, tender, bids, _commitments(proxied, plain))
    tender = open_bids(knowsley)
    with council_scope(knowsley.council):
        services.bid_compliance_mark(
            bid=reload(knowsley, bids[0]),
            actor=knowsley.people[Role.COMMISSIONER],
            compliance="non_compliant",
            reason="The declarations are not all answered.",
        )
    api = api_with_token(knowsley.people[Role.COMMISSIONER])
    base = f"/api/v1/councils/knowsley/tenders/{tender.pk}/bids/"
    listed = api.get(base)
    assert listed.status_code == 200
    results = listed.json()["results"]
    assert len(results) == 3
    for bid in results:
        detail = api.get(f"{base}{bid['id']}/")
        assert detail.status_code == 200
        assert bid == detail.json()
    first = next(bid for bid in results if bid["id"] == bids[0].pk)
    assert first["compliance"] == "non_compliant" and isinstance(first["compliance_at"], str)
    assert first["receipt"]["submitted_at"] and first["commitments"] and first["attachments"]
    assert isinstance(first["declarations"]["conflicts"], bool)


def test_a_question_renamed_after_the_deadline_is_read_at_once(knowsley: CouncilWorld) -> None:
    """The tender's questions are kept with its results for every bid and reader: a write renews them."""
    from tenders.models import Criterion

    tender = open_bids(knowsley)
    api = api_with_token(knowsley.people[Role.COMMISSIONER])
    base = f"/api/v1/councils/knowsley/tenders/{tender.pk}/bids/"
    first = api.get(base).json()["results"][0]["answers"][0]
    with council_scope(knowsley.council):
        question = Criterion.objects.get(council=knowsley.council, pk=int(first["question_id"]))
        question.title = "Renamed: how will you reach isolated residents?"
        question.save()
    again = api.get(base).json()["results"][0]["answers"][0]
    assert again["title"] == "Renamed: how will you reach isolated residents?" != first["title"]
