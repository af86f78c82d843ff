"""Serializers of a tender's results (ranking per lot, blockers, sensitivity to the social value
weight) and of "Why this bidder won". Read-only: they describe what ``tenders.api.results`` returns."""

from __future__ import annotations

from rest_framework import serializers

__all__ = ["TenderResultsSerializer", "WhySerializer"]

POINTS = {"max_digits": 6, "decimal_places": 2}


class PointsByKindSerializer(serializers.Serializer):
    quality = serializers.DecimalField(**POINTS)
    price = serializers.DecimalField(**POINTS)
    social_value = serializers.DecimalField(**POINTS)
    citizen_panel = serializers.DecimalField(**POINTS)


class CriterionPointsSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    points = serializers.DecimalField(**POINTS)


class RankedBidSerializer(serializers.Serializer):
    bid_id = serializers.IntegerField()
    label = serializers.CharField(help_text='Organisation name, or "Bid A"… in a blind evaluation before the lock')
    rank = serializers.IntegerField(allow_null=True, help_text="Null: not ranked (see reasons)")
    total = serializers.DecimalField(help_text="Points out of 100", **POINTS)
    by_kind = PointsByKindSerializer()
    by_criterion = CriterionPointsSerializer(many=True)
    price = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why it is not ranked, in words")
    tie_broken = serializers.BooleanField(help_text="Its total equals a neighbour's: the declared tie-break placed it")


class TippingPointSerializer(serializers.Serializer):
    weight = serializers.DecimalField(max_digits=8, decimal_places=4, help_text="The weight, to 4 decimal places")
    exact = serializers.CharField(help_text='The exact weight: a decimal ("12.5") or a fraction ("100/9")')
    before = serializers.IntegerField(help_text="The bid that wins just below this weight")
    after = serializers.IntegerField(help_text="The bid that wins just above it")
    at = serializers.IntegerField(help_text="The bid that wins at exactly this weight (by the tie-break)")


class GridTotalSerializer(serializers.Serializer):
    bid_id = serializers.IntegerField()
    total = serializers.DecimalField(**POINTS)
    rank = serializers.IntegerField(allow_null=True)


class SweepPointSerializer(serializers.Serializer):
    weight = serializers.DecimalField(max_digits=8, decimal_places=4)
    winner = serializers.IntegerField(allow_null=True)
    totals = GridTotalSerializer(many=True)


class LineSerializer(serializers.Serializer):
    bid_id = serializers.IntegerField()
    eligible = serializers.BooleanField()
    at_zero = serializers.DecimalField(**POINTS)
    at_set = serializers.DecimalField(**POINTS)
    at_maximum = serializers.DecimalField(**POINTS)
    intercept = serializers.CharField(help_text="The total at 0%, exactly (a fraction)")
    slope = serializers.CharField(help_text="Points per percentage point of social value weight, exactly")


class SensitivitySerializer(serializers.Serializer):
    available = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True, help_text="Why there is nothing to vary, when not available")
    set_weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    maximum_weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    minimum_weight = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    winner_at_set = serializers.IntegerField(allow_null=True)
    winner_at_minimum = serializers.IntegerField(
        allow_null=True, help_text="Who would have won at the council's minimum social value weight"
    )
    tipping_points = TippingPointSerializer(many=True)
    points = SweepPointSerializer(many=True, help_text="The ranking at 21 weights from 0 to the maximum")
    lines = LineSerializer(many=True)


class LotResultSerializer(serializers.Serializer):
    lot_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    winner_bid_id = serializers.IntegerField(allow_null=True)
    blockers = serializers.ListField(
        child=serializers.CharField(), help_text="Why an award cannot be recommended yet, in words"
    )
    ranked = RankedBidSerializer(many=True)
    sensitivity = SensitivitySerializer(allow_null=True)


class ResultCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    scale_max = serializers.DecimalField(max_digits=6, decimal_places=2, help_text="1 for the price (a fraction)")
    minimum = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class TenderResultsSerializer(serializers.Serializer):
    tender_id = serializers.IntegerField()
    blind = serializers.BooleanField()
    tie_break = serializers.CharField()
    social_value_weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    minimum_social_value_weight = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    panel_advice_only = serializers.BooleanField()
    criteria = ResultCriterionSerializer(many=True)
    lots = LotResultSerializer(many=True)


class JustifiedScoreSerializer(serializers.Serializer):
    bid_id = serializers.IntegerField()
    criterion_id = serializers.IntegerField()
    evaluator = serializers.CharField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    justification = serializers.CharField(allow_blank=True)


class AgreedScoreSerializer(serializers.Serializer):
    bid_id = serializers.IntegerField()
    criterion_id = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    rationale = serializers.CharField()


class AwardStepSerializer(serializers.Serializer):
    lot_id = serializers.IntegerField(allow_null=True)
    bid_id = serializers.IntegerField(allow_null=True)
    top_ranked_bid_id = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    recommended_by = serializers.CharField()
    recommended_at = serializers.DateTimeField()
    decision = serializers.CharField(allow_blank=True)
    decided_by = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_comment = serializers.CharField(allow_blank=True)
    published_at = serializers.DateTimeField(allow_null=True)
    standstill_end = serializers.DateField(allow_null=True)
    audit_hash = serializers.CharField(allow_blank=True, help_text="The council's audit chain head at the award")


class WhySerializer(serializers.Serializer):
    results = TenderResultsSerializer()
    weighting_rationale = serializers.CharField(allow_blank=True)
    approved_by = serializers.CharField(allow_blank=True)
    approved_at = serializers.DateTimeField(allow_null=True)
    price_formula = serializers.CharField(help_text="The price formula in plain words, as the notice states it")
    individual_scores = JustifiedScoreSerializer(many=True)
    moderated_scores = AgreedScoreSerializer(many=True)
    awards = AwardStepSerializer(many=True)
    panel = serializers.ChoiceField(choices=["none", "pending", "advice"])
