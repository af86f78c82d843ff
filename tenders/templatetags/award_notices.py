"""``{% award_notice_link tender %}``: on a tender's public notice, the link to its award notice once
it is awarded (one query), so the notice view needs no award context."""

from __future__ import annotations

from typing import Any

from django import template

from tenders.models import AwardNotice, Tender

register = template.Library()


@register.inclusion_tag("tenders/award/_notice_link.html")
def award_notice_link(tender: Tender) -> dict[str, Any]:
    awarded = (
        tender.submission_deadline is not None
        and AwardNotice.objects.filter(council=tender.council_id, tender=tender).exists()
    )
    return {"tender": tender, "awarded": awarded}
