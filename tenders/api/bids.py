"""API of bids on the provider side.

``urlpatterns`` are included under /api/v1/ by tenders.api.urls.
"""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
