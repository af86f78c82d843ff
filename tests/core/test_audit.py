"""The audit trail: append-only, hash-chained per council, verifiable."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from commissioning.audit import (
    GENESIS_HASH,
    _event_canonical_form,
    audit_head,
    audit_head_published,
    audit_heads_publish,
    audit_record,
    audit_verify,
    event_hash,
    parse_head,
)
from commissioning.models import AuditEvent
from commissioning.models.audit import AuditImmutableError
from commissioning.tenancy import PLATFORM_ON, PLATFORM_SETTING, council_scope
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


def test_the_application_role_may_not_update_or_delete_events(postgres_only: None, knowsley: CouncilWorld) -> None:
    """Not granted to the application at all (the trigger below guards the owner's own role)."""
    event = _record_three(knowsley)[0]
    with council_scope(knowsley.council), connection.cursor() as cursor:
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            cursor.execute("UPDATE commissioning_auditevent SET action = 'x' WHERE id = %s", [event.pk])
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            cursor.execute("DELETE FROM commissioning_auditevent WHERE id = %s", [event.pk])


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_updates_and_deletes(postgres_only: None, knowsley: CouncilWorld) -> None:
    """Even the tables' owner meets the append-only trigger, unless it switches it off first."""
    import psycopg

    event = _record_three(knowsley)[0]
    for statement in (
        "UPDATE commissioning_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM commissioning_auditevent WHERE id = %s",
    ):
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            _as_database_holder([(statement, [event.pk])], disable_trigger=False)


def _as_database_holder(statements: list[tuple[str, list[object]]], *, disable_trigger: bool = True) -> None:
    """Run SQL as an attacker who holds the database: the tables' owner, on a connection of its own.

    The application's role may neither switch the append-only trigger off nor update or delete
    audit rows, so the attack needs the owner (``MIGRATION_DATABASE_URL``). On SQLite there are
    no such walls, and the test's own connection does it.
    """
    owner = settings.MIGRATION_DATABASE
    if connection.vendor != "postgresql" or not owner.get("USER"):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE commissioning_auditevent DISABLE TRIGGER audit_append_only")
            for sql, params in statements:
                cursor.execute(sql, params)
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE commissioning_auditevent ENABLE TRIGGER audit_append_only")
        return
    import psycopg

    params = connection.get_connection_params()
    params.update(user=owner["USER"], password=owner.get("PASSWORD") or None)
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as holder, holder.cursor() as cursor:
        cursor.execute(f"SELECT set_config('{PLATFORM_SETTING}', '{PLATFORM_ON}', true)")
        if disable_trigger:
            cursor.execute("ALTER TABLE commissioning_auditevent DISABLE TRIGGER audit_append_only")
        for sql, values in statements:
            cursor.execute(sql, values)
        if disable_trigger:
            cursor.execute("ALTER TABLE commissioning_auditevent ENABLE TRIGGER audit_append_only")


def _update_sql(event: AuditEvent, changes: dict[str, object]) -> tuple[str, list[object]]:
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    assignments, values = [], []
    for column, value in changes.items():
        if column in ("before", "after"):
            assignments.append(f'"{column}" = %s{json_cast}')
            values.append(json.dumps(value))
        else:
            assignments.append(f'"{column}" = %s')
            values.append(value)
    return f"UPDATE commissioning_auditevent SET {', '.join(assignments)} WHERE id = %s", [*values, event.pk]  # noqa: S608 (column names are ours)


def _tamper(event: AuditEvent, **changes: object) -> None:
    """Rewrite a row behind the application's back (as an attacker with database access would)."""
    _as_database_holder([_update_sql(event, changes)])


def _delete(*events: AuditEvent) -> None:
    _as_database_holder([("DELETE FROM commissioning_auditevent WHERE id = %s", [e.pk]) for e in events])


def _rewrite_from(
    events: list[AuditEvent], index: int, *, sign: Callable[[AuditEvent], str], **changes: object
) -> None:
    """Change events[index] and re-chain every later event, each hashed with ``sign``."""
    statements = []
    previous_hash = events[index - 1].hash if index else GENESIS_HASH
    for position, original in enumerate(events[index:]):
        event = AuditEvent.objects.get(pk=original.pk)
        for field, value in changes.items() if position == 0 else ():
            setattr(event, field, value)
        event.previous_hash = previous_hash
        event.hash = sign(event)
        previous_hash = event.hash
        fields = {"previous_hash": event.previous_hash, "hash": event.hash, "key_id": event.key_id, **changes}
        statements.append(
            _update_sql(event, fields if position == 0 else {k: fields[k] for k in ("previous_hash", "hash")})
        )
    _as_database_holder(statements)


def _sha256_without_key(event: AuditEvent) -> str:
    """What an attacker without the key can compute: the canonical form's plain SHA-256."""
    return hashlib.sha256(_event_canonical_form(event)).hexdigest()


def _hmac_with_a_guessed_key(event: AuditEvent) -> str:
    return hmac.new(b"guessed" * 8, _event_canonical_form(event), hashlib.sha256).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_verify_detects_a_changed_event(knowsley: CouncilWorld) -> None:
    events = _record_three(knowsley)
    with council_scope(knowsley.council):
        _tamper(events[1], after={"weight": 50})
        report = audit_verify(council=knowsley.council)
    assert not report.ok
    assert report.broken_at == 2
    assert "content" in report.reason


@pytest.mark.django_db(transaction=True)
def test_verify_detects_a_removed_event(knowsley: CouncilWorld) -> None:
    events = _record_three(knowsley)
    with council_scope(knowsley.council):
        _delete(events[1])
        report = audit_verify(council=knowsley.council)
    assert not report.ok and report.broken_at == 2 and "missing" in report.reason


@pytest.mark.django_db(transaction=True)
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


@pytest.mark.django_db(transaction=True)
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


# --- A keyed chain and published heads ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("sign", [_sha256_without_key, _hmac_with_a_guessed_key])
def test_rewriting_an_event_and_rehashing_the_rest_without_the_key_is_detected(
    knowsley: CouncilWorld, sign: Callable[[AuditEvent], str]
) -> None:
    events = _record_three(knowsley)
    with council_scope(knowsley.council):
        _rewrite_from(events, 1, sign=sign, after={"weight": 90})
        rewritten = list(AuditEvent.objects.order_by("sequence"))
        report = audit_verify(council=knowsley.council)
    # The links are whole (each previous hash matches), only the key can tell.
    assert [e.previous_hash for e in rewritten[1:]] == [e.hash for e in rewritten[:-1]]
    assert rewritten[1].after == {"weight": 90}
    assert not report.ok and report.broken_at == 2 and "content" in report.reason


@pytest.mark.django_db(transaction=True)
def test_an_event_without_a_key_id_is_refused(knowsley: CouncilWorld) -> None:
    """A chain rewritten as plain SHA-256 from the start (all links whole) is not accepted."""
    events = _record_three(knowsley)
    with council_scope(knowsley.council):
        _rewrite_from(events, 0, sign=_sha256_without_key, key_id="")
        report = audit_verify(council=knowsley.council)
    assert not report.ok and report.broken_at == 1 and "no key" in report.reason


@pytest.mark.django_db(transaction=True)
def test_deleting_the_last_events_is_detected_against_the_published_head(knowsley: CouncilWorld) -> None:
    events = _record_three(knowsley)
    with council_scope(knowsley.council):
        published = audit_head(council=knowsley.council)
        _delete(events[2], events[1])
        # On its own, what is left is a whole chain: only the head published outside tells.
        assert audit_verify(council=knowsley.council).ok
        report = audit_verify(council=knowsley.council, heads=[published])
    assert published.sequence == 3
    assert not report.ok and report.broken_at == 2
    assert "ends at #1 but #3 was published" in report.reason


@pytest.mark.django_db(transaction=True)
def test_rewriting_with_the_key_is_detected_against_the_published_head(knowsley: CouncilWorld) -> None:
    """Someone with database and key can re-sign a whole chain; a head published before cannot follow."""
    events = _record_three(knowsley)
    with council_scope(knowsley.council):
        published = audit_head(council=knowsley.council)
        _rewrite_from(events, 1, sign=event_hash, after={"weight": 90})
        assert audit_verify(council=knowsley.council).ok
        report = audit_verify(council=knowsley.council, heads=[published])
    assert not report.ok and report.broken_at == 3 and "published head" in report.reason


def test_an_old_key_still_verifies_after_rotation(knowsley: CouncilWorld, settings) -> None:  # noqa: ANN001
    settings.COMMISSIONING_AUDIT_KEYS = ["2026-a:" + "a" * 40]
    first = _record_three(knowsley)
    settings.COMMISSIONING_AUDIT_KEYS = ["2026-b:" + "b" * 40, "2026-a:" + "a" * 40]
    with council_scope(knowsley.council):
        later = audit_record(council=knowsley.council, actor=None, action="test.four")
        assert audit_verify(council=knowsley.council).ok
    assert {e.key_id for e in first} == {"2026-a"} and later.key_id == "2026-b"
    # Dropping the old key too early is reported, not silently accepted.
    settings.COMMISSIONING_AUDIT_KEYS = ["2026-b:" + "b" * 40]
    with council_scope(knowsley.council):
        report = audit_verify(council=knowsley.council)
    assert report.broken_at == 1 and "unknown key '2026-a'" in report.reason


def test_the_portal_shows_the_head_as_it_stood_at_the_last_interval(client, knowsley: CouncilWorld) -> None:
    from datetime import timedelta

    from django.utils import timezone

    events = _record_three(knowsley)
    with council_scope(knowsley.council):
        later = timezone.now() + settings.COMMISSIONING_AUDIT_HEAD_INTERVAL
        head = audit_head_published(council=knowsley.council, now=later)
        assert audit_head_published(council=knowsley.council, now=timezone.now() - timedelta(days=1)).sequence == 0
    assert (head.sequence, head.hash) == (3, events[2].hash)
    with council_scope(knowsley.council):
        shown = audit_head_published(council=knowsley.council)
    page = client.get("/c/knowsley/").content.decode()
    assert "Audit trail fingerprint" in page
    # The events were written just now, so the page shows the head of the last whole interval.
    if shown.sequence:
        assert f'data-audit-head="{shown.as_text()}"' in page
    else:
        assert "held no events yet" in page


def test_the_portals_head_is_read_once_per_interval(knowsley: CouncilWorld) -> None:
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    events = _record_three(knowsley)
    later = timezone.now() + settings.COMMISSIONING_AUDIT_HEAD_INTERVAL
    with council_scope(knowsley.council):
        with CaptureQueriesContext(connection) as first:
            head = audit_head_published(council=knowsley.council, now=later)
        with CaptureQueriesContext(connection) as again:
            assert audit_head_published(council=knowsley.council, now=later + timedelta(seconds=1)) == head
        # The next interval's head is read afresh, with whatever was recorded since.
        _record_three(knowsley)
        after = audit_head_published(council=knowsley.council, now=later + settings.COMMISSIONING_AUDIT_HEAD_INTERVAL)
    assert (head.sequence, head.hash) == (3, events[2].hash)
    assert len(first) == 1 and len(again) == 0
    assert after.sequence == 6


@pytest.mark.django_db(transaction=True)
def test_verify_audit_reads_published_heads_from_the_file_and_the_command_line(
    knowsley: CouncilWorld,
    tmp_path,
    capsys,
    settings,  # noqa: ANN001
) -> None:
    events = _record_three(knowsley)
    settings.COMMISSIONING_AUDIT_HEADS_FILE = str(tmp_path / "heads.jsonl")
    call_command("publish_audit_heads")
    record = json.loads((tmp_path / "heads.jsonl").read_text().splitlines()[0])
    assert (record["council"], record["sequence"], record["hash"]) == ("knowsley", 3, events[2].hash)
    call_command("verify_audit")
    assert "knowsley: 3 events, chain intact, 1 published head(s) found" in capsys.readouterr().out

    _delete(events[2])
    with pytest.raises(CommandError, match="1 council chain"):
        call_command("verify_audit")
    assert "events were removed" in capsys.readouterr().out

    settings.COMMISSIONING_AUDIT_HEADS_FILE = ""
    call_command("verify_audit", council="knowsley")  # without the head, the cut is invisible
    with pytest.raises(CommandError, match="1 council chain"):
        call_command("verify_audit", council="knowsley", head=[f"3:{events[2].hash}"])
    with pytest.raises(CommandError, match="needs --council"):
        call_command("verify_audit", head=[f"3:{events[2].hash}"])


def test_heads_are_logged_and_parsed(knowsley: CouncilWorld, caplog) -> None:  # noqa: ANN001
    events = _record_three(knowsley)
    with caplog.at_level("INFO", logger="commissioning.audit.heads"):
        (head,) = audit_heads_publish(councils=[knowsley.council])
    assert f"audit head council=knowsley head=3:{events[2].hash}" in caplog.text
    assert parse_head(head.as_text()) == parse_head(f"3:{events[2].hash}")
    with pytest.raises(ValueError, match="64 hex"):
        parse_head("3:not-a-hash")
