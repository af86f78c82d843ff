"""The project's URLs plus the floor: a bare DRF list of 50 tender rows, served by the same process
behind the same middleware, so a page's throughput can be given as a share of it.

The floor sits under a council's prefix, so CouncilMiddleware scopes it exactly as it scopes the
council's own pages and API (django-scopes and PostgreSQL row-level security).
"""

from django.urls import path
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from commissioning.urls import *  # noqa: F403
from commissioning.urls import urlpatterns as project_urlpatterns
from tenders.models import Tender


class FloorTenderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tender
        fields = "__all__"


class FloorView(generics.ListAPIView):
    serializer_class = FloorTenderSerializer
    permission_classes = [AllowAny]
    pagination_class = None
    council_public = True

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Tender.objects.order_by("-pk")[:50]


urlpatterns = [
    path("bench/floor/<slug:council_slug>/", FloorView.as_view(), name="bench_floor"),
    *project_urlpatterns,
]
