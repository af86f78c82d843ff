"""API of co-design: comment rounds on draft specifications, comments and replies (read-only).

``urlpatterns`` are included under /api/v1/ by tenders.api.urls.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from commissioning.api.views import CouncilAPIView
from tenders import selectors
from tenders.models import CommentRound, SectionComment
from tenders.serializers.codesign import CommentRoundSerializer

__all__ = ["CommentRoundListView"]


@extend_schema(tags=["co-design"])
class CommentRoundListView(CouncilAPIView, generics.ListAPIView):
    """The rounds of comments on a tender's draft specification, newest first, each with its comments
    and the commissioner's replies. For council members who may see tenders."""

    serializer_class = CommentRoundSerializer
    council_permission = "tender.view"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return CommentRound.objects.none()
        tender = selectors.tender_get(council=self.council, tender_id=self.kwargs["tender_id"])
        comments = SectionComment.objects.select_related("author", "organisation").order_by("created_at", "pk")
        return (
            selectors.comment_rounds_queryset(council=self.council, tender=tender)
            .prefetch_related(Prefetch("comments", queryset=comments))
            .order_by("-opened_at", "-pk")
        )


urlpatterns: list[URLPattern] = [
    path(
        "councils/<slug:council_slug>/tenders/<int:tender_id>/comment-rounds/",
        CommentRoundListView.as_view(),
        name="api_comment_rounds",
    ),
]
