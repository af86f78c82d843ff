"""The fields every summary of a tender shares in the API, public or council: its value, procedure and dates."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from rest_framework import serializers

from tenders.models import Tender
from tenders.timetable import STATUS_LABELS

# Lists whose JSON is written as dicts of JSON types, without a serializer pass per row, write
# their times and amounts with the serializer's own field classes, so the JSON is the same.
_TIME = serializers.DateTimeField()
_AMOUNT = serializers.DecimalField(max_digits=14, decimal_places=2)


def api_time(value: datetime | None) -> str | None:
    """A time as the API's ``DateTimeField`` writes it (UTC, ``Z``)."""
    return None if value is None else _TIME.to_representation(value)


def api_amount(value: Decimal | None) -> str | None:
    """An amount in pounds as the API's ``DecimalField(decimal_places=2)`` writes it."""
    return None if value is None else _AMOUNT.to_representation(value)


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


def tender_timeline_json(tender: Tender, now: datetime) -> dict[str, Any]:
    """:func:`tender_timeline` at ``now`` as ``TenderSummarySerializer`` writes it."""
    status = tender.status_at(now)
    return {
        "estimated_value": api_amount(tender.estimated_value),
        "procedure": str(tender.procedure),
        "status": str(status),
        "status_label": STATUS_LABELS[status],
        "published_at": api_time(tender.published_at),
        "clarification_deadline": api_time(tender.clarification_deadline),
        "submission_deadline": api_time(tender.submission_deadline),
    }
