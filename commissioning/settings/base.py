"""Settings shared by every environment, read from the environment.

With no environment at all this is the *embedded default*: SQLite, no Redis, a Celery worker on
kombu's filesystem transport, email to the console. Production overrides live in
``commissioning.settings.production``.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Off unless asked for, in the embedded default too: `make run` is what councils try in a room of
# twenty people, and a traceback page is neither for them nor safe to show them.
DEBUG = env.bool("DEBUG", default=False)
# The embedded default key is only for local use; production refuses to start without SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="embedded-default-insecure-key-do-not-use-in-production")

# Where the site is served, as people reach it: every e-mail and absolute link is built from it
# (commissioning.links), never from a request's Host header. The embedded default serves on
# HOST:PORT (the Makefile passes both); production requires SITE_URL.
HOST = env.str("HOST", default="127.0.0.1")
PORT = env.int("PORT", default=8000)
SITE_URL = env.str("SITE_URL", default=f"http://{HOST}:{PORT}").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an address such as https://council.example.gov.uk: {SITE_URL!r}")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver", _site.hostname])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[f"{_site.scheme}://{_site.netloc}"])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    # API tokens stored only as a hash (SHA-512), with an expiry; the token is shown once.
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    # The rich-text editor of specification sections (its static files; output sanitised with nh3).
    "django_prose_editor",
]
LOCAL_APPS = [
    "commissioning",
    "tenders",
    "social_value",
    "citizens",
    "grants",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response Django makes (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Resolves the council from the URL, checks membership, and wraps the request in the
    # council's scope (django-scopes + PostgreSQL row-level security).
    "commissioning.tenancy.CouncilMiddleware",
]

ROOT_URLCONF = "commissioning.urls"
WSGI_APPLICATION = "commissioning.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "commissioning.context_processors.platform",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections: measured 3x the throughput of a connection per request here.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Server-side binding lets psycopg prepare a statement the connection has run 5 times, so
    # PostgreSQL plans it once per connection instead of on every execution (planning was most
    # of a bid submission's database time). Set PREPARED_STATEMENTS=false behind a transaction-
    # pooling PgBouncer that cannot keep them.
    if env.bool("PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must survive a workshop (twenty people at once). With ATOMIC_REQUESTS
    # and SQLite's default deferred transactions, a request that reads and then writes fails at
    # once with "database is locked" when another writer got in first (the busy timeout cannot
    # help a transaction that already read). IMMEDIATE takes the write lock at BEGIN, so writers
    # queue for up to `timeout` seconds instead; WAL lets readers of other connections go on
    # meanwhile. synchronous=NORMAL is WAL's recommended, still crash-safe, setting.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=30),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# PostgreSQL: the application connects as DATABASE_URL's role, which owns nothing (DML grants only),
# so a compromised application cannot switch row-level security or the audit trigger off.
# `manage.py migrate` connects as MIGRATION_DATABASE_URL's role (same database, the tables' owner)
# and grants the application's role its privileges (commissioning.database.database_owner).
_migration_url = env.str("MIGRATION_DATABASE_URL", default="")
MIGRATION_DATABASE = environ.Env.db_url_config(_migration_url) if _migration_url else {}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery ------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Django's Redis cache, with one client object per pool (commissioning.redis_cache says why).
    CACHES = {
        "default": {
            "BACKEND": "commissioning.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that stops answering (a stalled or half-open connection) costs each cache call
            # half a second, after which the caller works without the cache (commissioning.kept,
            # sessions from the database), instead of holding the request for the system's TCP
            # timeout (minutes). Redis answers in well under a millisecond.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    # Sessions are read from Redis and written through to the database (kept if Redis restarts):
    # a signed-in page costs no session query.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        # An unacknowledged message (its worker died mid-task) goes back on the queue after this
        # long. It must exceed the longest task (a report: about a minute; the hard limit below),
        # or a task still running would be handed to a second worker as well.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=1800),
        # Fail fast when Redis is away (the fast path after commit then leaves the task to the
        # relay) instead of hanging a request on the operating system's connect timeout.
        "socket_connect_timeout": 2,
        "socket_timeout": 10,
    }
else:
    # Embedded default: no server needed. kombu's filesystem transport passes messages through
    # folders under var/celery, and a worker started by `make run` consumes them.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # kombu's default is ./control, which put broker files in the repository.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery' / 'results'}"
    for _folder in ("queue", "processed", "results", "control"):
        (VAR_DIR / "celery" / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
# Late acknowledgement: a message is acknowledged when its task has finished, so a worker killed
# mid-task (out of memory, a deploy, a lost machine) leaves it to be delivered again; a pool
# child lost mid-task is requeued at once. Each worker process holds one message at a time, so no
# task waits behind a long report in a dead worker's prefetch.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task that hangs is stopped (prefork pool; solo cannot), well inside the visibility timeout.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=660)
# The outbox (commissioning.queue): how long the relay leaves a new row to the fast path, the
# longest wait between two attempts while the broker is down, how often the relay looks, and when
# /health/ warns and then fails about the oldest unsent task.
COMMISSIONING_OUTBOX_GRACE_SECONDS = env.int("COMMISSIONING_OUTBOX_GRACE_SECONDS", default=10)
COMMISSIONING_OUTBOX_RETRY_MAX_SECONDS = env.int("COMMISSIONING_OUTBOX_RETRY_MAX_SECONDS", default=60)
COMMISSIONING_OUTBOX_POLL_SECONDS = env.float("COMMISSIONING_OUTBOX_POLL_SECONDS", default=1.0)
COMMISSIONING_OUTBOX_WARN_SECONDS = env.int("COMMISSIONING_OUTBOX_WARN_SECONDS", default=120)
COMMISSIONING_OUTBOX_FAIL_SECONDS = env.int("COMMISSIONING_OUTBOX_FAIL_SECONDS", default=900)
# Sent rows are deleted by the relay after this many days.
COMMISSIONING_OUTBOX_KEEP_DAYS = env.int("COMMISSIONING_OUTBOX_KEEP_DAYS", default=7)
# WeasyPrint does not hand memory back to the OS: recycle worker processes.
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_TIMEZONE = "Europe/London"

# --- Auth ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "commissioning.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "commissioning.accounts.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "commissioning.accounts.LoginForm",
    "signup": "commissioning.accounts.SignupForm",
    "reset_password_from_key": "commissioning.accounts.ResetPasswordKeyForm",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Collaborative Commissioning] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Collaborative Commissioning"
# Encrypts TOTP secrets and recovery-code seeds at rest (commissioning.mfa.MFAAdapter).
MFA_ADAPTER = "commissioning.mfa.MFAAdapter"
# Fernet keys, comma-separated: the first encrypts, every one decrypts (rotate with
# `manage.py rotate_mfa_keys`). The embedded default derives one from SECRET_KEY; production
# requires its own.
COMMISSIONING_MFA_KEYS = env.list("COMMISSIONING_MFA_KEYS", default=[])

# Log-in throttling (allauth's rate limits, kept in the cache). Failures count per account
# strictly and per client address generously, so mistyped or made-up addresses from one office
# (or one proxy) cannot lock a colleague out of their own correct log-in; a correct log-in
# gives back what it consumed. MFA codes count against the same "login_failed" limits, per person.
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "100/10m/ip,5/5m/key",
}
# How many proxies in front of the application append to X-Forwarded-For (production: the load
# balancer, so 1). Zero trusts no header and uses the connection's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)

# Council roles other than citizen must have MFA before any council page. On in production; the
# embedded demo may switch it off so the demo log-ins work at once (the log-in page then says so).
COMMISSIONING_REQUIRE_MFA = env.bool("COMMISSIONING_REQUIRE_MFA", default=True)

# API tokens (knox): how long one works from its creation.
COMMISSIONING_API_TOKEN_DAYS = env.int("COMMISSIONING_API_TOKEN_DAYS", default=90)
REST_KNOX = {"TOKEN_TTL": timedelta(days=COMMISSIONING_API_TOKEN_DAYS), "AUTO_REFRESH": False}

# Invitations to join a council expire after this many days.
COMMISSIONING_INVITATION_DAYS = env.int("COMMISSIONING_INVITATION_DAYS", default=14)

# Sealed bids: the key-encryption keys that wrap each tender's own key (tenders.sealing). Fernet
# keys, comma-separated: the first wraps new tender keys, every one can unwrap (so a key can be
# rotated in: put the new key first, run `manage.py rotate_bid_keys`, then drop the old one).
# The embedded default derives one from SECRET_KEY; production requires its own.
COMMISSIONING_BID_KEYS = env.list("COMMISSIONING_BID_KEYS", default=[])
# Attachments to bids: the largest file, and the types accepted (by extension and sniffed content).
COMMISSIONING_BID_ATTACHMENT_MAX_BYTES = env.int("COMMISSIONING_BID_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)

# The audit chain's HMAC keys: comma-separated id:secret pairs, the first signs new events, every
# one verifies the events that name it (so a key can be rotated in front and the old kept). The
# embedded default derives one from SECRET_KEY; production requires its own (commissioning.audit).
COMMISSIONING_AUDIT_KEYS = env.list("COMMISSIONING_AUDIT_KEYS", default=[])
# Each council's chain head is published at this interval: on its public portal (the head as it
# stood at the last whole interval), in the log, and appended to the heads file (JSON lines),
# which belongs on storage the database's administrators cannot rewrite. verify_audit reads it.
COMMISSIONING_AUDIT_HEAD_INTERVAL = timedelta(minutes=env.int("COMMISSIONING_AUDIT_HEAD_MINUTES", default=60))
COMMISSIONING_AUDIT_HEADS_FILE = env.str("COMMISSIONING_AUDIT_HEADS_FILE", default=str(VAR_DIR / "audit-heads.jsonl"))
CELERY_BEAT_SCHEDULE = {
    "publish-audit-heads": {
        "task": "commissioning.tasks.audit_heads_publish",
        "schedule": COMMISSIONING_AUDIT_HEAD_INTERVAL.total_seconds(),
    },
    # Requests check only the token they present; expired tokens are deleted here.
    "prune-api-tokens": {
        "task": "commissioning.tasks.api_tokens_prune",
        "schedule": timedelta(days=1).total_seconds(),
    },
    # Delivery returns due and overdue: both sides reminded once per period and kind.
    "remind-social-value-returns": {
        "task": "social_value.tasks.returns_remind",
        "schedule": timedelta(days=1).total_seconds(),
    },
}
# A delivery return is "due" (and reminded) from this many days before its due date.
SOCIAL_VALUE_REMINDER_DAYS = env.int("SOCIAL_VALUE_REMINDER_DAYS", default=7)

# --- Email -----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@commissioning.localhost")

# --- I18N ------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
# static/ holds our own sources; static/build/ is compiled by `make assets` from govuk-frontend.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Council logos (the only public uploads) served by Django itself: the embedded default has no
# other web server. Production serves them from its proxy or object storage.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an unauthenticated request gets 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "commissioning.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "commissioning.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "commissioning.api.errors.exception_handler",
    # JSON bounded in size and depth (a deep body is a 400, not a RecursionError's 500).
    "DEFAULT_PARSER_CLASSES": [
        "commissioning.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Collaborative Commissioning API",
    "DESCRIPTION": (
        "Councils, organisations and (in later versions) commissions, tenders, bids and grants. "
        'Errors have one shape: {"error": {"status": int, "code": str, "message": str, '
        '"fields": {field: [messages]}}}.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Served from our own static files (drf-spectacular-sidecar): no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "commissioning.models.councils.Role",
        # Evaluation (moderation and prices): more fields named "decision" with other choices; the
        # options appraisal's keeps the name it had.
        "DecisionEnum": "commissioning.models.commissions.DeliveryOption",
        "ScoreChangeDecisionEnum": "tenders.models.evaluation.ScoreChangeDecision",
        "AbnormallyLowDecisionEnum": "tenders.models.evaluation.AbnormallyLowDecision",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "commissioning.api.schema.add_error_responses",
    ],
}

# --- Security defaults (production tightens further) -----------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): everything from this origin only; no inline script and no
# style attribute anywhere. The two inline elements that remain (the rich-text editor's import map
# and the council's colour) carry a nonce made per response; htmx runs without eval
# (templates/base.html). Browser journeys fail on any violation (tests/e2e/conftest.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # The rich-text editor (Tiptap) writes a <style> element of its own and an empty style
        # attribute, and takes no nonce: the two hashes allow exactly those contents
        # ('unsafe-hashes' extends hashes to attributes; no other inline style passes). A new
        # editor version that changes them makes the specification's browser journey fail.
        "style-src": [
            SELF,
            NONCE,
            "'unsafe-hashes'",
            "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='",
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
        ],
        # GOV.UK Frontend's and Swagger UI's stylesheets use a few data: images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# A refused form post (expired page, cookies blocked) gets a GOV.UK page that says what to do.
CSRF_FAILURE_VIEW = "commissioning.views.public.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

PLATFORM_NAME = "Collaborative Commissioning"
FORM_RENDERER = "commissioning.forms_govuk.GovukFormRenderer"
# Dates as GOV.UK writes them ("15 February 2027"), wherever a template does not say otherwise.
FORMAT_MODULE_PATH = ["commissioning.formats"]
