"""Pages of bid opening on the council side.

``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern

from tenders.models import Tender

urlpatterns: list[URLPattern] = []


def tender_panel(request: HttpRequest, tender: Tender) -> dict[str, Any]:
    """Context for this stage's part of the council's tender page (template tenders/opening/_tender_panel.html)."""
    return {}
