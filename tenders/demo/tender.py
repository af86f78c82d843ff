"""Demo data: Knowsley's first tender, a draft with a lot, a timetable and an evaluation model."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from commissioning.models import Council, User
from commissioning.tenancy import council_scope
from tenders import services
from tenders.demo import knowsley
from tenders.demo.common import LONDON, decided_commission, knowsley_criteria
from tenders.models import Tender


def seed_tenders(councils: Mapping[str, Council]) -> None:
    """A draft tender with a lot, a timetable and an evaluation model, once (idempotent by title)."""
    council = councils.get("knowsley")
    if council is None:
        return
    with council_scope(council):
        commission = decided_commission(council)
        if commission is None or Tender.objects.filter(council=council, title=knowsley.NAVIGATION_TITLE).exists():
            return
        commissioner = User.objects.get(email=knowsley.COMMISSIONER)
        tender = services.tender_create(
            commission=commission,
            actor=commissioner,
            title=knowsley.NAVIGATION_TITLE,
            description=knowsley.NAVIGATION_DESCRIPTION,
            estimated_value=knowsley.NAVIGATION_VALUE,
        )
        services.tender_update(
            tender=tender,
            actor=commissioner,
            clarification_deadline=datetime(2026, 12, 11, 12, 0, tzinfo=LONDON),
            submission_deadline=datetime(2027, 1, 8, 12, 0, tzinfo=LONDON),
            planned_award_date=date(2027, 2, 15),
        )
        lot_title, lot_description = knowsley.NAVIGATION_LOT
        services.lot_add(
            tender=tender,
            actor=commissioner,
            title=lot_title,
            description=lot_description,
            estimated_value=knowsley.NAVIGATION_VALUE,
        )
        services.criteria_replace(
            tender=tender,
            actor=commissioner,
            criteria=knowsley_criteria(
                questions=knowsley.NAVIGATION_QUESTIONS, social_value=knowsley.NAVIGATION_SOCIAL_VALUE
            ),
            rationale=knowsley.NAVIGATION_RATIONALE,
        )
