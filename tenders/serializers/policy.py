"""API shapes of the tenders app. Serializers validate and describe; they never save."""

from __future__ import annotations

from rest_framework import serializers

from commissioning.api.query import QuerySerializer
from tenders.eligibility import SME, VCSE
from tenders.models import BankHoliday, ProcurementThreshold

# Distinct labels give the two lists distinct enums in the OpenAPI schema (one per field name).
RESERVED_FOR_CHOICES = [(VCSE, "Reserved for VCSE organisations"), (SME, "Reserved for SMEs")]
WELCOME_CHOICES = [(VCSE, "VCSE organisations welcome"), (SME, "SMEs welcome")]


class OnDateQuerySerializer(QuerySerializer):
    on = serializers.DateField(required=False, help_text="The date to answer for (YYYY-MM-DD); today by default")


class BankHolidayQuerySerializer(QuerySerializer):
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2200, help_text="Only this year")


class SpendBandSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    label = serializers.CharField(allow_blank=True)
    value_range = serializers.CharField(help_text='The values in words, e.g. "£5,000 to under £181,000"')
    lower_bound = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Included in the band")
    upper_bound = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Not included; null for no upper limit"
    )
    currency = serializers.CharField()
    reserved_for_local = serializers.BooleanField()
    reserved_for = serializers.ListField(
        child=serializers.ChoiceField(choices=RESERVED_FOR_CHOICES),
        help_text="Only these kinds may bid; empty for any kind",
    )
    welcome = serializers.ListField(
        child=serializers.ChoiceField(choices=WELCOME_CHOICES),
        help_text="Said to be welcome on the notice; excludes nobody",
    )
    notice = serializers.CharField(help_text="The sentence shown on the opportunity's notice")


class SpendPolicySerializer(serializers.Serializer):
    council = serializers.SlugField()
    on = serializers.DateField()
    effective_from = serializers.DateField(allow_null=True, help_text="When these bands took effect")
    local_area = serializers.ListField(child=serializers.CharField(), help_text="Postcode districts")
    bands = SpendBandSerializer(many=True)


class ProcurementThresholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcurementThreshold
        fields = ["key", "name", "amount", "currency", "includes_vat", "effective_from", "source"]


class BankHolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = BankHoliday
        fields = ["date", "name", "region"]
