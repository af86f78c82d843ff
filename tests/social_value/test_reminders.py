"""Reminders of delivery returns (social_value.reminders, run daily by Celery beat): a return due
soon and one overdue remind both the provider's members and the council's officers, once per
period and kind, however often the task runs; another council's returns are left alone."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value import returns
from social_value.models import ReturnReminder
from social_value.reminders import reminders_due, reminders_send
from social_value.tasks import returns_remind
from tests.factories import CouncilWorld
from tests.factories.social_value import agreement_with_kpis

pytestmark = pytest.mark.world("social_value_framework")


def _agreement(world: CouncilWorld, **dates: date) -> returns.Agreement:
    return agreement_with_kpis(
        council=world.council,
        provider=world.organisation,  # type: ignore[arg-type]
        kpis=[("Apprentices", "people", 4, None)],
        **dates,  # type: ignore[arg-type]
    )


def test_running_twice_sends_each_reminder_once_to_both_sides(knowsley: CouncilWorld) -> None:
    # Quarter 1 of 2027 ended on 31 March and is due on 30 April: on 25 April it is due soon.
    today = date(2027, 4, 25)
    with council_scope(knowsley.council):
        agreement = _agreement(knowsley, starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31))
        first = reminders_send(council=knowsley.council, today=today)
        second = reminders_send(council=knowsley.council, today=today)
        (row,) = ReturnReminder.objects.filter(agreement=agreement)
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert (first, second) == (2, 0)
    assert recipients == sorted([knowsley.provider.email, knowsley.people[Role.OFFICER].email])  # type: ignore[union-attr]
    assert (row.period, row.kind, row.recipients) == (1, "due", 2)
    provider_mail = next(m for m in mail.outbox if m.to == [knowsley.provider.email])  # type: ignore[union-attr]
    assert "Due:" in provider_mail.subject and "/returns/1/" in provider_mail.body


def test_an_overdue_return_is_reminded_once_more_and_a_submitted_one_never(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        agreement = _agreement(knowsley, starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31))
        reminders_send(council=knowsley.council, today=date(2027, 4, 25))
        overdue = reminders_due(council=knowsley.council, today=date(2027, 5, 2))
        assert [(r.period.number, r.kind) for r in overdue] == [(1, "overdue")]
        kpi = agreement.kpis.get()
        saved = returns.return_save(
            agreement=agreement,
            period=1,
            actor=knowsley.provider,
            figures={kpi.pk: "1"},
            narrative="Done",  # type: ignore[arg-type]
        )
        returns.return_submit(delivery_return=saved, actor=knowsley.provider, today=date(2027, 5, 1))  # type: ignore[arg-type]
        assert reminders_due(council=knowsley.council, today=date(2027, 5, 2)) == []


def test_the_beat_task_leaves_another_councils_returns_alone_and_sends_nothing_twice(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    with council_scope(knowsley.council):
        mine = _agreement(knowsley, starts_on=date(2020, 1, 1), ends_on=date(2020, 3, 31))
    with council_scope(southwark.council):
        # Southwark's agreement has not started: nothing of it is due.
        theirs = _agreement(southwark, starts_on=date(2099, 1, 1), ends_on=date(2099, 12, 31))
    assert returns_remind() == 2
    assert returns_remind() == 0
    with council_scope(knowsley.council):
        assert list(ReturnReminder.objects.filter(council=knowsley.council).values_list("agreement_id", "kind")) == [
            (mine.pk, "overdue")
        ]
    with council_scope(southwark.council):
        assert not ReturnReminder.objects.filter(agreement=theirs).exists()
    assert southwark.people[Role.OFFICER].email not in {a for m in mail.outbox for a in m.to}
