"""Reminders of delivery returns due and overdue, to both sides: the provider's members and the
council's officers. Run daily by Celery beat (``social_value.tasks.returns_remind``).

A period's return is **due** from ``SOCIAL_VALUE_REMINDER_DAYS`` days before its due date (the
period has ended and it is not submitted), and **overdue** after its due date. Each period of each
agreement is reminded at most once per kind: a :class:`ReturnReminder` row per (agreement,
period, kind) is the record, and each e-mail goes through ``notify_once`` under a key per
reminder and person, so a rerun, or two runs at once, send nothing twice. A period already
overdue when first seen gets only the overdue reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from commissioning.links import site_url
from commissioning.models import Council, Membership, OrganisationMember, Role
from commissioning.notifications import notify_once
from social_value.models import Agreement, DeliveryReturn, ReminderKind, ReturnReminder, ReturnStatus
from social_value.periods import Period
from social_value.returns import agreement_periods

__all__ = ["Reminder", "reminders_due", "reminders_send"]


@dataclass(frozen=True)
class Reminder:
    agreement: Agreement
    period: Period
    kind: str


def reminders_due(*, council: Council, today: date) -> list[Reminder]:
    """The reminders not yet sent for the council's returns due or overdue on ``today`` (three queries)."""
    window = timedelta(days=settings.SOCIAL_VALUE_REMINDER_DAYS)
    agreements = list(
        Agreement.objects.filter(council=council, starts_on__lt=today).select_related("provider").order_by("pk")
    )
    if not agreements:
        return []
    ids = [a.pk for a in agreements]
    submitted = set(
        DeliveryReturn.objects.filter(council=council, agreement_id__in=ids)
        .exclude(status=ReturnStatus.DRAFT)
        .values_list("agreement_id", "period")
    )
    sent = set(
        ReturnReminder.objects.filter(council=council, agreement_id__in=ids).values_list(
            "agreement_id", "period", "kind"
        )
    )
    found: list[Reminder] = []
    for agreement in agreements:
        for period in agreement_periods(agreement):
            if period.ends_on >= today:
                break
            if (agreement.pk, period.number) in submitted:
                continue
            if today > period.due_on:
                kind = ReminderKind.OVERDUE
            elif today >= period.due_on - window:
                kind = ReminderKind.DUE
            else:
                continue
            if (agreement.pk, period.number, kind) not in sent:
                found.append(Reminder(agreement, period, kind))
    return found


def _message(reminder: Reminder, *, council: Council, to: str, provider_side: bool) -> EmailMessage:
    agreement, period = reminder.agreement, reminder.period
    if provider_side:
        url = reverse(
            "social_value_return_form",
            kwargs={"council_slug": council.slug, "agreement_id": agreement.pk, "period": period.number},
        )
    else:
        url = reverse("social_value_agreement", kwargs={"council_slug": council.slug, "agreement_id": agreement.pk})
    overdue = reminder.kind == ReminderKind.OVERDUE
    subject = f"{'Overdue' if overdue else 'Due'}: social value return for {agreement.title}"
    context = {
        "council": council,
        "agreement": agreement,
        "period": period,
        "overdue": overdue,
        "provider_side": provider_side,
        "url": site_url(url),
    }
    return EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}"[:250],
        body=render_to_string("social_value/emails/return_reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )


@transaction.atomic
def reminders_send(*, council: Council, today: date) -> int:
    """Send the council's due and overdue reminders (call inside its scope); how many e-mails went."""
    reminders = reminders_due(council=council, today=today)
    if not reminders:
        return 0
    providers = {r.agreement.provider_id for r in reminders}
    members: dict[int, list[tuple[int, str]]] = {}
    for organisation_id, user_id, email in (
        OrganisationMember.objects.filter(organisation_id__in=providers)
        .order_by("organisation_id", "user_id")
        .values_list("organisation_id", "user_id", "user__email")
    ):
        members.setdefault(organisation_id, []).append((user_id, email))
    officers = list(
        Membership.objects.filter(council=council, role=Role.OFFICER)
        .order_by("user_id")
        .values_list("user_id", "user__email")
    )
    messages: dict[str, EmailMessage] = {}
    rows = []
    for reminder in reminders:
        key = f"social_value:return-{reminder.kind}:{reminder.agreement.pk}:{reminder.period.number}"
        people = [(uid, email, True) for uid, email in members.get(reminder.agreement.provider_id, [])]
        people += [(uid, email, False) for uid, email in officers]
        for user_id, email, provider_side in people:
            messages[f"{key}:user:{user_id}"] = _message(
                reminder, council=council, to=email, provider_side=provider_side
            )
        rows.append(
            ReturnReminder(
                council=council,
                agreement=reminder.agreement,
                period=reminder.period.number,
                kind=reminder.kind,
                recipients=len(people),
            )
        )
    ReturnReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return notify_once(council=council, messages=messages)
