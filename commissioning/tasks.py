"""Background tasks of the core app."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Council, Invitation
from commissioning.notifications import notify_once
from commissioning.queue import council_task


@council_task
def send_invitation_email(*, council: Council, invitation_id: int, base_url: str) -> str:
    """E-mail an invitation. Idempotent: an invitation is e-mailed once, however often this runs."""
    invitation = Invitation.objects.get(pk=invitation_id)
    if not invitation.is_open:
        return "skipped"
    link = base_url.rstrip("/") + reverse("invitation_accept", kwargs={"token": invitation.token})
    context = {"invitation": invitation, "council": council, "link": link}
    message = EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}You are invited to join {council.header_name}",
        body=render_to_string("emails/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )
    # The key is also written by migration 0006 for invitations e-mailed before it.
    if not notify_once(council=council, messages={f"invitations:{invitation.pk}": message}):
        return "skipped"
    Invitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now())
    return "sent"


@shared_task(name="commissioning.tasks.health_ping")
def health_ping() -> str:
    """Answered by a worker so the health page can tell that one is running."""
    return "pong"


@shared_task(name="commissioning.tasks.audit_heads_publish")
def audit_heads_publish() -> int:
    """Celery beat, every COMMISSIONING_AUDIT_HEAD_INTERVAL: record each council's chain head outside the database."""
    from commissioning.audit import audit_heads_publish as publish

    return len(publish(councils=Council.objects.order_by("slug")))


@shared_task(name="commissioning.tasks.api_tokens_prune")
def api_tokens_prune() -> int:
    """Celery beat, daily: delete expired API tokens (requests no longer sweep them; they are refused anyway)."""
    from commissioning.services import api_tokens_prune as prune

    return prune()
