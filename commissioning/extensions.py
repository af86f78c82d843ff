"""Hooks apps register in ``AppConfig.ready()``, so the core can ask them without importing them.

The core knows no domain app. When it needs an answer only an app has (is this seal open yet? how
is a sealed audit fact read?), the app registers a hook here and the core asks the registry.

**Audit seals.** Some audit events carry facts that no reader may learn yet: who is bidding for a
tender, before its submission deadline. Such an event names its seal by a reference
``"<kind>:<key>"`` (``"tenders.tender:12"``) and holds its facts encrypted. The app that owns the
kind registers an :class:`AuditSeal` saying how to encrypt, whether a seal is open now (it follows
the tender's current deadline, so an extension of the deadline keeps the seal shut), and how to
decrypt once it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

__all__ = [
    "AuditSeal",
    "register_audit_seal",
    "audit_seal",
    "split_seal_reference",
]


@dataclass(frozen=True)
class AuditSeal:
    """How one kind of seal is written and read.

    - ``noun``: what the sealed events are about, for the placeholder ("3 sealed *bid* events").
    - ``seal(key, plaintext) -> token``: encrypt the facts of an event when it is written.
    - ``opened(keys, now) -> set of keys``: which of these seals may be read now.
    - ``unseal(key, tokens) -> plaintexts``: decrypt the facts of events under one seal; only
      called for a key ``opened`` returned, and the app checks again (its own one door).
    """

    kind: str
    noun: str
    seal: Callable[[str, bytes], str]
    opened: Callable[[Iterable[str], datetime], set[str]]
    unseal: Callable[[str, list[str]], list[bytes]]


_audit_seals: dict[str, AuditSeal] = {}


def register_audit_seal(seal: AuditSeal) -> None:
    _audit_seals[seal.kind] = seal


def split_seal_reference(reference: str) -> tuple[str, str]:
    kind, _, key = reference.partition(":")
    return kind, key


def audit_seal(reference: str) -> AuditSeal:
    """The registered seal of a reference such as ``"tenders.tender:12"``. A sealed event whose
    kind nobody registered stays sealed for every reader (the lookup fails loudly for writers)."""
    kind, key = split_seal_reference(reference)
    if kind not in _audit_seals or not key:
        raise LookupError(f"No audit seal is registered for {reference!r}")
    return _audit_seals[kind]
