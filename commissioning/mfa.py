"""Two-factor authentication secrets, encrypted at rest.

allauth stores each authenticator's secret (the TOTP key, the recovery codes' seed) in
``mfa_authenticator.data``. Through its adapter's ``encrypt()``/``decrypt()`` hooks they are kept
there only as Fernet tokens (AES-128-CBC with HMAC-SHA256) under ``COMMISSIONING_MFA_KEYS``, keys
that come from the environment and never from the database: a dump or backup of the database
alone cannot produce anyone's codes.
"""

from __future__ import annotations

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction


def mfa_keys() -> list[str]:
    """The keys from ``COMMISSIONING_MFA_KEYS`` (first one encrypts), or one derived from SECRET_KEY."""
    keys = list(settings.COMMISSIONING_MFA_KEYS)
    if not keys:
        derived = hashlib.sha256(b"commissioning-mfa-keys:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return keys


def mfa_fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in mfa_keys()])
    except ValueError as error:
        raise ImproperlyConfigured("COMMISSIONING_MFA_KEYS must be Fernet keys (32 url-safe base64 bytes)") from error


def encrypt_secret(text: str) -> str:
    return mfa_fernet().encrypt(text.encode()).decode("ascii")


def decrypt_secret(token: str) -> str:
    """The secret, or ``InvalidToken`` if it was not encrypted with one of the keys (never plain text)."""
    return mfa_fernet().decrypt(token.encode("ascii")).decode()


def is_encrypted(value: str) -> bool:
    try:
        decrypt_secret(value)
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)


# Where allauth keeps secrets inside ``Authenticator.data``, by authenticator type: single values
# and lists (recovery codes carried over from another system are stored one by one).
SECRET_FIELDS = {"totp": ("secret",), "recovery_codes": ("seed",)}
SECRET_LIST_FIELDS = {"recovery_codes": ("migrated_codes",)}


def reencrypt_data(kind: str, data: dict, *, encrypt_plain: bool) -> dict:
    """``data`` with every secret under the first key: plain ones encrypted (if asked), old keys rotated."""
    fernet = mfa_fernet()

    def one(value: str) -> str:
        if is_encrypted(value):
            return fernet.rotate(value.encode("ascii")).decode("ascii")
        if not encrypt_plain:
            raise ValueError("an authenticator holds a secret no key decrypts")
        return encrypt_secret(value)

    data = dict(data)
    for name in SECRET_FIELDS.get(kind, ()):
        if isinstance(data.get(name), str):
            data[name] = one(data[name])
    for name in SECRET_LIST_FIELDS.get(kind, ()):
        if isinstance(data.get(name), list):
            data[name] = [one(value) for value in data[name]]
    return data


def reencrypt_all() -> int:
    """Every authenticator's secrets under the first key; refuses (changing nothing) if any is unreadable."""
    from allauth.mfa.models import Authenticator

    with transaction.atomic():
        authenticators = list(Authenticator.objects.select_for_update())
        for authenticator in authenticators:
            data = reencrypt_data(authenticator.type, authenticator.data, encrypt_plain=False)
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
    return len(authenticators)
