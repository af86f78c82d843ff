"""Staff see what needs them: sending a tender for approval, and the dashboard's work queues per role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.extensions import WORK_QUEUE_PREVIEW, work_queues_for
from commissioning.models import AuditEvent, Membership, Role
from commissioning.tenancy import council_scope
from tenders import services
from tenders.models import (
    ApprovalRequest,
    Bid,
    BidStatus,
    ClarificationQuestion,
    CommentRound,
    Compliance,
    SectionComment,
    SpecificationSection,
    Tender,
)
from tenders.work_queues import tenders_awaiting_approval, tenders_to_publish, tenders_with_bids_to_open
from tests.factories import CouncilWorld, MembershipFactory, UserFactory, give_totp
from tests.helpers import signed_in
from tests.tenders.test_publication import approve, draft, make_ready, published

pytestmark = pytest.mark.world("draft_for_approval")


# --- Send for approval ---------------------------------------------------------------------------


def test_sending_for_approval_emails_the_officers_who_may_approve_and_is_audited(
    knowsley: CouncilWorld,
    django_capture_on_commit_callbacks,
    eager_tasks: None,
) -> None:
    commissioner, officer = knowsley.people[Role.COMMISSIONER], knowsley.people[Role.OFFICER]
    with council_scope(knowsley.council):
        second = UserFactory(email="second.officer@knowsley.example.org", name="Priya Shah")
        MembershipFactory(council=knowsley.council, user=second, role=Role.OFFICER)
        # The commissioner is an officer too: four eyes, they are not asked.
        MembershipFactory(council=knowsley.council, user=commissioner, role=Role.OFFICER)
        tender = make_ready(knowsley)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            request = services.tender_approval_request(
                tender=tender,
                actor=commissioner,
                note="Ready after the residents' comments.",
                base_url="https://x.test/",
            )
        assert sorted(a["email"] for a in request.asked) == sorted([officer.email, second.email])
        event = AuditEvent.objects.filter(council=knowsley.council, action="tender.approval_requested").get()
        assert event.actor_id == commissioner.pk and event.after["asked"] == [a["email"] for a in request.asked]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, second.email])
    body = mail.outbox[0].body
    link = f"https://x.test/c/knowsley/tenders/{tender.pk}/approval/"
    assert link in body and "Ready after the residents' comments." in body and tender.title in mail.outbox[0].subject


def test_a_tender_that_is_not_ready_or_has_no_officer_to_approve_it_is_not_sent(knowsley: CouncilWorld) -> None:
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        before = ApprovalRequest.objects.count()
        with pytest.raises(ValidationError, match="Set the clarification deadline"):
            services.tender_approval_request(tender=draft(knowsley), actor=commissioner)
        tender = make_ready(knowsley)
        Membership.objects.filter(council=knowsley.council, role=Role.OFFICER).delete()
        with pytest.raises(ValidationError, match="No officer who did not draft this tender"):
            services.tender_approval_request(tender=tender, actor=commissioner)
        assert ApprovalRequest.objects.count() == before


def test_the_tender_page_says_who_was_asked_and_when_and_the_officer_queue_lists_it(knowsley: CouncilWorld) -> None:
    commissioner, officer = knowsley.people[Role.COMMISSIONER], knowsley.people[Role.OFFICER]
    with council_scope(knowsley.council):
        tender = make_ready(knowsley)
    client = signed_in(commissioner)
    url = reverse("tender_approval_request", kwargs={"council_slug": "knowsley", "tender_id": tender.pk})
    page = client.get(url)
    assert page.status_code == 200 and officer.name in page.content.decode()
    typed = "x" * 2001
    refused = client.post(url, {"note": typed})
    assert (
        "The note must be 2,000 characters or fewer" in refused.content.decode() and typed in refused.content.decode()
    )
    response = client.post(url, {"note": "Please look this week"})
    assert response.status_code == 302
    detail = client.get(reverse("tender_detail", kwargs={"council_slug": "knowsley", "tender_id": tender.pk}))
    text = detail.content.decode()
    assert f"Sent for approval by {commissioner.name} on" in text and f"to {officer.name}" in text
    assert "waiting for a decision" in text

    with council_scope(knowsley.council):
        assert list(tenders_awaiting_approval(council=knowsley.council)) == [tender]
    dashboard = (
        signed_in(officer).get(reverse("council_dashboard", kwargs={"council_slug": "knowsley"})).content.decode()
    )
    assert "Tenders waiting for approval" in dashboard and tender.title in dashboard
    assert f"Sent for approval by {commissioner.name}" in dashboard

    # The officer decides: the tender leaves the approval queue and joins "waiting to be published".
    with council_scope(knowsley.council):
        approve(knowsley, tender)
        assert not tenders_awaiting_approval(council=knowsley.council).exists()
        assert list(tenders_to_publish(council=knowsley.council)) == [tender]
    text = client.get(reverse("tender_detail", kwargs={"council_slug": "knowsley", "tender_id": tender.pk})).content
    assert b"an officer has decided since" in text


# --- The queues ----------------------------------------------------------------------------------


def test_each_role_sees_its_own_queues_and_nobody_elses(knowsley: CouncilWorld) -> None:
    page = lambda role: signed_in(knowsley.people[role]).get(  # noqa: E731
        reverse("council_dashboard", kwargs={"council_slug": "knowsley"})
    )
    officer, commissioner, evaluator = page(Role.OFFICER), page(Role.COMMISSIONER), page(Role.EVALUATOR)
    for queue in work_queues_for({Role.OFFICER}):
        assert queue.title in officer.content.decode() and queue.title not in commissioner.content.decode()
    for queue in work_queues_for({Role.COMMISSIONER}):
        assert queue.title in commissioner.content.decode() and queue.title not in officer.content.decode()
    assert all(q.title not in evaluator.content.decode() for q in work_queues_for({Role.OFFICER, Role.COMMISSIONER}))
    # The factories' draft has an override waiting, and the published tender an unanswered question.
    assert "knowsley-private-tender" in officer.content.decode()
    # The full list is for the queue's role only.
    full = reverse("council_work_queue", kwargs={"council_slug": "knowsley", "queue": "eligibility-overrides"})
    assert signed_in(knowsley.people[Role.OFFICER]).get(full).status_code == 200
    assert signed_in(knowsley.people[Role.COMMISSIONER]).get(full).status_code == 404
    missing = reverse("council_work_queue", kwargs={"council_slug": "knowsley", "queue": "no-such-queue"})
    assert signed_in(knowsley.people[Role.OFFICER]).get(missing).status_code == 404


@pytest.mark.world("bids")
def test_a_tender_with_bids_to_open_appears_only_after_its_deadline(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = published(knowsley)
        assert not tenders_with_bids_to_open(council=knowsley.council).exists()  # sealed: not even a count here
        Tender.objects.filter(pk=tender.pk).update(
            clarification_deadline=timezone.now() - timedelta(days=2), submission_deadline=timezone.now()
        )
        assert [(t.pk, t.unchecked, t.received) for t in tenders_with_bids_to_open(council=knowsley.council)] == [
            (tender.pk, 1, 1)
        ]
        Bid.objects.filter(tender=tender).update(compliance=Compliance.COMPLIANT)
        assert not tenders_with_bids_to_open(council=knowsley.council).exists()


def _more_work(world: CouncilWorld, n: int) -> None:
    """n more of everything the commissioner and officer queues list."""
    with council_scope(world.council):
        tender = published(world)
        source = draft(world)
        comment_round = CommentRound.objects.filter(tender=source).first()
        section = SpecificationSection.objects.filter(tender=source).first()
        for i in range(n):
            ClarificationQuestion.objects.create(
                council=world.council,
                tender=tender,
                organisation=world.organisation,
                asked_by=world.provider,
                question=f"Question {i}?",
            )
            SectionComment.objects.create(
                council=world.council,
                round=comment_round,
                section=section,
                section_title=f"Section {i}",
                author=world.people[Role.CITIZEN],
                body=f"Comment {i}",
            )
            copy = Tender.objects.create(
                council=world.council,
                commission=source.commission,
                title=f"Waiting tender {i}",
                estimated_value=source.estimated_value,
                created_by=world.people[Role.COMMISSIONER],
                submission_deadline=timezone.now() - timedelta(days=1),
                published_at=timezone.now() - timedelta(days=9) if i % 2 else None,
            )
            if i % 2:
                Bid.objects.create(
                    council=world.council,
                    tender=copy,
                    organisation=world.organisation,
                    status=BidStatus.SUBMITTED,
                    created_by=world.provider,
                )
            else:
                ApprovalRequest.objects.create(
                    council=world.council, tender=copy, requested_by=world.people[Role.COMMISSIONER], asked=[]
                )


@pytest.mark.world("published")
@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.OFFICER])
def test_the_dashboard_makes_the_same_number_of_queries_whatever_the_data_size(
    knowsley: CouncilWorld, role: str
) -> None:
    person = knowsley.people[role]
    client = signed_in(person)
    url = reverse("council_dashboard", kwargs={"council_slug": "knowsley"})
    client.get(url)  # warm up (sessions, content types)

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert page.status_code == 200
        return len(captured), page.content.decode()

    _more_work(knowsley, 2)
    few, _ = queries()
    _more_work(knowsley, 3 * WORK_QUEUE_PREVIEW)
    many, text = queries()
    assert few == many
    # Bounded: the dashboard shows a few of each queue and links to the whole list.
    if role == Role.COMMISSIONER:
        assert text.count("Question asked on") == WORK_QUEUE_PREVIEW
        full = reverse("council_work_queue", kwargs={"council_slug": "knowsley", "queue": "clarification-questions"})
        assert f'href="{full}"' in text
        listed = client.get(full).content.decode()
        with council_scope(knowsley.council):
            waiting = ClarificationQuestion.objects.filter(published_at__isnull=True).count()
        assert listed.count("Question asked on") == waiting and f"{waiting} waiting" in listed
    else:
        assert text.count("Sent for approval by") == WORK_QUEUE_PREVIEW


@pytest.mark.world("people")
def test_an_officer_without_mfa_still_gets_no_queue_before_setting_it_up(knowsley: CouncilWorld) -> None:
    """The queues are council pages like any other: MFA first (a person with no authenticator is sent to set one up)."""
    with council_scope(knowsley.council):
        person = UserFactory(email="new.officer@knowsley.example.org")
        MembershipFactory(council=knowsley.council, user=person, role=Role.OFFICER)
    full = reverse("council_work_queue", kwargs={"council_slug": "knowsley", "queue": "tenders-awaiting-approval"})
    response = signed_in(person).get(full)
    assert response.status_code == 302 and reverse("mfa_activate_totp") in response["Location"]
    give_totp(person)
    assert signed_in(person).get(full).status_code == 200
