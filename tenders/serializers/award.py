"""Serializers of the award API: what the council, the public and each bidder read, and the bodies
of recommend, decide, suspend, enter the contract and challenge (validated here, acted on by the
services)."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from commissioning.api.fields import StrictCharField
from social_value.models import ReportingPeriod
from tenders.services.award import REASON_MAX_LENGTH

__all__ = [
    "AssessmentSummarySerializer",
    "AssessmentSummaryListSerializer",
    "AwardSerializer",
    "ChallengeCreateSerializer",
    "ChallengeSerializer",
    "ContractCreateSerializer",
    "ContractSerializer",
    "AwardDecisionSerializer",
    "PublicAwardNoticeSerializer",
    "RecommendationCreateSerializer",
    "RecommendationSerializer",
    "SuspensionSerializer",
]


# --- Bodies --------------------------------------------------------------------------------------------


class RecommendationCreateSerializer(serializers.Serializer):
    lot = serializers.IntegerField(
        allow_null=True, help_text="The lot's id; null for a tender without lots", min_value=1
    )
    bid = serializers.IntegerField(
        allow_null=True, min_value=1, help_text="The recommended bid's id; null to recommend no award"
    )
    reason = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text="Required unless the bid is the top-ranked one",
    )


class AwardDecisionSerializer(serializers.Serializer):
    # Plain text, not an enum: several components have a "decision" enum and their names would clash.
    decision = StrictCharField(help_text='"approve" (publishes the award notice) or "send_back"')
    comment = StrictCharField(
        required=False, allow_blank=True, max_length=REASON_MAX_LENGTH, help_text="Required to send back"
    )

    def validate_decision(self, value: str) -> str:
        if value not in ("approve", "send_back"):
            raise serializers.ValidationError('Give "approve" or "send_back"')
        return value


class SuspensionSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=REASON_MAX_LENGTH)


class ContractCreateSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reporting_period = serializers.ChoiceField(
        choices=ReportingPeriod.choices,
        default=ReportingPeriod.QUARTERLY,
        help_text="How often the provider reports on its social value KPIs (quarterly unless given)",
    )

    def validate(self, attrs: dict) -> dict:  # type: ignore[type-arg]
        if attrs["end_date"] < attrs["start_date"]:
            raise serializers.ValidationError({"end_date": "The end date must be the same as or after the start date"})
        return attrs


class ChallengeCreateSerializer(serializers.Serializer):
    reasons = StrictCharField(max_length=REASON_MAX_LENGTH)


# --- What is read ------------------------------------------------------------------------------------------


class RankedSerializer(serializers.Serializer):
    bid_id = serializers.IntegerField()
    organisation = serializers.CharField()
    total = serializers.CharField(help_text="Points out of 100")
    price = serializers.CharField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True, help_text="null: not ranked (see reasons)")
    reasons = serializers.ListField(child=serializers.CharField())
    by_kind = serializers.DictField(child=serializers.CharField())
    by_criterion = serializers.DictField(child=serializers.CharField(), help_text="Points per criterion id")


class RecommendationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    lot = serializers.IntegerField(allow_null=True)
    bid = serializers.IntegerField(allow_null=True, help_text="null: no award")
    organisation = serializers.CharField(allow_null=True)
    top_ranked_bid = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    ranking = RankedSerializer(many=True, help_text="The ranking frozen when recommended")
    recommended_by = serializers.CharField()
    recommended_at = serializers.DateTimeField()
    decision = serializers.CharField(
        allow_blank=True, help_text='"approved", "rejected" (sent back), or "" while pending'
    )
    decision_comment = serializers.CharField(allow_blank=True)
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class ChallengeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    notice = serializers.IntegerField()
    bid = serializers.IntegerField()
    organisation = serializers.CharField()
    reasons = serializers.CharField()
    raised_at = serializers.DateTimeField()


class KPISerializer(serializers.Serializer):
    measure = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    due_by = serializers.DateField(allow_null=True)
    local = serializers.BooleanField()
    notes = serializers.CharField(allow_blank=True)
    measure_version = serializers.IntegerField(
        allow_null=True, help_text="The framework measure version agreed; null for another measure"
    )
    other = serializers.BooleanField(help_text="Another measure, not in the council's framework")


class ContractSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    notice = serializers.IntegerField()
    tender = serializers.IntegerField()
    lot = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    provider = serializers.CharField(help_text="The winning organisation's name")
    provider_id = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    entered_at = serializers.DateTimeField()
    social_value_kpis = KPISerializer(many=True)


class StandstillSerializer(serializers.Serializer):
    working_days = serializers.IntegerField()
    ends_on = serializers.DateField(help_text="The last day of standstill; the contract may be entered the day after")
    text = serializers.CharField()
    running = serializers.BooleanField()


class PublicAwardNoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    lot = serializers.IntegerField(allow_null=True)
    lot_title = serializers.CharField(allow_null=True)
    winner = serializers.CharField(allow_null=True, help_text="null: no award")
    value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    published_at = serializers.DateTimeField()
    standstill = StandstillSerializer()
    suspended = serializers.BooleanField()
    contract_entered = serializers.BooleanField()


class AwardNoticeSerializer(PublicAwardNoticeSerializer):
    audit_hash = serializers.CharField(help_text="The council's audit chain head when the award was made")
    suspension_reason = serializers.CharField(allow_blank=True)


class AwardLotSerializer(serializers.Serializer):
    lot = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    blockers = serializers.ListField(child=serializers.CharField(), help_text="Why no award can be recommended yet")
    ranking = RankedSerializer(many=True)
    recommendations = RecommendationSerializer(many=True)
    notice = AwardNoticeSerializer(allow_null=True)
    challenges = ChallengeSerializer(many=True)
    contract = ContractSerializer(allow_null=True)


class AwardSerializer(serializers.Serializer):
    tender = serializers.IntegerField()
    lots = AwardLotSerializer(many=True)


class SummaryRowSerializer(serializers.Serializer):
    criterion_id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    weight = serializers.CharField(help_text="Percent of the whole score")
    points = serializers.CharField(allow_null=True)
    score = serializers.CharField(allow_null=True, help_text="The moderated score on the criterion's scale")
    reason = serializers.CharField(allow_blank=True)
    winner_points = serializers.CharField(allow_null=True)
    winner_score = serializers.CharField(allow_null=True)
    winner_reason = serializers.CharField(allow_blank=True)


class SummaryBidderSerializer(serializers.Serializer):
    bid_id = serializers.IntegerField()
    organisation = serializers.CharField()
    total = serializers.CharField(allow_null=True, help_text="null: not assessed (found non-compliant at opening)")
    rank = serializers.IntegerField(allow_null=True)
    price = serializers.CharField(allow_null=True)


class AssessmentSummaryListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    council = serializers.CharField(help_text="The council's slug")
    tender = serializers.IntegerField()
    tender_title = serializers.CharField()
    organisation = serializers.CharField()
    successful = serializers.BooleanField()
    published_at = serializers.DateTimeField()
    standstill_end = serializers.DateField()


class AssessmentSummarySerializer(AssessmentSummaryListSerializer):
    """Regulation 31: the criteria and weights, this bid's and the winner's points and reasons, and why."""

    why = serializers.CharField()
    not_assessed_reason = serializers.CharField(
        allow_blank=True,
        help_text="Why the bid was not assessed (found non-compliant at opening, as recorded); empty if it was",
    )
    bidder = SummaryBidderSerializer()
    winner = SummaryBidderSerializer(allow_null=True)
    rows = SummaryRowSerializer(many=True)
    notice = serializers.IntegerField()
