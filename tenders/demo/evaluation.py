"""Demo data of evaluation and award. Called by tenders.demo.seed_tender_life; idempotent.

Two Knowsley tenders under its "Community navigation service" commission, past their deadlines:

- **In evaluation** (``IN_EVALUATION_TITLE``): the deadline passed three days ago with four sealed
  bids from local providers (a charity, a CIC, a co-operative and a national group's Knowsley
  subsidiary). The commissioner started the evaluation and assigned two evaluators; both declared
  no conflict against each bidder. Eve Evaluator has submitted her four score sheets; Evan
  Evaluator has scored one bid in full (not submitted) and begun another. Sign in as
  evaluator.two@knowsley.example.org to finish his scoring; then moderation can open.
- **Awarded** (``AWARDED_TITLE``): the Knowsley case of the CLES market-shaping report (seeds/004):
  a community navigation service located within the community, worth under the £181,000 ceiling of
  Knowsley's local spend policy, so reserved for local providers, won by Innovate Volunteering CIC
  of Huyton. Two evaluators scored, moderation agreed and locked the scores, prices were opened;
  Amberline's loss-leader price was flagged as abnormally low, explained and excluded; the
  commissioner recommended the top-ranked bid, the officer (who neither recommended nor
  evaluated) approved it, the award notice's standstill has ended, every bidder has its
  assessment summary, and the contract is entered with Innovate's social value commitments as KPIs.

The rows are written directly, as the services would have left them (like ``tenders.demo.opening``,
whose recorded history writes no audit events: none are written here either); bid content is
sealed with each tender's own key through tenders.sealing, as the bid pages do. The ranking is
computed here from the rows' own numbers (``tenders.price.price_scores`` and the weights), so the
recommendation's frozen ranking and the assessment summaries agree with what the results show.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from commissioning.audit import audit_head
from commissioning.models import Commission, Council, Organisation, User
from commissioning.tenancy import council_scope
from social_value.demo import seed_agreement_returns
from social_value.models import AgreementKind
from social_value.services import agreement_record
from tenders import sealing
from tenders.abnormal import abnormally_low
from tenders.calendar import standstill_end
from tenders.database import check_bid_deadlines_now
from tenders.demo import knowsley
from tenders.demo.common import LONDON, decided_commission, demo_commitment, midday, person
from tenders.demo.recorded import PublishedTender, Question, Recorded, record_published_tender
from tenders.models import (
    AbnormallyLowDecision,
    AbnormallyLowReview,
    AssessmentSummary,
    AwardDecision,
    AwardNotice,
    AwardRecommendation,
    Bid,
    BidderConflictDeclaration,
    BidPrice,
    BidStatus,
    BidSubmission,
    Compliance,
    ConflictDeclaration,
    Contract,
    Criterion,
    Evaluation,
    EvaluatorAssignment,
    ModeratedScore,
    Score,
    ScoreSheet,
    TeamRole,
    Tender,
    TenderTeamMember,
)
from tenders.models.tender import SCALE_MAXIMUM, Scale
from tenders.price import price_scores
from tenders.selectors.market import agreement_market_facts
from tenders.selectors.policy import holiday_dates, tender_policy
from tenders.selectors.results import tender_results
from tenders.services.award import assessment_summaries_build

__all__ = ["AWARDED_TITLE", "IN_EVALUATION_TITLE", "SECOND_EVALUATOR", "WINNER", "seed"]

SECOND_EVALUATOR = "evaluator.two@knowsley.example.org"
WINNER = "Innovate Volunteering CIC"
IN_EVALUATION_TITLE = "Money and welfare advice in community venues"
AWARDED_TITLE = "Community navigation service in community venues"
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class DemoBid:
    organisation: str
    answers: tuple[str, str, str]  # the two quality questions, then social value
    price: str
    # (a framework measure's code or another measure's words, quantity, unit, due in days from today)
    commitments: tuple[tuple[str, str, str, int], ...]


@dataclass(frozen=True)
class Marks:
    """One bid on one scored criterion: each evaluator's score and justification, and the moderated one."""

    eve: tuple[int, str]
    evan: tuple[int, str]
    moderated: tuple[int, str]


# --- The awarded tender: the Knowsley case -------------------------------------------------------


def _awarded_tender() -> PublishedTender:
    """The awarded tender as published, its dates counted from today: about fifteen months ago, so
    the standstill has long ended and the contract's first year of delivery returns has happened."""
    return PublishedTender(
        title=AWARDED_TITLE,
        description=(
            "Community navigators, located within the community, who help residents reach the advice, health, "
            "money and social support already there. A three-year contract."
        ),
        estimated_value=Decimal(180_000),
        clarification_deadline=midday(-470),
        submission_deadline=midday(-460),
        published_at=midday(-490),
        weighting_rationale=knowsley.NAVIGATION_RATIONALE,
        lot="Navigation across Knowsley",
        lot_value=Decimal(180_000),
        criteria=(
            Question("How you will locate the service within the community and reach residents", "quality", 30, 750),
            Question("Your navigators: recruitment, training and standing in the community", "quality", 20, 500),
            Question("Price", "price", 30),
            Question("Local jobs, volunteering and spend with Knowsley organisations", "social_value", 20, 300),
        ),
        sections=(
            (
                "The service",
                "<p>The service is located within the community and fosters community connections and relations for "
                "the benefit of the community's residents.</p><p>Navigators are a recognised and valued resource in "
                "the community.</p>",
            ),
            (
                "Outcomes",
                "<ul><li>Residents know where to go for help and get there.</li>"
                "<li>Fewer residents reach crisis before they get support.</li></ul>",
            ),
        ),
    )


AWARDED_BIDS = (
    DemoBid(
        WINNER,
        (
            "Navigators will work from the places residents already use: Huyton library, Prescot market, St Chad's "
            "in Kirkby, two GP surgeries and the Halewood food bank, each on a fixed day so residents know when to "
            "find them. Volunteers knock on doors with housing officers where few residents ask for help.",
            "We recruit navigators from Knowsley's own residents, many of whom first came to us for help. Each "
            "completes twelve weeks of training with the borough's advice, health and care partners and is "
            "supervised every week by a senior navigator. Residents already know our volunteers by name.",
            "Every navigator will be recruited in Knowsley; we will train forty resident volunteers and spend at "
            "least £30,000 with Knowsley organisations, from venue hire to catering by local social enterprises.",
        ),
        "171000.00",
        (
            # Framework measures by their code (Knowsley's framework, social_value.demo); the rest
            # are "another measure" in the bidder's words.
            ("SVM-1.1", "6", "full-time equivalent jobs", 300),  # navigators recruited in Knowsley
            ("Residents trained as volunteer navigators", "40", "people", 480),
            ("SVM-5.1", "3000", "hours", 1100),  # volunteering by local residents
            ("Spend with Knowsley organisations", "30000", "pounds", 1100),
        ),
    ),
    DemoBid(
        "Kirkby Community Garden",
        (
            "Navigators will be based at the garden's hub on Cherryfield Drive and visit two GP surgeries in Kirkby "
            "each week. We know Kirkby well but would need partners to reach Huyton, Prescot and Halewood.",
            "Our volunteer coordinator will recruit four navigators from Kirkby, trained by our own staff, with a "
            "safeguarding course every year.",
            "Four local jobs and twelve resident volunteers; the garden's produce goes to the Kirkby food bank.",
        ),
        "164000.00",
        (("SVM-1.1", "4", "full-time equivalent jobs", 300), ("SVM-5.1", "1500", "hours", 1100)),
    ),
    DemoBid(
        "Halewood Advice Centre",
        (
            "Our advisers already run outreach sessions in Halewood and Huyton. Navigators would be based at our "
            "centre and see residents in community venues by appointment, with a phone line for those who cannot "
            "come in.",
            "Navigators will be qualified advisers (level 3 in advice and guidance), recruited by open advertisement "
            "and supervised by our advice manager.",
            "Two paid placements for Knowsley residents each year.",
        ),
        "176500.00",
        (("Paid placements for Knowsley residents", "6", "people", 1100),),
    ),
    DemoBid(
        "Amberline Community Services Ltd",
        (
            "A central hub at our Kirkby office with a freephone line and an online referral form. Navigators will "
            "travel to community venues on request.",
            "Navigators recruited through our group's national recruitment centre and trained on our standard "
            "e-learning programme; supervision by a regional manager.",
            "Two apprenticeships a year and a donation to a local charity of the council's choice.",
        ),
        "98000.00",
        (("SVM-1.2", "2", "apprenticeships", 365), ("Donation to a local charity", "3000", "pounds", 365)),
    ),
)

# Per bidder, per scored criterion (the two quality questions, then social value).
AWARDED_MARKS: dict[str, tuple[Marks, Marks, Marks]] = {
    WINNER: (
        Marks(
            (
                5,
                "Fixed days in six venues residents already use, and door-knocking with housing officers: exactly "
                "what the specification asks for residents who do not ask for help.",
            ),
            (
                4,
                "Strong and rooted in the community; the door-knocking plan is good but says little about how "
                "often it happens on each estate.",
            ),
            (
                5,
                "Agreed 5: the panel agreed the fixed-day venues and the door-knocking with housing officers meet "
                "every part of the question, and the frequency was confirmed in the answer's second paragraph.",
            ),
        ),
        Marks(
            (
                4,
                "Navigators recruited from residents, twelve weeks' training with partners and weekly supervision; "
                "a clear plan, though the training content is only outlined.",
            ),
            (
                4,
                "Local recruitment and weekly supervision are strong; residents knowing the volunteers by name is "
                "what the specification means by a valued resource.",
            ),
            (
                4,
                "Agreed 4: a strong answer on recruitment and supervision; the training content is outlined rather "
                "than set out, so not the top mark.",
            ),
        ),
        Marks(
            (
                5,
                "Every navigator recruited in Knowsley, forty resident volunteers trained and £30,000 spent with "
                "Knowsley organisations: specific, measurable and local.",
            ),
            (
                5,
                "The most specific social value offer of the four: local jobs, volunteering and local spend, each "
                "with a number and a date.",
            ),
            (5, "Agreed 5: both evaluators found the commitments specific, measurable and delivered in Knowsley."),
        ),
    ),
    "Kirkby Community Garden": (
        Marks(
            (
                3,
                "Rooted in Kirkby with GP surgeries, but the answer admits it cannot yet reach Huyton, Prescot or "
                "Halewood without partners it does not name.",
            ),
            (
                4,
                "Good community presence in Kirkby; partners for the other townships would follow, which is "
                "credible for an organisation of this kind.",
            ),
            (
                3,
                "Agreed 3: strong in Kirkby, but the question asks for the whole borough and the partners for the "
                "other townships are not named, so the panel settled on adequate.",
            ),
        ),
        Marks(
            (
                3,
                "Four navigators from Kirkby and yearly safeguarding training; supervision is not described, "
                "which the question asks about.",
            ),
            (
                3,
                "Local recruitment is good; training by the garden's own staff is thin for advice on money and health.",
            ),
            (3, "Agreed 3: local recruitment, but supervision is missing and training is thin for the service."),
        ),
        Marks(
            (
                4,
                "Four local jobs and twelve resident volunteers with dates; the food bank link is a real local "
                "benefit but not measured.",
            ),
            (4, "Specific local jobs and volunteering; no local spend commitment, which the question asks about."),
            (4, "Agreed 4: specific local jobs and volunteering; no commitment on spend with local organisations."),
        ),
    ),
    "Halewood Advice Centre": (
        Marks(
            (
                4,
                "Existing outreach in Halewood and Huyton and a phone line; seeing residents by appointment will "
                "not reach those who do not ask for help.",
            ),
            (
                4,
                "Experienced outreach with a phone line for residents who cannot come in; appointments are a "
                "barrier for some residents.",
            ),
            (
                4,
                "Agreed 4: good existing outreach; appointment-only sessions weaken reaching residents who do "
                "not ask for help.",
            ),
        ),
        Marks(
            (
                4,
                "Qualified advisers at level 3 with supervision by an advice manager: high quality, though not "
                "recruited from the community.",
            ),
            (5, "Qualified advisers and professional supervision: the strongest answer on training of the four."),
            (
                4,
                "Agreed 4: the panel weighed the advisers' qualifications against the question's emphasis on "
                "standing in the community, which open advertisement does not address.",
            ),
        ),
        Marks(
            (2, "Two paid placements a year is specific but small; nothing on volunteering or local spend."),
            (3, "Placements for Knowsley residents are welcome and dated; the offer is narrow."),
            (3, "Agreed 3: specific and local, but narrow: nothing on volunteering or spend."),
        ),
    ),
    "Amberline Community Services Ltd": (
        Marks(
            (
                2,
                "A central hub, a freephone line and an online form: not located within the community, and "
                "navigators travel only on request.",
            ),
            (
                2,
                "The service is run from an office; the specification asks for it to be located within the "
                "community. Meets the minimum only.",
            ),
            (
                2,
                "Agreed 2: the answer meets the minimum; a central office and a phone line are not a service "
                "located within the community.",
            ),
        ),
        Marks(
            (
                3,
                "National recruitment and standard e-learning; supervision by a regional manager is described, "
                "but nothing local.",
            ),
            (
                2,
                "Nothing in the answer makes navigators a recognised resource in the community; the training is "
                "generic.",
            ),
            (3, "Agreed 3: a complete answer on recruitment, training and supervision, but generic and not local."),
        ),
        Marks(
            (
                2,
                "Two apprenticeships and a donation; the donation is not social value the council can measure "
                "in the service.",
            ),
            (
                2,
                "Apprenticeships are welcome; the rest of the offer is a donation, not local jobs, volunteering "
                "or spend.",
            ),
            (2, "Agreed 2: two apprenticeships; the donation is not a measurable commitment in the service."),
        ),
    ),
}

LOSS_LEADER = "Amberline Community Services Ltd"
LOSS_LEADER_EXPLANATION = (
    "Amberline's letter of explanation: the group will carry the first year's costs centrally to establish the "
    "service in Knowsley, and its price assumes two and a half navigators from the second year instead of the six "
    "the specification implies, with more of the work moved to the freephone line."
)
LOSS_LEADER_REASON = (
    "Under the Procurement Act 2023, section 19: the price is below the cost of the service specified: six "
    "navigators over three years cost more than £150,000 in wages alone. It holds only because the group "
    "subsidises it to enter the market and because the service would shrink to a phone line in year two, so the "
    "council cannot rely on it being delivered as specified to residents who need it."
)
RECOMMENDATION_REASON = (
    "Innovate Volunteering CIC ranks first on the moderated scores and prices: the strongest answers on a service "
    "located within the community and the most specific local social value."
)


# --- The tender in evaluation ---------------------------------------------------------------------


def _in_evaluation_tender() -> PublishedTender:
    """The tender in evaluation as published, closed three days ago."""
    return PublishedTender(
        title=IN_EVALUATION_TITLE,
        description=(
            "Advisers on money, benefits and debt in the community venues residents already use, with the community "
            "navigators. A two-year contract."
        ),
        estimated_value=Decimal(90_000),
        clarification_deadline=midday(-13),
        submission_deadline=midday(-3),
        published_at=midday(-33),
        weighting_rationale=(
            "Quality carries half the score because residents need advice they can trust; social value is above the "
            "council's 10% minimum because advice should build local capacity."
        ),
        lot="Huyton, Kirkby and Halewood",
        lot_value=Decimal(90_000),
        criteria=(
            Question("How you will bring advice to residents where they already are", "quality", 30, 750),
            Question("Your advisers: qualifications, supervision and local knowledge", "quality", 20, 500),
            Question("Price", "price", 30),
            Question("Local jobs, volunteering and spend with Knowsley organisations", "social_value", 20, 300),
        ),
        sections=(
            (
                "The service",
                "<p>Advisers on money, benefits and debt hold sessions in community venues, with the community "
                "navigators, so residents get advice where they already go.</p>",
            ),
        ),
    )


IN_EVALUATION_BIDS = (
    DemoBid(
        "Halewood Advice Centre",
        (
            "Weekly advice sessions at Halewood library, Huyton's Sure Start centre and two Kirkby food banks, "
            "and home visits for residents the navigators refer.",
            "Advisers hold level 3 or 4 in advice and guidance, with monthly case reviews by our solicitor and "
            "Advice Quality Standard accreditation.",
            "We will train eight Knowsley residents as volunteer advisers each year.",
        ),
        "86000.00",
        (("Residents trained as volunteer advisers", "16", "people", 700),),
    ),
    DemoBid(
        WINNER,
        (
            "Advisers will join our navigators' fixed-day sessions in six venues, so a resident the navigator "
            "meets can see an adviser the same day.",
            "We will employ two advisers from Knowsley and train them to level 3 with the Halewood Advice Centre's "
            "support; supervision by our senior navigator.",
            "Both advisers recruited locally, and £8,000 spent with Knowsley venues.",
        ),
        "88500.00",
        (("Advisers recruited in Knowsley", "2", "people", 200), ("Spend with Knowsley venues", "8000", "pounds", 700)),
    ),
    DemoBid(
        "Prescot Neighbourhood Co-operative",
        (
            "Drop-in advice at our shop on Eccleston Street four days a week, and monthly sessions in Whiston and "
            "Rainhill community centres.",
            "Our members include two retired benefits advisers who will train and supervise three new advisers.",
            "Advisers will become members of the co-operative; surpluses stay in Prescot.",
        ),
        "79000.00",
        (("Local advisers employed", "3", "people", 200),),
    ),
    DemoBid(
        "Amberline Community Services Ltd",
        (
            "A national advice line open six days a week, with outreach sessions in Kirkby by arrangement.",
            "Advisers trained on our accredited national programme, with call recording for quality assurance.",
            "One apprenticeship a year.",
        ),
        "52000.00",
        (("SVM-1.2", "2", "apprenticeships", 700),),
    ),
)

# Eve Evaluator's submitted scores, per bidder and scored criterion.
EVE_SCORES: dict[str, tuple[tuple[int, str], tuple[int, str], tuple[int, str]]] = {
    "Halewood Advice Centre": (
        (4, "Weekly sessions in four venues plus home visits on referral: a good spread across the borough."),
        (5, "Qualified advisers, a solicitor's case reviews and the Advice Quality Standard: excellent."),
        (3, "Sixteen resident volunteer advisers is specific and local; nothing on jobs or local spend."),
    ),
    WINNER: (
        (5, "Same-day advice alongside the navigators in six venues: advice exactly where residents already are."),
        (3, "Two local advisers trained to level 3 with a partner; supervision by a navigator, not an adviser."),
        (4, "Local recruitment and £8,000 spent with Knowsley venues, both specific and dated."),
    ),
    "Prescot Neighbourhood Co-operative": (
        (3, "Four days a week in Prescot, monthly elsewhere: strong in one township, thin across the lot."),
        (4, "Experienced former benefits advisers training three new advisers: credible and local."),
        (4, "Advisers as co-operative members and surpluses kept in Prescot: real community wealth building."),
    ),
    "Amberline Community Services Ltd": (
        (2, "A national phone line with outreach only by arrangement: not advice where residents already are."),
        (3, "An accredited national programme and call recording; nothing on local knowledge."),
        (2, "One apprenticeship a year; nothing on volunteering or local spend."),
    ),
}
# Evan Evaluator's drafts: a whole draft of the first bid, and the first of the next begun.
EVAN_DRAFTS: dict[str, tuple[tuple[int | None, str], ...]] = {
    "Halewood Advice Centre": (
        (4, "Good coverage with home visits for referred residents; the sessions in Kirkby are only at food banks."),
        (4, "Very well qualified advisers and case reviews; local knowledge comes from years in Halewood."),
        (3, "Volunteer advisers from Knowsley are specific; the offer is narrow."),
    ),
    WINNER: (
        (5, "Advice the same day a navigator meets a resident, in six venues: the strongest answer on reach."),
        (None, "Two local advisers; training with Halewood's support looks"),
        (None, ""),
    ),
}


# --- Seeding --------------------------------------------------------------------------------------


@dataclass
class _Cast:
    council: Council
    commission: Commission
    commissioner: User
    officer: User
    evaluators: tuple[User, User]
    organisations: dict[str, Organisation]


def seed(councils: Mapping[str, Council]) -> None:
    council = councils.get("knowsley")
    if council is None:
        return
    names = {bid.organisation for bid in (*AWARDED_BIDS, *IN_EVALUATION_BIDS)}
    with council_scope(council):
        commission = decided_commission(council)
        commissioner, officer = person(knowsley.COMMISSIONER), person(knowsley.OFFICER)
        eve, evan = person(knowsley.EVALUATOR), person(SECOND_EVALUATOR)
        organisations = {o.name: o for o in Organisation.objects.filter(name__in=names)}
        if not (commission and commissioner and officer and eve and evan) or len(organisations) < len(names):
            return
        cast = _Cast(council, commission, commissioner, officer, (eve, evan), organisations)
        if not Tender.objects.filter(council=council, title=IN_EVALUATION_TITLE).exists():
            _seed_in_evaluation(cast)
        if not Tender.objects.filter(council=council, title=AWARDED_TITLE).exists():
            _seed_awarded(cast)


def _seed_in_evaluation(cast: _Cast) -> None:
    recorded, bids = _closed_tender(cast, _in_evaluation_tender(), IN_EVALUATION_BIDS)
    tender = recorded.tender
    assert tender.submission_deadline is not None
    started = tender.submission_deadline + timedelta(hours=22)
    _start_evaluation(cast, tender, bids, started)
    scored = _scored(recorded)
    eve, evan = cast.evaluators
    for name, marks in EVE_SCORES.items():
        _sheet(cast, tender, bids[name], eve, zip(scored, marks, strict=True), at=started + timedelta(hours=29))
    for name, drafts in EVAN_DRAFTS.items():
        _sheet(cast, tender, bids[name], evan, zip(scored, drafts, strict=True), at=None)


def _seed_awarded(cast: _Cast) -> None:
    council, commissioner, officer = cast.council, cast.commissioner, cast.officer
    recorded, bids = _closed_tender(cast, _awarded_tender(), AWARDED_BIDS)
    tender, lot = recorded.tender, recorded.lot
    assert tender.submission_deadline is not None
    started = tender.submission_deadline + timedelta(hours=22)
    _start_evaluation(cast, tender, bids, started)
    scored = _scored(recorded)
    eve, evan = cast.evaluators
    for name, marks in AWARDED_MARKS.items():
        _sheet(cast, tender, bids[name], eve, zip(scored, (m.eve for m in marks), strict=True), at=_day(started, 3))
        _sheet(cast, tender, bids[name], evan, zip(scored, (m.evan for m in marks), strict=True), at=_day(started, 4))
    moderation_opened, moderation_locked = _day(started, 5), _day(started, 6)
    for name, marks in AWARDED_MARKS.items():
        for criterion, mark in zip(scored, marks, strict=True):
            ModeratedScore.objects.create(
                council=council,
                tender=tender,
                bid=bids[name],
                criterion=criterion,
                score=Decimal(mark.moderated[0]),
                rationale=mark.moderated[1],
                agreed_by=commissioner,
                agreed_at=moderation_locked - timedelta(hours=2),
            )
    prices_opened = moderation_locked + timedelta(hours=1)
    Evaluation.objects.filter(tender=tender).update(
        moderation_opened_by=commissioner,
        moderation_opened_at=moderation_opened,
        moderation_locked_by=commissioner,
        moderation_locked_at=moderation_locked,
        prices_opened_by=commissioner,
        prices_opened_at=prices_opened,
    )
    prices = {bid.organisation: Decimal(bid.price) for bid in AWARDED_BIDS}
    for name, amount in prices.items():
        BidPrice.objects.create(council=council, tender=tender, bid=bids[name], lot=lot, amount=amount)
    policy = tender_policy(council=council)
    flags = abnormally_low(prices, threshold_percent=policy.abnormally_low_percent, estimate=lot.estimated_value)
    for name, flag in flags.items():
        review = AbnormallyLowReview.objects.create(
            council=council,
            tender=tender,
            bid=bids[name],
            lot=lot,
            flag=flag,
            explanation=LOSS_LEADER_EXPLANATION if name == LOSS_LEADER else "The provider confirmed its costs.",
            decision=AbnormallyLowDecision.EXCLUDE if name == LOSS_LEADER else AbnormallyLowDecision.ACCEPT,
            reason=LOSS_LEADER_REASON if name == LOSS_LEADER else "The costs explained cover the service.",
            decided_by=commissioner,
            decided_at=_day(prices_opened, 4),
        )
        AbnormallyLowReview.objects.filter(pk=review.pk).update(flagged_at=prices_opened)
    excluded = {name for name in flags if name == LOSS_LEADER}
    ranking = _ranking(recorded, bids, prices, excluded=excluded)
    top = bids[ranking[0]["organisation"]]
    recommended = _day(prices_opened, 6)
    recommendation = AwardRecommendation.objects.create(
        council=council,
        tender=tender,
        lot=lot,
        bid=top,
        top_ranked_bid=top,
        reason=RECOMMENDATION_REASON,
        ranking=ranking,
        recommended_by=commissioner,
        recommended_at=recommended,
        decision=AwardDecision.APPROVED,
        decision_comment="Checked the scores, the moderation rationales and the abnormally low review.",
        decided_by=officer,
        decided_at=recommended + timedelta(days=1),
    )
    published = recommended + timedelta(days=1, hours=1)
    notice_day = timezone.localtime(published, LONDON).date()
    holidays = holiday_dates(between=(notice_day, notice_day + timedelta(days=60)))
    standstill_days = max(tender.standstill_days, policy.standstill_days)
    value = prices[WINNER]
    notice = AwardNotice.objects.create(
        council=council,
        tender=tender,
        lot=lot,
        recommendation=recommendation,
        bid=top,
        value=value,
        published_by=officer,
        published_at=published,
        standstill_days=standstill_days,
        standstill_end=standstill_end(notice_day, standstill_days, holidays=holidays),
        audit_hash=audit_head(council=council).hash,
    )
    # The summaries in the award service's own words, from the recorded scores and prices.
    lot_result = next(result for result in tender_results(tender=tender).lots if result.lot_id == lot.pk)
    summaries = assessment_summaries_build(notice=notice, recommendation=recommendation, result=lot_result)
    for summary in summaries:
        summary.sent_at = notice.published_at
    AssessmentSummary.objects.bulk_create(summaries)
    entered = datetime.combine(notice.standstill_end + timedelta(days=1), time(10, 0), tzinfo=LONDON)
    start = _first_of_next_month(entered.date())
    contract = Contract.objects.create(
        council=council,
        notice=notice,
        tender=tender,
        lot=lot,
        bid=top,
        organisation=top.organisation,
        title=tender.title,
        value=value,
        start_date=start,
        end_date=start.replace(year=start.year + 3) - timedelta(days=1),
        entered_by=officer,
        entered_at=entered,
    )
    winning = next(bid for bid in AWARDED_BIDS if bid.organisation == WINNER)
    agreement = agreement_record(
        council=council,
        kind=AgreementKind.CONTRACT,
        source_id=contract.pk,
        provider=top.organisation,
        title=contract.title,
        value=contract.value,
        awarded_on=entered.date(),
        starts_on=contract.start_date,
        ends_on=contract.end_date,
        commitments=_commitments(council, winning, local=True),
        # The market facts at award, as the contract service keeps them.
        **agreement_market_facts(tender=tender, organisation=top.organisation),
    )
    # A year of delivery returns on it (social value's demo: three accepted, one queried and answered).
    seed_agreement_returns(agreement=agreement)


# --- The steps both tenders share -----------------------------------------------------------------


def _closed_tender(
    cast: _Cast, published: PublishedTender, demo_bids: tuple[DemoBid, ...]
) -> tuple[Recorded, dict[str, Bid]]:
    """The tender as published, its sealed bids, and the compliance checks made at opening."""
    council, commissioner = cast.council, cast.commissioner
    recorded = record_published_tender(
        council=council,
        commission=cast.commission,
        commissioner=commissioner,
        officer=cast.officer,
        tender=published,
    )
    tender, lot = recorded.tender, recorded.lot
    Criterion.objects.filter(pk__in=[c.pk for c in recorded.criteria], kind="quality").update(
        minimum_score=knowsley.MINIMUM_QUALITY_SCORE
    )
    for evaluator in cast.evaluators:
        TenderTeamMember.objects.create(council=council, tender=tender, user=evaluator, role=TeamRole.EVALUATOR)
        ConflictDeclaration.objects.create(council=council, tender=tender, user=evaluator, has_conflict=False)
    questions = _scored(recorded)
    # Submitted before a deadline that has since passed: PostgreSQL checks each submission against
    # the deadline (tenders.database), so they are made while it is ahead, checked, then put back,
    # as tenders.demo.opening does.
    deadline = tender.submission_deadline
    assert deadline is not None
    Tender.objects.filter(pk=tender.pk).update(submission_deadline=timezone.now() + timedelta(hours=1))
    bids: dict[str, Bid] = {}
    for days_before, demo_bid in enumerate(demo_bids, start=2):
        organisation = cast.organisations[demo_bid.organisation]
        owner = organisation.memberships.select_related("user").order_by("pk").first()
        provider = owner.user if owner else commissioner
        content = {
            "answers": {str(q.pk): answer for q, answer in zip(questions, demo_bid.answers, strict=True)},
            "prices": {str(lot.pk): demo_bid.price},
            "commitments": _commitments(
                council, demo_bid, local=demo_bid.organisation != "Amberline Community Services Ltd"
            ),
            "declarations": {"exclusion_grounds": False, "conflicts": False, "conflicts_details": ""},
        }
        bid = Bid.objects.create(
            council=council,
            tender=tender,
            organisation=organisation,
            status=BidStatus.SUBMITTED,
            draft=sealing.seal_json(tender, content),
            created_by=provider,
            compliance=Compliance.COMPLIANT,
            compliance_by=commissioner,
            compliance_at=deadline + timedelta(hours=2),
        )
        BidSubmission.objects.create(
            council=council,
            bid=bid,
            number=1,
            reference=f"KNO-{tender.pk}-{bid.pk}-1",
            content=sealing.seal_json(tender, content),
            sha256=sealing.sha256_hex(sealing.canonical_json(content)),
            submitted_by=provider,
            submitted_at=deadline - timedelta(days=days_before, hours=3),
        )
        bids[demo_bid.organisation] = bid
    check_bid_deadlines_now()
    Tender.objects.filter(pk=tender.pk).update(submission_deadline=deadline)
    tender.refresh_from_db()
    return recorded, bids


def _start_evaluation(cast: _Cast, tender: Tender, bids: dict[str, Bid], started: datetime) -> None:
    """The commissioner starts the evaluation and assigns both evaluators to every scored criterion;
    each declares no conflict against each bidder before seeing any bid."""
    council = cast.council
    Evaluation.objects.create(council=council, tender=tender, started_by=cast.commissioner, started_at=started)
    for evaluator in cast.evaluators:
        assignment = EvaluatorAssignment.objects.create(
            council=council, tender=tender, user=evaluator, assigned_by=cast.commissioner
        )
        EvaluatorAssignment.objects.filter(pk=assignment.pk).update(assigned_at=started + timedelta(minutes=10))
        declared = [
            BidderConflictDeclaration.objects.create(
                council=council, tender=tender, bid=bid, user=evaluator, has_conflict=False
            ).pk
            for bid in bids.values()
        ]
        BidderConflictDeclaration.objects.filter(pk__in=declared).update(declared_at=started + timedelta(hours=2))


def _sheet(
    cast: _Cast,
    tender: Tender,
    bid: Bid,
    evaluator: User,
    marks: Iterable[tuple[Criterion, tuple[int | None, str]]],
    *,
    at: datetime | None,
) -> None:
    """One evaluator's score sheet of one bid: submitted ``at``, or a draft (``at`` None)."""
    sheet = ScoreSheet.objects.create(
        council=cast.council, tender=tender, bid=bid, evaluator=evaluator, submitted_at=at
    )
    for criterion, (score, justification) in marks:
        Score.objects.create(
            council=cast.council,
            sheet=sheet,
            tender=tender,
            bid=bid,
            criterion=criterion,
            evaluator=evaluator,
            score=None if score is None else Decimal(score),
            justification=justification,
            revision=2 if justification else 1,
        )
    if at is not None:
        ScoreSheet.objects.filter(pk=sheet.pk).update(created_at=at - timedelta(hours=6))
        Score.objects.filter(sheet=sheet).update(updated_at=at - timedelta(minutes=5))


def _scored(recorded: Recorded) -> list[Criterion]:
    """The scored criteria (quality and social value), in the model's order."""
    return [c for c in recorded.criteria if c.kind in ("quality", "social_value")]


def _commitments(council: Council, demo_bid: DemoBid, *, local: bool | None = None) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        demo_commitment(council, measure, quantity, unit, (today + timedelta(days=days)).isoformat(), local=local)
        for measure, quantity, unit, days in demo_bid.commitments
    ]


def _day(moment: datetime, days: int) -> datetime:
    return moment + timedelta(days=days)


def _first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


# --- The ranking, as the results compute it -------------------------------------------------------


def _points(score: Decimal, criterion: Criterion) -> Decimal:
    """Points of a score on a criterion: the score's share of the scale's top, times the weight."""
    return score / SCALE_MAXIMUM[Scale(criterion.scale)] * criterion.weight


def _ranking(
    recorded: Recorded, bids: dict[str, Bid], prices: dict[str, Decimal], *, excluded: set[str]
) -> list[dict[str, Any]]:
    """Every bid's points per criterion and total, ranked (excluded bids last, not ranked), as JSON.

    Quality and social value: moderated score ÷ scale top × weight; price: the declared formula's
    fraction (``tenders.price``) among the bids still in the running, times the price weight.
    """
    tender = recorded.tender
    price_criterion = next(c for c in recorded.criteria if c.kind == "price")
    moderated = {
        (m.bid_id, m.criterion_id): m.score
        for m in ModeratedScore.objects.filter(council=tender.council_id, tender=tender)
    }
    fractions = price_scores(
        {name: amount for name, amount in prices.items() if name not in excluded},
        formula=tender.price_formula,
        budget=recorded.lot.estimated_value or tender.estimated_value,
    )
    points: dict[str, dict[str, Decimal]] = {}
    for name, bid in bids.items():
        by_criterion = {str(c.pk): _points(moderated[(bid.pk, c.pk)], c).quantize(_CENT) for c in _scored(recorded)}
        if name in fractions:
            by_criterion[str(price_criterion.pk)] = (fractions[name] * price_criterion.weight).quantize(_CENT)
        points[name] = by_criterion
    totals = {name: sum(by_criterion.values(), Decimal(0)) for name, by_criterion in points.items()}
    ranked = sorted((name for name in bids if name not in excluded), key=totals.__getitem__, reverse=True)
    ranks: dict[str, int | None] = {name: rank for rank, name in enumerate(ranked, start=1)}
    return [
        {
            "bid_id": bids[name].pk,
            "organisation": name,
            "by_criterion": {key: str(value) for key, value in points[name].items()},
            "price": str(prices[name]),
            "total": str(totals[name]),
            "rank": ranks.get(name),
            "reasons": ["Excluded: abnormally low price (see the review)"] if name in excluded else [],
        }
        for name in (*ranked, *(name for name in bids if name in excluded))
    ]
