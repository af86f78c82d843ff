"""Secrets at rest: a database dump holds no TOTP secret, recovery-code seed or API token in the clear."""

from __future__ import annotations

import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from commissioning.mfa import decrypt_secret, mfa_keys
from tests.factories import CouncilWorld, give_totp, sign_in, totp_secret_of


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # used TOTP codes and rate limits live in the cache, which outlives the test database


def _raw_rows(user) -> list[str]:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, data FROM mfa_authenticator WHERE user_id = %s ORDER BY type", [user.pk])
        return [f"{kind} {data if isinstance(data, str) else json.dumps(data)}" for kind, data in cursor.fetchall()]


def _signs_in_with_totp(client, user, secret: str) -> bool:  # type: ignore[no-untyped-def]
    response = sign_in(client, user.email, totp_secret=secret)
    return response.status_code == 302 and client.get("/c/knowsley/dashboard/").status_code == 200


def test_the_database_row_holds_no_plain_totp_secret_and_log_in_still_works(client, knowsley: CouncilWorld) -> None:
    officer = knowsley.people["officer"]
    Authenticator.objects.filter(user=officer).delete()
    secret = give_totp(officer)
    recovery_codes = RecoveryCodes.activate(officer)
    rows = " ".join(_raw_rows(officer))
    assert secret not in rows and secret.lower() not in rows
    assert decrypt_secret(recovery_codes.instance.data["seed"]) not in rows  # the recovery codes' seed too
    assert all(code not in rows for code in recovery_codes.generate_codes())
    assert _signs_in_with_totp(client, officer, secret)


def test_the_secret_is_readable_only_with_the_key_from_the_environment(knowsley: CouncilWorld) -> None:
    officer = knowsley.people["officer"]
    stored = Authenticator.objects.get(user=officer, type="totp").data["secret"]
    assert decrypt_secret(stored)
    with override_settings(COMMISSIONING_MFA_KEYS=[Fernet.generate_key().decode()]), pytest.raises(InvalidToken):
        decrypt_secret(stored)


def test_the_data_migration_encrypts_existing_plain_secrets(client, knowsley: CouncilWorld) -> None:
    from importlib import import_module

    migration = import_module("commissioning.migrations.0005_secrets_at_rest")
    officer = knowsley.people["officer"]
    secret = totp_secret_of(officer)
    # As allauth stored it before this change: the secret in the clear.
    Authenticator.objects.filter(user=officer, type="totp").update(data={"secret": secret})
    assert secret in " ".join(_raw_rows(officer))
    migration.encrypt_authenticators(apps, None)
    assert secret not in " ".join(_raw_rows(officer))
    migration.encrypt_authenticators(apps, None)  # running it again changes nothing that works
    assert totp_secret_of(officer) == secret
    assert _signs_in_with_totp(client, officer, secret)


def test_rotating_the_key_keeps_authenticators_working(client, knowsley: CouncilWorld) -> None:
    officer = knowsley.people["officer"]
    secret = totp_secret_of(officer)
    old = Authenticator.objects.get(user=officer, type="totp").data["secret"]
    new_key = Fernet.generate_key().decode()
    # Put the new key first, keep the old one to read with, re-encrypt; then drop the old key.
    with override_settings(COMMISSIONING_MFA_KEYS=[new_key, *mfa_keys()]):
        call_command("rotate_mfa_keys")
    with override_settings(COMMISSIONING_MFA_KEYS=[new_key]):
        assert Authenticator.objects.get(user=officer, type="totp").data["secret"] != old
        assert totp_secret_of(officer) == secret
        assert _signs_in_with_totp(client, officer, secret)
