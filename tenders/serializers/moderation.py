"""Serializers of moderation and prices: the side-by-side board, an agreed score, a change after
the lock and its decision, the prices per lot, and the abnormally low decision. They validate
shapes; the services enforce the rules (the scale, the lock, four eyes)."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from commissioning.api.fields import StrictCharField
from tenders.models import AbnormallyLowDecision, ScoreChangeDecision
from tenders.services.moderation import RATIONALE_MAX_LENGTH
from tenders.services.prices import REVIEW_TEXT_MAX_LENGTH

__all__ = [
    "ModerationBoardSerializer",
    "ModeratedScoreSerializer",
    "AgreeSerializer",
    "ChangeRequestSerializer",
    "ChangeDecisionSerializer",
    "ChangeSerializer",
    "PriceBoardSerializer",
    "AbnormallyLowDecisionSerializer",
    "AbnormallyLowReviewSerializer",
]


SCORE = {"max_digits": 6, "decimal_places": 2, "min_value": Decimal(0), "coerce_to_string": True}


class IndividualScoreSerializer(serializers.Serializer):
    evaluator_id = serializers.IntegerField()
    evaluator = serializers.CharField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    justification = serializers.CharField(allow_blank=True)


class ChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    old_score = serializers.DecimalField(max_digits=6, decimal_places=2)
    new_score = serializers.DecimalField(max_digits=6, decimal_places=2)
    new_rationale = serializers.CharField()
    reason = serializers.CharField()
    requested_by = serializers.CharField()
    requested_at = serializers.DateTimeField()
    decision = serializers.CharField(allow_blank=True, help_text='"approved", "rejected", or "" while pending')
    decision_comment = serializers.CharField(allow_blank=True)
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class ModeratedScoreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    bid_id = serializers.IntegerField()
    criterion_id = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    rationale = serializers.CharField()
    revision = serializers.IntegerField()
    agreed_at = serializers.DateTimeField()


class CellSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    criterion = serializers.CharField()
    maximum = serializers.DecimalField(max_digits=6, decimal_places=2)
    scores = IndividualScoreSerializer(many=True)
    spread = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    wide = serializers.BooleanField(help_text="The spread is at least the council's moderation spread share")
    moderated = ModeratedScoreSerializer(allow_null=True)
    changes = ChangeSerializer(many=True)


class BoardBidSerializer(serializers.Serializer):
    bid_id = serializers.IntegerField()
    label = serializers.CharField(help_text='The organisation, or "Bid A"… in a blind evaluation before the lock')
    cells = CellSerializer(many=True)


class ModerationBoardSerializer(serializers.Serializer):
    opened_at = serializers.DateTimeField(allow_null=True)
    locked_at = serializers.DateTimeField(allow_null=True)
    blind = serializers.BooleanField()
    spread_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    problems = serializers.ListField(child=serializers.CharField(), help_text="Why moderation cannot open yet")
    bids = BoardBidSerializer(many=True)


class AgreeSerializer(serializers.Serializer):
    bid = serializers.IntegerField()
    criterion = serializers.IntegerField()
    score = serializers.DecimalField(**SCORE)
    rationale = StrictCharField(max_length=RATIONALE_MAX_LENGTH)


class ChangeRequestSerializer(AgreeSerializer):
    reason = StrictCharField(max_length=RATIONALE_MAX_LENGTH)


class ChangeDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ScoreChangeDecision.choices)
    comment = StrictCharField(max_length=RATIONALE_MAX_LENGTH, required=False, allow_blank=True)


class AbnormallyLowReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    bid_id = serializers.IntegerField()
    lot_id = serializers.IntegerField(allow_null=True)
    flag = serializers.CharField()
    explanation = serializers.CharField(allow_blank=True)
    decision = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class PricedBidSerializer(serializers.Serializer):
    bid_id = serializers.IntegerField()
    name = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    fraction = serializers.DecimalField(max_digits=8, decimal_places=6, help_text="Share of the price weight, 0 to 1")
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    review = AbnormallyLowReviewSerializer(allow_null=True)


class LotPricesSerializer(serializers.Serializer):
    lot_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    budget = serializers.DecimalField(max_digits=14, decimal_places=2)
    formula_text = serializers.CharField()
    bids = PricedBidSerializer(many=True)


class PriceBoardSerializer(serializers.Serializer):
    opened_at = serializers.DateTimeField(allow_null=True)
    formula = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    problems = serializers.ListField(child=serializers.CharField(), help_text="Why prices cannot be opened now")
    lots = LotPricesSerializer(many=True)


class AbnormallyLowDecisionSerializer(serializers.Serializer):
    explanation = StrictCharField(max_length=REVIEW_TEXT_MAX_LENGTH)
    decision = serializers.ChoiceField(choices=AbnormallyLowDecision.choices)
    reason = StrictCharField(max_length=REVIEW_TEXT_MAX_LENGTH)
