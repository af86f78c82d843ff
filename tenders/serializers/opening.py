"""Serializers of the bids the council reads after the deadline, of its compliance decision, and of
the 403 every bid endpoint gives before it (sealed).
"""

from __future__ import annotations

from rest_framework import serializers

from commissioning.api.fields import StrictCharField
from tenders.models import Compliance
from tenders.services.opening import REASON_MAX_LENGTH

__all__ = [
    "OpenedBidSerializer",
    "ComplianceSerializer",
    "SealedSerializer",
]


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
    measure = serializers.CharField(allow_blank=True, help_text="The framework measure's name, or the bidder's words")
    quantity = serializers.CharField(allow_blank=True)
    unit = serializers.CharField(allow_blank=True, help_text="The framework measure's unit, or the bidder's words")
    by = serializers.CharField(allow_blank=True)
    measure_version = serializers.IntegerField(
        allow_null=True, help_text="The council's framework measure version picked; null for another measure"
    )
    theme = serializers.CharField(allow_blank=True, help_text="The framework theme of the measure (empty: another)")
    outcome = serializers.CharField(allow_blank=True, help_text="The framework outcome of the measure (empty: another)")
    local = serializers.BooleanField(
        allow_null=True, help_text="Delivered in the council's local area; null when the bid did not say"
    )
    other = serializers.BooleanField(help_text="Another measure, not in the council's framework (flagged)")
    proxy_value = serializers.CharField(
        allow_null=True, help_text="Indicative: quantity × the measure's proxy £ per unit, in pounds; not the score"
    )


class CommitmentTotalSerializer(serializers.Serializer):
    measure = serializers.CharField(allow_blank=True)
    unit = serializers.CharField(allow_blank=True)
    quantity = serializers.CharField(help_text="The sum of the quantities committed to this measure in this unit")
    commitments = serializers.IntegerField()
    other = serializers.BooleanField()
    measure_version = serializers.IntegerField(allow_null=True)
    proxy_per_unit = serializers.CharField(allow_null=True, help_text="The council's proxy value, £ per unit")
    proxy_source = serializers.CharField(allow_blank=True)
    proxy_year = serializers.IntegerField(allow_null=True)
    proxy_value = serializers.CharField(allow_null=True, help_text="Indicative, in pounds; not the score")


class CommitmentSummarySerializer(serializers.Serializer):
    totals = CommitmentTotalSerializer(many=True, help_text="Per measure and unit; different units never added")
    proxy_value = serializers.CharField(
        allow_null=True, help_text="The sum of the indicative proxy values, in pounds (null: none); not the score"
    )
    proxy_sources = serializers.ListField(child=serializers.CharField())


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
    commitment_totals = CommitmentSummarySerializer(help_text="Totals per measure and indicative proxy values")
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
