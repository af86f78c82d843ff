"""Delivery returns: what the provider says it delivered in one reporting period of an agreement,
and the council's verification of it.

A :class:`DeliveryReturn` is one period of one agreement (the periods come from the agreement's
dates and reporting period: :mod:`social_value.periods`). Its state is explicit (``status``) and
moves only through the services (``social_value.returns``):

    draft ──submit──▶ submitted ──accept──▶ accepted
                          │  ▲
                    query │  │ answer (and resubmit)
                          ▼  │
                        queried
                          submitted ──reject──▶ rejected

Only ``accepted`` figures are verified: they are what the council and the public accounts show.
Every step is kept: a :class:`ReturnEvent` per submission, question, answer and decision, with the
figures and narrative as they were, so a change made in answer to a query never rewrites history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.tenancy import CouncilOwned

__all__ = [
    "DeliveryReturn",
    "ReturnEvent",
    "ReturnEventKind",
    "ReturnEvidence",
    "ReturnFigure",
    "ReturnReminder",
    "ReturnStatus",
    "ReminderKind",
]


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


# The provider may change a return in these states (a queried one to answer the question).
PROVIDER_EDITABLE = (ReturnStatus.DRAFT, ReturnStatus.QUERIED)
# Waiting for the council's verification.
AWAITING_VERIFICATION = (ReturnStatus.SUBMITTED,)
# Reported by the provider (counted in the verified share's denominator).
REPORTED = (ReturnStatus.SUBMITTED, ReturnStatus.QUERIED, ReturnStatus.ACCEPTED)


class DeliveryReturn(CouncilOwned):
    """One reporting period's return of an agreement: quantities per KPI, a narrative, evidence."""

    agreement = models.ForeignKey("social_value.Agreement", on_delete=models.PROTECT, related_name="returns")
    period = models.PositiveSmallIntegerField(help_text="The reporting period's number, from 1")
    period_starts_on = models.DateField()
    period_ends_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT)
    narrative = models.TextField(blank=True)
    question = models.TextField(blank=True, help_text="The council's open question, while queried")
    decision_reason = models.TextField(blank=True, help_text="Why the council rejected it")
    revision = models.PositiveIntegerField(default=0, help_text="How many times it was submitted")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agreement", "period"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "period"], name="sv_return_once_per_period"),
            models.CheckConstraint(condition=Q(status__in=ReturnStatus.values), name="sv_return_status_known"),
            models.CheckConstraint(condition=Q(period__gte=1), name="sv_return_period_from_one"),
            models.CheckConstraint(
                condition=Q(period_ends_on__gte=models.F("period_starts_on")), name="sv_return_period_dates"
            ),
        ]
        indexes = [
            models.Index(fields=["council", "status", "submitted_at"], name="sv_return_queue"),
            models.Index(fields=["council", "status", "period_ends_on"], name="sv_return_status_period"),
        ]

    def __str__(self) -> str:
        return f"Return {self.period} of {self.agreement_id}"

    @property
    def provider_may_edit(self) -> bool:
        return self.status in PROVIDER_EDITABLE


class ReturnFigure(CouncilOwned):
    """The quantity delivered for one KPI in one return (0 allowed, never negative)."""

    delivery_return = models.ForeignKey(DeliveryReturn, on_delete=models.CASCADE, related_name="figures")
    kpi = models.ForeignKey("social_value.SocialValueKPI", on_delete=models.PROTECT, related_name="figures")
    quantity = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["delivery_return", "kpi__position", "kpi_id"]
        constraints = [
            models.UniqueConstraint(fields=["delivery_return", "kpi"], name="sv_figure_once_per_kpi"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="sv_figure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} for KPI {self.kpi_id}"


def evidence_path(instance: ReturnEvidence, filename: str) -> str:
    # The stored name says nothing about the file (it is served only through the return's pages).
    return f"councils/{instance.council_id}/returns/{instance.delivery_return_id}/{uuid.uuid4().hex}.evidence"


class ReturnEvidence(CouncilOwned):
    """A document the provider attached as evidence. Kept once a submission included it: taking it
    off a draft or a queried return sets ``removed_at``."""

    delivery_return = models.ForeignKey(DeliveryReturn, on_delete=models.PROTECT, related_name="evidence")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=evidence_path, max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["delivery_return", "uploaded_at", "pk"]
        verbose_name_plural = "return evidence"

    def __str__(self) -> str:
        return self.filename


class ReturnEventKind(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    ANSWERED = "answered", "Answered and resubmitted"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class ReturnEvent(CouncilOwned):
    """One step of a return's verification, as it was: who, when, the words (question, answer or
    reason), and for a submission the figures and narrative submitted. Never changed."""

    delivery_return = models.ForeignKey(DeliveryReturn, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=ReturnEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField(blank=True)
    narrative = models.TextField(blank=True)
    figures = models.JSONField(default=dict, blank=True, help_text="KPI id → quantity submitted, as text")

    class Meta:
        ordering = ["delivery_return", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ReturnEventKind.values), name="sv_return_event_kind_known")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class ReminderKind(models.TextChoices):
    DUE = "due", "Due soon"
    OVERDUE = "overdue", "Overdue"


class ReturnReminder(CouncilOwned):
    """A reminder sent for one period of an agreement (whether or not a draft exists): one per
    period and kind, so the beat task run twice reminds once."""

    agreement = models.ForeignKey("social_value.Agreement", on_delete=models.CASCADE, related_name="+")
    period = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "period", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "period", "kind"], name="sv_reminder_once"),
            models.CheckConstraint(condition=Q(kind__in=ReminderKind.values), name="sv_reminder_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for period {self.period} of {self.agreement_id}"
