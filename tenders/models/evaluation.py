"""Evaluation: who scores which bids, their conflicts and recusals, individual scores, moderation and prices.

The stages, each recorded by its own rows so the award can be defended from facts:

1. :class:`Evaluation` starts once the submission deadline has passed (one per tender): the
   commissioner assigns evaluators (:class:`EvaluatorAssignment`, for every scored criterion or one).
2. Before any bid content is shown to them, each evaluator declares conflicts of interest against
   each bidding organisation (:class:`BidderConflictDeclaration`). A conflict recuses them from that
   bid or from the tender (:class:`Recusal`); an officer decides whether the panel still stands.
3. Each evaluator scores each assigned bid alone (:class:`ScoreSheet` with one :class:`Score` per
   scored criterion, autosaved) and submits the sheet, which locks it.
4. Moderation (opened on the :class:`Evaluation`) agrees one :class:`ModeratedScore` per bid and
   criterion with its rationale; the moderator's submission locks them. A change after the lock is a
   :class:`ModeratedScoreChange` with a reason and an officer's approval, so the history stays.
5. Prices are read out of the sealed bids into :class:`BidPrice` rows (per lot), scored by the
   model's declared formula; a price far below the others is reviewed (:class:`AbnormallyLowReview`).

Totals, ranking, tie-breaks and the sensitivity to the social value weight are pure functions
(``commissioning.scoring``, ``tenders.price``, ``social_value.sensitivity``) fed from these rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.tenancy import CouncilOwned

__all__ = [
    "AbnormallyLowDecision",
    "AbnormallyLowReview",
    "BidPrice",
    "BidderConflictDeclaration",
    "Evaluation",
    "EvaluatorAssignment",
    "ModeratedScore",
    "ModeratedScoreChange",
    "PanelDecision",
    "Recusal",
    "Score",
    "ScoreChangeDecision",
    "ScoreSheet",
]

_USER = settings.AUTH_USER_MODEL


class Evaluation(CouncilOwned):
    """A tender's evaluation, from its start after the deadline to the moderator's lock.

    ``moderation_opened_at``: the commissioner opened moderation (every assigned evaluator had
    submitted or been recused). ``moderation_locked_at``: the moderator submitted the agreed scores,
    which are then locked. ``prices_opened_at``: prices were read out of the bids (in a blind
    evaluation only after moderation is locked, so scorers of quality never see them).
    """

    tender = models.OneToOneField("tenders.Tender", on_delete=models.CASCADE, related_name="evaluation")
    started_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    moderation_opened_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    moderation_opened_at = models.DateTimeField(null=True, blank=True)
    moderation_locked_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    moderation_locked_at = models.DateTimeField(null=True, blank=True)
    prices_opened_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    prices_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(moderation_locked_at__isnull=True) | Q(moderation_opened_at__isnull=False),
                name="evaluation_lock_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation of {self.tender_id}"


class EvaluatorAssignment(CouncilOwned):
    """A council member (evaluator role) assigned to score a tender's bids: on every scored criterion
    (``criterion`` empty) or on one (a social value specialist scores only social value questions).

    Removing an evaluator keeps the row (``removed_at`` with the reason), so who was assigned when stays known.
    An officer who assigns one gives the reason (``assigned_reason``); the commissioner needs none.
    """

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="evaluator_assignments")
    user = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(
        "tenders.Criterion", on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    assigned_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_reason = models.TextField(blank=True)
    removed_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["tender_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tender", "user"],
                condition=Q(criterion__isnull=True, removed_at__isnull=True),
                name="evaluator_assignment_whole_unique",
            ),
            models.UniqueConstraint(
                fields=["tender", "user", "criterion"],
                condition=Q(criterion__isnull=False, removed_at__isnull=True),
                name="evaluator_assignment_criterion_unique",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removed_reason=""), name="evaluator_assignment_removal_reason"
            ),
        ]
        indexes = [models.Index(fields=["tender", "user"], name="evaluator_assignment_user")]

    def __str__(self) -> str:
        return f"Evaluator {self.user_id} on tender {self.tender_id}"


class BidderConflictDeclaration(CouncilOwned):
    """An evaluator's declaration of interests against one bidding organisation (through its bid),
    made before any of the bid is shown to them. A new declaration supersedes the last (kept)."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="bidder_conflicts")
    bid = models.ForeignKey("tenders.Bid", on_delete=models.PROTECT, related_name="conflict_declarations")
    user = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender_id", "bid_id", "-declared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "user"], condition=Q(superseded_at__isnull=True), name="bidder_conflict_current"
            ),
            models.CheckConstraint(condition=Q(has_conflict=False) | ~Q(details=""), name="bidder_conflict_details"),
        ]
        indexes = [models.Index(fields=["tender", "user"], name="bidder_conflict_user")]

    def __str__(self) -> str:
        return f"Declaration by {self.user_id} on bid {self.bid_id}"


class PanelDecision(models.TextChoices):
    """What the officer decides after a recusal: the remaining evaluators are enough, or change them."""

    STANDS = "stands", "The panel still stands"
    CHANGE = "change", "The evaluators must change"


class Recusal(CouncilOwned):
    """An evaluator stepping back from one bid (``bid`` set) or from the whole tender, with the reason.

    The officer then records whether the panel still stands (``decision``), with their own reason.
    """

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="recusals")
    user = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    bid = models.ForeignKey("tenders.Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="recusals")
    reason = models.TextField()
    recused_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=20, choices=PanelDecision.choices, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="recusal_reason"),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=PanelDecision.values), name="recusal_decision_known"
            ),
            models.UniqueConstraint(
                fields=["tender", "user"], condition=Q(bid__isnull=True), name="recusal_whole_tender_once"
            ),
            models.UniqueConstraint(
                fields=["tender", "user", "bid"], condition=Q(bid__isnull=False), name="recusal_bid_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Recusal of {self.user_id} on tender {self.tender_id}"


class ScoreSheet(CouncilOwned):
    """One evaluator's scores of one bid. Submitting it (``submitted_at``) locks every score on it."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="score_sheets")
    bid = models.ForeignKey("tenders.Bid", on_delete=models.PROTECT, related_name="score_sheets")
    evaluator = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender_id", "bid_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["bid", "evaluator"], name="score_sheet_one_per_evaluator")]
        indexes = [models.Index(fields=["tender", "evaluator"], name="score_sheet_evaluator")]

    def __str__(self) -> str:
        return f"Scores of bid {self.bid_id} by {self.evaluator_id}"


class Score(CouncilOwned):
    """One evaluator's score of one bid on one scored criterion, on the criterion's scale, with the
    descriptor picked and the written justification. ``score`` is empty while the draft is unfinished;
    ``revision`` goes up on every autosave so a stale page cannot overwrite newer text."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="+")
    bid = models.ForeignKey("tenders.Bid", on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey("tenders.Criterion", on_delete=models.PROTECT, related_name="scores")
    evaluator = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    justification = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sheet_id", "criterion__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__gte=0), name="score_not_negative"),
        ]
        # The results fetch every score of a tender in one query of the needed columns.
        indexes = [models.Index(fields=["tender", "bid", "criterion"], name="score_tender_bid_criterion")]

    def __str__(self) -> str:
        return f"Score of bid {self.bid_id} on {self.criterion_id}"


class ModeratedScore(CouncilOwned):
    """The consensus score of one bid on one scored criterion, agreed in moderation, with its rationale.

    Locked with the moderator's submission (``Evaluation.moderation_locked_at``); after that only an
    approved :class:`ModeratedScoreChange` changes it.
    """

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="moderated_scores")
    bid = models.ForeignKey("tenders.Bid", on_delete=models.PROTECT, related_name="moderated_scores")
    criterion = models.ForeignKey("tenders.Criterion", on_delete=models.PROTECT, related_name="moderated_scores")
    score = models.DecimalField(max_digits=6, decimal_places=2)
    rationale = models.TextField()
    agreed_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField()
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["tender_id", "bid_id", "criterion__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "criterion"], name="moderated_score_one_per_criterion"),
            models.CheckConstraint(condition=Q(score__gte=0), name="moderated_score_not_negative"),
            models.CheckConstraint(condition=~Q(rationale=""), name="moderated_score_rationale"),
        ]
        indexes = [models.Index(fields=["tender", "bid", "criterion"], name="moderated_tender_bid_criterion")]

    def __str__(self) -> str:
        return f"Moderated score of bid {self.bid_id} on {self.criterion_id}"


class ScoreChangeDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ModeratedScoreChange(CouncilOwned):
    """A change to a locked moderated score: asked with a reason, decided by an officer (not the asker).

    Approval applies ``new_score`` and ``new_rationale``; the row keeps the before and after for ever.
    """

    moderated_score = models.ForeignKey(ModeratedScore, on_delete=models.CASCADE, related_name="changes")
    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="+")
    old_score = models.DecimalField(max_digits=6, decimal_places=2)
    new_score = models.DecimalField(max_digits=6, decimal_places=2)
    old_rationale = models.TextField()
    new_rationale = models.TextField()
    reason = models.TextField()
    requested_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(max_length=20, choices=ScoreChangeDecision.choices, blank=True)
    decision_comment = models.TextField(blank=True)
    decided_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["moderated_score_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="moderated_change_reason"),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=ScoreChangeDecision.values),
                name="moderated_change_decision_known",
            ),
            models.UniqueConstraint(
                fields=["moderated_score"], condition=Q(decision=""), name="moderated_change_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"Change to moderated score {self.moderated_score_id}"


class BidPrice(CouncilOwned):
    """A bid's price for one lot (``lot`` empty: the whole tender), read out of its sealed last
    submission when prices are opened, so scoring fetches numbers, not ciphertext."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="bid_prices")
    bid = models.ForeignKey("tenders.Bid", on_delete=models.PROTECT, related_name="prices")
    lot = models.ForeignKey("tenders.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["tender_id", "lot_id", "bid_id"]
        constraints = [
            models.UniqueConstraint(fields=["bid"], condition=Q(lot__isnull=True), name="bid_price_whole_once"),
            models.UniqueConstraint(fields=["bid", "lot"], condition=Q(lot__isnull=False), name="bid_price_lot_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="bid_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Price of bid {self.bid_id}"


class AbnormallyLowDecision(models.TextChoices):
    ACCEPT = "accept", "Accept the price"
    EXCLUDE = "exclude", "Exclude the bid"


class AbnormallyLowReview(CouncilOwned):
    """A price flagged as possibly abnormally low (below the council's threshold of the median of the
    others or of the estimate), the provider's explanation, and the commissioner's decision, which
    must be made before the award (Procurement Act 2023, section 19's abnormally low tenders)."""

    tender = models.ForeignKey("tenders.Tender", on_delete=models.CASCADE, related_name="abnormally_low_reviews")
    bid = models.ForeignKey("tenders.Bid", on_delete=models.PROTECT, related_name="abnormally_low_reviews")
    lot = models.ForeignKey("tenders.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    flag = models.TextField(help_text="Why the price was flagged, in words")
    explanation = models.TextField(blank=True, help_text="The provider's explanation, as recorded")
    decision = models.CharField(max_length=20, choices=AbnormallyLowDecision.choices, blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(_USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    flagged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tender_id", "lot_id", "bid_id"]
        constraints = [
            models.UniqueConstraint(fields=["bid"], condition=Q(lot__isnull=True), name="abnormally_low_whole_once"),
            models.UniqueConstraint(
                fields=["bid", "lot"], condition=Q(lot__isnull=False), name="abnormally_low_lot_once"
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=AbnormallyLowDecision.values),
                name="abnormally_low_decision_known",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | (~Q(reason="") & ~Q(explanation="")),
                name="abnormally_low_decided_with_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"Abnormally low review of bid {self.bid_id}"
