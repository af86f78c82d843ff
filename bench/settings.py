"""Production settings, with the bench's own environment: its database, Redis db, keys and host.

The application is served exactly as in production (``commissioning.settings.production``) with
two additions that change nothing for the pages measured: the URLconf adds the floor endpoint
(``bench.urls``), and a middleware counts SQL queries for a request that asks for it with the
``X-Bench-Queries`` header (never sent under load). The application connects as ``bench_app``
(owns nothing, so row-level security binds it); ``migrate`` as ``bench_owner``.
"""

import base64
import hashlib
import os


def _fernet_key(name: str) -> str:
    # Fixed, public bench-only keys: the bench databases hold made-up data only.
    return base64.urlsafe_b64encode(hashlib.sha256(f"bench-only:{name}".encode()).digest()).decode()


DATABASE_NAME = os.environ.get("BENCH_DB", "bench_full")
if not DATABASE_NAME.startswith("bench_"):
    raise RuntimeError("The bench uses databases named bench_* only")
BENCH_PG_SERVER = os.environ.get("BENCH_PG_SERVER", "127.0.0.1:5432")
BENCH_APP_ROLE, BENCH_OWNER_ROLE = "bench_app", "bench_owner"
BENCH_PORT = int(os.environ.get("BENCH_PORT", "8765"))

os.environ["DATABASE_URL"] = f"postgres://{BENCH_APP_ROLE}@{BENCH_PG_SERVER}/{DATABASE_NAME}"
os.environ["MIGRATION_DATABASE_URL"] = f"postgres://{BENCH_OWNER_ROLE}@{BENCH_PG_SERVER}/{DATABASE_NAME}"
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
os.environ["SECRET_KEY"] = "bench-only-secret-key-" + hashlib.sha256(b"bench").hexdigest()
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["SITE_URL"] = f"http://127.0.0.1:{BENCH_PORT}"
os.environ["COMMISSIONING_BID_KEYS"] = _fernet_key("bids")
os.environ["COMMISSIONING_MFA_KEYS"] = _fernet_key("mfa")
os.environ["COMMISSIONING_AUDIT_KEYS"] = "bench:" + hashlib.sha256(b"bench-audit").hexdigest()
os.environ["COMMISSIONING_AUDIT_HEADS_FILE"] = ""
os.environ.setdefault("LOG_LEVEL", "WARNING")

from commissioning.settings.production import *  # noqa: E402, F403
from commissioning.settings.production import BASE_DIR, MIDDLEWARE  # noqa: E402

ROOT_URLCONF = "bench.urls"
# The first middleware, so its count covers everything the request does.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
STATIC_ROOT = BASE_DIR / "var" / "bench" / "static"
MEDIA_ROOT = BASE_DIR / "var" / "bench" / "media"
COMMISSIONING_AUDIT_HEADS_FILE = ""
