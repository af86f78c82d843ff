"""Serializers of bids on the provider side. They validate; the services act."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from commissioning.api.fields import StrictBooleanField, StrictCharField, StrictIntegerField, StrictRegexField
from tenders import exclusion
from tenders.weights import plain_number

__all__ = [
    "MAX_ID",
    "MyBidStartSerializer",
    "MyBidReceiptSerializer",
    "MyBidSummarySerializer",
    "MyBidDraftSerializer",
    "MyBidDraftWriteSerializer",
    "MyBidDraftPatchSerializer",
    "MyBidDetailSerializer",
    "MyBidSubmitSerializer",
    "MyBidRefusalSerializer",
]

MAX_ID = 2**63 - 1
# An amount in pounds and pence as a string, more than £0 (or empty: not bidding for that lot).
PRICE_PATTERN = r"^$|^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,11}(\.[0-9]{1,2})?)$"


class MyBidStartSerializer(serializers.Serializer):
    council = StrictCharField(max_length=60, help_text="The council's slug, e.g. knowsley")
    tender = StrictIntegerField(min_value=1, max_value=MAX_ID, help_text="A published tender of that council")
    organisation = StrictIntegerField(min_value=1, max_value=MAX_ID, help_text="One of your organisations")


class MyBidReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField(read_only=True)
    number = serializers.IntegerField(read_only=True, help_text="1 for the first submission, 2 for a replacement...")
    sha256 = serializers.CharField(
        read_only=True, help_text="SHA-256 (hex) of the canonical JSON of what was submitted, documents by their hash"
    )
    submitted_at = serializers.DateTimeField(read_only=True)
    revision_number = serializers.IntegerField(read_only=True, help_text="The published version of the tender")
    submitted_by = serializers.EmailField(source="submitted_by.email", read_only=True)
    idempotency_key = serializers.UUIDField(read_only=True)


class MyBidSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    council = serializers.CharField(source="tender.council.slug", read_only=True)
    tender = serializers.IntegerField(source="tender_id", read_only=True)
    tender_title = serializers.CharField(source="tender.title", read_only=True)
    submission_deadline = serializers.DateTimeField(source="tender.submission_deadline", read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft, submitted or withdrawn")
    draft_revision = serializers.IntegerField(read_only=True)
    withdrawn_at = serializers.DateTimeField(read_only=True, allow_null=True)
    last_receipt = MyBidReceiptSerializer(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class MyBidCommitmentSerializer(serializers.Serializer):
    """One social value commitment: a measure of the council's newest published framework
    (``measure_version``: its name and unit come from it) or another measure in your words
    (``measure`` and ``unit``), a quantity, by when, and whether it is delivered in the council's
    local area. The serializer's context gives the published ``measures`` (id → measure version),
    or None when the council has published no framework."""

    measure_version = StrictIntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="A measure version of the council's newest published social value framework; "
        "null or left out for another measure",
    )
    measure = StrictCharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="Another measure, in your words (required without measure_version; "
        "with one, the framework's name is kept)",
    )
    unit = StrictCharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text="Its unit (required without measure_version; with one, the framework's unit is kept)",
    )
    quantity = StrictCharField(max_length=20, help_text='A number of 0 or more, as a string, e.g. "3"')
    by = serializers.DateField(help_text="The date it will be met by, e.g. 2027-12-31")
    local = StrictBooleanField(
        required=False, allow_null=True, help_text="Whether it is delivered in the council's local area"
    )
    other = serializers.BooleanField(read_only=True, help_text="True: another measure, not in the framework")

    def validate_quantity(self, value: str) -> str:
        from decimal import Decimal, InvalidOperation

        try:
            number = Decimal(value)
        except InvalidOperation as error:
            raise serializers.ValidationError("Enter the quantity as a number, like 3 or 2.5") from error
        if not number.is_finite() or number < 0 or number >= 10**10:
            raise serializers.ValidationError("Enter the quantity as a number of 0 or more")
        return plain_number(number)  # 100, never "1E+2"

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        measures = self.context.get("measures")
        version_id = attrs.get("measure_version")
        if version_id is not None:
            version = (measures or {}).get(version_id)
            if version is None:
                raise serializers.ValidationError(
                    {
                        "measure_version": "Choose a measure of the council's published social value framework"
                        if measures is not None
                        else "The council has not published a social value framework: give measure and unit instead"
                    }
                )
            return {**attrs, "measure": version.name, "unit": version.unit, "other": False}
        errors = {}
        if not (attrs.get("measure") or "").strip():
            errors["measure"] = "Enter the measure, or give a measure_version of the council's framework"
        if not (attrs.get("unit") or "").strip():
            errors["unit"] = "Enter the unit of the measure"
        if errors:
            raise serializers.ValidationError(errors)
        return {
            **attrs,
            "measure_version": None,
            "measure": (attrs.get("measure") or "").strip(),
            "unit": (attrs.get("unit") or "").strip(),
            "other": True,
        }

    def to_representation(self, instance: Any) -> dict[str, Any]:
        # A commitment saved before measures could be picked has only measure and unit words: it
        # reads as another measure, with every key the schema promises.
        data = dict(instance) if isinstance(instance, dict) else {}
        data.setdefault("measure_version", None)
        data.setdefault("local", None)
        data["other"] = bool(data.get("other")) or data.get("measure_version") is None
        for key in ("measure", "unit", "quantity", "by"):
            data[key] = str(data.get(key) or "")
        return super().to_representation(data)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        value = super().to_internal_value(data)
        value["by"] = value["by"].isoformat()
        value.setdefault("local", None)
        order = ("measure_version", "measure", "unit", "quantity", "by", "local", "other")
        return {key: value.get(key) for key in order}


class MyBidDeclarationsSerializer(serializers.Serializer):
    exclusion_grounds = StrictBooleanField(allow_null=True, help_text="Whether any exclusion ground applies")
    exclusion_ground_keys = serializers.ListField(
        child=serializers.ChoiceField(choices=[(g.key, g.name) for g in exclusion.GROUNDS]),
        max_length=len(exclusion.GROUNDS),
        required=False,
        help_text="If any apply: which grounds (Procurement Act 2023, Schedules 6 and 7)",
    )
    exclusion_details = StrictCharField(
        max_length=10000, allow_blank=True, required=False, help_text="If any apply: what happened, when, who"
    )
    self_cleaning = StrictCharField(
        max_length=10000,
        allow_blank=True,
        required=False,
        help_text="If any apply: what you have done so it will not happen again (s. 58, self-cleaning)",
    )
    conflicts = StrictBooleanField(allow_null=True, help_text="Whether you have a conflict of interest")
    conflicts_details = StrictCharField(max_length=5000, allow_blank=True)


class MyBidDraftSerializer(serializers.Serializer):
    """The draft's content: answers keyed by question (criterion) id, prices keyed by lot id (or
    "tender" when there are no lots), social value commitments, declarations."""

    answers = serializers.DictField(
        child=StrictCharField(max_length=50000, allow_blank=True),
        help_text=(
            'Answers keyed by question id, e.g. {"41": "Our approach…"}. The keys must be ids of this '
            "tender's questions (its quality and social value criteria); any other key is refused (400)."
        ),
    )
    prices = serializers.DictField(
        child=StrictRegexField(PRICE_PATTERN, max_length=15, allow_blank=True),
        help_text=(
            'Pounds and pence as JSON strings (never numbers), e.g. {"12": "145000.00"}; empty: not bidding '
            'for that lot. The keys must be ids of this tender\'s lots, or "tender" when it has none (400 otherwise).'
        ),
    )
    commitments = MyBidCommitmentSerializer(many=True, max_length=30)
    declarations = MyBidDeclarationsSerializer()


class MyBidDraftWriteSerializer(MyBidDraftSerializer):
    """A save of the draft: give the ``revision`` you read; a newer draft is not overwritten (409)."""

    revision = StrictIntegerField(min_value=1, max_value=2**31 - 1)

    def __init__(
        self, *args: Any, question_ids: set[str] = frozenset(), lot_keys: set[str] = frozenset(), **kwargs: Any
    ) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.question_ids = question_ids
        self.lot_keys = lot_keys

    def validate_answers(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(self.question_ids))
        if unknown:
            raise serializers.ValidationError(f"Not questions of this tender: {', '.join(unknown[:10])}")
        return value

    def validate_prices(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(self.lot_keys))
        if unknown:
            raise serializers.ValidationError(f"Not lots of this tender: {', '.join(unknown[:10])}")
        return value


class MyBidDraftPatchSerializer(MyBidDraftWriteSerializer):
    """PATCH: any parts of the draft, and always the ``revision`` you read.

    Only the schema's: the view validates with ``MyBidDraftWriteSerializer(partial=True)`` and
    refuses a missing ``revision``; :class:`tenders.api.bids.DraftPatchSchema` makes the schema
    say ``revision`` is required, so the two agree."""


class MyBidAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    question = serializers.CharField(read_only=True)
    filename = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    sha256 = serializers.CharField(read_only=True)


class MyBidDetailSerializer(MyBidSummarySerializer):
    draft = MyBidDraftSerializer(read_only=True)
    attachments = MyBidAttachmentSerializer(many=True, read_only=True)
    problems = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="What stops the draft being submitted"
    )


class MyBidSubmitSerializer(serializers.Serializer):
    idempotency_key = serializers.UUIDField(
        help_text="A fresh UUID per submission; send the same one again to get the same receipt"
    )


class MyBidRefusalErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField(
        help_text="deadline, not_open, ineligible, incomplete, stale, withdrawn, forbidden or invalid"
    )
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class MyBidRefusalSerializer(serializers.Serializer):
    """The API's one error shape; ``fields.bid`` lists the reasons or problems."""

    error = MyBidRefusalErrorSerializer()
