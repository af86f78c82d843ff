"""Serializers of the council-side tenders API: tenders, their specification, and the bids after the
deadline. They validate and describe; they never save (services act)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.api.fields import StrictCharField
from tenders.models import Compliance
from tenders.serializers.policy import QuerySerializer
from tenders.services.opening import REASON_MAX_LENGTH

__all__ = [
    "STATUS_FILTERS",
    "TenderQuerySerializer",
    "TenderSummarySerializer",
    "TenderDetailSerializer",
    "SpecificationSerializer",
    "OpenedBidSerializer",
    "ComplianceSerializer",
    "SealedSerializer",
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


class CriterionNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text="quality, price, social_value or citizen_panel")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="Share of the whole score, in %")
    scale = serializers.CharField(help_text="0-5 or 0-100")
    minimum_score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    word_limit = serializers.IntegerField(allow_null=True)
    guidance = serializers.CharField(allow_blank=True)
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


class SectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField(allow_blank=True, help_text="Sanitised HTML")
    revision = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class VersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True)
    created_by = serializers.EmailField(allow_null=True)
    created_at = serializers.DateTimeField()


class SpecificationSerializer(serializers.Serializer):
    tender = serializers.IntegerField()
    sections = SectionSerializer(many=True, help_text="The current sections, in order")
    versions = VersionSerializer(many=True, help_text="Every saved version, newest first")


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    legal_form = serializers.CharField()
    postcode = serializers.CharField()


class ReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField()
    number = serializers.IntegerField(help_text="1 for the first submission, 2 when it was replaced once…")
    submitted_at = serializers.DateTimeField()
    sha256 = serializers.CharField(help_text="SHA-256 of the canonical JSON of what was submitted")
    revision_number = serializers.IntegerField(help_text="The published version of the tender it answers")


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField(help_text="The id of the criterion it answers")
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    download = serializers.CharField(help_text="The page that downloads it, decrypted (signed-in session)")


class AnswerSerializer(serializers.Serializer):
    question_id = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    attachment_ids = serializers.ListField(child=serializers.IntegerField())


class PriceSerializer(serializers.Serializer):
    lot_id = serializers.CharField()
    title = serializers.CharField()
    price = serializers.CharField(help_text="In pounds, as the provider entered it")


class CommitmentSerializer(serializers.Serializer):
    measure = serializers.CharField(allow_blank=True)
    quantity = serializers.CharField(allow_blank=True)
    unit = serializers.CharField(allow_blank=True)
    by = serializers.CharField(allow_blank=True)


class DeclarationsSerializer(serializers.Serializer):
    exclusion_grounds = serializers.BooleanField(allow_null=True, help_text="True: grounds for exclusion apply")
    exclusion_ground_keys = serializers.ListField(
        child=serializers.CharField(), help_text="Which grounds apply (Procurement Act 2023, Schedules 6 and 7)"
    )
    exclusion_ground_names = serializers.ListField(child=serializers.CharField(), help_text="Their names")
    exclusion_details = serializers.CharField(allow_blank=True, help_text="What happened, when, who")
    self_cleaning = serializers.CharField(
        allow_blank=True, help_text="What the organisation has done so it will not happen again (s. 58)"
    )
    conflicts = serializers.BooleanField(allow_null=True)
    conflicts_details = serializers.CharField(allow_blank=True)


class CheckSerializer(serializers.Serializer):
    label = serializers.CharField()
    passed = serializers.BooleanField()
    detail = serializers.CharField(allow_blank=True)


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class OpenedBidSerializer(serializers.Serializer):
    """A submitted bid as the council reads it after the deadline: its last submission, decrypted."""

    id = serializers.IntegerField()
    organisation = OrganisationRefSerializer()
    receipt = ReceiptSerializer(allow_null=True)
    eligibility = EligibilitySerializer(help_text="Under the band the tender was advertised in")
    checks = CheckSerializer(many=True)
    compliance = serializers.CharField(help_text="unchecked, compliant or non_compliant")
    compliance_reason = serializers.CharField(allow_blank=True)
    compliance_by = serializers.EmailField(allow_null=True)
    compliance_at = serializers.DateTimeField(allow_null=True)
    answers = AnswerSerializer(many=True)
    prices = PriceSerializer(many=True)
    commitments = CommitmentSerializer(many=True)
    declarations = DeclarationsSerializer()
    attachments = AttachmentSerializer(many=True)


class ComplianceSerializer(serializers.Serializer):
    compliance = serializers.ChoiceField(
        choices=[(Compliance.COMPLIANT.value, "Compliant"), (Compliance.NON_COMPLIANT.value, "Non-compliant")]
    )
    reason = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text="Required for non_compliant, and to change an earlier decision",
    )


class SealedErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField(help_text="sealed")
    message = serializers.CharField()
    fields = serializers.DictField()


class SealedSerializer(serializers.Serializer):
    """403 before the submission deadline: the error, and the one fact the council may know."""

    error = SealedErrorBodySerializer()
    bids_received = serializers.IntegerField(help_text="How many bids were submitted")
    bids_open_at = serializers.DateTimeField(allow_null=True, help_text="The submission deadline")
