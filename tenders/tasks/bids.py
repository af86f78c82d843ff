"""Background tasks of the bids stage: the e-mailed receipt of a submission."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from commissioning.models import Council
from commissioning.notifications import notify_once
from commissioning.queue import council_task
from tenders.models import BidSubmission

__all__ = ["send_bid_receipt"]


@council_task
def send_bid_receipt(*, council: Council, submission_id: int) -> str:
    """E-mail the receipt to the person who submitted: time, reference and SHA-256, never the content
    (e-mail is not sealed). Idempotent: a receipt is e-mailed once, however often this runs."""
    submission = (
        BidSubmission.objects.filter(council=council, pk=submission_id)
        .select_related("bid", "bid__tender", "bid__organisation", "submitted_by")
        .first()
    )
    if submission is None:
        return "skipped"
    context = {
        "council": council,
        "submission": submission,
        "tender": submission.bid.tender,
        "organisation": submission.bid.organisation,
        "submitted_at": timezone.localtime(submission.submitted_at),
    }
    message = EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Bid received: {submission.reference}",
        body=render_to_string("tenders/emails/bid_receipt.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[submission.submitted_by.email],
    )
    sent = notify_once(council=council, messages={f"bids:receipt:{submission.pk}": message})
    return "sent" if sent else "skipped"
