"""The audit trail: append-only, hash-chained per council, verifiable."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from commissioning.audit import GENESIS_HASH, audit_record, audit_verify, event_hash
from commissioning.models import AuditEvent
from commissioning.models.audit import AuditImmutableError
from commissioning.tenancy import council_scope
from tests.factories import CouncilFactory, CouncilWorld, InvitationFactory, MembershipFactory, UserFactory, give_totp


def _new_council(slug: str) -> CouncilWorld:
    """A council with no history yet (the shared fixtures' councils already have audited data)."""
    council = CouncilFactory(slug=slug, name=f"{slug.title()} Council")
    world = CouncilWorld(council=council)
    with council_scope(council):
        for role in ("admin", "commissioner", "evaluator", "citizen"):
            person = UserFactory(email=f"{role}@{slug}.example.org")
            MembershipFactory(council=council, user=person, role=role)
            if role != "citizen":
                give_totp(person)
            world.people[role] = person
        world.invitation = InvitationFactory(council=council, invited_by=world.people["admin"])
    return world


@pytest.fixture
def knowsley(db: None) -> CouncilWorld:
    return _new_council("knowsley")


@pytest.fixture
def southwark(db: None) -> CouncilWorld:
    return _new_council("southwark")


def _record_three(world: CouncilWorld) -> list[AuditEvent]:
    actor = world.people["admin"]
    with council_scope(world.council):
        return [
            audit_record(council=world.council, actor=actor, action="test.one", after={"n": 1}),
            audit_record(
                council=world.council,
                actor=actor,
                action="test.two",
                target=world.invitation,
                before={"weight": 10},
                after={"weight": 20},
            ),
            audit_record(council=world.council, actor=None, action="test.three"),
        ]


def test_events_chain_by_hash_within_a_council(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    first, second, third = _record_three(knowsley)
    assert (first.sequence, second.sequence, third.sequence) == (1, 2, 3)
    assert first.previous_hash == GENESIS_HASH
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert third.actor_label == "system"
    with council_scope(southwark.council):
        other = audit_record(council=southwark.council, actor=None, action="test.other")
    assert other.sequence == 1 and other.previous_hash == GENESIS_HASH


def test_the_stored_event_hashes_to_its_hash(knowsley: CouncilWorld) -> None:
    _record_three(knowsley)
    with council_scope(knowsley.council):
        for event in AuditEvent.objects.all():
            assert event_hash(event) == event.hash
        report = audit_verify(council=knowsley.council)
    assert report.ok and report.events_checked == 3


def test_events_cannot_be_changed_or_deleted_through_the_orm(knowsley: CouncilWorld) -> None:
    event = _record_three(knowsley)[0]
    with council_scope(knowsley.council):
        event.action = "test.rewritten"
        with pytest.raises(AuditImmutableError):
            event.save()
        with pytest.raises(AuditImmutableError):
            event.delete()
        with pytest.raises(AuditImmutableError):
            AuditEvent.objects.filter(pk=event.pk).update(action="x")
        with pytest.raises(AuditImmutableError):
            AuditEvent.objects.filter(pk=event.pk).delete()


def test_the_database_refuses_updates_and_deletes(postgres_only: None, knowsley: CouncilWorld) -> None:
    event = _record_three(knowsley)[0]
    with council_scope(knowsley.council), connection.cursor() as cursor:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("UPDATE commissioning_auditevent SET action = 'x' WHERE id = %s", [event.pk])
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("DELETE FROM commissioning_auditevent WHERE id = %s", [event.pk])


def _disable_append_only_trigger() -> None:
    """What an attacker who owns the table could do. Pending deferred FK checks must fire first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE commissioning_auditevent DISABLE TRIGGER audit_append_only")


def _tamper(event: AuditEvent, **changes: object) -> None:
    """Rewrite a row behind the application's back (as an attacker with database access would)."""
    _disable_append_only_trigger()
    # QuerySet.update is refused by the model layer; go around it with the base queryset class.
    from django.db.models import QuerySet

    QuerySet(AuditEvent).filter(pk=event.pk).update(**changes)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE commissioning_auditevent ENABLE TRIGGER audit_append_only")


def test_verify_detects_a_changed_event(knowsley: CouncilWorld) -> None:
    events = _record_three(knowsley)
    with council_scope(knowsley.council):
        _tamper(events[1], after={"weight": 50})
        report = audit_verify(council=knowsley.council)
    assert not report.ok
    assert report.broken_at == 2
    assert "content" in report.reason


def test_verify_detects_a_removed_event(knowsley: CouncilWorld) -> None:
    events = _record_three(knowsley)
    with council_scope(knowsley.council):
        # Renumbering the last event into the gap looks like a deletion of event 2.
        from django.db.models import QuerySet

        _disable_append_only_trigger()
        QuerySet(AuditEvent).filter(pk=events[1].pk)._raw_delete(connection.alias)
        report = audit_verify(council=knowsley.council)
    assert not report.ok and report.broken_at == 2 and "missing" in report.reason


def test_verify_detects_a_rehashed_event(knowsley: CouncilWorld) -> None:
    """Changing an event and recomputing its own hash still breaks the next link."""
    events = _record_three(knowsley)
    with council_scope(knowsley.council):
        forged = AuditEvent.objects.get(pk=events[0].pk)
        forged.after = {"n": 999}
        _tamper(events[0], after={"n": 999}, hash=event_hash(forged))
        report = audit_verify(council=knowsley.council)
    assert not report.ok and report.broken_at == 2 and "previous hash" in report.reason


def test_verify_audit_command_reports_each_council(knowsley: CouncilWorld, southwark: CouncilWorld, capsys) -> None:
    _record_three(knowsley)
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "knowsley: 3 events, chain intact" in out
    assert "southwark: 0 events, chain intact" in out


def test_verify_audit_command_fails_on_a_broken_chain(knowsley: CouncilWorld, capsys) -> None:
    events = _record_three(knowsley)
    with council_scope(knowsley.council):
        _tamper(events[2], action="test.forged")
    with pytest.raises(CommandError, match="1 council chain"):
        call_command("verify_audit", council="knowsley")
    assert "chain broken at event #3" in capsys.readouterr().out


def test_the_admin_can_browse_and_filter_the_trail(client, knowsley: CouncilWorld) -> None:
    _record_three(knowsley)
    client.force_login(knowsley.people["admin"])
    page = client.get("/c/knowsley/audit/").content.decode()
    assert "test.one" in page and "test.two" in page
    filtered = client.get("/c/knowsley/audit/", {"action": "test.two"}).content.decode()
    assert "test.two" in filtered and "<code>test.one</code>" not in filtered


def test_the_audit_filter_explains_bad_dates(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people["admin"])
    response = client.get("/c/knowsley/audit/", {"date_from": "2026-11-20", "date_to": "2026-11-01"})
    assert response.status_code == 200
    assert "The to date must be on or after the from date" in response.content.decode()


def test_citizens_and_evaluators_cannot_see_the_trail(client, knowsley: CouncilWorld) -> None:
    for role in ("citizen", "evaluator", "commissioner"):
        client.force_login(knowsley.people[role])
        assert client.get("/c/knowsley/audit/").status_code == 403
