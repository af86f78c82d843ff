"""Demo data of a tender's co-design. Called by tenders.demo.seed_tender_life; idempotent.

Knowsley's draft tender is open for comment to its residents and to Innovate Volunteering CIC, with
one comment the commissioner has answered and one waiting for a reply.
"""

from __future__ import annotations

from collections.abc import Mapping

from commissioning.links import site_base_url
from commissioning.models import Council, Organisation
from commissioning.tenancy import council_scope
from tenders import services
from tenders.demo import knowsley
from tenders.demo.common import person
from tenders.models import CommentRound, SpecificationSection, Tender

INVITED = "Innovate Volunteering CIC"


def seed(councils: Mapping[str, Council]) -> None:
    council = councils.get("knowsley")
    if council is None:
        return
    with council_scope(council):
        tender = Tender.objects.filter(
            council=council, title=knowsley.NAVIGATION_TITLE, published_at__isnull=True
        ).first()
        commissioner = person(knowsley.COMMISSIONER)
        resident = person("resident.kirkby@example.org")
        provider = person("hello@innovate-volunteering.example.org")
        organisation = Organisation.objects.filter(name=INVITED).first()
        sections = list(SpecificationSection.objects.filter(tender=tender).order_by("position")) if tender else []
        if not (tender and commissioner and resident and provider and organisation and sections):
            return
        if CommentRound.objects.filter(tender=tender).exists():
            return
        comment_round = services.comment_round_open(
            tender=tender,
            actor=commissioner,
            open_to_citizens=True,
            organisations=[organisation],
            message="Does the service reach the people who need it most? Are the places and opening hours right?",
            closes_at=None,
            base_url=site_base_url(),
        )
        answered = services.comment_add(
            round=comment_round,
            section=sections[0],
            author=resident,
            organisation=None,
            body="Many of us work during the day. Please have evening sessions in Kirkby, not only in Huyton.",
        )
        services.comment_resolve(
            comment=answered,
            actor=commissioner,
            reply="Thank you. We have added evening sessions in Kirkby and Halewood to the service description.",
            base_url=site_base_url(),
        )
        services.comment_add(
            round=comment_round,
            section=sections[-1],
            author=provider,
            organisation=organisation,
            body="Volunteers need training and expenses. Could the budget name a sum for volunteer expenses?",
        )
