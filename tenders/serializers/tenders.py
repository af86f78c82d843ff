"""Serializers of the council-side tenders API: the query of the tenders list, a tender's summary and detail."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.api.query import QuerySerializer

__all__ = [
    "STATUS_FILTERS",
    "TenderQuerySerializer",
    "TenderSummarySerializer",
    "TenderDetailSerializer",
]


# The derived status as a query value (the status itself has spaces: "open for bids").
STATUS_FILTERS = [
    ("draft", "Draft: not yet published"),
    ("open_for_questions", "Open for questions and bids, before the clarification deadline"),
    ("open_for_bids", "Open for bids (questions closed), before the submission deadline"),
    ("closed", "Closed: the submission deadline has passed"),
]


AMOUNT_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"


@extend_schema_field({"type": "string", "format": "decimal", "pattern": AMOUNT_PATTERN, "example": "150000"})
class AmountQueryField(serializers.DecimalField):
    """An amount in pounds in a query string: digits, with up to two of pence ("150000", "99.5")."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=14, decimal_places=2, min_value=0, **kwargs)


class TenderQuerySerializer(QuerySerializer):
    status = serializers.ChoiceField(choices=STATUS_FILTERS, required=False, help_text="Only tenders in this status")
    commission = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="Only tenders under this commission (its id)"
    )
    min_value = AmountQueryField(
        required=False, help_text="Only tenders whose estimated value is at least this, in pounds"
    )
    max_value = AmountQueryField(
        required=False, help_text="Only tenders whose estimated value is at most this, in pounds"
    )
    # A minimum above the maximum is a valid question with no answer: an empty list, not an error.


class CommissionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class TenderSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    commission = CommissionRefSerializer()
    estimated_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    procedure = serializers.CharField(help_text="open or quick_quote")
    status = serializers.CharField(
        help_text="draft, open for questions, open for bids or closed: derived from the timestamps and the time now"
    )
    status_label = serializers.CharField(
        help_text='The status in the words every page uses, e.g. "Open for questions and bids"'
    )
    published_at = serializers.DateTimeField(allow_null=True)
    clarification_deadline = serializers.DateTimeField(allow_null=True)
    submission_deadline = serializers.DateTimeField(allow_null=True)


class LotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    estimated_value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    position = serializers.IntegerField()


class TimetableSerializer(serializers.Serializer):
    clarification_deadline = serializers.DateTimeField(allow_null=True)
    submission_deadline = serializers.DateTimeField(allow_null=True)
    planned_award_date = serializers.DateField(allow_null=True)
    standstill_days = serializers.IntegerField(help_text="Working days, beginning with the day of the award notice")
    standstill_end = serializers.DateField(allow_null=True, help_text="If the award notice is on the planned date")


class FrameworkOutcomeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The outcome of the council's social value framework")
    theme = serializers.CharField()
    title = serializers.CharField()


class CriterionNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text="quality, price, social_value or citizen_panel")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="Share of the whole score, in %")
    scale = serializers.CharField(help_text="0-5 or 0-100")
    minimum_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    word_limit = serializers.IntegerField(allow_null=True)
    guidance = serializers.CharField(allow_blank=True)
    framework_outcomes = FrameworkOutcomeRefSerializer(
        many=True, help_text="A social value criterion: the social value framework outcomes it asks about"
    )
    children = serializers.ListField(
        child=serializers.DictField(), help_text="The criterion's parts, each shaped like this one"
    )


class BandSerializer(serializers.Serializer):
    name = serializers.CharField(allow_null=True, help_text="The band of the local spend policy; null with no bands")
    notice = serializers.CharField(help_text="Who may bid, as the notice says it")


class TenderDetailSerializer(TenderSummarySerializer):
    description = serializers.CharField(allow_blank=True)
    weighting_rationale = serializers.CharField(allow_blank=True)
    lots = LotSerializer(many=True)
    timetable = TimetableSerializer()
    evaluation_model = CriterionNodeSerializer(many=True)
    band = BandSerializer()
