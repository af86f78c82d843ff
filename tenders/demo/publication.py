"""Demo data of a tender's publication. Called by tenders.demo.seed_tender_life; idempotent.

Knowsley publishes a second tender under its "Community navigation service" commission, through the
real services: its team declares their interests, the officer (who did not draft it) approves it and
publishes it. It is worth £60,000, in the intermediate band, so it is reserved for organisations based
in Knowsley: Innovate Volunteering CIC (Huyton) may bid, Nationwide Outsourcing plc (London) may not.
Questions are open for two weeks, bids for three; one question is answered and published.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from commissioning.links import site_base_url
from commissioning.models import Council, Organisation
from commissioning.tenancy import council_scope
from tenders import services
from tenders.demo import knowsley
from tenders.demo.common import decided_commission, knowsley_criteria, midday, person
from tenders.models import Tender

PUBLISHED_TITLE = "Befriending and social prescribing in Kirkby"

SPECIFICATION = (
    (
        "Background",
        "<p>Many older residents in Kirkby live alone and rarely leave home. GPs see loneliness behind many "
        "appointments that medicine cannot help with.</p>",
    ),
    (
        "The service",
        "<p>Trained volunteers visit or call residents every week, and link workers help them join local groups, "
        "from gardening to lunch clubs.</p><p>The service is located within the community and fosters community "
        "connections and relations for the benefit of the community's residents.</p>",
    ),
    (
        "Outcomes",
        "<ul><li>Fewer residents report feeling lonely most of the time.</li>"
        "<li>More residents take part in a local group each month.</li></ul>",
    ),
)


def seed(councils: Mapping[str, Council]) -> None:
    council = councils.get("knowsley")
    if council is None:
        return
    with council_scope(council):
        if Tender.objects.filter(council=council, title=PUBLISHED_TITLE).exists():
            return
        commission = decided_commission(council)
        commissioner, officer = person(knowsley.COMMISSIONER), person(knowsley.OFFICER)
        evaluator = person(knowsley.EVALUATOR)
        provider = person("hello@innovate-volunteering.example.org")
        innovate = Organisation.objects.filter(name="Innovate Volunteering CIC").first()
        if not (commission and commissioner and officer and evaluator and provider and innovate):
            return
        tender = services.tender_create(
            commission=commission,
            actor=commissioner,
            title=PUBLISHED_TITLE,
            description=(
                "Weekly befriending by trained local volunteers, and link workers who help lonely residents of "
                "Kirkby join community groups. A two-year contract."
            ),
            estimated_value=Decimal(60_000),
        )
        services.tender_update(
            tender=tender,
            actor=commissioner,
            clarification_deadline=midday(14),
            submission_deadline=midday(21),
            planned_award_date=timezone.localdate() + timedelta(days=42),
        )
        services.lot_add(
            tender=tender,
            actor=commissioner,
            title="Kirkby and Northwood",
            description="Residents aged 65 or over referred by GPs, social workers or themselves.",
            estimated_value=Decimal(60_000),
        )
        services.criteria_replace(
            tender=tender,
            actor=commissioner,
            criteria=knowsley_criteria(
                questions=(
                    "How you will find and keep in touch with lonely residents",
                    "Recruiting, training and supporting volunteers",
                ),
                social_value="Local volunteering and spend with Knowsley organisations.",
            ),
            rationale=(
                "Quality carries half the score because trust and continuity matter most to lonely residents. "
                "Social value is above the council's minimum because the service should grow local volunteering."
            ),
        )
        for title, body in SPECIFICATION:
            services.section_add(tender=tender, actor=commissioner, title=title, body=body)
        services.specification_save_version(tender=tender, actor=commissioner, note="As approved for publication")
        services.document_add(
            tender=tender,
            actor=commissioner,
            document=services.NewDocument(
                title="Pricing schedule",
                filename="pricing-schedule.csv",
                data=b"Lot,Year 1 price,Year 2 price\nKirkby and Northwood,,\n",
            ),
        )
        services.team_member_add(tender=tender, actor=commissioner, user=evaluator, role="evaluator")
        services.team_member_add(tender=tender, actor=commissioner, user=officer, role="officer")
        for member in (commissioner, evaluator, officer):
            services.conflict_declare(tender=tender, actor=member, has_conflict=False)
        services.tender_approval_decide(
            tender=tender, actor=officer, decision="approved", comment="Specification and weights checked."
        )
        services.tender_publish(tender=tender, actor=officer)
        question = services.clarification_ask(
            tender=tender,
            actor=provider,
            organisation=innovate,
            question="We are Innovate Volunteering CIC in Huyton. Can volunteers who live outside Kirkby take part?",
        )
        services.clarification_answer(
            question=question,
            actor=commissioner,
            published_question="Can volunteers who live outside Kirkby take part?",
            answer="Yes. Volunteers may live anywhere, but the service must be delivered in Kirkby and Northwood.",
            publish=True,
            base_url=site_base_url(),
        )
