"""API of the social value app, under /api/v1/councils/<slug>/social-value/: the framework, and the
market figures (``market/``: commissioners, officers and admins).

Members read the framework (themes → outcomes → measures, the latest version); council admins add,
change and retire measures and publish versions. Serializers validate; ``social_value.framework``
acts. Errors have the one shape (commissioning.api.errors).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from commissioning.api.fields import StrictCharField, StrictDecimalField, StrictIntegerField
from commissioning.api.parsers import JSONParser
from commissioning.api.query import QuerySerializer
from commissioning.api.views import CouncilAPIView
from social_value import framework as services
from social_value import market, selectors
from social_value.forms import YEAR_MAX, YEAR_MIN
from social_value.framework_csv import CODE_PATTERN
from social_value.framework_models import PROXY_YEAR_MAX, PROXY_YEAR_MIN
from social_value.models import FrameworkOutcome, FrameworkVersion, Measure

__all__ = [
    "FrameworkPublishView",
    "FrameworkView",
    "MeasureDetailView",
    "MeasureListCreateView",
    "MeasureRetireView",
    "MarketView",
]

MAX_ID = 2**63 - 1
PROXY_PATTERN = r"^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$"
CODE_CLASH = OpenApiResponse(description="Another measure of the framework already has this code")


@extend_schema_field({"type": "string", "format": "decimal", "pattern": PROXY_PATTERN, "example": "12.50"})
class ProxyValueField(StrictDecimalField):
    """Pounds per unit, £0 or more, as a string (so no binary rounding)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=12, decimal_places=2, min_value=Decimal(0), **kwargs)


class MeasureSerializer(serializers.Serializer):
    """A measure. Write ``outcome_id`` (an outcome of the framework) and ``contributes_to_ids``
    (outcomes of the council's outcomes framework); read them too, with the words."""

    id = serializers.IntegerField(read_only=True)
    code = StrictCharField(max_length=30, help_text="Unique in the framework; letters, digits, . - _")
    name = StrictCharField(max_length=300)
    unit = StrictCharField(max_length=100)
    description = StrictCharField(max_length=5000, allow_blank=True, required=False, default="")
    evidence = StrictCharField(max_length=5000, allow_blank=True, required=False, default="")
    proxy_value = ProxyValueField(allow_null=True, required=False, default=None)
    proxy_source = StrictCharField(max_length=300, allow_blank=True, required=False, default="")
    proxy_year = StrictIntegerField(
        min_value=PROXY_YEAR_MIN, max_value=PROXY_YEAR_MAX, allow_null=True, required=False, default=None
    )
    outcome_id = StrictIntegerField(min_value=1, max_value=MAX_ID, help_text="An outcome of the framework")
    theme = serializers.CharField(source="outcome.theme.title", read_only=True)
    outcome = serializers.CharField(source="outcome.title", read_only=True)
    contributes_to_ids = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=100,
        help_text="Ids of outcomes of the council's outcomes framework this measure contributes to",
    )
    version = serializers.IntegerField(read_only=True, help_text="Its latest published version (0: none yet)")
    retired_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def validate_code(self, value: str) -> str:
        if not CODE_PATTERN.match(value.strip()):
            raise serializers.ValidationError("Use letters, digits, dots, hyphens and underscores only")
        return value

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["contributes_to_ids"] = [o.pk for o in instance.contributes_to.all()]
        return data

    def service_arguments(self, council: Any) -> dict[str, Any]:
        data = dict(self.validated_data)
        if "outcome_id" in data:
            outcome = FrameworkOutcome.objects.filter(council=council, pk=data.pop("outcome_id")).first()
            if outcome is None:
                raise serializers.ValidationError({"outcome_id": ["Choose an outcome of this council's framework"]})
            data["outcome"] = outcome
        if "contributes_to_ids" in data:
            data["contributes_to"] = data.pop("contributes_to_ids")
        return data


class MeasureReadSerializer(MeasureSerializer):
    contributes_to_ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)  # type: ignore[assignment]


class FrameworkOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    measures = MeasureReadSerializer(many=True)


class ThemeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    outcomes = FrameworkOutcomeSerializer(many=True)


class FrameworkVersionSerializer(serializers.ModelSerializer):
    published_by = serializers.EmailField(source="published_by.email", read_only=True, allow_null=True, default=None)

    class Meta:
        model = FrameworkVersion
        fields = ["number", "note", "published_at", "published_by"]
        read_only_fields = fields


class FrameworkSerializer(serializers.Serializer):
    name = serializers.CharField()
    source = serializers.CharField()
    attribution = serializers.CharField()
    latest_version = FrameworkVersionSerializer(allow_null=True)
    themes = ThemeSerializer(many=True)
    more_measures = serializers.BooleanField(help_text="True when only the first 500 measures are listed")


class PublishSerializer(serializers.Serializer):
    note = StrictCharField(max_length=500, allow_blank=True, required=False, default="")


class JSONOnly:
    parser_classes = [JSONParser]


def _framework_data(tree: selectors.FrameworkTree) -> dict[str, Any]:
    framework = tree.framework
    return {
        "name": framework.name if framework else "",
        "source": framework.source if framework else "",
        "attribution": framework.attribution if framework else "",
        "latest_version": tree.latest_version,
        "themes": [
            {
                "id": branch.theme.pk,
                "title": branch.theme.title,
                "outcomes": [
                    {"id": leaf.outcome.pk, "title": leaf.outcome.title, "measures": leaf.measures}
                    for leaf in branch.outcomes
                ],
            }
            for branch in tree.themes
        ],
        "more_measures": tree.more_measures,
    }


@extend_schema(tags=["social value"], responses={200: FrameworkSerializer})
class FrameworkView(CouncilAPIView, generics.GenericAPIView):
    """The council's social value framework: themes → outcomes → measures, and the latest version."""

    serializer_class = FrameworkSerializer
    council_permission = "social_value.view_framework"

    def get(self, request: Request, council_slug: str) -> Response:
        tree = selectors.framework_tree(council=self.council)
        return Response(FrameworkSerializer(_framework_data(tree)).data)


@extend_schema(tags=["social value"])
class MeasureListCreateView(JSONOnly, CouncilAPIView, generics.ListCreateAPIView):
    """The framework's measures, in order (retired ones too, with ``retired_at``). POST adds one (admins)."""

    serializer_class = MeasureSerializer

    @property
    def council_permission(self) -> str:  # type: ignore[override]
        return "social_value.manage_framework" if self.request.method == "POST" else "social_value.view_framework"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Measure.objects.none()
        return selectors.measures_with_details(council=self.council)

    @extend_schema(responses={201: MeasureSerializer, 409: CODE_CLASH})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        measure = services.measure_create(
            council=self.council, actor=request.user, **serializer.service_arguments(self.council)
        )
        measure = selectors.measure_get(council=self.council, measure_id=measure.pk)
        return Response(self.get_serializer(measure).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["social value"])
class MeasureDetailView(JSONOnly, CouncilAPIView, generics.RetrieveUpdateAPIView):
    """One measure. PATCH changes it (admins); a retired measure cannot be changed (400)."""

    serializer_class = MeasureSerializer
    http_method_names = ["get", "patch", "head", "options"]

    @property
    def council_permission(self) -> str:  # type: ignore[override]
        return (
            "social_value.view_framework"
            if self.request.method in ("GET", "HEAD", "OPTIONS")
            else ("social_value.manage_framework")
        )

    def get_object(self) -> Measure:
        return selectors.measure_get(council=self.council, measure_id=self.kwargs["measure_id"])

    @extend_schema(responses={200: MeasureSerializer, 409: CODE_CLASH})
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        measure = self.get_object()
        serializer = self.get_serializer(measure, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        # A partial update: omitted fields (and their defaults) are not changes.
        changes = serializer.service_arguments(self.council)
        services.measure_update(measure=measure, actor=request.user, **changes)
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema(tags=["social value"], request=None, responses={200: MeasureSerializer})
class MeasureRetireView(CouncilAPIView, generics.GenericAPIView):
    """Retire a measure (admins): kept with its versions for history, left out of the next version."""

    serializer_class = MeasureSerializer
    council_permission = "social_value.manage_framework"

    def post(self, request: Request, council_slug: str, measure_id: int) -> Response:
        measure = selectors.measure_get(council=self.council, measure_id=measure_id)
        services.measure_retire(measure=measure, actor=request.user)
        measure = selectors.measure_get(council=self.council, measure_id=measure_id)
        return Response(MeasureSerializer(measure, context=self.get_serializer_context()).data)


@extend_schema(tags=["social value"], request=PublishSerializer, responses={201: FrameworkVersionSerializer})
class FrameworkPublishView(JSONOnly, CouncilAPIView, generics.GenericAPIView):
    """Publish a version of the framework (admins). 400 when nothing changed since the last version."""

    serializer_class = PublishSerializer
    council_permission = "social_value.manage_framework"

    def post(self, request: Request, council_slug: str) -> Response:
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = services.framework_publish(
            council=self.council, actor=request.user, note=serializer.validated_data["note"]
        )
        return Response(FrameworkVersionSerializer(version).data, status=status.HTTP_201_CREATED)


# --- Market shaping (issue 11): councils/<slug>/social-value/market/ -----------------------------


class MarketQuerySerializer(QuerySerializer):
    from_year = serializers.IntegerField(
        min_value=YEAR_MIN, max_value=YEAR_MAX, required=False, help_text="Default: 4 years before to_year"
    )
    to_year = serializers.IntegerField(
        min_value=YEAR_MIN, max_value=YEAR_MAX, required=False, help_text="Default: this year"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        first, last = attrs.get("from_year"), attrs.get("to_year")
        if first is not None and last is not None:
            if last < first:
                raise serializers.ValidationError(
                    {"to_year": ["The to year must be the same as or after the from year"]}
                )
            if last - first >= selectors.MARKET_YEARS_MAX:
                raise serializers.ValidationError({"to_year": [f"Ask for at most {selectors.MARKET_YEARS_MAX} years"]})
        return attrs


def _pct(value: Fraction | None) -> str | None:
    shown = market.percent(value, 2)
    return None if shown is None else str(shown)


PERCENT = {"type": "string", "format": "decimal", "example": "12.50", "description": "A share in percent, 2 places"}


@extend_schema_field({**PERCENT, "nullable": True})
class PercentField(serializers.Field):
    def to_representation(self, value: Any) -> str | None:
        return _pct(value)


class MoneyOutField(serializers.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=16, decimal_places=2, coerce_to_string=True, **kwargs)


class TypeSharesSerializer(serializers.Serializer):
    local = PercentField()
    non_local = PercentField()
    vcse = PercentField()
    sme = PercentField()
    large = PercentField()
    asset_locked = PercentField()
    not_asset_locked = PercentField()
    private_equity = PercentField()


class TypeTotalsSerializer(serializers.Serializer):
    value = MoneyOutField()
    agreements = serializers.IntegerField()
    local = MoneyOutField()
    vcse = MoneyOutField()
    sme = MoneyOutField()
    large = MoneyOutField()
    asset_locked = MoneyOutField()
    private_equity = MoneyOutField()


class ConcentrationSerializer(serializers.Serializer):
    providers = serializers.IntegerField()
    top_five_share = PercentField(source="top_share")
    hhi = serializers.IntegerField(source="hhi_rounded", help_text="Herfindahl–Hirschman index, 0 to 10,000")
    reading = serializers.CharField(source="reading.level", help_text="none, unconcentrated, moderate or high")


class MarketYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    totals = TypeTotalsSerializer()
    shares = TypeSharesSerializer()
    concentration = ConcentrationSerializer()
    reserved_bands_local_share = PercentField()


class MarketBandSerializer(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True, help_text="null: the whole period")
    label = serializers.CharField(source="band.label")
    reserved_for_local = serializers.BooleanField(source="band.reserved_for_local")
    value = MoneyOutField(source="band.value")
    local = MoneyOutField(source="band.local")
    local_share = PercentField(source="band.local_share")
    agreements = serializers.IntegerField(source="band.agreements")


class TopProviderSerializer(serializers.Serializer):
    name = serializers.CharField()
    value = MoneyOutField()
    share = PercentField()


class BidsInYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    competitions = serializers.IntegerField(help_text="Closed (deadline passed) in the year")
    bids = serializers.IntegerField()
    local_bids = serializers.IntegerField()
    non_local_bids = serializers.IntegerField()
    vcse_bids = serializers.IntegerField()
    sme_bids = serializers.IntegerField()
    large_bids = serializers.IntegerField()
    single_bid_competitions = serializers.IntegerField()
    no_bid_competitions = serializers.IntegerField()


class RepeatSingleBidderSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    competitions = serializers.IntegerField()


class BidFiguresSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    years = BidsInYearSerializer(many=True)
    repeat_single_bidders = RepeatSingleBidderSerializer(many=True)


class MarketSerializer(serializers.Serializer):
    from_year = serializers.IntegerField(source="first_year")
    to_year = serializers.IntegerField(source="last_year")
    totals = TypeTotalsSerializer(source="period")
    shares = TypeSharesSerializer()
    reserved_bands_local_share = PercentField(source="reserved_local_share")
    concentration = ConcentrationSerializer()
    top_providers = TopProviderSerializer(many=True)
    extractive = serializers.SerializerMethodField()
    years = serializers.SerializerMethodField()
    bands = MarketBandSerializer(many=True)
    bids = BidFiguresSerializer(many=True, source="bid_figures")

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "large": {**PERCENT, "nullable": True},
                "non_local": {**PERCENT, "nullable": True},
                "private_equity": {**PERCENT, "nullable": True},
            },
        }
    )
    def get_extractive(self, figures: selectors.MarketFigures) -> dict[str, str | None]:
        s = figures.signals
        return {"large": _pct(s.large), "non_local": _pct(s.non_local), "private_equity": _pct(s.private_equity)}

    @extend_schema_field(MarketYearSerializer(many=True))
    def get_years(self, figures: selectors.MarketFigures) -> Any:
        rows = [
            {
                "year": row.year,
                "totals": row.totals,
                "shares": row.shares,
                "concentration": figures.concentration_by_year.get(row.year, market.concentration([])),
                "reserved_bands_local_share": figures.reserved_local_share_in(row.year),
            }
            for row in figures.by_year
        ]
        return MarketYearSerializer(rows, many=True).data


@extend_schema(tags=["social value"], parameters=[MarketQuerySerializer], responses={200: MarketSerializer})
class MarketView(CouncilAPIView, generics.GenericAPIView):
    """The council's market figures for calendar years (by date of award): value by provider type
    (as each provider was at award) and band, the reserved bands' local share, concentration (top
    five share, HHI), extractive signals, and bids per closed tender by provider type.
    Commissioners, officers and admins."""

    serializer_class = MarketSerializer
    council_permission = "social_value.view_market"

    def get(self, request: Request, council_slug: str) -> Response:
        query = MarketQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        now = timezone.now()
        first, last = selectors.market_years(
            today=timezone.localdate(now),
            first_year=query.validated_data.get("from_year"),
            last_year=query.validated_data.get("to_year"),
        )
        figures = selectors.market_figures(council=self.council, first_year=first, last_year=last, now=now)
        return Response(MarketSerializer(figures).data)
