"""The audit trail: one writer, one verifier.

Each council has its own chain. An event's hash is an HMAC-SHA256, keyed with a secret from the
environment (``COMMISSIONING_AUDIT_KEYS``), over a canonical JSON form (sorted keys, no spaces,
ISO 8601 UTC times) of its council, sequence, actor, action, object, before, after, time and the
previous event's hash. The first event's previous hash is 64 zeros. Each event keeps the id of
the key that signed it (``key_id``), so keys can be rotated and old events still verify.

Two attacks on whoever holds only the database: rewriting an event and re-hashing the rest
needs the key; removing the last events leaves a shorter but whole chain, which only a head
published outside the database can reveal. Heads are published at intervals (the council's
public portal, the logs, a file; see :func:`audit_heads_publish`) and ``verify_audit`` checks the
chain against them. An event without a key id does not verify: an unkeyed SHA-256 chain is
what anyone could forge (trails written before the chain was keyed are re-seeded, not trusted).

A sealed event (see :mod:`commissioning.extensions`) also signs its seal reference and the
ciphertext of its facts, exactly as stored, so the chain verifies without the tender's key and a
changed ciphertext is detected like any other change.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from commissioning.kept import Shelf
from commissioning.models import AuditEvent, Council, User

GENESIS_HASH = "0" * 64

# The heads shown on the councils' portals (audit_head_published), kept per council and interval.
HEADS = Shelf("commissioning:audit-heads")
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
heads_log = logging.getLogger("commissioning.audit.heads")


def audit_keys() -> dict[str, bytes]:
    """The chain's HMAC keys by id, the signing key first.

    ``COMMISSIONING_AUDIT_KEYS`` is a list of ``id:secret`` (secret at least 32 characters). To
    rotate: put a new key first; keep the old ones as long as events signed with them must
    verify (always, for an audit trail). The embedded default and the tests derive one key from
    SECRET_KEY; production requires its own.
    """
    configured = list(getattr(settings, "COMMISSIONING_AUDIT_KEYS", []) or [])
    if not configured:
        derived = hmac.new(settings.SECRET_KEY.encode(), b"commissioning audit chain", hashlib.sha256).digest()
        return {"default": derived}
    keys: dict[str, bytes] = {}
    for entry in configured:
        key_id, _, secret = entry.partition(":")
        if not _KEY_ID.match(key_id) or len(secret) < 32 or key_id in keys:
            raise ImproperlyConfigured(
                "COMMISSIONING_AUDIT_KEYS must be distinct id:secret pairs (id of letters, digits, . _ -; "
                "secret of at least 32 characters)"
            )
        keys[key_id] = secret.encode()
    return keys


def signing_key_id() -> str:
    return next(iter(audit_keys()))


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


class UnknownAuditKey(LookupError):
    """An event names a key id that is not (or no longer) configured."""


def event_hash(event: AuditEvent) -> str:
    """The event's HMAC-SHA256 with the key it names (``key_id``, one of COMMISSIONING_AUDIT_KEYS)."""
    key = audit_keys().get(event.key_id) if event.key_id else None
    if key is None:
        raise UnknownAuditKey(event.key_id)
    return hmac.new(key, _event_canonical_form(event), hashlib.sha256).hexdigest()


def _event_canonical_form(event: AuditEvent) -> bytes:
    return canonical_form(
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


# The chain lock: a transaction-level advisory lock per council (its two keys: this constant and
# the council's id), so that appending to a council's chain waits for nothing but other appends to
# the same chain (not for pages or services that lock the council row).
CHAIN_LOCK_KEY = 0x61756474  # "audt"


@dataclass(frozen=True)
class AuditEntry:
    """An event ready to be appended: everything but its place in the chain (sequence, previous
    hash, time, hash). Made by :func:`audit_prepare`, outside the chain lock."""

    council: Council
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_label: str
    before: Any
    after: Any
    sealed_by: str = ""
    sealed_facts: str = ""


def audit_prepare(
    *,
    council: Council,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    sealed_by: str = "",
    seal: Callable[[bytes], str] | None = None,
) -> AuditEntry:
    """The expensive part of an event, done before the chain is locked: the facts as stored
    (through JSON) and, for a sealed event, their encryption.

    ``seal`` encrypts the facts under ``sealed_by`` when the caller already holds that seal's key
    (a bid service has the tender in hand); otherwise the seal's registered hook does.
    """
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
        if seal is not None:
            sealed_facts = seal(plaintext)
        else:
            sealed_facts = audit_seal(sealed_by).seal(sealed_by.partition(":")[2], plaintext)
        facts = {**SEALED_COLUMNS}
    return AuditEntry(
        council=council,
        actor_id=facts["actor"],
        actor_label=facts["actor_label"],
        action=facts["action"],
        object_type=facts["object_type"],
        object_id=facts["object_id"],
        object_label=facts["object_label"],
        before=facts["before"],
        after=facts["after"],
        sealed_by=sealed_by,
        sealed_facts=sealed_facts,
    )


def audit_chain_lock(council: Council | int) -> None:
    """Lock the council's chain until the end of the transaction (taking it again is free).

    Every append takes it, so whatever a transaction reads after taking it is ordered with every
    other audited change of the council: one that commits later waits for this transaction.
    PostgreSQL: an advisory lock. Elsewhere the council row (SQLite runs one writer at a time).
    """
    council_id = council if isinstance(council, int) else council.pk
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CHAIN_LOCK_KEY, council_id])
    else:
        Council.objects.select_for_update().filter(pk=council_id).first()


@transaction.atomic(savepoint=False)
def audit_append(entry: AuditEntry, *, chain_locked: bool = False) -> AuditEvent:
    """Append a prepared event to its council's chain: lock the chain, read its head, hash, insert.

    Short on purpose: the lock is held until the transaction commits, so a service appends last,
    once its own work is written. No savepoint: an append that fails fails the whole change.
    ``chain_locked``: the caller took :func:`audit_chain_lock` for this council earlier in this
    same transaction (to read under it), so taking it again, a round trip under the lock, is skipped.
    """
    if not chain_locked:
        audit_chain_lock(entry.council.pk)
    last = (
        AuditEvent.objects.with_scope(council=entry.council.pk)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    sequence, previous_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    event = AuditEvent(
        council=entry.council,
        sequence=sequence,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_label=entry.object_label,
        before=entry.before,
        after=entry.after,
        created_at=timezone.now(),
        previous_hash=previous_hash,
        sealed_by=entry.sealed_by,
        sealed_facts=entry.sealed_facts,
    )
    event.key_id = signing_key_id()
    event.hash = event_hash(event)
    event.save(force_insert=True)
    return event


@transaction.atomic(savepoint=False)
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

    The chain is locked (:func:`audit_chain_lock`) for the rest of the transaction so that two
    writers cannot both extend it from the same previous event; the facts are prepared before
    the lock is taken (:func:`audit_prepare`, :func:`audit_append`).

    ``sealed_by`` (a seal reference such as ``"tenders.tender:12"``) seals the event: who acted,
    the action, the object and before/after are stored only encrypted under that seal, and the
    readable columns say nothing but that a sealed event happened (a bid before its deadline:
    the Procurement Act keeps even a bidder's identity confidential until then).
    """
    entry = audit_prepare(
        council=council, actor=actor, action=action, target=target, before=before, after=after, sealed_by=sealed_by
    )
    return audit_append(entry)


@dataclass(frozen=True)
class ChainReport:
    council: Council
    events_checked: int
    broken_at: int | None = None
    reason: str = ""
    heads_checked: int = 0

    @property
    def ok(self) -> bool:
        return self.broken_at is None


@dataclass(frozen=True)
class ChainHead:
    """A council's chain head: its last event's sequence and hash (sequence 0: no events yet)."""

    council_slug: str
    sequence: int
    hash: str
    published_at: datetime | None = None

    def as_text(self) -> str:
        return f"{self.sequence}:{self.hash}"


def parse_head(text: str, *, council_slug: str = "") -> ChainHead:
    """``<sequence>:<hash>``, as printed by the portal, the logs and the heads file."""
    sequence, _, digest = text.strip().partition(":")
    if not sequence.isdecimal() or not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValueError(f"A head is <sequence>:<64 hex digits>, not {text!r}")
    return ChainHead(council_slug, int(sequence), digest)


def audit_verify(*, council: Council, heads: Iterable[ChainHead] = ()) -> ChainReport:
    """Walk the council's chain in order and report the first broken link, if any.

    Each link must hold (sequence, previous hash, HMAC with the event's own key). Each published
    head of this council must still be in the chain with the same hash: a shorter chain means
    events were removed at the end, a different hash means the chain was rewritten (by someone
    with the key, since without it the HMACs already fail).
    """
    published: dict[int, str] = {head.sequence: head.hash for head in heads if head.sequence > 0}
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
        try:
            expected = event_hash(event)
        except UnknownAuditKey:
            reason = f"it names an unknown key {event.key_id!r}" if event.key_id else "it names no key"
            return ChainReport(council, checked, event.sequence, reason)
        if not hmac.compare_digest(expected, event.hash):
            return ChainReport(council, checked, event.sequence, "its content does not match its hash")
        if event.sequence in published and published[event.sequence] != event.hash:
            return ChainReport(
                council, checked, event.sequence, "it differs from the published head (the chain was rewritten)"
            )
        previous_hash = event.hash
        expected_sequence += 1
    last = expected_sequence - 1
    beyond = [sequence for sequence in published if sequence > last]
    if beyond:
        reason = f"the chain ends at #{last} but #{max(beyond)} was published (events were removed)"
        return ChainReport(council, checked, last + 1, reason, heads_checked=len(published))
    return ChainReport(council, checked, heads_checked=len(published))


# --- Published heads ------------------------------------------------------------------------------


def audit_head(*, council: Council, before: datetime | None = None) -> ChainHead:
    """The council's chain head now, or as it stood just before ``before``."""
    events = AuditEvent.objects.with_scope(council=council.pk).all()
    if before is not None:
        events = events.filter(created_at__lt=before)
    last = events.order_by("-sequence").values_list("sequence", "hash").first()
    sequence, digest = last if last else (0, GENESIS_HASH)
    return ChainHead(council.slug, sequence, digest, published_at=before)


def audit_head_published(*, council: Council, now: datetime | None = None) -> ChainHead:
    """The head shown on the council's public portal: as it stood at the last whole interval.

    Anyone may copy it (and archives do), so it is a record the database cannot rewrite. Only
    whole intervals are shown, so the portal does not reveal the moment of each event.

    The events before a whole interval are written once and never change (the chain only grows),
    so the head is kept per council and interval (:data:`HEADS`): one read per minute at most
    rather than one per visit. A slower transaction committing an event stamped just before the
    interval is seen within the shelf's ``max_age``; until then the head shown is the chain's
    head one event earlier, which is still a true head of it.
    """
    interval = int(settings.COMMISSIONING_AUDIT_HEAD_INTERVAL.total_seconds())
    moment = now or timezone.now()
    stamp = int(moment.timestamp())
    cutoff = datetime.fromtimestamp(stamp - stamp % interval, tz=UTC)
    return HEADS.kept(
        ("published head", cutoff.isoformat()),
        moment,
        lambda: audit_head(council=council, before=cutoff),
        scope=council.pk,
        ends=lambda: cutoff + settings.COMMISSIONING_AUDIT_HEAD_INTERVAL,
    )


def audit_heads_publish(*, councils: Iterable[Council], now: datetime | None = None) -> list[ChainHead]:
    """Record every council's head outside the database: the log, and the heads file.

    The heads file (``COMMISSIONING_AUDIT_HEADS_FILE``, JSON lines) belongs on storage the
    database's administrators cannot rewrite (another host, a write-once bucket, a log service);
    ``verify_audit`` reads it.
    """
    from commissioning.tenancy import council_scope

    moment = now or timezone.now()
    heads = []
    for council in councils:
        with council_scope(council):
            head = audit_head(council=council)
        heads.append(ChainHead(head.council_slug, head.sequence, head.hash, published_at=moment))
    path = settings.COMMISSIONING_AUDIT_HEADS_FILE
    lines = [
        json.dumps(
            {"council": h.council_slug, "sequence": h.sequence, "hash": h.hash, "published_at": moment.isoformat()}
        )
        for h in heads
    ]
    if path and lines:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as heads_file:
            heads_file.write("\n".join(lines) + "\n")
    for head in heads:
        heads_log.info("audit head council=%s head=%s", head.council_slug, head.as_text())
    return heads


def read_published_heads(path: str | Path) -> list[ChainHead]:
    """Every head recorded in a heads file (as written by :func:`audit_heads_publish`)."""
    heads = []
    with open(path, encoding="utf-8") as heads_file:
        for number, line in enumerate(heads_file, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                head = parse_head(f"{record['sequence']}:{record['hash']}", council_slug=str(record["council"]))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}, line {number}: not a published head ({error})") from error
            heads.append(head)
    return heads
