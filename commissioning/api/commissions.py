"""API for commissions, their options appraisal decision, and the outcomes framework.

Serializers validate; services act. Errors have the one shape (commissioning.api.errors).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from commissioning import selectors, services
from commissioning.api.fields import StrictCharField, StrictDecimalField, StrictIntegerField, StrictModelSerializer
from commissioning.api.parsers import JSONParser
from commissioning.api.views import CouncilAPIView
from commissioning.models import AppraisalOption, Commission, DeliveryOption, Indicator, Outcome
from commissioning.models.commissions import decision_errors

MAX_ID = 2**63 - 1  # BigAutoField
# More than £0, at most 12 digits of pounds and 2 of pence: "60000", "60000.5", "0.01".
POUNDS_PATTERN = r"^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,11}(\.[0-9]{1,2})?)$"


@extend_schema_field({"type": "string", "format": "decimal", "pattern": POUNDS_PATTERN, "example": "60000.00"})
class PoundsField(StrictDecimalField):
    """An amount in pounds and pence, more than £0, as a string (so no binary rounding)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=14, decimal_places=2, min_value=Decimal("0.01"), **kwargs)


class IndicatorSerializer(StrictModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "measure"]


class OutcomeSerializer(StrictModelSerializer):
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Outcome
        fields = ["id", "title", "description", "position", "is_active", "indicators"]
        read_only_fields = ["id", "indicators"]
        extra_kwargs = {
            "position": {"required": False},
            # Uniqueness is the service's to check (409), not a validator that runs outside the scope.
            "title": {"validators": []},
        }


class OutcomeSummarySerializer(StrictModelSerializer):
    class Meta:
        model = Outcome
        fields = ["id", "title"]


class AppraisalOptionSerializer(StrictModelSerializer):
    # Plain text, not a second enum of the decision's choice set (drf-spectacular would name it
    # twice and warn; see the report about ENUM_NAME_OVERRIDES).
    kind = serializers.CharField(
        read_only=True, help_text="in_house, grant, contract, social_investment or partnership"
    )
    label = serializers.CharField(source="get_kind_display", read_only=True)
    is_default = serializers.BooleanField(read_only=True)

    class Meta:
        model = AppraisalOption
        fields = ["kind", "label", "is_default", "notes"]


class CommissionSerializer(StrictModelSerializer):
    """A commission. Write ``outcome_ids`` (outcomes of this council's framework); read ``outcomes``."""

    outcomes = OutcomeSummarySerializer(many=True, read_only=True)
    outcome_ids = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=MAX_ID),
        write_only=True,
        required=False,
        max_length=100,
        help_text="Ids of active outcomes from the council's outcomes framework",
    )
    estimated_annual_value = PoundsField()
    whole_life_value = PoundsField()
    options = AppraisalOptionSerializer(many=True, read_only=True)
    created_by = serializers.EmailField(source="created_by.email", read_only=True)
    decided_by = serializers.EmailField(source="decided_by.email", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Commission
        fields = [
            "id",
            "title",
            "need",
            "outcomes",
            "outcome_ids",
            "estimated_annual_value",
            "whole_life_value",
            "options",
            "decision",
            "decision_reason",
            "decided_by",
            "decided_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "decision", "decision_reason", "decided_at", "created_at", "updated_at"]

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        annual = data.get("estimated_annual_value", getattr(self.instance, "estimated_annual_value", None))
        whole_life = data.get("whole_life_value", getattr(self.instance, "whole_life_value", None))
        if annual is not None and whole_life is not None and whole_life < annual:
            raise serializers.ValidationError(
                {"whole_life_value": "The whole-life value must be at least the estimated annual value"}
            )
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        if "outcome_ids" in data:
            data["outcomes"] = data.pop("outcome_ids")
        return data


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DeliveryOption.choices)
    reason = StrictCharField(
        max_length=5000,
        allow_blank=True,
        help_text="Why this option. For anything other than in_house: why not in-house, in at least 20 characters.",
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        errors = decision_errors(data["decision"], data["reason"])
        if errors:
            raise serializers.ValidationError({"reason" if k == "decision_reason" else k: v for k, v in errors.items()})
        return data


class JSONOnly:
    """Bodies are JSON: form encodings would let "0" through as a boolean the schema calls false."""

    parser_classes = [JSONParser]


@extend_schema(tags=["commissions"])
class CommissionListCreateView(JSONOnly, CouncilAPIView, generics.ListCreateAPIView):
    """The council's commissions, newest first. POST opens one, with its five appraisal options."""

    serializer_class = CommissionSerializer

    @property
    def council_permission(self) -> str:  # type: ignore[override]
        return "commission.change" if self.request.method == "POST" else "commission.view"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Commission.objects.none()
        return selectors.commission_list(council=self.council)

    @extend_schema(responses={201: CommissionSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        commission = services.commission_create(
            council=self.council, actor=request.user, **serializer.service_arguments()
        )
        commission = selectors.commission_get(council=self.council, commission_id=commission.pk)
        return Response(self.get_serializer(commission).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["commissions"])
class CommissionDetailView(JSONOnly, CouncilAPIView, generics.RetrieveUpdateAPIView):
    """One commission with its options appraisal. PATCH changes title, need, outcomes or values."""

    serializer_class = CommissionSerializer
    http_method_names = ["get", "patch", "head", "options"]

    @property
    def council_permission(self) -> str:  # type: ignore[override]
        return "commission.view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "commission.change"

    def get_object(self) -> Commission:
        return selectors.commission_get(council=self.council, commission_id=self.kwargs["commission_id"])

    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        commission = self.get_object()
        serializer = self.get_serializer(commission, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.commission_update(commission=commission, actor=request.user, **serializer.service_arguments())
        commission = selectors.commission_get(council=self.council, commission_id=commission.pk)
        return Response(self.get_serializer(commission).data)


@extend_schema(tags=["commissions"], request=DecisionSerializer, responses={200: CommissionSerializer})
class CommissionDecisionView(JSONOnly, CouncilAPIView, generics.GenericAPIView):
    """Record the options appraisal decision and its reason (commissioners).

    In-house delivery is the default: any other decision needs a reason of at least 20 characters
    saying why not in-house.
    """

    serializer_class = DecisionSerializer
    council_permission = "commission.decide"

    def post(self, request: Request, council_slug: str, commission_id: int) -> Response:
        commission = selectors.commission_get(council=self.council, commission_id=commission_id)
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.commission_decide(
            commission=commission,
            actor=request.user,
            decision=serializer.validated_data["decision"],
            reason=serializer.validated_data["reason"],
        )
        commission = selectors.commission_get(council=self.council, commission_id=commission_id)
        return Response(CommissionSerializer(commission, context=self.get_serializer_context()).data)


@extend_schema(tags=["commissions"])
class OutcomeListCreateView(JSONOnly, CouncilAPIView, generics.ListCreateAPIView):
    """The council's outcomes framework, with indicators. POST adds an outcome (admins, commissioners)."""

    serializer_class = OutcomeSerializer

    @property
    def council_permission(self) -> str:  # type: ignore[override]
        return "outcomes.manage" if self.request.method == "POST" else "commission.view"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Outcome.objects.none()
        return selectors.outcomes_framework(council=self.council)

    @extend_schema(responses={201: OutcomeSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = services.outcome_create(council=self.council, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(outcome).data, status=status.HTTP_201_CREATED)
