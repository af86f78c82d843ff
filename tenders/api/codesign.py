"""API of co-design: comment rounds on draft specifications, comments and replies.

``urlpatterns`` are included under /api/v1/ by tenders.api.urls.
"""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
