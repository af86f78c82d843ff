"""Background tasks of the framework opened for comment (e-mail notifications), each e-mail sent once
per key (``commissioning.notifications``), so a task that runs again sends nothing twice.

Imported by ``social_value.extensions`` so web processes and workers both know the tasks.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from commissioning.codesign import round_recipients
from commissioning.models import Council
from commissioning.notifications import notify_once
from commissioning.queue import council_task
from social_value.models import FrameworkComment, FrameworkCommentRound

__all__ = ["send_framework_comment_reply_email", "send_framework_round_emails"]


def _link(base_url: str, council: Council, round_id: int) -> str:
    path = reverse("social_value_consultation", kwargs={"council_slug": council.slug, "round_id": round_id})
    return base_url.rstrip("/") + path


@council_task
def send_framework_round_emails(*, council: Council, round_id: int, base_url: str) -> str:
    """E-mail everyone invited to comment on the framework a link to it, each on their own."""
    comment_round = FrameworkCommentRound.objects.select_related("framework").get(pk=round_id)
    link = _link(base_url, council, comment_round.pk)
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Help shape {council.header_name}'s social value framework"
    messages = {
        f"social_value:round-opened:{comment_round.pk}:user:{user.pk}": EmailMessage(
            subject=subject,
            body=render_to_string(
                "social_value/emails/framework_round_opened.txt",
                {"round": comment_round, "council": council, "link": link, "person": user},
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        for user in round_recipients(comment_round)
    }
    if not messages:
        return "nobody"
    return "sent" if notify_once(council=council, messages=messages) else "skipped"


@council_task
def send_framework_comment_reply_email(*, council: Council, comment_id: int, resolved_at: str, base_url: str) -> str:
    """E-mail the commenter the council's reply (once per reply)."""
    comment = FrameworkComment.objects.select_related("round__framework", "author").get(pk=comment_id)
    if comment.resolved_at is None or comment.resolved_at.isoformat() != resolved_at:
        return "skipped"  # replaced by a later reply, which has its own task
    message = EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}A reply to your comment on the social value framework",
        body=render_to_string(
            "social_value/emails/framework_reply.txt",
            {"comment": comment, "council": council, "link": _link(base_url, council, comment.round_id)},
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[comment.author.email],
    )
    # Keyed by the reply's time too: a later reply to the same comment is a new e-mail.
    sent = notify_once(council=council, messages={f"social_value:reply:{comment.pk}:{resolved_at}": message})
    return "sent" if sent else "skipped"
