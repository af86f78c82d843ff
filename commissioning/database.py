"""PostgreSQL's second wall: row-level security on council-owned tables, and an append-only audit.

Run after every ``migrate`` (post_migrate). Idempotent. Does nothing on SQLite, where
django-scopes is the only wall.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

from commissioning.tenancy import ALL_COUNCILS, RLS_SETTING, council_owned_models

POLICY = "council_isolation"


def _policy_sql(table: str) -> list[str]:
    setting = f"current_setting('{RLS_SETTING}', true)"
    condition = f"(council_id::text = {setting} OR {setting} = '{ALL_COUNCILS}')"
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        # FORCE: the policy binds the table's owner too (the application's own role).
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"',
        f'CREATE POLICY {POLICY} ON "{table}" USING {condition} WITH CHECK {condition}',
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


def install_database_walls(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
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
