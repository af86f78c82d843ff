"""E-mail sent once per key (commissioning.notifications): a key sent is never sent again, a send
that fails gives its key back so a retry sends, keys belong to one council, and two runs at once
send once (PostgreSQL, real transactions)."""

from __future__ import annotations

import threading
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.db import DatabaseError, connection
from django_scopes import ScopeError

from commissioning.models import Council, Notification
from commissioning.notifications import notify_once
from commissioning.tenancy import council_scope, platform_scope
from tests.factories import CouncilFactory


def _message(to: str) -> EmailMessage:
    return EmailMessage(subject="Hello", body="Once only", from_email="no-reply@example.org", to=[to])


def _sent_keys(council: Council) -> list[str]:
    with council_scope(council):
        return sorted(Notification.objects.filter(sent_at__isnull=False).values_list("key", flat=True))


@pytest.fixture
def failing_mail_server(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: EmailBackend, messages: list[EmailMessage]) -> int:
        raise SMTPException("451 try again later")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)


def test_each_key_is_sent_once_and_a_new_key_is_sent(db: None) -> None:
    council = CouncilFactory()
    with council_scope(council):
        first = notify_once(council=council, messages={"test:a": _message("a@x.test"), "test:b": _message("b@x.test")})
        again = notify_once(council=council, messages={"test:a": _message("a@x.test"), "test:b": _message("b@x.test")})
        more = notify_once(council=council, messages={"test:a": _message("a@x.test"), "test:c": _message("c@x.test")})
    assert (first, again, more) == (2, 0, 1)
    assert [m.to for m in mail.outbox] == [["a@x.test"], ["b@x.test"], ["c@x.test"]]
    assert _sent_keys(council) == ["test:a", "test:b", "test:c"]
    assert notify_once(council=council, messages={}) == 0


def test_a_send_that_fails_gives_the_key_back_so_the_retry_sends(
    db: None, failing_mail_server: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    council = CouncilFactory()
    with council_scope(council), pytest.raises(SMTPException):
        notify_once(council=council, messages={"test:a": _message("a@x.test")})
    assert mail.outbox == []
    with council_scope(council):
        assert not Notification.objects.exists()
    monkeypatch.undo()  # the mail server answers again
    with council_scope(council):
        assert notify_once(council=council, messages={"test:a": _message("a@x.test")}) == 1
    assert [m.to for m in mail.outbox] == [["a@x.test"]]


def test_keys_belong_to_one_council(db: None) -> None:
    knowsley, southwark = CouncilFactory(), CouncilFactory()
    for council in (knowsley, southwark):
        with council_scope(council):
            assert notify_once(council=council, messages={"test:a": _message("a@x.test")}) == 1
    assert len(mail.outbox) == 2
    with council_scope(knowsley):
        assert list(Notification.objects.values_list("council", flat=True)) == [knowsley.pk]
    with platform_scope():
        assert Notification.objects.count() == 2
    # Outside the council's scope: refused by django-scopes, or first by row-level security.
    with pytest.raises((ScopeError, DatabaseError)):
        notify_once(council=knowsley, messages={"test:b": _message("b@x.test")})
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_once(postgres_only: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second run waits on the first's claim, then finds the key sent."""
    council = CouncilFactory()
    sending, release = threading.Event(), threading.Event()
    real_send = EmailBackend.send_messages

    def slow_send(self: EmailBackend, messages: list[EmailMessage]) -> int:
        sending.set()
        assert release.wait(10)
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow_send)
    results: dict[str, int] = {}

    def run(name: str) -> None:
        try:
            with council_scope(council):
                results[name] = notify_once(council=council, messages={"test:a": _message("a@x.test")})
        finally:
            connection.close()

    first = threading.Thread(target=run, args=("first",))
    first.start()
    assert sending.wait(10)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second run should wait for the first run's claim"
    release.set()
    first.join(10)
    second.join(10)
    assert results == {"first": 1, "second": 0}
    assert len(mail.outbox) == 1
    assert _sent_keys(council) == ["test:a"]


def test_invitations_emailed_before_the_upgrade_are_not_emailed_again(db: None) -> None:
    import importlib

    from django.apps import apps
    from django.utils import timezone

    from commissioning.tasks import send_invitation_email
    from tests.factories import InvitationFactory

    migration = importlib.import_module("commissioning.migrations.0006_notification")
    council = CouncilFactory()
    with council_scope(council):
        emailed = InvitationFactory(council=council, emailed_at=timezone.now())
        waiting = InvitationFactory(council=council)
    migration.mark_emailed_invitations(apps, None)
    arguments = {"council_id": council.pk, "base_url": "http://x/"}
    assert send_invitation_email.apply(kwargs={**arguments, "invitation_id": emailed.pk}).result == "skipped"
    assert send_invitation_email.apply(kwargs={**arguments, "invitation_id": waiting.pk}).result == "sent"
    assert [m.to for m in mail.outbox] == [[waiting.email]]
