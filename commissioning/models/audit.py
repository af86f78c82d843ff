from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.tenancy import CouncilManager, CouncilOwned


class AuditImmutableError(Exception):
    """The audit trail is append-only."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AuditImmutableError("Audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("Audit events cannot be deleted")


AuditEventManager = CouncilManager.from_queryset(AuditEventQuerySet)


class AuditEvent(CouncilOwned):
    """One consequential action, chained by hash to the council's previous event.

    ``hash`` is an HMAC-SHA256 (key ``key_id``) over a canonical JSON form of the event including ``previous_hash``
    (see commissioning.audit), so changing or removing any event breaks every later link.
    Written only by :func:`commissioning.audit.audit_record`.
    """

    sequence = models.PositiveBigIntegerField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the event reads the same if the account is later renamed.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    # A sealed event (a bid's, before the deadline) keeps its facts here, encrypted under the seal
    # named by ``sealed_by`` (``"tenders.tender:12"``, see commissioning.extensions); its readable
    # columns above then hold nothing that identifies anyone. Both are covered by the hash.
    sealed_by = models.CharField(max_length=100, blank=True, default="")
    sealed_facts = models.TextField(blank=True, default="")
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Which of COMMISSIONING_AUDIT_KEYS signed ``hash`` (an HMAC), so keys can be rotated and old
    # events still verify (commissioning.audit). Empty only on events from before the chain was keyed.
    key_id = models.CharField(max_length=32, blank=True, default="")

    objects: ClassVar[AuditEventManager] = AuditEventManager()

    class Meta:
        ordering = ["council", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["council", "sequence"], name="audit_sequence_unique"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="audit_sequence_positive"),
        ]
        indexes = [models.Index(fields=["council", "-created_at"], name="audit_council_time")]

    def __str__(self) -> str:
        if self.sealed_by:
            return f"Event {self.sequence}: sealed"
        from commissioning.audit_labels import action_label

        return f"Event {self.sequence}: {self.actor_label or 'the platform'} {action_label(self.action)}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AuditImmutableError("Audit events cannot be changed")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AuditImmutableError("Audit events cannot be deleted")
