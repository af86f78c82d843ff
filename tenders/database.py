"""PostgreSQL's check of the bid deadline at the moment of commit.

A bid submission is refused when its transaction commits at or after the tender's submission
deadline, by the database's own clock (``clock_timestamp()``), even if the service checked the
deadline in time: a slow request, a lock wait or a long commit cannot slip a bid in late. The
check is a constraint trigger, ``DEFERRABLE INITIALLY DEFERRED``, so it runs at COMMIT.

:func:`install_bid_deadline_trigger` is a ``post_migrate`` receiver (idempotent; nothing on SQLite,
where the service's own check of the server clock is the only one). ``tenders.apps`` connects it:

    post_migrate.connect(database.install_bid_deadline_trigger, dispatch_uid="tenders_bid_deadline_trigger")
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connections

from commissioning.database import owns_table
from commissioning.tenancy import RLS_SETTING

__all__ = [
    "DEADLINE_TRIGGER",
    "DEADLINE_MARKER",
    "bid_deadline_trigger_installed",
    "check_bid_deadlines_now",
    "install_bid_deadline_trigger",
    "is_deadline_error",
]

DEADLINE_TRIGGER = "bid_submission_deadline"
# The trigger's message starts with this, so the service can tell its refusal from other errors.
DEADLINE_MARKER = "bid_deadline_passed"

TRIGGER_SQL = [
    # Built from this module's constants only: no input reaches this SQL.
    f"""
    CREATE OR REPLACE FUNCTION tenders_bid_submission_deadline() RETURNS trigger AS $$
    DECLARE
        deadline timestamptz;
        previous text := current_setting('{RLS_SETTING}', true);
    BEGIN
        -- At COMMIT the request's council setting may already be reset, and row-level security
        -- would hide the tender: read it as the submission's own council, then put the setting back.
        PERFORM set_config('{RLS_SETTING}', NEW.council_id::text, true);
        SELECT t.submission_deadline INTO deadline
          FROM tenders_bid b JOIN tenders_tender t ON t.id = b.tender_id
         WHERE b.id = NEW.bid_id;
        PERFORM set_config('{RLS_SETTING}', coalesce(previous, ''), true);
        IF deadline IS NOT NULL AND clock_timestamp() >= deadline THEN
            RAISE EXCEPTION '{DEADLINE_MARKER}: submission % committed at % after the deadline %',
                NEW.reference, clock_timestamp(), deadline;
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,  # noqa: S608
    f'DROP TRIGGER IF EXISTS {DEADLINE_TRIGGER} ON "tenders_bidsubmission"',
    f"""
    CREATE CONSTRAINT TRIGGER {DEADLINE_TRIGGER} AFTER INSERT ON "tenders_bidsubmission"
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION tenders_bid_submission_deadline()
    """,
]


def install_bid_deadline_trigger(sender: Any = None, using: str = "default", **kwargs: Any) -> None:
    """(Re)install the deadline trigger on PostgreSQL. Safe to run any number of times.

    Runs as the tables' owner (``migrate`` connects as ``MIGRATION_DATABASE_URL``): the
    application's own role may not replace the function or drop the trigger.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = set(connection.introspection.table_names())
    if not {"tenders_bidsubmission", "tenders_bid", "tenders_tender"} <= tables:
        return
    if not owns_table(connection, "tenders_bidsubmission"):
        return  # the application's own role (flush sends post_migrate too): migrate installed it
    with connection.cursor() as cursor:
        for statement in TRIGGER_SQL:
            cursor.execute(statement)


def bid_deadline_trigger_installed(using: str = "default") -> bool:
    """Whether ``migrate`` (run as the tables' owner) installed the trigger on this database."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [DEADLINE_TRIGGER])
        return cursor.fetchone() is not None


def is_deadline_error(error: BaseException) -> bool:
    """Whether a database error is the deadline trigger's refusal."""
    return isinstance(error, DatabaseError) and DEADLINE_MARKER in str(error)


def check_bid_deadlines_now() -> None:
    """Run the deferred deadline check of this transaction's submissions now, not at COMMIT.

    Inside someone else's transaction (a page's request, a test, demo seeding) the commit comes
    later: this checks the submissions made so far at this moment, where a refusal can still be
    reported, and they are not checked again at COMMIT.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [DEADLINE_TRIGGER])
        if cursor.fetchone() is None:
            return
        cursor.execute(f"SET CONSTRAINTS {DEADLINE_TRIGGER} IMMEDIATE")
        cursor.execute(f"SET CONSTRAINTS {DEADLINE_TRIGGER} DEFERRED")
