"""What the walls cost: one set_config per request, roles read once, a policy the planner can use.

The walls themselves are tested in test_tenancy.py; here, that they stay up while costing less:
nested scopes of the same council write nothing, a switch of scope writes and restores, and the
row-level security policies are an integer comparison and a platform term the planner estimates
as it should.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from commissioning.models import Council, Membership, Notification
from commissioning.rules import council_roles
from commissioning.tenancy import (
    PLATFORM_SETTING,
    RLS_SETTING,
    council_scope,
    current_db_council,
    platform_scope,
)
from tests.factories import CouncilWorld


def _settings() -> tuple[str | None, str | None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true), current_setting(%s, true)", [RLS_SETTING, PLATFORM_SETTING])
        council, platform = cursor.fetchone()
    return council or None, platform or None


def _set_configs(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "set_config" in q["sql"]]


# --- The policy ------------------------------------------------------------------------------------


def test_the_council_policy_compares_integers_and_the_platform_has_its_own(postgres_only: None, db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT policyname, permissive, cmd, qual, with_check FROM pg_policies "
            "WHERE tablename = 'commissioning_membership' ORDER BY policyname"
        )
        policies = {row[0]: row[1:] for row in cursor.fetchall()}
    assert set(policies) == {"council_isolation", "platform_access", "own_memberships"}
    council = policies["council_isolation"]
    assert council[:2] == ("PERMISSIVE", "ALL")
    # council_id itself is compared, uncast (an index condition), with the setting cast to bigint.
    assert council[2].startswith("(council_id = (NULLIF(current_setting('app.council_id'::text, true)")
    assert council[2].endswith("::bigint)") and "council_id)::text" not in council[2]
    assert council[3] == council[2]  # WITH CHECK: the same wall for writes
    platform = policies["platform_access"]
    assert platform[2] == "(current_setting('app.platform'::text, true) <> ''::text)" == platform[3]
    assert "council_id" not in platform[2]
    # A person may read, only read, their own memberships in every council (the council switcher).
    own = policies["own_memberships"]
    assert own[:2] == ("PERMISSIVE", "SELECT") and own[3] is None
    assert own[2] == "(user_id = (NULLIF(current_setting('app.user_id'::text, true), ''::text))::bigint)"


@pytest.mark.django_db(transaction=True)
def test_a_council_scoped_query_uses_the_council_index_with_a_right_row_estimate(postgres_only: None) -> None:
    """On 20,000 rows of 40 councils: an index scan on council_id, estimated within 2x of the truth.

    The old policy (``council_id::text = … OR … = '*'``) made the planner estimate about 1% of the
    real row count; a platform policy written ``= 'on'`` about 3%.
    """
    Council.objects.bulk_create([Council(name=f"Council {n}", slug=f"council-{n}") for n in range(40)])
    with platform_scope(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO commissioning_notification (council_id, key, claimed_at) "
            "SELECT c.id, 'key-' || g, now() FROM commissioning_council c, generate_series(1, 500) g"
        )
    _analyze_as_owner("commissioning_notification")
    council = Council.objects.get(slug="council-7")
    with council_scope(council):
        queryset = Notification.objects.filter(sent_at__isnull=True)
        plan = json.loads(queryset.explain(format="json"))[0]["Plan"]
        assert queryset.count() == 500
        # The scoped manager plus an explicit council filter (council_id = n AND council_id = n):
        # PostgreSQL merges the equal conditions, so the estimate is the same.
        doubled = Notification.objects.filter(council=council, sent_at__isnull=True)
        assert json.loads(doubled.explain(format="json"))[0]["Plan"]["Plan Rows"] == plan["Plan Rows"]
    with platform_scope():
        everything = json.loads(Notification.objects.all().explain(format="json"))[0]["Plan"]
    assert everything["Plan Rows"] >= 15_000, everything  # 20,000 rows, estimated as nearly all
    scans = list(_nodes(plan))
    assert any("Index" in node["Node Type"] and "council_id" in node.get("Index Cond", "") for node in scans), plan
    assert not any(node["Node Type"] == "Seq Scan" for node in scans), plan
    assert 250 <= plan["Plan Rows"] <= 1000, plan


def _nodes(plan: dict[str, Any]) -> Any:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _analyze_as_owner(table: str) -> None:
    """ANALYZE needs the table's owner; the application's role owns nothing."""
    owner = settings.MIGRATION_DATABASE
    if not owner.get("USER"):
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{table}"')
        return
    import psycopg

    params = connection.get_connection_params()
    params.update(user=owner["USER"], password=owner.get("PASSWORD") or None, autocommit=True)
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as owner_connection:
        owner_connection.execute(f'ANALYZE "{table}"')


# --- The walls still hold ----------------------------------------------------------------------------


def test_write_checks_refuse_moving_a_row_to_another_council(
    postgres_only: None, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    with council_scope(knowsley.council):
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE commissioning_membership SET council_id = %s", [southwark.council.pk])
        assert set(Membership.objects.values_list("council_id", flat=True)) == {knowsley.council.pk}


def test_a_connection_without_any_setting_sees_no_row_of_any_council(
    postgres_only: None, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    assert _settings() == (None, None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM commissioning_membership")
        assert cursor.fetchone()[0] == 0
        # Not even an explicit empty or nonsense-free setting opens anything.
        cursor.execute(f"SELECT set_config('{RLS_SETTING}', '', true), set_config('{PLATFORM_SETTING}', '', true)")
        cursor.execute("SELECT count(*) FROM commissioning_membership")
        assert cursor.fetchone()[0] == 0


def test_platform_scope_inside_a_council_scope_sees_all_then_gives_the_council_back(
    postgres_only: None, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    with council_scope(knowsley.council):
        with platform_scope(), connection.cursor() as cursor:
            assert current_db_council() == "*"
            cursor.execute("SELECT count(DISTINCT council_id) FROM commissioning_membership")
            assert cursor.fetchone()[0] == 2
        assert _settings() == (str(knowsley.council.pk), None)
        assert current_db_council() == str(knowsley.council.pk)
        with council_scope(southwark.council), connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT council_id FROM commissioning_membership")
            assert [row[0] for row in cursor.fetchall()] == [southwark.council.pk]
        assert _settings() == (str(knowsley.council.pk), None)
    assert current_db_council() == ""


def test_a_council_scope_inside_platform_scope_is_walled_to_that_council(
    postgres_only: None, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    with platform_scope():
        with council_scope(southwark.council), connection.cursor() as cursor:
            assert _settings() == (str(southwark.council.pk), None)
            cursor.execute("SELECT DISTINCT council_id FROM commissioning_membership")
            assert [row[0] for row in cursor.fetchall()] == [southwark.council.pk]
        assert _settings() == (None, "on")


def test_an_error_inside_a_switched_scope_still_restores_the_previous_scope(
    postgres_only: None, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    with council_scope(knowsley.council):
        # A Python error: the scope writes the council back on the way out.
        with pytest.raises(LookupError), platform_scope():
            raise LookupError("boom")
        assert _settings() == (str(knowsley.council.pk), None)
        # A database error inside a savepoint: its rollback restores the settings.
        with pytest.raises(DatabaseError), transaction.atomic(), platform_scope(), connection.cursor() as cursor:
            cursor.execute("SELECT 1/0")
        assert _settings() == (str(knowsley.council.pk), None)
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT council_id FROM commissioning_membership")
            assert [row[0] for row in cursor.fetchall()] == [knowsley.council.pk]


# --- The cost ------------------------------------------------------------------------------------------


def test_a_nested_scope_of_the_same_council_costs_no_query(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        with CaptureQueriesContext(connection) as queries:
            with council_scope(knowsley.council), council_scope(knowsley.council.pk):
                pass
        assert queries.captured_queries == []


def test_a_switch_of_scope_costs_one_statement_each_way(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    with council_scope(knowsley.council), CaptureQueriesContext(connection) as queries:
        with council_scope(southwark.council):
            pass
        with platform_scope():
            pass
    expected = 4 if connection.vendor == "postgresql" else 0
    assert len(queries.captured_queries) == len(_set_configs(queries)) == expected


@pytest.mark.django_db(transaction=True)
def test_a_council_page_sets_the_council_once_and_reads_roles_once(
    client, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    """The middleware, the switcher, the layout's permissions and the view share one read.

    Outside a test transaction, as in production: the middleware's scope opens the request's
    transaction, writes the council (and who is signed in) once, and writes nothing on the way out.
    """
    admin = knowsley.people["admin"]
    with council_scope(knowsley.council):
        Membership.objects.create(council=knowsley.council, user=admin, role="officer")
    client.force_login(admin)
    for url in ("/c/knowsley/dashboard/", "/c/knowsley/members/", "/c/knowsley/"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        membership_reads = [
            q["sql"]
            for q in queries.captured_queries
            if 'FROM "commissioning_membership"' in q["sql"]
            and f'"commissioning_membership"."user_id" = {admin.pk}' in q["sql"]
        ]
        assert len(membership_reads) == 1, membership_reads
        expected = [
            f"SELECT set_config('app.council_id', '{knowsley.council.pk}', true), "
            f"set_config('app.user_id', '{admin.pk}', true)"
        ]
        # No savepoint of tenancy's own: the one left is the view's (ATOMIC_REQUESTS inside the
        # middleware's transaction), which lets the error page query after a view's rollback.
        savepoints = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SAVEPOINT")]
        assert len(savepoints) == 1, savepoints
        if connection.vendor == "postgresql":
            assert _set_configs(queries) == expected
        else:
            assert _set_configs(queries) == []
    # The switcher in the layout lists the person's councils, read by that same query.
    assert "Knowsley Council" in response.content.decode()


def test_roles_are_cached_on_the_user_behind_a_lazy_request_user(knowsley: CouncilWorld) -> None:
    from django.utils.functional import SimpleLazyObject

    user = knowsley.people["admin"]
    lazy = SimpleLazyObject(lambda: user)
    with CaptureQueriesContext(connection) as queries:
        first = council_roles(lazy, knowsley.council)
        again = council_roles(user, knowsley.council)
        assert user.has_perm("council.view_members", knowsley.council)
    assert first == again and "admin" in first
    assert len([q for q in queries.captured_queries if "commissioning_membership" in q["sql"]]) == 1


@pytest.mark.django_db(transaction=True)
def test_an_api_request_names_its_person_once_and_reads_token_roles_and_mfa_in_two_queries(
    knowsley: CouncilWorld,
) -> None:
    """DRF authenticates inside the view, after the middleware's scope began: the token is one
    query (no sweep of the person's other tokens), the person is named to the database with one
    set_config (no switch to platform scope and back), and the authenticator check is part of the
    membership read."""
    from rest_framework.test import APIClient

    from tests.factories import api_token

    officer = knowsley.people["officer"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(officer)}")
    url = "/api/v1/councils/knowsley/tenders/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert len([s for s in sql if 'FROM "knox_authtoken"' in s]) == 1, sql
    assert len([s for s in sql if 'FROM "commissioning_membership"' in s]) == 1, sql
    assert not [s for s in sql if s.startswith('SELECT 1 AS "a" FROM "mfa_authenticator"')], sql
    if connection.vendor == "postgresql":
        assert _set_configs(queries) == [
            f"SELECT set_config('app.council_id', '{knowsley.council.pk}', true)",
            f"SELECT set_config('app.user_id', '{officer.pk}', true)",
        ]
    else:
        assert _set_configs(queries) == []


def test_a_person_named_inside_a_switched_scope_is_forgotten_when_it_ends(
    postgres_only: None, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    """A nested scope writes back what the database really holds on leaving, the person included."""
    from commissioning.rules import council_memberships
    from commissioning.tenancy import USER_SETTING

    def person() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting(%s, true)", [USER_SETTING])
            return cursor.fetchone()[0] or ""

    admin = knowsley.people["admin"]
    with council_scope(knowsley.council):
        with council_scope(southwark.council):
            assert knowsley.council.pk in council_memberships(admin)  # read as the named person
            assert person() == str(admin.pk)
        assert person() == ""
        assert _settings() == (str(knowsley.council.pk), None)
