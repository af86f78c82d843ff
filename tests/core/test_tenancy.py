"""The walls between councils: django-scopes, row-level security, and the middleware."""

from __future__ import annotations

import pytest
from django.db import connection
from django_scopes import ScopeError

from commissioning.models import AuditEvent, Invitation, Membership
from commissioning.tenancy import council_owned_models, council_scope, platform_scope
from tests.factories import CouncilWorld


def test_every_council_owned_model_has_a_non_null_council(db: None) -> None:
    models = council_owned_models()
    assert {Membership, Invitation, AuditEvent} <= set(models)
    for model in models:
        field = model._meta.get_field("council")
        assert not field.null, f"{model.__name__}.council must not be null"


def test_an_unscoped_query_on_council_data_raises(knowsley: CouncilWorld) -> None:
    with pytest.raises(ScopeError):
        list(Membership.objects.all())
    with pytest.raises(ScopeError):
        Invitation.objects.filter(email__contains="@").count()


def test_a_scoped_query_sees_only_its_council(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        emails = set(Membership.objects.values_list("user__email", flat=True))
        # Even asking for the other council by id finds nothing.
        assert not Membership.objects.filter(council=southwark.council).exists()
    assert emails and all(e.endswith("@knowsley.example.org") for e in emails)


def test_platform_scope_reads_across_councils(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    with platform_scope():
        councils = set(Membership.objects.values_list("council__slug", flat=True))
    assert councils == {"knowsley", "southwark"}


def test_the_database_role_is_not_a_superuser(postgres_only: None, db: None) -> None:
    """Superusers bypass row-level security: the application must not connect as one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, False)


def test_the_application_role_owns_no_table(postgres_only: None, db: None) -> None:
    """An owner could switch the walls off: the tables belong to the migrating role, not to us."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert cursor.fetchone()[0] > 30
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
        )
        assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize(
    "statement",
    [
        'ALTER TABLE "commissioning_membership" DISABLE ROW LEVEL SECURITY',
        'ALTER TABLE "commissioning_membership" NO FORCE ROW LEVEL SECURITY',
        'DROP POLICY council_isolation ON "commissioning_membership"',
        'ALTER TABLE "commissioning_auditevent" DISABLE TRIGGER audit_append_only',
        'DROP TRIGGER audit_append_only ON "commissioning_auditevent"',
        'DROP TRIGGER bid_submission_deadline ON "tenders_bidsubmission"',
    ],
)
def test_the_application_role_cannot_switch_the_walls_off(postgres_only: None, db: None, statement: str) -> None:
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError, match="must be owner"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = 'commissioning_membership'"
        )
        assert cursor.fetchone() == (True, True)


def test_the_application_role_may_not_rewrite_the_audit_trail(postgres_only: None, knowsley: CouncilWorld) -> None:
    """Not even granted: UPDATE and DELETE on audit events (the trigger refuses them too)."""
    from django.db import DatabaseError, transaction

    for statement in ("UPDATE commissioning_auditevent SET action = 'x'", "DELETE FROM commissioning_auditevent"):
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            with platform_scope(), connection.cursor() as cursor:
                cursor.execute(statement)


def test_every_council_owned_table_has_forced_row_level_security(postgres_only: None, db: None) -> None:
    tables = {m._meta.db_table for m in council_owned_models()}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity AND relname = ANY(%s)",
            [list(tables)],
        )
        protected = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT tablename FROM pg_policies WHERE policyname = 'council_isolation'")
        with_policy = {row[0] for row in cursor.fetchall()}
    assert protected == tables
    assert tables <= with_policy


def test_raw_sql_with_the_wrong_council_setting_returns_no_rows_of_another_council(
    postgres_only: None, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    other = southwark.council.pk
    with council_scope(knowsley.council), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM commissioning_membership WHERE council_id = %s", [other])
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT DISTINCT council_id FROM commissioning_membership")
        assert [row[0] for row in cursor.fetchall()] == [knowsley.council.pk]
    with platform_scope(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM commissioning_membership WHERE council_id = %s", [other])
        assert cursor.fetchone()[0] == len(southwark.people)


def test_without_any_council_setting_raw_sql_sees_nothing(postgres_only: None, knowsley: CouncilWorld) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM commissioning_membership")
        assert cursor.fetchone()[0] == 0


def test_row_level_security_refuses_writing_into_another_council(
    postgres_only: None, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    from django.db import DatabaseError, transaction

    with council_scope(knowsley.council):
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO commissioning_membership (council_id, user_id, role, created_at) "
                    "VALUES (%s, %s, 'admin', now())",
                    [southwark.council.pk, knowsley.people["citizen"].pk],
                )


def test_the_setting_does_not_outlive_the_scope(postgres_only: None, knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.council_id', true)")
        assert cursor.fetchone()[0] in ("", None)


def test_a_non_member_gets_404_on_council_pages(client, knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    client.force_login(southwark.people["admin"])
    for url in ("/c/knowsley/dashboard/", "/c/knowsley/members/", "/c/knowsley/audit/"):
        assert client.get(url).status_code == 404


def test_an_unknown_council_is_404(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people["admin"])
    assert client.get("/c/nowhere/dashboard/").status_code == 404
    assert client.get("/c/nowhere/").status_code == 404


def test_the_public_portal_is_open_to_everyone(client, knowsley: CouncilWorld) -> None:
    response = client.get("/c/knowsley/")
    assert response.status_code == 200
    assert "Knowsley Council" in response.content.decode()


def test_anonymous_visitors_are_asked_to_sign_in(client, knowsley: CouncilWorld) -> None:
    response = client.get("/c/knowsley/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/c/knowsley/dashboard/")


def test_a_member_sees_their_council_dashboard(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people["commissioner"])
    response = client.get("/c/knowsley/dashboard/")
    assert response.status_code == 200
    assert "Commissioning" in response.content.decode()


def test_an_api_view_under_a_council_without_the_membership_check_is_refused() -> None:
    """Fail closed: a future endpoint that forgets CouncilMember cannot serve council data."""
    from django.core.exceptions import ImproperlyConfigured
    from rest_framework.views import APIView

    from commissioning.api.views import CouncilDetailView, MemberListView
    from commissioning.tenancy import _require_council_permission

    class Forgetful(APIView):
        pass

    with pytest.raises(ImproperlyConfigured, match="Forgetful"):
        _require_council_permission(Forgetful.as_view())
    _require_council_permission(MemberListView.as_view())
    _require_council_permission(CouncilDetailView.as_view())
