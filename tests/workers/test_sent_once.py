"""Every task that sends e-mail sends it once: run through the service that enqueues it, the task
is run again and again (a redelivery, a retry). The first run meets a mail server that refuses, so
nothing is sent and nothing is kept; the retry sends; a run after that sends nothing more."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from smtplib import SMTPException
from typing import Any

import pytest
from celery.app.task import Task
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from commissioning import services as core_services
from commissioning.models import Notification, OutboxMessage, Role
from commissioning.tenancy import council_scope
from tenders import services
from tenders.models import CommentRound, SpecificationSection
from tenders.services import bids as bid_services
from tests.factories import CouncilWorld
from tests.tenders.test_bids_helpers import complete_changes, local_charity, published_tender
from tests.tenders.test_publication import draft, make_ready

pytestmark = pytest.mark.world("bids")

BASE_URL = "https://x.test/"


def _invitation(world: CouncilWorld) -> None:
    core_services.invitation_create(
        council=world.council,
        invited_by=world.people[Role.ADMIN],
        email="new.evaluator@example.org",
        role=Role.EVALUATOR,
        base_url=BASE_URL,
    )


def _bid_receipt(world: CouncilWorld) -> None:
    organisation, person = local_charity()
    tender = published_tender(world)
    bid = bid_services.bid_start(tender=tender, organisation=organisation, actor=person)
    bid = bid_services.bid_draft_save(
        bid=bid, actor=person, changes=complete_changes(tender), expected_revision=bid.draft_revision
    )
    bid_services.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())


def _tender_changed(world: CouncilWorld) -> None:
    tender = published_tender(world)
    services.tender_change_publish(
        tender=tender,
        actor=world.people[Role.OFFICER],
        reason="The council extended the deadline.",
        submission_deadline=tender.submission_deadline + timedelta(days=7),
        base_url=BASE_URL,
    )


def _clarification_answered(world: CouncilWorld) -> None:
    question = services.clarification_ask(
        tender=published_tender(world), actor=world.provider, organisation=world.organisation, question="Parking?"
    )
    services.clarification_answer(
        question=question,
        actor=world.people[Role.COMMISSIONER],
        published_question="Is parking free?",
        answer="Yes.",
        publish=True,
        base_url=BASE_URL,
    )


def _approval_requested(world: CouncilWorld) -> None:
    services.tender_approval_request(tender=make_ready(world), actor=world.people[Role.COMMISSIONER], base_url=BASE_URL)


def _open_round(world: CouncilWorld) -> CommentRound:
    tender = draft(world)
    CommentRound.objects.filter(tender=tender).delete()  # the world's own round, so this one can open
    return services.comment_round_open(
        tender=tender,
        actor=world.people[Role.COMMISSIONER],
        open_to_citizens=True,
        organisations=[world.organisation],
        base_url=BASE_URL,
    )


def _comment_reply(world: CouncilWorld) -> None:
    comment_round = _open_round(world)
    comment = services.comment_add(
        round=comment_round,
        section=SpecificationSection.objects.filter(tender=comment_round.tender).first(),
        author=world.people[Role.CITIZEN],
        organisation=None,
        body="Please open on Saturdays",
    )
    services.comment_resolve(
        comment=comment, actor=world.people[Role.COMMISSIONER], reply="Added Saturday mornings", base_url=BASE_URL
    )


# task name -> what makes a service enqueue it
SCENARIOS: dict[str, Callable[[CouncilWorld], Any]] = {
    "commissioning.tasks.send_invitation_email": _invitation,
    "tenders.tasks.bids.send_bid_receipt": _bid_receipt,
    "tenders.tasks.publication.notify_bidders_of_change": _tender_changed,
    "tenders.tasks.publication.notify_clarification_answered": _clarification_answered,
    "tenders.tasks.publication.notify_officers_of_approval_request": _approval_requested,
    "tenders.tasks.codesign.send_comment_round_emails": _open_round,
    "tenders.tasks.codesign.send_comment_reply_email": _comment_reply,
}


def _enqueued(name: str) -> tuple[Task, dict[str, Any]]:
    """The task the service recorded in the outbox (``commissioning.queue.enqueue``), and its arguments."""
    from commissioning.celery import app

    found = list(OutboxMessage.objects.filter(task=name, sent_at__isnull=True).values_list("kwargs", flat=True))
    assert len(found) == 1, f"the service should enqueue {name} once"
    return app.tasks[name], found[0]


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_a_task_run_again_sends_once_and_a_failed_send_is_retried(
    name: str, knowsley: CouncilWorld, django_capture_on_commit_callbacks, monkeypatch: pytest.MonkeyPatch
) -> None:
    with council_scope(knowsley.council):
        with django_capture_on_commit_callbacks(execute=False):
            SCENARIOS[name](knowsley)
        task, kwargs = _enqueued(name)
    mail.outbox.clear()

    def refuse(self: EmailBackend, messages: list) -> int:
        raise SMTPException("451 try again later")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    failed = task.apply(kwargs=kwargs)
    assert failed.failed() and isinstance(failed.result, SMTPException)
    assert mail.outbox == []
    with council_scope(knowsley.council):
        assert not Notification.objects.exists(), "a send that failed must give its keys back"

    monkeypatch.undo()  # the mail server answers again
    retried = task.apply(kwargs=kwargs)
    assert retried.successful()
    sent = list(mail.outbox)
    assert sent, f"{name} should send on the retry"
    with council_scope(knowsley.council):
        keys = list(Notification.objects.values_list("key", "sent_at"))
    assert keys and all(sent_at is not None for _, sent_at in keys)

    for _ in range(2):
        assert task.apply(kwargs=kwargs).successful()
    assert mail.outbox == sent, f"{name} sent again when run again"
