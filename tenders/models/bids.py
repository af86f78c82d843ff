"""Bids: one organisation's response to one tender, sealed until the submission deadline.

Everything a provider writes into a bid (answers, prices per lot, social value commitments,
declarations) is stored encrypted with the tender's own key (:class:`TenderKey`, itself wrapped by
the platform's key; see :mod:`tenders.sealing`). Attachments are encrypted the same way before
they reach storage. What the council side may see before the deadline is only how many bids were
received.

A :class:`Bid` holds the provider's working draft; each submission is a :class:`BidSubmission`
(its receipt: reference, time and the SHA-256 of what was submitted). The last submission counts;
every one is kept.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.tenancy import CouncilOwned


class TenderKey(CouncilOwned):
    """The tender's data key, encrypted ("wrapped") with the platform's key-encryption key."""

    tender = models.OneToOneField("tenders.Tender", on_delete=models.CASCADE, related_name="key")
    wrapped_key = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Key of {self.tender}"


class BidStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Compliance(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked"
    COMPLIANT = "compliant", "Compliant"
    NON_COMPLIANT = "non_compliant", "Non-compliant"


class Bid(CouncilOwned):
    """An organisation's bid for a tender: the encrypted working draft and where it stands.

    ``draft`` is the encrypted JSON of the draft; ``draft_revision`` goes up on every save so a
    save from a stale page is refused rather than overwriting newer text.
    """

    tender = models.ForeignKey("tenders.Tender", on_delete=models.PROTECT, related_name="bids")
    organisation = models.ForeignKey("commissioning.Organisation", on_delete=models.PROTECT, related_name="bids")
    status = models.CharField(max_length=20, choices=BidStatus.choices, default=BidStatus.DRAFT)
    draft = models.TextField(blank=True)
    draft_revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    compliance = models.CharField(max_length=20, choices=Compliance.choices, default=Compliance.UNCHECKED)
    compliance_reason = models.TextField(blank=True)
    compliance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    compliance_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["tender", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["tender", "organisation"], name="bid_one_per_organisation"),
            models.CheckConstraint(condition=Q(status__in=BidStatus.values), name="bid_status_known"),
            models.CheckConstraint(condition=Q(compliance__in=Compliance.values), name="bid_compliance_known"),
            models.CheckConstraint(
                condition=~Q(compliance="non_compliant") | ~Q(compliance_reason=""),
                name="bid_non_compliant_with_reason",
            ),
        ]
        # A tender's submitted bids in order, a page at a time (the bids page and API), and their count.
        indexes = [models.Index(fields=["tender", "status", "id"], name="bid_tender_status_id")]

    def __str__(self) -> str:
        return f"Bid {self.pk} for {self.tender}"


class BidSubmission(CouncilOwned):
    """One submission of a bid: the receipt. ``content`` is the encrypted JSON submitted; ``sha256`` the hash
    of its canonical plaintext (attachments included by their own hashes), which the receipt shows."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveIntegerField()
    reference = models.CharField(max_length=40)
    content = models.TextField()
    sha256 = models.CharField(max_length=64)
    # The published version of the tender the provider submitted against.
    revision_number = models.PositiveIntegerField(default=1)
    idempotency_key = models.UUIDField(default=uuid.uuid4)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["bid", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "number"], name="bid_submission_unique_number"),
            models.UniqueConstraint(fields=["bid", "idempotency_key"], name="bid_submission_idempotent"),
            models.UniqueConstraint(fields=["council", "reference"], name="bid_submission_unique_reference"),
            models.CheckConstraint(condition=Q(number__gte=1), name="bid_submission_number_positive"),
        ]

    def __str__(self) -> str:
        return self.reference


def bid_attachment_path(instance: BidAttachment, filename: str) -> str:
    # The stored name says nothing about the file: its real name is in the row, the bytes are encrypted.
    return f"councils/{instance.council_id}/bids/{instance.bid_id}/{uuid.uuid4().hex}.sealed"


class BidAttachment(CouncilOwned):
    """A document attached to an answer of a bid, stored encrypted with the tender's key.

    Its name, size and type say as much as the document, so they are sealed too: ``details`` is a
    Fernet token (tender's key) of ``{"filename", "content_type", "size"}``. Read them through
    :func:`tenders.sealing.unseal_attachment_details`, which says who may read them and when; only
    then do :attr:`filename`, :attr:`content_type` and :attr:`size` answer.

    An attachment referenced by a submission is never deleted: removing it from the draft sets
    ``removed_at``.
    """

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="attachments")
    question = models.CharField(max_length=40, help_text="The key of the question the document answers")
    details = models.TextField(help_text="Encrypted: the file's name, content type and size")
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=bid_attachment_path, max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["bid", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"Document {self.pk} of bid {self.bid_id}"

    def _unsealed(self, name: str) -> Any:
        details = self.__dict__.get("_unsealed_details")
        if details is None:
            raise AttributeError(f"{name} is sealed: read it through tenders.sealing.unseal_attachment_details")
        return details[name]

    @property
    def filename(self) -> str:
        return str(self._unsealed("filename"))

    @property
    def content_type(self) -> str:
        return str(self._unsealed("content_type"))

    @property
    def size(self) -> int:
        return int(self._unsealed("size"))
