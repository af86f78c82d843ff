"""Background tasks of the publication stage (e-mail notifications)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from commissioning.models import Council, OrganisationMember
from commissioning.notifications import notify_once
from commissioning.queue import council_task
from tenders.models import ApprovalRequest, ClarificationQuestion, Tender, TenderRevision

__all__ = ["notify_bidders_of_change", "notify_clarification_answered", "notify_officers_of_approval_request"]


def _emails(organisation_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for organisation_id, email in OrganisationMember.objects.filter(organisation_id__in=organisation_ids).values_list(
        "organisation_id", "user__email"
    ):
        found.setdefault(organisation_id, []).append(email)
    return found


@council_task
def notify_bidders_of_change(*, council: Council, tender_id: int, revision_number: int, base_url: str = "/") -> int:
    """E-mail every organisation whose submitted bid was made against an earlier published version:
    they must confirm or resubmit it. Returns how many organisations were e-mailed."""
    from tenders.selectors.publication import bidders_to_notify

    tender = Tender.objects.get(council=council, pk=tender_id)
    revision = TenderRevision.objects.get(council=council, tender=tender, number=revision_number)
    bids = bidders_to_notify(tender=tender, revision_number=revision_number)
    emails = _emails([bid.organisation_id for bid in bids])
    base = base_url.rstrip("/")
    notice = base + reverse("opportunity", kwargs={"council_slug": council.slug, "tender_id": tender.pk})
    messages: dict[str, EmailMessage] = {}
    for bid in bids:
        recipients = emails.get(bid.organisation_id, [])
        if not recipients:
            continue
        # The bid page shows what changed and confirms the bid in one step (tenders.views.bids.bid_confirm).
        link = base + reverse(
            "bid_tasks", kwargs={"council_slug": council.slug, "tender_id": tender.pk, "bid_id": bid.pk}
        )
        context = {
            "council": council,
            "tender": tender,
            "revision": revision,
            "organisation": bid.organisation,
            "link": link,
            "notice": notice,
        }
        messages[f"publication:tender-changed:{tender.pk}:revision:{revision.number}:bid:{bid.pk}"] = EmailMessage(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{tender.title} has changed: confirm or resubmit your bid",
            body=render_to_string("tenders/emails/publication_tender_changed.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
        )
    return notify_once(council=council, messages=messages)


@council_task
def notify_clarification_answered(*, council: Council, question_id: int, base_url: str = "/") -> int:
    """E-mail the asker's organisation that their question was answered and published."""
    question = ClarificationQuestion.objects.select_related("tender", "organisation").get(
        council=council, pk=question_id
    )
    if question.published_at is None:
        return 0
    recipients = _emails([question.organisation_id]).get(question.organisation_id, [])
    if not recipients:
        return 0
    link = base_url.rstrip("/") + reverse(
        "opportunity", kwargs={"council_slug": council.slug, "tender_id": question.tender_id}
    )
    message = EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your question about {question.tender.title} has been answered",
        body=render_to_string(
            "tenders/emails/publication_question_answered.txt", {"council": council, "question": question, "link": link}
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    sent = notify_once(council=council, messages={f"clarifications:answered:{question.pk}": message})
    return len(recipients) if sent else 0


@council_task
def notify_officers_of_approval_request(*, council: Council, request_id: int, base_url: str = "/") -> int:
    """E-mail each officer asked to approve a tender, with a link to its approval page."""
    request = ApprovalRequest.objects.select_related("tender", "requested_by").get(council=council, pk=request_id)
    link = base_url.rstrip("/") + reverse(
        "tender_approval", kwargs={"council_slug": council.slug, "tender_id": request.tender_id}
    )
    messages = {
        f"publication:approval-requested:{request.pk}:officer:{officer['id']}": EmailMessage(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Please approve {request.tender.title}",
            body=render_to_string(
                "tenders/emails/publication_approval_requested.txt",
                {"council": council, "request": request, "officer": officer, "link": link},
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[officer["email"]],
        )
        for officer in request.asked
    }
    return notify_once(council=council, messages=messages)
