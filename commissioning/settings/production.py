"""Production: everything from the environment, secure by default.

Required: SECRET_KEY, DATABASE_URL (PostgreSQL), REDIS_URL, ALLOWED_HOSTS, COMMISSIONING_BID_KEYS,
COMMISSIONING_MFA_KEYS, COMMISSIONING_AUDIT_KEYS, SITE_URL. ``migrate`` also takes MIGRATION_DATABASE_URL (the
tables' owner). Passes
``manage.py check --deploy`` with no warnings.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_REQUIRED = (
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "COMMISSIONING_BID_KEYS",
    "COMMISSIONING_MFA_KEYS",
    "COMMISSIONING_AUDIT_KEYS",
    # e-mails and links must carry the address people use, which no default can guess.
    "SITE_URL",
)
for _name in _REQUIRED:
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"{_name} must be set in production")

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("COMMISSIONING_REQUIRE_MFA", "true")
os.environ.setdefault("SERVE_MEDIA", "false")
# The application runs behind one proxy (the load balancer), which appends the client's address
# to X-Forwarded-For: log-in rate limits then count per person's address, not the proxy's.
os.environ.setdefault("ALLAUTH_TRUSTED_PROXY_COUNT", "1")

from commissioning.settings.base import *  # noqa: E402, F403
from commissioning.settings.base import env  # noqa: E402

DEBUG = False
COMMISSIONING_REQUIRE_MFA = True  # never off in production

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Behind TLS: a browser fetches anything still addressed over http:// over https:// instead.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True  # noqa: F405
