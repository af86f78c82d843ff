"""Settings for `make test`.

The suite uses the real services when they answer: PostgreSQL (``DATABASE_URL``, or the standard
local port) and Redis (``REDIS_URL``, or the standard local port). Otherwise it falls back to
SQLite and kombu's filesystem transport. With ``CI=true`` a missing service is an error, so CI
can never pass by silently testing less.

On PostgreSQL the suite runs as production does, with two roles, neither a superuser (superusers
bypass row-level security), created here when the local server allows it: ``commissioning_test``
creates, owns and migrates the test database (``MIGRATION_DATABASE_URL``), and the tests' own
connections run as ``commissioning_test_app``, which owns nothing and holds only the grants
``migrate`` gives it (so it cannot switch row-level security off).
"""

import os
import socket

from django.core.exceptions import ImproperlyConfigured

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
TEST_ROLE = "commissioning_test"  # the owner: creates, owns and migrates the test databases
TEST_APP_ROLE = "commissioning_test_app"  # the application: owns nothing, DML grants only


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _local_postgres_urls() -> tuple[str, str] | None:
    """The application's and the owner's URLs on the local server, making the roles if needed."""
    if not _answers("127.0.0.1", 5432):
        return None
    import psycopg

    roles = {
        TEST_ROLE: "LOGIN CREATEDB NOSUPERUSER NOBYPASSRLS",
        TEST_APP_ROLE: "LOGIN NOCREATEDB NOSUPERUSER NOBYPASSRLS",
    }
    try:
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3, autocommit=True
        ) as admin:
            for role, options in roles.items():
                exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
                if not exists:
                    admin.execute(f"CREATE ROLE {role} {options}")
    except psycopg.Error as error:
        message = f"PostgreSQL answers on 5432 but the test roles could not be made: {error}"
        raise ImproperlyConfigured(message) from error
    server = "127.0.0.1:5432/commissioning"
    return f"postgres://{TEST_APP_ROLE}@{server}", f"postgres://{TEST_ROLE}@{server}"


if not os.environ.get("DATABASE_URL"):
    urls = _local_postgres_urls()
    if urls:
        os.environ["DATABASE_URL"], os.environ["MIGRATION_DATABASE_URL"] = urls
# Each pytest-xdist worker gets its own Redis database (15, 14, ...), so no worker takes another's
# tasks. Workers inherit the controller's environment, so the server chosen first is remembered
# apart from the REDIS_URL each process derives from it.
_WORKER_NUMBER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
if "COMMISSIONING_TEST_REDIS_SERVER" not in os.environ:
    _local = "redis://127.0.0.1:6379" if _answers("127.0.0.1", 6379) else ""
    os.environ["COMMISSIONING_TEST_REDIS_SERVER"] = os.environ.get("REDIS_URL") or _local
if os.environ["COMMISSIONING_TEST_REDIS_SERVER"]:
    from urllib.parse import urlsplit, urlunsplit

    _server = urlsplit(os.environ["COMMISSIONING_TEST_REDIS_SERVER"])
    # COMMISSIONING_TEST_REDIS_DB moves the range, for two suites on one server at once.
    _first_db = int(os.environ.get("COMMISSIONING_TEST_REDIS_DB", "15"))
    os.environ["REDIS_URL"] = urlunsplit(_server._replace(path=f"/{_first_db - _WORKER_NUMBER}"))

if IN_CI and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    raise ImproperlyConfigured("CI=true but PostgreSQL is not reachable: the suite must run against it.")
if IN_CI:
    from urllib.parse import urlsplit

    _redis = urlsplit(os.environ.get("REDIS_URL", ""))
    if not _redis.hostname or not _answers(_redis.hostname, _redis.port or 6379):
        raise ImproperlyConfigured("CI=true but Redis is not reachable: the suite must run against it.")

os.environ.setdefault("COMMISSIONING_REQUIRE_MFA", "true")

from commissioning.settings.base import *  # noqa: E402, F403
from commissioning.settings.base import BASE_DIR, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = 0
if not REDIS_URL:  # noqa: F405
    # The filesystem broker's folders, likewise one set per xdist worker.
    _folder = BASE_DIR / "var" / f"celery-test-{_WORKER_NUMBER}"
    for _key in ("data_folder_in", "data_folder_out"):
        CELERY_BROKER_TRANSPORT_OPTIONS[_key] = str(_folder)  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS["control_folder"] = str(_folder / "control")  # noqa: F405
    (_folder / "control").mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # COMMISSIONING_TEST_DB lets two suites share one server at once (xdist adds _gw0, _gw1...).
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("COMMISSIONING_TEST_DB", "test_commissioning")}
# No heads file unless a test gives one (verify_audit would read heads left by an earlier run).
COMMISSIONING_AUDIT_HEADS_FILE = ""
