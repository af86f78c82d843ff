"""The one batched read of tenders' eligibility (``selectors.tender_eligibilities``): the same
answers as one tender at a time, in two queries however many tenders, councils and organisations."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import Organisation, Role
from commissioning.tenancy import council_scope, platform_scope
from tenders import selectors
from tenders.models import ApprovalDecision, EligibilityOverride, Tender

pytestmark = pytest.mark.world("published")


def test_every_tender_of_every_council_in_two_queries(knowsley, southwark) -> None:
    with council_scope(knowsley.council):
        EligibilityOverride.objects.create(
            council=knowsley.council,
            tender=Tender.objects.filter(council=knowsley.council).first(),
            reserved_for_sme=True,
            reason="No local provider can deliver this service at this scale.",
            requested_by=knowsley.people[Role.COMMISSIONER],
            decision=ApprovalDecision.APPROVED,
            decided_by=knowsley.people[Role.OFFICER],
            decided_at=timezone.now(),
        )
    with platform_scope():
        tenders = list(Tender.objects.select_related("council").order_by("pk"))
        organisations = list(Organisation.objects.order_by("pk"))
        assert len({t.council_id for t in tenders}) == 2 and organisations
        with CaptureQueriesContext(connection) as queries:
            rules = selectors.tender_eligibilities(tenders=tenders)
            answers = {(t.pk, o.pk): rules[t.pk].of(o) for t in tenders for o in organisations}
        assert len(queries) == 2
        assert any(selectors.OVERRIDE_NOTE in rule.notice for rule in rules.values())
        for tender in tenders:
            for organisation in organisations:
                one = selectors.tender_eligibility(tender=tender, organisation=organisation)
                assert one.eligibility == answers[tender.pk, organisation.pk]
                assert one.band == rules[tender.pk].band and one.notice == rules[tender.pk].notice
