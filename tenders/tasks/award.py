"""Background tasks of the award: e-mailing each assessed bidder their assessment summary."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning.links import site_url
from commissioning.models import Council
from commissioning.notifications import notify_once
from commissioning.queue import council_task
from tenders.models import AssessmentSummary, AwardNotice, BidSubmission

__all__ = ["send_assessment_summaries"]


@council_task
def send_assessment_summaries(*, council: Council, notice_id: int) -> str:
    """E-mail every assessed bidder of the award (the person who submitted their bid) that their
    assessment summary is ready, with its main lines and a link to read it in full in their
    account (Procurement Regulations 2024, regulation 31). Idempotent: one e-mail per summary."""
    notice = AwardNotice.objects.filter(council=council, pk=notice_id).select_related("tender", "lot").first()
    if notice is None:
        return "skipped"
    submitter = BidSubmission.objects.filter(bid=OuterRef("bid_id")).order_by("-number").values("submitted_by__email")
    summaries = list(
        AssessmentSummary.objects.filter(council=council, notice=notice)
        .select_related("organisation")
        .annotate(email=Subquery(submitter[:1]))
        .order_by("pk")
    )
    messages = {}
    for summary in summaries:
        if not summary.email:
            continue
        context = {
            "council": council,
            "notice": notice,
            "summary": summary,
            "content": summary.content,
            "url": site_url(reverse("assessment_summary", kwargs={"summary_id": summary.pk})),
        }
        messages[f"award:assessment-summary:{summary.pk}"] = EmailMessage(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Assessment summary: {notice.tender.title}",
            body=render_to_string("tenders/emails/assessment_summary.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[summary.email],
        )
    sent = notify_once(council=council, messages=messages)
    AssessmentSummary.objects.filter(
        council=council, pk__in=[s.pk for s in summaries if s.email], sent_at__isnull=True
    ).update(sent_at=timezone.now())
    return "sent" if sent else "skipped"
