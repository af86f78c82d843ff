"""Production settings are safe, and refuse to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Everything production requires, with values of the right shape.
PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-value-0123456789",
    "DATABASE_URL": "postgres://app@127.0.0.1:5432/app",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "COMMISSIONING_BID_KEYS": "ZmFrZS1rZXktZm9yLXRoZS1zZXR0aW5ncy10ZXN0LTAwMDA=",
    "COMMISSIONING_MFA_KEYS": "ZmFrZS1rZXktZm9yLXRoZS1tZmEtc2V0dGluZy0wMDA=",
    "COMMISSIONING_AUDIT_KEYS": "2026-12:a-long-random-audit-chain-secret-0123456789",
    "ALLOWED_HOSTS": "commissioning.example.gov.uk",
    "SITE_URL": "https://commissioning.example.gov.uk",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # Only what production would have: not the test run's own variables (e.g. the e2e tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly warns about).
    dropped = {*PRODUCTION, "MIGRATION_DATABASE_URL", "ALLAUTH_TRUSTED_PROXY_COUNT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env, DJANGO_SETTINGS_MODULE="commissioning.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_passes_check_deploy_with_no_warnings() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", sorted(set(PRODUCTION) - {"DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"}))
def test_production_refuses_to_start_without_a_secret_or_the_site_url(missing: str) -> None:
    """Keys have no safe default in production, and e-mails and links must carry the address people
    use, which no default can guess."""
    result = _manage("check", **{name: value for name, value in PRODUCTION.items() if name != missing})
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_production_trusts_one_proxy_for_the_client_address() -> None:
    show = "from django.conf import settings; print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    result = _manage("shell", "-c", show, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1"


@pytest.mark.usefixtures("postgres_only")
def test_a_statement_run_again_and_again_is_planned_once_per_connection(db: None) -> None:
    """PostgreSQL prepares a statement the connection has run five times (server-side binding,
    ``PREPARED_STATEMENTS``), so it is not planned again on each later run."""
    from django.db import connection

    from commissioning.models import User

    def prepared() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ['%FROM "commissioning_user" WHERE "commissioning_user"."email" = $1%'],
            )
            return int(cursor.fetchone()[0])

    before = prepared()
    for n in range(7):
        list(User.objects.filter(email=f"nobody-{n}@example.org"))  # the same statement, other values
    assert prepared() == before + 1
