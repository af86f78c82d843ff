"""The council's tenders API writes its list without walking the serializer (tenders.api.tenders):
each listed tender must be exactly what TenderSummarySerializer writes for it (the schema), for
every status, with and without deadlines, in summer and winter time."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import selectors
from tenders.api.tenders import _summary
from tenders.models import Tender
from tenders.serializers.tenders import TenderSummarySerializer
from tests.factories import CouncilWorld
from tests.helpers import api_with_token
from tests.tenders.test_bids_helpers import published_tender

pytestmark = pytest.mark.world("published")

LONDON = ZoneInfo("Europe/London")


def test_every_listed_tender_is_what_the_serializer_writes(knowsley: CouncilWorld) -> None:
    now = timezone.now()
    with council_scope(knowsley.council):
        open_one = published_tender(knowsley)
        closed = Tender.objects.get(pk=open_one.pk)
        closed.pk = None
        closed.title = "Closed in summer time"
        closed.published_at = datetime(2026, 6, 1, 9, 30, tzinfo=LONDON)
        closed.clarification_deadline = datetime(2026, 7, 1, 12, 0, 0, 123456, tzinfo=LONDON)
        closed.submission_deadline = datetime(2026, 7, 15, 12, 0, tzinfo=LONDON)
        closed.save()
        Tender.objects.filter(pk=open_one.pk).update(
            clarification_deadline=None, submission_deadline=now + timedelta(days=3)
        )
        rows = {t.pk: t for t in selectors.tender_rows(council=knowsley.council)}
        expected = {
            pk: json.loads(JSONRenderer().render(TenderSummarySerializer(_summary(t)).data)) for pk, t in rows.items()
        }
    statuses = {row["status"] for row in expected.values()}
    assert {"draft", "open for bids", "closed"} <= statuses  # the private draft has no deadlines at all
    listed = api_with_token(knowsley.people[Role.OFFICER]).get("/api/v1/councils/knowsley/tenders/")
    assert listed.status_code == 200
    results = listed.json()["results"]
    assert {row["id"] for row in results} == set(expected)
    for row in results:
        assert row == expected[row["id"]]
