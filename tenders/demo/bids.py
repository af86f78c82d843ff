"""Demo data of a bid. Called by tenders.demo.seed_tender_life; idempotent.

Kirkby Community Garden (a community group in L32, local to Knowsley) has started a bid for
Knowsley's open tender (the publication stage's demo) and saved a draft: its first answer, a price
and a social value commitment. Signing in as growers@kirkby-garden.example.org, you can finish it,
check it and submit it. If Knowsley has no published tender open for bids, nothing is made.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import timezone

from commissioning.models import Council, Organisation, User
from commissioning.tenancy import council_scope
from tenders.demo.common import demo_commitment
from tenders.demo.publication import PUBLISHED_TITLE
from tenders.models import Bid, Lot, Tender
from tenders.selectors import bids as selectors
from tenders.services import bids as services

__all__ = ["seed"]

ORGANISATION = "Kirkby Community Garden"
MEMBER = "growers@kirkby-garden.example.org"
FIRST_ANSWER = (
    "We have run the community garden on Mill Lane since 2015. Most of our forty volunteers are older residents "
    "of Kirkby, and many first came to us through their GP. We would visit or call residents every week and "
    "bring them to the garden, the lunch club at St Chad's and the walking group."
)


def seed(councils: Mapping[str, Council]) -> None:
    council = councils.get("knowsley")
    if council is None:
        return
    organisation = Organisation.objects.filter(name=ORGANISATION).first()
    member = User.objects.filter(email=MEMBER).first()
    if organisation is None or member is None:
        return
    with council_scope(council):
        open_tenders = Tender.objects.filter(
            council=council, published_at__isnull=False, submission_deadline__gt=timezone.now()
        )
        # The publication stage's demo tender if it is open; else the open tender closing soonest.
        tender = (
            open_tenders.filter(title=PUBLISHED_TITLE).first() or open_tenders.order_by("submission_deadline").first()
        )
        if tender is None or Bid.objects.filter(council=council, tender=tender, organisation=organisation).exists():
            return
        bid = services.bid_start(tender=tender, organisation=organisation, actor=member)
        questions = selectors.bid_questions(tender=tender)
        lots = list(Lot.objects.filter(council=council, tender=tender).order_by("position", "pk"))
        changes: dict = {
            "answers": {str(questions[0].pk): FIRST_ANSWER} if questions else {},
            "prices": {str(lots[0].pk) if lots else services.NO_LOTS_KEY: "58500.00"},
            "commitments": [
                # Volunteering time in the local community (Knowsley's framework).
                demo_commitment(council, "SVM-5.1", "2000", "hours", "2027-12-31", local=True),
            ],
        }
        services.bid_draft_save(bid=bid, actor=member, changes=changes, expected_revision=bid.draft_revision)
