"""Sealing bids: envelope encryption with a key per tender.

Each tender has its own data key (a Fernet key: AES-128-CBC with HMAC-SHA256), made when the first
bid is saved and stored only wrapped (encrypted) by the platform's key-encryption keys,
``settings.COMMISSIONING_BID_KEYS``. Bid drafts, submissions and attachments are stored as Fernet
tokens under the tender's key, so a database dump, a backup, the admin or a raw query shows
ciphertext only.

Reading is the one door: :func:`unseal` needs to be told who is reading. A provider reads its own
bid at any time (the caller has checked membership of the organisation); the council side reads
only when the tender's submission deadline has passed, by the server clock. Every council-side
read of bid content goes through :func:`unseal` with ``Reader.COUNCIL``, so the seal is enforced
in one place whatever page, API, export or task asks.

Key management: in production ``COMMISSIONING_BID_KEYS`` comes from the environment (a secrets
manager), never from the database. Rotation: put a new key first; old tender keys still unwrap
with the old key, and :func:`rewrap_all` rewraps them with the new one (``manage.py
rotate_bid_keys``), after which the old key can be dropped. In the embedded default the key is
derived from ``SECRET_KEY``.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

if TYPE_CHECKING:
    from tenders.models import Tender


class Reader(enum.Enum):
    PROVIDER = "provider"
    COUNCIL = "council"


class SealedError(PermissionDenied):
    """A council-side read of bid content before the submission deadline."""


def _key_encryption_keys() -> MultiFernet:
    keys = list(settings.COMMISSIONING_BID_KEYS)
    if not keys:
        derived = hashlib.sha256(b"commissioning-bid-keys:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured("COMMISSIONING_BID_KEYS must be Fernet keys (32 url-safe base64 bytes)") from error


def _tender_fernet(tender: Tender) -> Fernet:
    # Kept on the tender object for the rest of the request, so opening n bids reads the key once.
    cached = tender.__dict__.get("_sealing_fernet")
    if cached is not None:
        return cached
    fernet = _load_tender_fernet(tender)
    tender.__dict__["_sealing_fernet"] = fernet
    return fernet


def _load_tender_fernet(tender: Tender) -> Fernet:
    from tenders.models import Tender, TenderKey

    key = None
    if Tender.key.is_cached(tender):  # read with the tender (select_related("key")): no second query
        key = getattr(tender, "key", None)  # None: the tender has no key yet
    if key is None:
        key = TenderKey.objects.filter(tender=tender).first()
    if key is None:
        try:
            with transaction.atomic():
                key = TenderKey.objects.create(
                    council_id=tender.council_id,
                    tender=tender,
                    wrapped_key=_key_encryption_keys().encrypt(Fernet.generate_key()).decode(),
                )
        except IntegrityError:
            # Another request made the key first: use theirs.
            key = TenderKey.objects.get(tender=tender)
    return Fernet(_key_encryption_keys().decrypt(key.wrapped_key.encode()))


def seal(tender: Tender, data: bytes) -> str:
    """Encrypt ``data`` with the tender's key."""
    return _tender_fernet(tender).encrypt(data).decode()


def seal_json(tender: Tender, value: Any) -> str:
    return seal(tender, canonical_json(value))


def may_unseal(tender: Tender, reader: Reader, now: datetime | None = None) -> bool:
    """Whether ``reader`` may read this tender's bid content now (a provider: its own bid, always)."""
    if reader is Reader.PROVIDER:
        return True
    deadline = tender.submission_deadline
    return deadline is not None and (now or timezone.now()) >= deadline


def unseal(tender: Tender, token: str, *, reader: Reader, now: datetime | None = None) -> bytes:
    """Decrypt a bid's content. Council-side only once the submission deadline has passed."""
    if not may_unseal(tender, reader, now):
        raise SealedError("Bids for this tender are sealed until the submission deadline")
    try:
        return _tender_fernet(tender).decrypt(token.encode())
    except InvalidToken as error:  # tampered with, or the wrong key: never return garbage
        raise ImproperlyConfigured(f"Bid content of tender {tender.pk} cannot be decrypted") from error


def unseal_json(tender: Tender, token: str, *, reader: Reader, now: datetime | None = None) -> Any:
    return json.loads(unseal(tender, token, reader=reader, now=now))


def canonical_json(value: Any) -> bytes:
    """One byte string per value (sorted keys, no spaces), so its SHA-256 is reproducible."""
    return json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rewrap_all() -> int:
    """Rewrap every tender key with the first key-encryption key (after a rotation). Platform-level."""
    from commissioning.tenancy import platform_scope
    from tenders.models import TenderKey

    fernet = _key_encryption_keys()
    count = 0
    with platform_scope():
        for key in TenderKey.objects.select_for_update():
            key.wrapped_key = fernet.rotate(key.wrapped_key.encode()).decode()
            key.save(update_fields=["wrapped_key"])
            count += 1
    return count


# --- Who is bidding: sealed audit events ---------------------------------------------------------
#
# Before the deadline even the fact that an organisation started, saved, submitted, replaced or
# withdrew a bid is sealed (Procurement Act 2023: a bidder's identity is confidential until then).
# Bid services pass ``sealed_by=audit_seal_reference(tender)`` to ``audit_record``; the core then
# stores the event's facts only as a Fernet token under the tender's key, and its readers ask the
# hooks below (registered in TendersConfig.ready) whether the seal is open: by the tender's
# current deadline, so a published extension keeps it shut.

AUDIT_SEAL_KIND = "tenders.tender"


def audit_seal_reference(tender: Tender) -> str:
    return f"{AUDIT_SEAL_KIND}:{tender.pk}"


def audit_sealer(tender: Tender) -> Callable[[bytes], str]:
    """Seal an audit event's facts with the key of a tender already in hand (``audit_prepare``'s
    ``seal``): the same token the registered hook makes, without loading the tender and its key again."""
    return lambda plaintext: seal(tender, plaintext)


def _audit_tender(key: str) -> Tender:
    from tenders.models import Tender

    return Tender.objects.only("id", "council_id", "submission_deadline").get(pk=int(key))


def _audit_seal(key: str, plaintext: bytes) -> str:
    return seal(_audit_tender(key), plaintext)


def _audit_opened(keys: Any, now: datetime) -> set[str]:
    from tenders.models import Tender

    ids = [int(k) for k in keys if str(k).isdecimal()]
    opened = Tender.objects.filter(pk__in=ids, submission_deadline__lte=now).values_list("pk", flat=True)
    return {str(pk) for pk in opened}


def _audit_unseal(key: str, tokens: list[str]) -> list[bytes]:
    tender = _audit_tender(key)
    return [unseal(tender, token, reader=Reader.COUNCIL) for token in tokens]


def register_hooks() -> None:
    from commissioning.extensions import AuditSeal, register_audit_seal

    register_audit_seal(
        AuditSeal(kind=AUDIT_SEAL_KIND, noun="bid", seal=_audit_seal, opened=_audit_opened, unseal=_audit_unseal)
    )


# --- Attachment details: name, content type and size -----------------------------------------------


def seal_attachment_details(tender: Tender, *, filename: str, content_type: str, size: int) -> str:
    return seal_json(tender, {"filename": filename, "content_type": content_type, "size": size})


def unseal_attachment_details(
    tender: Tender, attachments: Any, *, reader: Reader, now: datetime | None = None
) -> list[Any]:
    """Decrypt each attachment's name, type and size onto it (``attachment.filename`` etc. then
    answer). Through :func:`unseal`: the council side only after the deadline."""
    attachments = list(attachments)
    for attachment in attachments:
        attachment.__dict__["_unsealed_details"] = unseal_json(tender, attachment.details, reader=reader, now=now)
    return attachments
