"""Award: the recommendation, its four-eyes approval, the award notice and standstill, the assessment
summaries, challenges and the contract.

Per lot (``lot`` empty: a tender without lots): the commissioner recommends a bid, normally the
top-ranked one (another choice, or no award, needs a reason); an officer who neither recommended
nor evaluated approves it. Approval publishes an :class:`AwardNotice` with the standstill's end
(``tenders.calendar.standstill_end``), and writes an :class:`AssessmentSummary` for every assessed
bidder (Procurement Regulations 2024, regulation 31). During standstill a bidder may raise a
:class:`Challenge`; the officer may suspend the award. Once standstill ends without suspension the
:class:`Contract` is entered, and the winning bid's social value commitments become its KPIs
(``social_value``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from commissioning.tenancy import CouncilOwned

__all__ = [
    "AssessmentSummary",
    "AwardDecision",
    "AwardNotice",
    "AwardRecommendation",
    "Challenge",
    "Contract",
]

_USER = settings.AUTH_USER_MODEL


class AwardDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Sent back"


class AwardRecommendation(CouncilOwned):
    """The commissioner's recommendation for one lot: a bid (``bid`` empty: no award), with a reason
    when it is not the top-ranked bid. An officer decides it; a rejected recommendation stays as
    history and a new one may be made."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="award_recommendations")
    lot = models.ForeignKey("tenders.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bid = models.ForeignKey(
        "tenders.Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="award_recommendations"
    )
    top_ranked_bid = models.ForeignKey("tenders.Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(blank=True)
    ranking = models.JSONField(default=list, help_text="The ranking the recommendation was made on, frozen")
    recommended_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recommended_at = models.DateTimeField()
    decision = models.CharField(max_length=20, choices=AwardDecision.choices, blank=True)
    decision_comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender_id", "lot_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=AwardDecision.values), name="award_decision_known"
            ),
            # Another bid than the top-ranked one, or no award at all, needs the reason.
            models.CheckConstraint(
                condition=(Q(bid__isnull=False) & Q(bid=F("top_ranked_bid"))) | ~Q(reason=""),
                name="award_other_choice_reason",
            ),
            models.UniqueConstraint(
                fields=["tender"], condition=Q(lot__isnull=True) & Q(decision=""), name="award_one_pending_whole"
            ),
            models.UniqueConstraint(
                fields=["tender", "lot"], condition=Q(lot__isnull=False) & Q(decision=""), name="award_one_pending_lot"
            ),
        ]

    def __str__(self) -> str:
        return f"Award recommendation {self.pk} for tender {self.tender_id}"


class AwardNotice(CouncilOwned):
    """The published award of one lot, from an approved recommendation. ``standstill_end`` is the last
    day of standstill; ``suspended_at`` is set when the officer suspends the award after a challenge."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="award_notices")
    lot = models.ForeignKey("tenders.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recommendation = models.OneToOneField(AwardRecommendation, on_delete=models.PROTECT, related_name="notice")
    bid = models.ForeignKey("tenders.Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    published_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    standstill_days = models.PositiveSmallIntegerField()
    standstill_end = models.DateField()
    audit_hash = models.CharField(max_length=64, help_text="The council's audit chain head when the award was made")
    suspended_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["tender_id", "lot_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tender"], condition=Q(lot__isnull=True), name="award_notice_whole_once"),
            models.UniqueConstraint(
                fields=["tender", "lot"], condition=Q(lot__isnull=False), name="award_notice_lot_once"
            ),
            models.CheckConstraint(
                condition=Q(suspended_at__isnull=True) | ~Q(suspension_reason=""), name="award_suspension_reason"
            ),
        ]
        indexes = [models.Index(fields=["council", "-published_at"], name="award_notice_council_newest")]

    def __str__(self) -> str:
        return f"Award notice {self.pk} for tender {self.tender_id}"


class AssessmentSummary(CouncilOwned):
    """What one assessed bidder is told (Procurement Regulations 2024, regulation 31): the award
    criteria and weights, their scores and the winning bid's per criterion with the reasons, and
    why they were or were not successful. ``content`` freezes those facts at the award."""

    notice = models.ForeignKey(AwardNotice, on_delete=models.CASCADE, related_name="assessment_summaries")
    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="+")
    bid = models.ForeignKey("tenders.Bid", on_delete=models.PROTECT, related_name="assessment_summaries")
    organisation = models.ForeignKey("commissioning.Organisation", on_delete=models.PROTECT, related_name="+")
    successful = models.BooleanField()
    content = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notice_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["notice", "bid"], name="assessment_summary_once")]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="assessment_summary_provider")]

    def __str__(self) -> str:
        return f"Assessment summary of bid {self.bid_id}"


class Challenge(CouncilOwned):
    """A bidder's challenge to an award during standstill, with its reasons."""

    notice = models.ForeignKey(AwardNotice, on_delete=models.CASCADE, related_name="challenges")
    bid = models.ForeignKey("tenders.Bid", on_delete=models.PROTECT, related_name="challenges")
    raised_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField()
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["notice_id", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(reasons=""), name="challenge_reasons")]

    def __str__(self) -> str:
        return f"Challenge {self.pk} to award {self.notice_id}"


class Contract(CouncilOwned):
    """The contract entered after standstill ended without suspension: provider, value and dates.
    Its social value KPIs (from the winning bid's commitments) live in ``social_value``, keyed to it."""

    notice = models.OneToOneField(AwardNotice, on_delete=models.PROTECT, related_name="contract")
    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="contracts")
    lot = models.ForeignKey("tenders.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bid = models.ForeignKey("tenders.Bid", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("commissioning.Organisation", on_delete=models.PROTECT, related_name="contracts")
    title = models.CharField(max_length=300)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    start_date = models.DateField()
    end_date = models.DateField()
    entered_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["council", "-entered_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="contract_value_positive"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="contract_dates_in_order"),
        ]
        indexes = [models.Index(fields=["council", "-entered_at", "-id"], name="contract_council_newest")]

    def __str__(self) -> str:
        return self.title
