"""Public API of the tenders app: a council's local spend policy, the thresholds, the bank holidays."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from commissioning.models import Council
from tenders import selectors
from tenders.models import BankHoliday, ProcurementThreshold
from tenders.serializers.policy import (
    BankHolidayQuerySerializer,
    BankHolidaySerializer,
    OnDateQuerySerializer,
    ProcurementThresholdSerializer,
    SpendPolicySerializer,
)


def _on(request: Request) -> Any:
    query = OnDateQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("on") or timezone.localdate()


@extend_schema(
    tags=["spend policy"],
    parameters=[OnDateQuerySerializer],
    responses={200: SpendPolicySerializer},
)
class SpendPolicyView(generics.GenericAPIView):
    """The council's local spend policy on a date: its value bands, each with the notice it gives."""

    permission_classes = [AllowAny]
    serializer_class = SpendPolicySerializer
    council_public = True

    def get(self, request: Request, council_slug: str) -> Response:
        council: Council = request._request.council  # type: ignore[attr-defined]
        on = _on(request)
        bands = selectors.spend_bands_in_force(council=council, on=on)
        rows = []
        for band, notice in selectors.band_notices(council=council, bands=bands):
            pure = band.as_band()
            rows.append(
                {
                    "position": band.position,
                    "label": band.label,
                    "value_range": pure.value_range,
                    "lower_bound": band.lower_bound,
                    "upper_bound": band.upper_bound,
                    "currency": band.currency,
                    "reserved_for_local": band.reserved_for_local,
                    "reserved_for": sorted(pure.reserved_for),
                    "welcome": sorted(pure.welcome),
                    "notice": notice,
                }
            )
        data = {
            "council": council.slug,
            "on": on,
            "effective_from": bands[0].effective_from if bands else None,
            "local_area": list(council.local_area),
            "bands": rows,
        }
        return Response(SpendPolicySerializer(data).data)


@extend_schema(
    tags=["reference data"],
    parameters=[OnDateQuerySerializer],
)
class ThresholdListView(generics.ListAPIView):
    """Procurement Act 2023 thresholds in force on a date (amounts include VAT where ``includes_vat``)."""

    permission_classes = [AllowAny]
    serializer_class = ProcurementThresholdSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ProcurementThreshold.objects.none()
        return selectors.thresholds_in_force(on=_on(self.request))


@extend_schema(
    tags=["reference data"],
    parameters=[BankHolidayQuerySerializer],
)
class BankHolidayListView(generics.ListAPIView):
    """England and Wales bank holidays: not working days for standstill and other periods."""

    permission_classes = [AllowAny]
    serializer_class = BankHolidaySerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return BankHoliday.objects.none()
        query = BankHolidayQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        holidays = BankHoliday.objects.order_by("date")
        if query.validated_data.get("year"):
            holidays = holidays.filter(date__year=query.validated_data["year"])
        return holidays
