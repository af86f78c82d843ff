"""Public API of clarification questions on a published tender:
``councils/<slug>/opportunities/<id>/clarifications/``.

``urlpatterns`` are included under /api/v1/ by tenders.api.urls.
Asking a question needs a signed-in provider.
"""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from commissioning.api.parsers import JSONParser
from commissioning.models import Organisation
from tenders import selectors, services
from tenders.api.publication import request_council
from tenders.models import ClarificationQuestion
from tenders.serializers.clarifications import (
    AskedClarificationSerializer,
    ClarificationAskSerializer,
    ClarificationSerializer,
)

__all__ = ["urlpatterns"]


class OpportunityClarificationsView(generics.GenericAPIView):
    """Clarification questions on a published tender.

    GET: the published questions and answers (public; who asked is never given). POST: a signed-in
    member of a provider organisation asks a question for it, until the clarification deadline
    (by the server clock); after it the answer is 400 with the reason.
    """

    serializer_class = ClarificationSerializer
    queryset = ClarificationQuestion.objects.none()
    parser_classes = [JSONParser]
    council_public = True
    pagination_class = None

    def get_permissions(self) -> list[Any]:
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    @extend_schema(tags=["opportunities"], responses={200: ClarificationSerializer(many=True)})
    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = selectors.published_tender_get(council=request_council(request), tender_id=tender_id)
        return Response(ClarificationSerializer(selectors.published_clarifications(tender=tender), many=True).data)

    @extend_schema(
        tags=["opportunities"], request=ClarificationAskSerializer, responses={201: AskedClarificationSerializer}
    )
    def post(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = selectors.published_tender_get(council=request_council(request), tender_id=tender_id)
        serializer = ClarificationAskSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = (
            Organisation.objects.of_user(request.user).filter(pk=serializer.validated_data["organisation"]).first()
        )
        if organisation is None:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"organisation": ["Give the id of an organisation you belong to"]})
        question = services.clarification_ask(
            tender=tender, actor=request.user, organisation=organisation, question=serializer.validated_data["question"]
        )
        return Response(AskedClarificationSerializer(question).data, status=status.HTTP_201_CREATED)


urlpatterns: list[URLPattern] = [
    path(
        "councils/<slug:council_slug>/opportunities/<int:tender_id>/clarifications/",
        OpportunityClarificationsView.as_view(),
        name="api_opportunity_clarifications",
    ),
]
