"""Serializers of the public notice and the list of opportunities."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.api.query import QuerySerializer
from tenders.serializers.clarifications import ClarificationSerializer
from tenders.timetable import STATUS_GROUP_LABELS

__all__ = [
    "OpportunityQuerySerializer",
    "OpportunitySummarySerializer",
    "OpportunitySerializer",
]


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$", "example": "5000"}
)
class PoundsQueryField(serializers.DecimalField):
    """An amount in pounds in a query string: digits, optionally pence ("5000", "5000.50")."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=14, decimal_places=2, min_value=0, **kwargs)


class OpportunityQuerySerializer(QuerySerializer):
    status = serializers.ChoiceField(
        choices=list(STATUS_GROUP_LABELS.items()),
        required=False,
        help_text="open (still taking bids or questions) or closed",
    )
    min_value = PoundsQueryField(
        required=False,
        help_text="Estimated value at least this, in pounds",
    )
    max_value = PoundsQueryField(
        required=False,
        help_text="Estimated value at most this, in pounds",
    )
    closing_before = serializers.DateTimeField(
        required=False, help_text="Submission deadline before this time (ISO 8601; UK time if no offset)"
    )


class OpportunitySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    estimated_value = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="In pounds, including VAT")
    procedure = serializers.CharField()
    status = serializers.CharField(help_text="open for questions, open for bids or closed")
    status_label = serializers.CharField(
        help_text='The status in the words every page uses, e.g. "Open for questions and bids"'
    )
    published_at = serializers.DateTimeField()
    clarification_deadline = serializers.DateTimeField(allow_null=True)
    submission_deadline = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(help_text="The notice on the council's portal")


class NoticeLotSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    estimated_value = serializers.CharField(allow_null=True, help_text='In pounds, e.g. "60000"; null if not given')


class NoticeCriterionSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.CharField(help_text="quality, price, social_value or citizen_panel")
    weight = serializers.CharField(help_text='Share of the whole score, in percent, e.g. "30"')
    scale = serializers.CharField(required=False, help_text="0-5 or 0-100")
    minimum_score = serializers.CharField(allow_null=True, required=False)
    guidance = serializers.CharField(allow_blank=True, required=False)
    word_limit = serializers.IntegerField(allow_null=True, required=False)
    question = serializers.CharField(
        allow_blank=True, required=False, help_text="The question bidders answer (empty: the title is the question)"
    )
    attachments_allowed = serializers.BooleanField(required=False, help_text="Whether documents may be attached")
    scoring_descriptors = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text='What each score means: [{"score": 0, "meaning": "..."}]',
    )
    framework_outcomes = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="A social value criterion: the social value framework outcomes it asks about, "
        '[{"id": 12, "theme": "...", "title": "..."}]',
    )
    children = serializers.ListField(child=serializers.DictField(), help_text="Parts of this criterion, same shape")


class NoticeSectionSerializer(serializers.Serializer):
    title = serializers.CharField()
    body = serializers.CharField(allow_blank=True, help_text="Sanitised HTML")


class NoticeDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes")
    sha256 = serializers.CharField()
    url = serializers.CharField()


class NoticeRevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True, help_text="Empty for the first publication")
    published_at = serializers.DateTimeField()


class NoticeEligibilitySerializer(serializers.Serializer):
    band = serializers.CharField(allow_null=True, help_text="The value band's name; null when the council has none")
    notice = serializers.CharField(help_text="Who may bid, as the notice says it")
    reserved_for_local = serializers.BooleanField()
    reserved_for = serializers.ListField(child=serializers.CharField(), help_text="vcse and/or sme; empty for any kind")


class OpportunitySerializer(OpportunitySummarySerializer):
    """The public notice of a published tender, as its latest published version says it."""

    version = serializers.IntegerField(help_text="The latest published version (1 = first publication)")
    planned_award_date = serializers.DateField(allow_null=True)
    standstill_days = serializers.IntegerField()
    eligibility = NoticeEligibilitySerializer()
    lots = NoticeLotSerializer(many=True)
    evaluation_model = NoticeCriterionSerializer(many=True)
    weighting_rationale = serializers.CharField(allow_blank=True)
    specification = NoticeSectionSerializer(many=True)
    documents = NoticeDocumentSerializer(many=True)
    clarifications = ClarificationSerializer(many=True)
    revisions = NoticeRevisionSerializer(many=True)
