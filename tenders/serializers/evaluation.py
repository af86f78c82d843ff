"""Serializers of the evaluation API: the commissioner's progress counts (never scores), the
evaluator's own bids and duties, their declaration against a bidder, and their score sheet."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from commissioning.api.fields import StrictCharField
from tenders.services.evaluation import JUSTIFICATION_MAX_LENGTH, REASON_MAX_LENGTH

__all__ = [
    "AssignmentSerializer",
    "AssignInSerializer",
    "DeclarationSerializer",
    "RemoveInSerializer",
    "EvaluatorBidSerializer",
    "MyEvaluationSerializer",
    "ProgressSerializer",
    "ScoreSheetInSerializer",
    "ScoreSheetSerializer",
]


class AssignmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    criterion_id = serializers.IntegerField(allow_null=True, help_text="Empty: every scored criterion")


class EvaluatorProgressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    assignments = AssignmentRefSerializer(many=True)
    bids = serializers.IntegerField(help_text="Bids they score (not recused from)")
    declared = serializers.IntegerField(help_text="Bidders they declared their interests in")
    submitted = serializers.IntegerField(help_text="Score sheets submitted")
    owed = serializers.IntegerField(help_text="Score sheets still to submit")
    recused = serializers.IntegerField(help_text="Bids they are recused from")


class CoverSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    title = serializers.CharField()
    evaluators = serializers.IntegerField()
    short = serializers.BooleanField(help_text="Fewer evaluators than the council policy's minimum")


class ProgressSerializer(serializers.Serializer):
    """The evaluation's progress as counts: nobody's scores."""

    started = serializers.BooleanField()
    started_at = serializers.DateTimeField(allow_null=True)
    moderation_opened_at = serializers.DateTimeField(allow_null=True)
    bids = serializers.IntegerField(help_text="Bids evaluated")
    minimum_evaluators = serializers.IntegerField(help_text="The council policy's minimum per scored criterion")
    criteria = CoverSerializer(many=True)
    evaluators = EvaluatorProgressSerializer(many=True)
    recusals = serializers.IntegerField()


class DescriptorSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    text = serializers.CharField()


class ScoredCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    scale = serializers.CharField(help_text="0-5 (a whole score of a descriptor) or 0-100 (any number, 2 places)")
    descriptors = DescriptorSerializer(many=True)


class EvaluatorBidSerializer(serializers.Serializer):
    bid_id = serializers.IntegerField()
    label = serializers.CharField(help_text="Its blind name: Bid A, Bid B…")
    name = serializers.CharField(help_text="The label in a blind evaluation, else the organisation's name")
    organisation_name = serializers.CharField(help_text="Shown to declare interests, even in a blind evaluation")
    status = serializers.CharField(help_text="Declare your interests, Not started, In progress, Submitted or Recused")
    declared = serializers.BooleanField()
    has_conflict = serializers.BooleanField(allow_null=True)
    recused = serializers.BooleanField()
    may_score = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    criterion_ids = serializers.ListField(child=serializers.IntegerField())


class MyEvaluationSerializer(serializers.Serializer):
    started = serializers.BooleanField()
    blind = serializers.BooleanField()
    justification_minimum_length = serializers.IntegerField()
    criteria = ScoredCriterionSerializer(many=True)
    bids = EvaluatorBidSerializer(many=True)


class AssignInSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, help_text="A council member holding the evaluator role")
    criterion = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, default=None, help_text="Empty: every scored criterion"
    )
    reason = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=REASON_MAX_LENGTH,
        help_text="Why: required when an officer assigns (the commissioner needs none)",
    )


class RemoveInSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=REASON_MAX_LENGTH, help_text="Why the evaluator is removed")


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = serializers.IntegerField(source="user_id")
    name = serializers.CharField()
    criterion = serializers.IntegerField(source="criterion_id", allow_null=True, help_text="Empty: every criterion")
    assigned_by = serializers.IntegerField(source="assigned_by_id")
    assigned_at = serializers.DateTimeField()
    assigned_reason = serializers.CharField(help_text="Given by an officer who assigns; empty for the commissioner")
    removed_at = serializers.DateTimeField(allow_null=True)
    removed_reason = serializers.CharField()


class DeclarationSerializer(serializers.Serializer):
    has_conflict = serializers.BooleanField()
    details = StrictCharField(
        required=False, allow_blank=True, max_length=REASON_MAX_LENGTH, help_text="Required with a conflict"
    )
    whole_tender = serializers.BooleanField(
        required=False, default=False, help_text="With a conflict: step back from the whole tender, not only this bid"
    )


class ScoreSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    justification = serializers.CharField(allow_blank=True)
    revision = serializers.IntegerField(help_text="0 before the first save")


class OtherScoreSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    evaluator = serializers.CharField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2)
    justification = serializers.CharField()


class ScoreSheetSerializer(serializers.Serializer):
    bid_id = serializers.IntegerField()
    name = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    scores = ScoreSerializer(many=True)
    others = OtherScoreSerializer(
        many=True, help_text="The other evaluators' submitted scores: only once this sheet is submitted"
    )


class ScoreInSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField(min_value=1)
    score = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, required=False, help_text="Empty while undecided"
    )
    justification = StrictCharField(required=False, allow_blank=True, max_length=JUSTIFICATION_MAX_LENGTH)
    revision = serializers.IntegerField(min_value=0, help_text="The revision read (0 before the first save)")


class ScoreSheetInSerializer(serializers.Serializer):
    scores = ScoreInSerializer(many=True, allow_empty=False, max_length=200)

    def validate_scores(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [item["criterion_id"] for item in value]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Give each criterion once")
        return value
