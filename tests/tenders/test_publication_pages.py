"""Publication pages: permissions by role, errors next to their fields, the tender page's panel, the
public notice (drafts are 404, constant queries), its documents, and the council portal."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import Role, User
from commissioning.tenancy import council_scope
from tenders import services
from tenders.models import ClarificationQuestion, Lot, Tender, TenderRevision
from tests.factories import EVERYTHING, CouncilWorld, OrganisationFactory, UserFactory

pytestmark = pytest.mark.world("draft_tender")


def draft(world: CouncilWorld) -> Tender:
    with council_scope(world.council):
        return Tender.objects.get(council=world.council, title=f"{world.council.slug}-private-tender")


def published(world: CouncilWorld) -> Tender:
    with council_scope(world.council):
        return Tender.objects.get(council=world.council, title=f"{world.council.slug.title()} community navigators")


def url(world: CouncilWorld, tender: Tender, suffix: str) -> str:
    return f"/c/{world.council.slug}/tenders/{tender.pk}/{suffix}"


@pytest.mark.world("published")
@pytest.mark.parametrize(
    ("role", "approve", "publish", "answer", "view"),
    [
        (Role.OFFICER, 200, 200, 403, 200),
        (Role.COMMISSIONER, 403, 403, 200, 200),
        (Role.EVALUATOR, 403, 403, 403, 200),
        (Role.ADMIN, 403, 403, 403, 200),
        (Role.CITIZEN, 403, 403, 403, 403),
    ],
)
def test_pages_by_role(
    client, knowsley: CouncilWorld, role: str, approve: int, publish: int, answer: int, view: int
) -> None:
    tender, live = draft(knowsley), published(knowsley)
    with council_scope(knowsley.council):
        question = ClarificationQuestion.objects.filter(tender=live).first()
    client.force_login(knowsley.people[role])
    assert client.get(url(knowsley, tender, "approval/")).status_code == approve
    assert client.get(url(knowsley, tender, "publish/")).status_code == publish
    assert client.get(url(knowsley, live, "changes/new/")).status_code == publish
    assert client.get(url(knowsley, live, f"clarifications/{question.pk}/")).status_code == answer
    for suffix in ("team/", "declaration/", "documents/", "eligibility/", "clarifications/"):
        assert client.get(url(knowsley, tender, suffix)).status_code == view, suffix
    if view == 200:
        detail = client.get(url(knowsley, tender, "")).content.decode()
        assert "Ready to publish?" in detail and "Set the clarification deadline" in detail
        assert ("Approve or return" in detail) == (approve == 200)
        assert "1 question" not in detail


def test_only_commissioners_change_the_team_and_the_documents(client, knowsley: CouncilWorld) -> None:
    tender = draft(knowsley)
    officer = knowsley.people[Role.OFFICER]
    client.force_login(officer)
    assert client.post(url(knowsley, tender, "team/"), {"member": f"{officer.pk}:officer"}).status_code == 403
    assert client.post(url(knowsley, tender, "documents/"), {"title": "x"}).status_code == 403
    client.force_login(knowsley.people[Role.COMMISSIONER])
    response = client.post(url(knowsley, tender, "team/"), {"member": f"{officer.pk}:officer"})
    assert response.status_code == 302
    assert "must declare their interests" in client.get(response["Location"]).content.decode()


def test_the_declaration_form_shows_errors_next_to_the_field_and_keeps_the_choice(
    client, knowsley: CouncilWorld
) -> None:
    tender = draft(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    page = client.post(url(knowsley, tender, "declaration/"), {"has_conflict": "yes", "details": ""})
    text = page.content.decode()
    assert page.status_code == 200 and "<title>Error: Declare your interests" in text
    assert 'href="#id_details"' in text  # the summary links to the field
    assert "govuk-form-group--error" in text and "Describe the conflict of interest" in text
    yes = next(tag for tag in re.findall(r"<input[^>]*>", text) if 'value="yes"' in tag)
    assert "checked" in yes  # the choice made is kept


def test_returning_a_tender_without_a_reason_shows_the_error_by_the_comment(client, knowsley: CouncilWorld) -> None:
    tender = draft(knowsley)
    officer = knowsley.people[Role.OFFICER]
    client.force_login(officer)
    page = client.get(url(knowsley, tender, "approval/")).content.decode()
    assert "Declare your interests before you decide" in page
    with council_scope(knowsley.council):
        services.conflict_declare(tender=tender, actor=officer, has_conflict=False)
    page = client.post(url(knowsley, tender, "approval/"), {"decision": "returned", "comment": ""}).content.decode()
    assert "Say what needs to change before you can approve it" in page and 'href="#id_comment"' in page
    # Approving an unready tender lists what is missing in the error summary.
    page = client.post(url(knowsley, tender, "approval/"), {"decision": "approved"}).content.decode()
    assert "Set the clarification deadline" in page and "There is a problem" in page


def _timetabled_and_declared(world: CouncilWorld) -> tuple[Tender, User, datetime]:
    """The draft with deadlines in 5 and 9 days, its officer declared free of conflicts; the officer and now."""
    tender = draft(world)
    officer = world.people[Role.OFFICER]
    now = timezone.now()
    with council_scope(world.council):
        Tender.objects.filter(pk=tender.pk).update(
            clarification_deadline=now + timedelta(days=5), submission_deadline=now + timedelta(days=9)
        )
        services.conflict_declare(tender=tender, actor=officer, has_conflict=False)
    return tender, officer, now


@pytest.mark.world("draft_for_approval")
def test_an_officer_approves_and_publishes_through_the_pages(client, knowsley: CouncilWorld) -> None:
    tender, officer, _ = _timetabled_and_declared(knowsley)
    client.force_login(officer)
    assert client.post(url(knowsley, tender, "approval/"), {"decision": "approved"}).status_code == 302
    detail = client.get(url(knowsley, tender, "")).content.decode()
    assert "Publish the tender" in detail
    response = client.post(url(knowsley, tender, "publish/"))
    assert response.status_code == 302
    assert client.get(f"/c/knowsley/opportunities/{tender.pk}/").status_code == 200
    detail = client.get(url(knowsley, tender, "")).content.decode()
    assert "Publish a change" in detail and "Version 1" in detail


@pytest.mark.world("draft_for_approval")
def test_publishing_a_stale_approval_says_why(client, knowsley: CouncilWorld) -> None:
    tender, officer, now = _timetabled_and_declared(knowsley)
    with council_scope(knowsley.council):
        services.tender_approval_decide(tender=Tender.objects.get(pk=tender.pk), actor=officer, decision="approved")
        Tender.objects.filter(pk=tender.pk).update(submission_deadline=now + timedelta(days=10))
    client.force_login(officer)
    assert "Approval out of date" in client.get(url(knowsley, tender, "")).content.decode()
    page = client.post(url(knowsley, tender, "publish/"))
    assert page.status_code == 400 and "changed after it was approved" in page.content.decode()


@pytest.mark.world("published")
def test_a_change_form_keeps_what_was_typed_on_an_error(client, knowsley: CouncilWorld) -> None:
    live = published(knowsley)
    client.force_login(knowsley.people[Role.OFFICER])
    earlier = timezone.localtime(live.submission_deadline - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(
        url(knowsley, live, "changes/new/"),
        {"reason": "Typed reason stays", "submission_deadline": earlier, "description": live.description},
    ).content.decode()
    assert "can only be extended, not brought forward" in page and "Typed reason stays" in page
    later = timezone.localtime(live.submission_deadline + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url(knowsley, live, "changes/new/"),
        {
            "reason": "More time",
            "clarification_deadline": timezone.localtime(live.clarification_deadline).strftime("%Y-%m-%dT%H:%M"),
            "submission_deadline": later,
            "description": live.description,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    notice = client.get(f"/c/knowsley/opportunities/{live.pk}/").content.decode()
    assert "Version 2" in notice and "More time" in notice


# --- The public notice ------------------------------------------------------------------------------


def test_a_draft_has_no_notice(client, knowsley: CouncilWorld) -> None:
    assert client.get(f"/c/knowsley/opportunities/{draft(knowsley).pk}/").status_code == 404
    assert client.get(f"/api/v1/councils/knowsley/opportunities/{draft(knowsley).pk}/").status_code == 404


@pytest.mark.world(EVERYTHING)
def test_the_notice_shows_the_published_tender_to_anyone(client, knowsley: CouncilWorld) -> None:
    live = published(knowsley)
    page = client.get(f"/c/knowsley/opportunities/{live.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    for expected in (
        "Knowsley community navigators",
        "£150,000",
        "This opportunity is reserved for organisations based in Knowsley",
        "Whole borough",
        "How will you reach residents?",
        "60%",
        "Quality matters most to residents",
        "Navigators in every ward.",
        "Pricing schedule",
        "Is TUPE expected?",
        "Version 1",
        "Open for questions",
        "Sign in</a> to see whether your organisation can bid",
    ):
        assert expected in text, expected
    assert "knowsley-private" not in text
    with council_scope(knowsley.council):
        document_id = live.documents.get().pk
    document = client.get(f"/c/knowsley/opportunities/{live.pk}/documents/{document_id}/")
    assert document.status_code == 200 and b"".join(document.streaming_content) == b"Lot,Price\n"
    assert "attachment" in document["Content-Disposition"]


@pytest.mark.world("published")
def test_a_signed_in_provider_reads_whether_they_can_bid(client, knowsley: CouncilWorld) -> None:
    live = published(knowsley)
    far = UserFactory(email="far@example.org")
    faraway = OrganisationFactory(
        name="Nationwide Outsourcing plc",
        postcode="EC2V 7HH",
        legal_form="large_company",
        size_band="large",
        charity_number="",
        companies_house_number="01234567",
    )
    faraway.memberships.create(user=far)
    client.force_login(knowsley.provider)
    text = client.get(f"/c/knowsley/opportunities/{live.pk}/").content.decode()
    assert "You can bid as Knowsley Community Trust." in text and "Ask a question" in text
    client.force_login(far)
    text = client.get(f"/c/knowsley/opportunities/{live.pk}/").content.decode()
    assert "You cannot bid as Nationwide Outsourcing plc because:" in text
    assert "EC2V 7HH is not in Knowsley" in text


def _notice_queries(client, world: CouncilWorld, tender: Tender) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/c/{world.council.slug}/opportunities/{tender.pk}/").status_code == 200
    return len(queries)


@pytest.mark.world("published")
def test_the_notice_makes_as_many_queries_with_five_lots_and_answers_as_with_one(
    client, knowsley: CouncilWorld
) -> None:
    live = published(knowsley)
    client.force_login(knowsley.provider)
    one = _notice_queries(client, knowsley, live)
    with council_scope(knowsley.council):
        revision = TenderRevision.objects.get(tender=live, number=1)
        revision.lots = [{"title": f"Lot {n}", "description": "", "estimated_value": "1000"} for n in range(5)]
        revision.save()
        for n in range(4):
            Lot.objects.create(council=knowsley.council, tender=live, title=f"Lot {n}", position=n + 2)
            ClarificationQuestion.objects.create(
                council=knowsley.council,
                tender=live,
                organisation=knowsley.organisation,
                asked_by=knowsley.provider,
                question=f"Q {n}",
                published_question=f"Published Q {n}",
                answer=f"A {n}",
                published_at=timezone.now(),
            )
    five = _notice_queries(client, knowsley, live)
    assert "Published Q 3" in client.get(f"/c/knowsley/opportunities/{live.pk}/").content.decode()
    assert five == one


@pytest.mark.world(EVERYTHING)
def test_the_portal_lists_published_tenders_only(client, knowsley: CouncilWorld) -> None:
    text = client.get("/c/knowsley/").content.decode()
    assert "Knowsley community navigators" in text and f"/c/knowsley/opportunities/{published(knowsley).pk}/" in text
    assert "knowsley-private" not in text
