"""Production settings are safe, and refuse to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AUDIT_KEYS = "2026-12:a-long-random-audit-chain-secret-0123456789"


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # Only what production would have: not the test run's own variables (e.g. the e2e tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly warns about).
    dropped = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "COMMISSIONING_BID_KEYS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    dropped |= {"MIGRATION_DATABASE_URL", "COMMISSIONING_AUDIT_KEYS"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    clean.update(env, DJANGO_SETTINGS_MODULE="commissioning.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_passes_check_deploy_with_no_warnings() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-value-0123456789",
        DATABASE_URL="postgres://app@127.0.0.1:5432/app",
        REDIS_URL="redis://127.0.0.1:6379/0",
        COMMISSIONING_BID_KEYS="ZmFrZS1rZXktZm9yLXRoZS1zZXR0aW5ncy10ZXN0LTAwMDA=",
        COMMISSIONING_AUDIT_KEYS=AUDIT_KEYS,
        ALLOWED_HOSTS="commissioning.example.gov.uk",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _manage(
        "check",
        DATABASE_URL="postgres://app@127.0.0.1:5432/app",
        REDIS_URL="redis://127.0.0.1:6379/0",
        COMMISSIONING_BID_KEYS="ZmFrZS1rZXktZm9yLXRoZS1zZXR0aW5ncy10ZXN0LTAwMDA=",
        COMMISSIONING_AUDIT_KEYS=AUDIT_KEYS,
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_to_start_without_audit_chain_keys() -> None:
    result = _manage(
        "check",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-value-0123456789",
        DATABASE_URL="postgres://app@127.0.0.1:5432/app",
        REDIS_URL="redis://127.0.0.1:6379/0",
        COMMISSIONING_BID_KEYS="ZmFrZS1rZXktZm9yLXRoZS1zZXR0aW5ncy10ZXN0LTAwMDA=",
        ALLOWED_HOSTS="example.org",
    )
    assert result.returncode != 0
    assert "COMMISSIONING_AUDIT_KEYS must be set in production" in result.stderr
