"""The audit trail: one writer, one verifier.

Each council has its own chain. An event's hash is SHA-256 over a canonical JSON form (sorted
keys, no spaces, ISO 8601 UTC times) of its council, sequence, actor, action, object, before,
after, time and the previous event's hash. The first event's previous hash is 64 zeros.

A sealed event (see :mod:`commissioning.extensions`) also hashes its seal reference and the
ciphertext of its facts, exactly as stored, so the chain verifies without any key and a changed
ciphertext is detected like any other change. Events without a seal hash as they always did.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from commissioning.models import AuditEvent, Council, User

GENESIS_HASH = "0" * 64

# What the readable columns of a sealed event hold: nothing about who did what.
SEALED_ACTION = "sealed"
SEALED_COLUMNS: dict[str, Any] = {
    "actor": None,
    "actor_label": "",
    "action": SEALED_ACTION,
    "object_type": "",
    "object_id": "",
    "object_label": "",
    "before": None,
    "after": None,
}


def _jsonable(value: Any) -> Any:
    """Round-trip through JSON so the stored value and the hashed value are the same."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def canonical_form(
    *,
    council_id: int,
    sequence: int,
    actor_id: int | None,
    actor_label: str,
    action: str,
    object_type: str,
    object_id: str,
    object_label: str,
    before: Any,
    after: Any,
    created_at: datetime,
    previous_hash: str,
    sealed_by: str = "",
    sealed_facts: str = "",
) -> bytes:
    document = {
        "council": council_id,
        "sequence": sequence,
        "actor": actor_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_label": object_label,
        "before": before,
        "after": after,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "previous_hash": previous_hash,
    }
    if sealed_by:
        document["sealed_by"] = sealed_by
        document["sealed_facts"] = sealed_facts
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(
        canonical_form(
            council_id=event.council_id,
            sequence=event.sequence,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            object_label=event.object_label,
            before=event.before,
            after=event.after,
            created_at=event.created_at,
            previous_hash=event.previous_hash,
            sealed_by=event.sealed_by,
            sealed_facts=event.sealed_facts,
        )
    ).hexdigest()


@transaction.atomic
def audit_record(
    *,
    council: Council,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    sealed_by: str = "",
) -> AuditEvent:
    """Append an event to the council's chain. Every service that changes something calls this.

    The council row is locked for the rest of the transaction so that two writers cannot both
    extend the chain from the same previous event.

    ``sealed_by`` (a seal reference such as ``"tenders.tender:12"``) seals the event: who acted,
    the action, the object and before/after are stored only encrypted under that seal, and the
    readable columns say nothing but that a sealed event happened (a bid before its deadline:
    the Procurement Act keeps even a bidder's identity confidential until then).
    """
    Council.objects.select_for_update().filter(pk=council.pk).first()
    last = (
        AuditEvent.objects.with_scope(council=council.pk).order_by("-sequence").values_list("sequence", "hash").first()
    )
    sequence, previous_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    person = actor if actor and actor.is_authenticated else None
    facts: dict[str, Any] = {
        "actor": person.pk if person else None,
        "actor_label": person.email if person else "system",
        "action": action,
        "object_type": target._meta.label_lower if target is not None else "",
        "object_id": str(target.pk) if target is not None else "",
        "object_label": str(target)[:300] if target is not None else "",
        "before": _jsonable(before),
        "after": _jsonable(after),
    }
    sealed_facts = ""
    if sealed_by:
        from commissioning.extensions import audit_seal

        facts["actor_name"] = person.get_full_name() if person else ""
        plaintext = json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        sealed_facts = audit_seal(sealed_by).seal(sealed_by.partition(":")[2], plaintext)
        facts = {**SEALED_COLUMNS}
    event = AuditEvent(
        council=council,
        sequence=sequence,
        actor_id=facts["actor"],
        actor_label=facts["actor_label"],
        action=facts["action"],
        object_type=facts["object_type"],
        object_id=facts["object_id"],
        object_label=facts["object_label"],
        before=facts["before"],
        after=facts["after"],
        created_at=timezone.now(),
        previous_hash=previous_hash,
        sealed_by=sealed_by,
        sealed_facts=sealed_facts,
    )
    event.hash = event_hash(event)
    event.save()
    return event


@dataclass(frozen=True)
class ChainReport:
    council: Council
    events_checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_verify(*, council: Council) -> ChainReport:
    """Walk the council's chain in order and report the first broken link, if any."""
    previous_hash = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    events = AuditEvent.objects.with_scope(council=council.pk).order_by("sequence").iterator(chunk_size=2000)
    for event in events:
        checked += 1
        if event.sequence != expected_sequence:
            return ChainReport(council, checked, expected_sequence, f"event #{expected_sequence} is missing")
        if event.previous_hash != previous_hash:
            return ChainReport(council, checked, event.sequence, "its previous hash does not match")
        if event_hash(event) != event.hash:
            return ChainReport(council, checked, event.sequence, "its content does not match its hash")
        previous_hash = event.hash
        expected_sequence += 1
    return ChainReport(council, checked)
