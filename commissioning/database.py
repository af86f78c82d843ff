"""PostgreSQL's second wall: row-level security on council-owned tables, and an append-only audit.

Run after every ``migrate`` (post_migrate). Idempotent. Does nothing on SQLite, where
django-scopes is the only wall.

The walls only hold against a role that does not own the tables: an owner can
``ALTER TABLE … DISABLE ROW LEVEL SECURITY`` or drop the audit trigger. So the application
connects as a role that owns nothing (``DATABASE_URL``) and ``manage.py migrate`` connects as the
owner (``MIGRATION_DATABASE_URL``, see :func:`database_owner`), then grants the application's
role only what it needs (:func:`grant_application_role`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from commissioning.tenancy import PLATFORM_SETTING, RLS_SETTING, USER_SETTING, council_owned_models

POLICY = "council_isolation"
PLATFORM_POLICY = "platform_access"

# The council's policy: an integer comparison on the uncast council_id (never ``council_id::text``,
# which no index serves). The setting is '' outside a scope and NULL on a connection that never set
# it: NULLIF makes both NULL, which matches no row (and no cast error).
COUNCIL_CONDITION = f"council_id = NULLIF(current_setting('{RLS_SETTING}', true), '')::bigint"
# The platform's own access (platform_scope), a second permissive policy. PostgreSQL ORs permissive
# policies, so the planner sees ``platform OR council`` and takes its index condition from the ORM's
# own ``council_id = …`` (django-scopes adds it). Written ``<> ''``, the planner estimates the
# platform term as nearly always true (an inequality), so its row estimates stay right in both
# scopes; written ``= 'on'`` it estimates 0.5% and skews every council query's estimate about 30x.
# Only 'on' and '' are ever written.
PLATFORM_CONDITION = f"current_setting('{PLATFORM_SETTING}', true) <> ''"
# A person may read (only read) their own memberships in every council: the council switcher on a
# council page, without switching to platform scope. The middleware sets app.user_id with the council.
OWN_MEMBERSHIPS_POLICY = "own_memberships"
MEMBERSHIP_TABLE = "commissioning_membership"
OWN_MEMBERSHIPS_CONDITION = f"user_id = NULLIF(current_setting('{USER_SETTING}', true), '')::bigint"


def _policy_sql(table: str) -> list[str]:
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        # FORCE: the policy binds the table's owner too (the application's own role).
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"',
        f'DROP POLICY IF EXISTS {PLATFORM_POLICY} ON "{table}"',
        f'CREATE POLICY {POLICY} ON "{table}" USING ({COUNCIL_CONDITION}) WITH CHECK ({COUNCIL_CONDITION})',
        f'CREATE POLICY {PLATFORM_POLICY} ON "{table}" USING ({PLATFORM_CONDITION}) WITH CHECK ({PLATFORM_CONDITION})',
        f'DROP POLICY IF EXISTS {OWN_MEMBERSHIPS_POLICY} ON "{table}"',
        *(
            [f'CREATE POLICY {OWN_MEMBERSHIPS_POLICY} ON "{table}" FOR SELECT USING ({OWN_MEMBERSHIPS_CONDITION})']
            if table == MEMBERSHIP_TABLE
            else []
        ),
    ]


AUDIT_TRIGGER_SQL = [
    """
    CREATE OR REPLACE FUNCTION commissioning_audit_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'The audit trail is append-only: % refused on %', TG_OP, TG_TABLE_NAME;
    END;
    $$ LANGUAGE plpgsql
    """,
    'DROP TRIGGER IF EXISTS audit_append_only ON "commissioning_auditevent"',
    """
    CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON "commissioning_auditevent"
    FOR EACH ROW EXECUTE FUNCTION commissioning_audit_append_only()
    """,
]


def owns_table(connection: BaseDatabaseWrapper, table: str) -> bool:
    """Whether the connection's role owns ``table`` (and so may change its walls)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c "
            "WHERE c.relname = %s AND c.relnamespace = 'public'::regnamespace",
            [table],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def install_database_walls(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """(Re)install the policies and the audit trigger, as the tables' owner.

    ``flush`` also sends post_migrate, on the application's own connection: that role owns
    nothing and may not change the walls (the point of it), so it leaves them as migrate set them.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    if not owns_table(connection, "commissioning_council"):
        return
    existing = set(connection.introspection.table_names())
    statements: list[str] = []
    for model in council_owned_models():
        table = model._meta.db_table
        if table in existing and not model._meta.proxy and model._meta.managed:
            statements += _policy_sql(table)
    if "commissioning_auditevent" in existing:
        statements += AUDIT_TRIGGER_SQL
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# Tables the application may only read and append to: UPDATE and DELETE are not even granted
# (the trigger above refuses them as well, and TRUNCATE, which fires no row trigger, is never granted).
APPEND_ONLY_TABLES = ("commissioning_auditevent",)
_OWNER_CONNECTION_KEYS = ("USER", "PASSWORD", "HOST", "PORT")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def grant_application_role(connection: BaseDatabaseWrapper, role: str, *, extra: tuple[str, ...] = ()) -> None:
    """As the owner: give the application's role DML on every table and sequence, now and later.

    ``ALTER DEFAULT PRIVILEGES`` covers the tables and sequences later migrations create, so the
    application never needs ownership. ``extra`` adds privileges (the test suite adds TRUNCATE,
    which Django's flush between transactional tests uses; production never grants it).
    """
    table_privileges = ", ".join(("SELECT", "INSERT", "UPDATE", "DELETE", *extra))
    app = _quote(role)
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {app}",
        f"GRANT {table_privileges} ON ALL TABLES IN SCHEMA public TO {app}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {app}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {table_privileges} ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {app}",
    ]
    existing = set(connection.introspection.table_names())
    for table in APPEND_ONLY_TABLES:
        if table in existing:
            statements.append(f"REVOKE UPDATE, DELETE ON {_quote(table)} FROM {app}")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@contextmanager
def database_owner(using: str = "default", *, grant: bool = True, extra_grants: tuple[str, ...] = ()) -> Iterator[None]:
    """Connect as the tables' owner (``MIGRATION_DATABASE_URL``) for the block, then grant.

    Only the connection's user, password, host and port change: the database name stays the
    one in use (so the test suite's test database is migrated in place). On leaving, the
    application's own role (``DATABASE_URL``'s user) is granted its privileges and the
    connection goes back to it. Nothing happens on SQLite, when no owner is configured, or
    when the application's role is the owner (a single-role set-up: the walls then do not
    bind a compromised application, and the README says so).
    """
    connection = connections[using]
    owner = getattr(settings, "MIGRATION_DATABASE", {}) or {}
    app_role = connection.settings_dict.get("USER") or ""
    nested = getattr(connection, "_commissioning_as_owner", False)
    if connection.vendor != "postgresql" or not owner.get("USER") or nested or owner["USER"] == app_role:
        yield
        return
    saved = {key: connection.settings_dict.get(key) for key in _OWNER_CONNECTION_KEYS}
    connection.close()
    connection.settings_dict["USER"] = owner["USER"]
    connection.settings_dict["PASSWORD"] = owner.get("PASSWORD") or ""
    for key in ("HOST", "PORT"):
        if owner.get(key):
            connection.settings_dict[key] = owner[key]
    connection._commissioning_as_owner = True  # type: ignore[attr-defined]
    try:
        yield
        if grant and app_role:
            grant_application_role(connection, app_role, extra=extra_grants)
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        connection._commissioning_as_owner = False  # type: ignore[attr-defined]
