"""API of agreements, delivery returns and the accounts.

- Council side, under ``/api/v1/councils/<slug>/social-value/``: ``agreements/`` and
  ``agreements/<id>/`` (KPIs with committed against delivered, periods with their returns;
  ``social_value.view_agreements``), ``returns/`` (the returns waiting for verification) and
  ``returns/<id>/``, ``returns/<id>/verify/`` (POST ``{"decision": "accept"|"query"|"reject",
  "text"}``; ``social_value.verify_returns``), and ``accounts/`` (anyone: the verified figures).
- Provider side, under ``/api/v1/me/agreements/``: the agreements of my organisations in every
  council, one with its periods, a period's return (GET; PUT saves the draft:
  ``{"figures": {"<kpi id>": "12"}, "narrative"}``) and ``submit/`` (POST ``{"answer"}``).

Serializers validate; ``social_value.returns`` acts (its refusals are 400 with the field's words,
a person who may not act 403, another council's or provider's objects 404).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commissioning.api.fields import StrictCharField
from commissioning.api.parsers import JSONParser
from commissioning.api.query import QuerySerializer
from commissioning.api.views import CouncilAPIView
from commissioning.models import Organisation
from commissioning.tenancy import council_scope, platform_scope
from social_value import accounting, ledger, returns
from social_value.models import Agreement, DeliveryReturn

__all__ = [
    "AccountsView",
    "AgreementDetailView",
    "AgreementListView",
    "MyAgreementDetailView",
    "MyAgreementListView",
    "MyReturnEvidenceView",
    "MyReturnSubmitView",
    "MyReturnView",
    "ReturnDetailView",
    "ReturnQueueView",
    "ReturnVerifyView",
]

MAX_ID = 2**63 - 1


class AgreementKPISerializer(serializers.Serializer):
    id = serializers.IntegerField()
    measure = serializers.CharField()
    unit = serializers.CharField()
    target = serializers.DecimalField(max_digits=14, decimal_places=2)
    due_by = serializers.DateField(allow_null=True)
    local = serializers.BooleanField()
    framework_measure = serializers.BooleanField(help_text="False for another measure the provider named")
    verified = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Accepted returns' total")
    awaiting = serializers.DecimalField(max_digits=16, decimal_places=2, help_text="Reported, not yet accepted")
    verified_share = serializers.DecimalField(
        max_digits=5, decimal_places=4, allow_null=True, help_text="Verified ÷ reported, 0 to 1; null: nothing reported"
    )


class PeriodSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    due_on = serializers.DateField()
    state = serializers.CharField(help_text="In words: Not due yet, Due, Overdue, Draft, Submitted, Queried, …")
    return_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(allow_null=True, help_text="The return's status, null before one is started")


class AgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    council = serializers.CharField(help_text="The council's slug")
    kind = serializers.CharField()
    title = serializers.CharField()
    provider = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    awarded_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    reporting_period = serializers.CharField()


class AgreementDetailSerializer(AgreementSerializer):
    kpis = AgreementKPISerializer(many=True)
    periods = PeriodSerializer(many=True)


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class EventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    at = serializers.DateTimeField()
    text = serializers.CharField()
    figures = serializers.DictField(child=serializers.CharField())


class ReturnSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agreement = serializers.IntegerField()
    period = serializers.IntegerField()
    period_starts_on = serializers.DateField()
    period_ends_on = serializers.DateField()
    due_on = serializers.DateField()
    status = serializers.CharField()
    revision = serializers.IntegerField()
    narrative = serializers.CharField()
    question = serializers.CharField(help_text="The council's open question while queried")
    decision_reason = serializers.CharField()
    figures = serializers.DictField(child=serializers.CharField(), help_text="KPI id → quantity delivered")
    evidence = EvidenceSerializer(many=True)
    events = EventSerializer(many=True)


class ReturnSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agreement = serializers.IntegerField(source="agreement_id")
    agreement_title = serializers.CharField(source="agreement.title")
    provider = serializers.CharField(source="agreement.provider.name")
    period = serializers.IntegerField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class ReturnWriteSerializer(serializers.Serializer):
    figures = serializers.DictField(
        child=StrictCharField(max_length=20, allow_blank=True),
        required=False,
        default=dict,
        help_text='KPI id → quantity delivered as a string ("12", "0"); blank removes it',
    )
    narrative = StrictCharField(max_length=10_000, allow_blank=True, required=False, default="")

    def validate_figures(self, value: dict[str, str]) -> dict[int, str]:
        if len(value) > 200:
            raise serializers.ValidationError("At most 200 KPIs")
        found: dict[int, str] = {}
        for key, quantity in value.items():
            if not key.isdecimal() or not 0 < int(key) <= MAX_ID:
                raise serializers.ValidationError("Each key is a KPI id of the agreement")
            found[int(key)] = quantity
        return found


class SubmitSerializer(serializers.Serializer):
    answer = StrictCharField(
        max_length=5000, allow_blank=True, required=False, default="", help_text="Needed to resubmit a queried return"
    )


class VerifySerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "query", "reject"])
    text = StrictCharField(
        max_length=5000,
        allow_blank=True,
        required=False,
        default="",
        help_text="The question (query) or reason (reject)",
    )


class MeasureTotalSerializer(serializers.Serializer):
    measure = serializers.CharField()
    unit = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=18, decimal_places=2)
    proxy_pounds = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    proxy_label = serializers.CharField()


class OutcomeAccountSerializer(serializers.Serializer):
    title = serializers.CharField()
    totals = MeasureTotalSerializer(many=True)


class ThemeAccountSerializer(serializers.Serializer):
    title = serializers.CharField()
    outcomes = OutcomeAccountSerializer(many=True)


class ProxyTotalSerializer(serializers.Serializer):
    label = serializers.CharField()
    source = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    pounds = serializers.DecimalField(max_digits=20, decimal_places=2)
    measures = serializers.IntegerField()


class AccountsSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField())
    year = serializers.IntegerField(allow_null=True)
    themes = ThemeAccountSerializer(many=True)
    proxies = ProxyTotalSerializer(many=True)


# --- Data --------------------------------------------------------------------------------------------


def _agreement_data(agreement: Agreement) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "council": agreement.council.slug,
        "kind": agreement.kind,
        "title": agreement.title,
        "provider": agreement.provider.name,
        "value": agreement.value,
        "awarded_on": agreement.awarded_on,
        "starts_on": agreement.starts_on,
        "ends_on": agreement.ends_on,
        "reporting_period": agreement.reporting_period,
    }


def _agreement_detail(agreement: Agreement) -> dict[str, Any]:
    view = ledger.agreement_view(agreement=agreement)
    return {
        **_agreement_data(agreement),
        "kpis": [
            {
                "id": kpi.pk,
                "measure": kpi.measure,
                "unit": kpi.unit,
                "target": kpi.target,
                "due_by": kpi.due_by,
                "local": kpi.local,
                "framework_measure": kpi.measure_version_id is not None,
                "verified": view.progress[kpi.pk].verified,
                "awaiting": view.progress[kpi.pk].awaiting,
                "verified_share": view.progress[kpi.pk].share,
            }
            for kpi in view.kpis
        ],
        "periods": [
            {
                "number": row.period.number,
                "starts_on": row.period.starts_on,
                "ends_on": row.period.ends_on,
                "due_on": row.period.due_on,
                "state": row.status,
                "return_id": row.delivery_return.pk if row.delivery_return else None,
                "status": row.delivery_return.status if row.delivery_return else None,
            }
            for row in view.periods
        ],
    }


def _return_data(delivery_return: DeliveryReturn) -> dict[str, Any]:
    detail = ledger.return_detail(delivery_return=delivery_return)
    r = detail.delivery_return
    return {
        "id": r.pk,
        "agreement": r.agreement_id,
        "period": r.period,
        "period_starts_on": r.period_starts_on,
        "period_ends_on": r.period_ends_on,
        "due_on": r.due_on,
        "status": r.status,
        "revision": r.revision,
        "narrative": r.narrative,
        "question": r.question,
        "decision_reason": r.decision_reason,
        "figures": {str(k): str(v) for k, v in detail.figures.items()},
        "evidence": detail.evidence,
        "events": [{"kind": e.kind, "at": e.at, "text": e.text, "figures": e.figures} for e in detail.events],
    }


# --- Council side ------------------------------------------------------------------------------------


@extend_schema(tags=["social value"])
class AgreementListView(CouncilAPIView, generics.ListAPIView):
    """The council's agreements (contracts and grant awards in the ledger), newest first."""

    serializer_class = AgreementSerializer
    council_permission = "social_value.view_agreements"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Agreement.objects.none()
        return (
            Agreement.objects.filter(council=self.council)
            .select_related("provider", "council")
            .order_by("-awarded_on", "-pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            AgreementSerializer([_agreement_data(a) for a in page or []], many=True).data
        )


@extend_schema(tags=["social value"], responses={200: AgreementDetailSerializer})
class AgreementDetailView(CouncilAPIView, generics.GenericAPIView):
    """One agreement: its KPIs (committed, verified, awaiting, verified share) and periods with returns."""

    serializer_class = AgreementDetailSerializer
    council_permission = "social_value.view_agreements"

    def get(self, request: Request, council_slug: str, agreement_id: int) -> Response:
        agreement = ledger.agreement_get(council=self.council, agreement_id=agreement_id)
        return Response(AgreementDetailSerializer(_agreement_detail(agreement)).data)


@extend_schema(tags=["social value"])
class ReturnQueueView(CouncilAPIView, generics.ListAPIView):
    """Submitted returns waiting for verification, the longest waiting first."""

    serializer_class = ReturnSummarySerializer
    council_permission = "social_value.verify_returns"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return DeliveryReturn.objects.none()
        return ledger.returns_to_verify(council=self.council)


@extend_schema(tags=["social value"], responses={200: ReturnSerializer})
class ReturnDetailView(CouncilAPIView, generics.GenericAPIView):
    """One delivery return: figures, narrative, evidence (names and checksums) and its history."""

    serializer_class = ReturnSerializer
    council_permission = "social_value.view_agreements"

    def get(self, request: Request, council_slug: str, return_id: int) -> Response:
        delivery_return = ledger.return_get(council=self.council, return_id=return_id)
        return Response(ReturnSerializer(_return_data(delivery_return)).data)


@extend_schema(tags=["social value"], request=VerifySerializer, responses={200: ReturnSerializer})
class ReturnVerifyView(CouncilAPIView, generics.GenericAPIView):
    """Accept a submitted return, query it with a question, or reject it with a reason (400 otherwise)."""

    serializer_class = VerifySerializer
    council_permission = "social_value.verify_returns"
    parser_classes = [JSONParser]

    def post(self, request: Request, council_slug: str, return_id: int) -> Response:
        delivery_return = ledger.return_get(council=self.council, return_id=return_id)
        serializer = VerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision, text = serializer.validated_data["decision"], serializer.validated_data["text"]
        actor: Any = request.user
        if decision == "accept":
            returns.return_accept(delivery_return=delivery_return, actor=actor, note=text)
        elif decision == "query":
            returns.return_query(delivery_return=delivery_return, actor=actor, question=text)
        else:
            returns.return_reject(delivery_return=delivery_return, actor=actor, reason=text)
        delivery_return = ledger.return_get(council=self.council, return_id=return_id)
        return Response(ReturnSerializer(_return_data(delivery_return)).data)


class AccountsQuerySerializer(QuerySerializer):
    year = serializers.IntegerField(
        min_value=1990, max_value=2100, required=False, help_text="Only this year's figures (the year a period ended)"
    )


@extend_schema(tags=["social value"], responses={200: AccountsSerializer}, parameters=[AccountsQuerySerializer])
class AccountsView(generics.GenericAPIView):
    """Social value accounted for: verified (accepted) figures by theme and outcome, one total per
    measure and unit, and £ per proxy source and year only where a proxy exists. Public."""

    serializer_class = AccountsSerializer
    permission_classes = [AllowAny]
    council_public = True

    def get(self, request: Request, council_slug: str) -> Response:
        council = request._request.council  # type: ignore[attr-defined]
        rows = ledger.account_rows(council=council)
        years = accounting.years_of(rows)
        query = AccountsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year")
        data = {
            "years": years,
            "year": year,
            "themes": accounting.council_account(rows, year=year),
            "proxies": accounting.proxy_totals(rows, year=year),
        }
        return Response(AccountsSerializer(data).data)


# --- Provider side -------------------------------------------------------------------------------------


def _my_agreement(request: Request, agreement_id: int) -> Agreement:
    """One agreement of my organisations, in any council (found across councils by my own
    membership); 404 otherwise. The caller re-enters the agreement's council scope."""
    with platform_scope():
        agreement = (
            Agreement.objects.filter(pk=agreement_id, provider__in=Organisation.objects.of_user(request.user))  # type: ignore[arg-type]
            .select_related("provider", "council")
            .first()
        )
    if agreement is None:
        raise Http404("No such agreement")
    return agreement


class PageQuerySerializer(QuerySerializer):
    page = serializers.IntegerField(min_value=1, required=False, help_text="Page number (25 a page)")


class ProviderAPIView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]


@extend_schema(tags=["social value"])
class MyAgreementListView(ProviderAPIView):
    @extend_schema(
        responses={200: AgreementSerializer(many=True)},
        parameters=[PageQuerySerializer],
        operation_id="me_agreements_list",
    )
    def get(self, request: Request) -> Response:
        """The agreements of my organisations, in every council, newest first (25 a page)."""
        query = PageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        number = query.validated_data.get("page", 1)
        page, rows = ledger.agreements_for_user(user=request.user, page=number)  # type: ignore[arg-type]
        if number > max(page.paginator.num_pages, 1):
            raise Http404("No such page")
        return Response(AgreementSerializer([_agreement_data(r.agreement) for r in rows], many=True).data)


@extend_schema(tags=["social value"], responses={200: AgreementDetailSerializer})
class MyAgreementDetailView(ProviderAPIView):
    def get(self, request: Request, agreement_id: int) -> Response:
        """One agreement of my organisations, with its KPIs and periods."""
        agreement = _my_agreement(request, agreement_id)
        with council_scope(agreement.council_id):
            return Response(AgreementDetailSerializer(_agreement_detail(agreement)).data)


def _my_return(agreement: Agreement, period: int) -> DeliveryReturn:
    found = ledger.return_of_period(agreement=agreement, period=period)
    if found is None:
        raise Http404("No return for this period yet: PUT one")
    return found


@extend_schema(tags=["social value"])
class MyReturnView(ProviderAPIView):
    http_method_names = ["get", "put", "head", "options"]

    @extend_schema(responses={200: ReturnSerializer})
    def get(self, request: Request, agreement_id: int, period: int) -> Response:
        """The return of one period (404 before one is saved)."""
        agreement = _my_agreement(request, agreement_id)
        with council_scope(agreement.council_id):
            return Response(ReturnSerializer(_return_data(_my_return(agreement, period))).data)

    @extend_schema(request=ReturnWriteSerializer, responses={200: ReturnSerializer})
    def put(self, request: Request, agreement_id: int, period: int) -> Response:
        """Save the period's draft (or a queried return's changes): figures by KPI id and the narrative."""
        agreement = _my_agreement(request, agreement_id)
        serializer = ReturnWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with council_scope(agreement.council_id):
            saved = returns.return_save(
                agreement=agreement,
                period=period,
                actor=request.user,  # type: ignore[arg-type]
                figures=serializer.validated_data["figures"],
                narrative=serializer.validated_data["narrative"],
            )
            return Response(ReturnSerializer(_return_data(saved)).data)


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A PDF, Word (.docx), Excel (.xlsx), OpenDocument, PNG or JPEG file, "
        "within the bid attachments' size limit"
    )


@extend_schema(tags=["social value"], request=EvidenceUploadSerializer, responses={201: EvidenceSerializer})
class MyReturnEvidenceView(ProviderAPIView):
    parser_classes = [MultiPartParser]

    def post(self, request: Request, agreement_id: int, period: int) -> Response:
        """Attach a document of evidence to the period's draft or queried return (multipart, field ``file``):
        checked as a bid's documents are (kind, first bytes, content, size)."""
        agreement = _my_agreement(request, agreement_id)
        serializer = EvidenceUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with council_scope(agreement.council_id):
            evidence = returns.return_evidence_add(
                delivery_return=_my_return(agreement, period),
                actor=request.user,  # type: ignore[arg-type]
                upload=serializer.validated_data["file"],
            )
            return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["social value"], request=SubmitSerializer, responses={200: ReturnSerializer})
class MyReturnSubmitView(ProviderAPIView):
    def post(self, request: Request, agreement_id: int, period: int) -> Response:
        """Submit the period's return (after the period ends, complete), or resubmit a queried one with ``answer``."""
        agreement = _my_agreement(request, agreement_id)
        serializer = SubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with council_scope(agreement.council_id):
            submitted = returns.return_submit(
                delivery_return=_my_return(agreement, period),
                actor=request.user,  # type: ignore[arg-type]
                answer=serializer.validated_data["answer"],
            )
            return Response(ReturnSerializer(_return_data(submitted)).data)
