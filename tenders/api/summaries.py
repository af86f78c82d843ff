"""The fields every summary of a tender shares in the API, public or council: its value, procedure and dates."""

from __future__ import annotations

from typing import Any

from tenders.models import Tender


def tender_timeline(tender: Tender) -> dict[str, Any]:
    return {
        "estimated_value": tender.estimated_value,
        "procedure": tender.procedure,
        "status": str(tender.status),
        "status_label": tender.status_label,
        "published_at": tender.published_at,
        "clarification_deadline": tender.clarification_deadline,
        "submission_deadline": tender.submission_deadline,
    }
