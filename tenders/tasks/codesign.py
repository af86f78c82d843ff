"""Background tasks of the codesign stage (e-mail notifications), each e-mail sent once per key
(commissioning.notifications), so a task that runs again sends nothing twice."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from commissioning.codesign import round_recipients
from commissioning.models import Council, User
from commissioning.notifications import notify_once
from commissioning.queue import council_task
from tenders.models import CommentRound, SectionComment

__all__ = ["send_comment_round_emails", "send_comment_reply_email", "comment_round_recipients"]


def _link(base_url: str, council: Council, name: str, **kwargs: int) -> str:
    return base_url.rstrip("/") + reverse(name, kwargs={"council_slug": council.slug, **kwargs})


def comment_round_recipients(comment_round: CommentRound) -> list[User]:
    """Members of the invited organisations and, if the round is open to citizens, the council's
    citizens (the core's rule for every co-design: ``commissioning.codesign.round_recipients``)."""
    return round_recipients(comment_round)


@council_task
def send_comment_round_emails(*, council: Council, round_id: int, base_url: str) -> str:
    """E-mail everyone invited to a round a link to the draft specification, each on their own."""
    comment_round = CommentRound.objects.select_related("tender", "opened_by").get(pk=round_id)
    link = _link(base_url, council, "consultation", round_id=comment_round.pk)
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Comment on a draft specification: {comment_round.tender.title}"
    messages = {
        f"codesign:round-opened:{comment_round.pk}:user:{user.pk}": EmailMessage(
            subject=subject,
            body=render_to_string(
                "tenders/emails/codesign_round_opened.txt",
                {"round": comment_round, "council": council, "link": link, "person": user},
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        for user in comment_round_recipients(comment_round)
    }
    if not messages:
        return "nobody"
    return "sent" if notify_once(council=council, messages=messages) else "skipped"


@council_task
def send_comment_reply_email(*, council: Council, comment_id: int, resolved_at: str, base_url: str) -> str:
    """E-mail the commenter the commissioner's reply (once per reply)."""
    comment = SectionComment.objects.select_related("round__tender", "author").get(pk=comment_id)
    if comment.resolved_at is None or comment.resolved_at.isoformat() != resolved_at:
        return "skipped"  # replaced by a later reply, which has its own task
    link = _link(base_url, council, "consultation", round_id=comment.round_id)
    message = EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}A reply to your comment on {comment.round.tender.title}",
        body=render_to_string(
            "tenders/emails/codesign_reply.txt", {"comment": comment, "council": council, "link": link}
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[comment.author.email],
    )
    # Keyed by the reply's time too: a later reply to the same comment is a new e-mail.
    sent = notify_once(council=council, messages={f"codesign:reply:{comment.pk}:{resolved_at}": message})
    return "sent" if sent else "skipped"
