"""Reading the audit trail: every reader (the audit page, the dashboard, the platform admin) sees
events through :func:`audit_entries`, which is where sealed events stay sealed.

A sealed event (see :mod:`commissioning.extensions`) whose seal is still shut reads as a
placeholder: consecutive ones fold into one line, "3 sealed bid events, shown after the deadline",
with no actor, action, object or details. Once the app that owns the seal says it is open (for a
bid: the tender's submission deadline, as it stands now, has passed) the event reads in full from
its decrypted facts. The words come from the one table, :mod:`commissioning.audit_labels`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from commissioning.audit_labels import action_label
from commissioning.extensions import audit_seal, split_seal_reference
from commissioning.models import AuditEvent

__all__ = ["AuditEntry", "audit_entries", "opened_seals", "unsealed_facts"]


@dataclass(frozen=True)
class AuditEntry:
    """One line of the trail as a reader may see it: an event, or a run of still-sealed events."""

    sequence: int
    created_at: datetime
    hash: str = ""
    actor_id: int | None = None
    actor_name: str = ""
    actor_label: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    object_label: str = ""
    before: Any = None
    after: Any = None
    sealed: bool = False
    sealed_count: int = 0
    last_sequence: int = 0
    noun: str = ""

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def who(self) -> str:
        return self.actor_name or self.actor_label or "The platform"

    @property
    def sentence(self) -> str:
        """ "Sam Patel saved a version of the specification", or the sealed placeholder."""
        if self.sealed:
            return self.placeholder
        return f"{self.who} {self.action_label}"

    @property
    def placeholder(self) -> str:
        count = self.sealed_count
        noun = f"{self.noun} " if self.noun else ""
        return f"{count} sealed {noun}event{'s' if count != 1 else ''}, shown after the deadline"


def opened_seals(references: Iterable[str], *, now: datetime | None = None) -> set[str]:
    """Which of these seal references may be read now (asked of the app that owns each kind)."""
    now = now or timezone.now()
    by_kind: dict[str, list[str]] = {}
    for reference in set(references):
        if reference:
            kind, key = split_seal_reference(reference)
            by_kind.setdefault(kind, []).append(key)
    opened: set[str] = set()
    for kind, keys in by_kind.items():
        try:
            seal = audit_seal(f"{kind}:{keys[0]}")
        except LookupError:
            continue  # nobody can open it: it stays sealed
        opened |= {f"{kind}:{key}" for key in seal.opened(keys, now)}
    return opened


def unsealed_facts(events: Iterable[AuditEvent]) -> dict[int, dict[str, Any]]:
    """The facts of sealed events whose seals are open, by event id (one decryption call per seal)."""
    by_reference: dict[str, list[AuditEvent]] = {}
    for event in events:
        by_reference.setdefault(event.sealed_by, []).append(event)
    facts: dict[int, dict[str, Any]] = {}
    for reference, group in by_reference.items():
        seal = audit_seal(reference)
        plaintexts = seal.unseal(split_seal_reference(reference)[1], [e.sealed_facts for e in group])
        facts.update({e.pk: json.loads(p) for e, p in zip(group, plaintexts, strict=True)})
    return facts


def _display_name(event: AuditEvent) -> str:
    actor = event.actor if event.actor_id else None
    return actor.get_full_name() if actor is not None else ""


def _entry(event: AuditEvent, facts: dict[str, Any] | None = None) -> AuditEntry:
    if facts is None:
        return AuditEntry(
            sequence=event.sequence,
            created_at=event.created_at,
            hash=event.hash,
            actor_id=event.actor_id,
            actor_name=_display_name(event),
            actor_label=event.actor_label if event.actor_label != "system" else "",
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            object_label=event.object_label,
            before=event.before,
            after=event.after,
        )
    return AuditEntry(
        sequence=event.sequence,
        created_at=event.created_at,
        hash=event.hash,
        actor_id=facts.get("actor"),
        actor_name=facts.get("actor_name") or "",
        actor_label=(facts.get("actor_label") or "") if facts.get("actor_label") != "system" else "",
        action=facts.get("action") or "",
        object_type=facts.get("object_type") or "",
        object_id=facts.get("object_id") or "",
        object_label=facts.get("object_label") or "",
        before=facts.get("before"),
        after=facts.get("after"),
    )


def _placeholder(event: AuditEvent) -> AuditEntry:
    # Which tender it is about stays sealed too: the placeholder names only the kind of event.
    try:
        noun = audit_seal(event.sealed_by).noun
    except LookupError:
        noun = ""
    return AuditEntry(sequence=event.sequence, created_at=event.created_at, sealed=True, sealed_count=1, noun=noun)


def audit_entries(
    events: Sequence[AuditEvent] | Iterable[AuditEvent], *, now: datetime | None = None, fold: bool = True
) -> list[AuditEntry]:
    """The events as readers may see them, in the order given. Still-sealed events become
    placeholders; with ``fold``, a run of them (next to each other in the order given) is one line."""
    events = list(events)
    opened = opened_seals((e.sealed_by for e in events if e.sealed_by), now=now)
    facts = unsealed_facts(e for e in events if e.sealed_by in opened)
    entries: list[AuditEntry] = []
    for event in events:
        if not event.sealed_by:
            entries.append(_entry(event))
        elif event.pk in facts:
            entries.append(_entry(event, facts[event.pk]))
        else:
            placeholder = _placeholder(event)
            previous = entries[-1] if entries else None
            if fold and previous is not None and previous.sealed and previous.noun == placeholder.noun:
                # ``sequence`` to ``last_sequence``: the lowest and highest numbers of the run.
                entries[-1] = AuditEntry(
                    sequence=min(previous.sequence, event.sequence),
                    created_at=previous.created_at,
                    sealed=True,
                    sealed_count=previous.sealed_count + 1,
                    last_sequence=max(previous.last_sequence or previous.sequence, event.sequence),
                    noun=previous.noun,
                )
            else:
                entries.append(placeholder)
    return entries
