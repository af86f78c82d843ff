"""Council-side API of a tender's specification: ``councils/<slug>/tenders/<id>/specification/``, its
current sections and saved versions (``tender.view``).

``urlpatterns`` are included under /api/v1/ by tenders.api.urls.
"""

from __future__ import annotations

from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from tenders import selectors
from tenders.api.tenders import PREFIX, TenderAPIView
from tenders.serializers.specification import SpecificationSerializer

__all__ = ["urlpatterns"]


@extend_schema(tags=["tenders"], responses={200: SpecificationSerializer})
class SpecificationView(TenderAPIView, generics.GenericAPIView):
    """The tender's specification: its current sections, and every saved version (newest first)."""

    serializer_class = SpecificationSerializer
    council_permission = "tender.view"

    def get(self, request: Request, council_slug: str, tender_id: int) -> Response:
        tender = self.tender()
        data = {
            "tender": tender.pk,
            "sections": [
                {
                    "id": s.pk,
                    "position": s.position,
                    "title": s.title,
                    "body": s.body,
                    "revision": s.revision,
                    "updated_at": s.updated_at,
                }
                for s in selectors.specification_sections(tender=tender)
            ],
            "versions": [
                {
                    "id": v.pk,
                    "number": v.number,
                    "note": v.note,
                    "created_by": v.created_by.email if v.created_by else None,
                    "created_at": v.created_at,
                }
                for v in selectors.specification_versions(tender=tender)
            ],
        }
        return Response(SpecificationSerializer(data).data)


urlpatterns: list[URLPattern] = [
    path(f"{PREFIX}<int:tender_id>/specification/", SpecificationView.as_view(), name="api_council_specification"),
]
