"""Co-design pages: the commissioner's round pages, the commenters' consultation pages, the tender
panel; permissions by role, 404 for outsiders, errors next to fields, nothing typed lost, and
constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders.models import CommentRound, SectionComment, SpecificationSection, Tender
from tests.factories import CouncilWorld
from tests.tenders.test_specification_pages import _section

pytestmark = pytest.mark.world("codesign")


def _round(world: CouncilWorld) -> CommentRound:
    with council_scope(world.council):
        return CommentRound.objects.select_related("tender").get(
            council=world.council, tender__title=f"{world.council.slug}-private-tender"
        )


def _provider_comment(
    world: CouncilWorld, comment_round: CommentRound, section: SpecificationSection, body: str
) -> SectionComment:
    """The world's provider comments ``body`` on ``section`` in ``comment_round``."""
    with council_scope(world.council):
        return SectionComment.objects.create(
            council=world.council,
            round=comment_round,
            section=section,
            section_title=section.title,
            author=world.provider,
            organisation=world.organisation,
            body=body,
        )


def _council_url(world: CouncilWorld, comment_round: CommentRound, suffix: str = "") -> str:
    return f"/c/{world.council.slug}/tenders/{comment_round.tender_id}/comments/{suffix}"


@pytest.mark.parametrize(
    ("role", "view", "change"),
    [
        (Role.COMMISSIONER, 200, 200),
        (Role.OFFICER, 200, 403),
        (Role.EVALUATOR, 200, 403),
        (Role.ADMIN, 200, 403),
        (Role.CITIZEN, 403, 403),
    ],
)
def test_council_round_pages_by_role(client, knowsley: CouncilWorld, role: str, view: int, change: int) -> None:
    comment_round = _round(knowsley)
    client.force_login(knowsley.people[role])
    assert client.get(_council_url(knowsley, comment_round)).status_code == view
    page = client.get(_council_url(knowsley, comment_round, f"{comment_round.pk}/"))
    assert page.status_code == view
    if view == 200:
        text = page.content.decode()
        assert "knowsley-private-comment" in text and "knowsley-private-reply" in text
        assert ("Close the round" in text) == (change == 200)
    assert client.get(_council_url(knowsley, comment_round, "new/")).status_code == change
    tender_page = client.get(f"/c/knowsley/tenders/{comment_round.tender_id}/")
    if view == 200:
        assert "Comments on the draft" in tender_page.content.decode()
        assert "1 comment, 0 without a reply" in tender_page.content.decode()


def test_outsiders_get_404(client, knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    theirs = _round(southwark)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    for suffix in ("", "new/", f"{theirs.pk}/", f"{theirs.pk}/close/"):
        assert client.get(_council_url(knowsley, theirs, suffix)).status_code in {404, 405}
        assert client.post(_council_url(knowsley, theirs, suffix), {"reason": "x"}).status_code == 404
    # Southwark's people cannot read Knowsley's consultation, nor can Knowsley staff who were not invited.
    mine = _round(knowsley)
    for person in (southwark.people[Role.CITIZEN], southwark.provider, knowsley.people[Role.OFFICER]):
        client.force_login(person)
        assert client.get(f"/c/knowsley/consultations/{mine.pk}/").status_code == 404
        assert client.post(f"/c/knowsley/consultations/{mine.pk}/", {"section": 1}).status_code == 404
        assert "knowsley-private" not in client.get("/c/knowsley/consultations/").content.decode()
    client.logout()
    response = client.get(f"/c/knowsley/consultations/{mine.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_opening_a_round_shows_errors_next_to_fields_and_keeps_what_was_typed(client, knowsley: CouncilWorld) -> None:
    comment_round = _round(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _council_url(knowsley, comment_round, "new/")
    form = client.get(url).content.decode()
    assert knowsley.organisation.name in form and 'type="checkbox"' in form
    response = client.post(url, {"message": "Think about evenings", "closes_on": "2020-01-01"})
    text = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in text and "There is a problem" in text
    assert "Choose who may comment" in text and "The closing date must be in the future" in text
    assert "Think about evenings" in text
    # The world's round is still open: opening another says so.
    response = client.post(url, {"open_to_citizens": "on", "message": "Again"})
    assert "already open for comment" in response.content.decode()

    client.post(_council_url(knowsley, comment_round, f"{comment_round.pk}/close/"), {"reason": "Done"})
    response = client.post(
        url, {"open_to_citizens": "on", "organisations": [knowsley.organisation.pk], "message": "Evenings?"}
    )
    assert response.status_code == 302
    with council_scope(knowsley.council):
        opened = CommentRound.objects.get(closed_at__isnull=True, tender=comment_round.tender)
        assert opened.message == "Evenings?" and opened.invitations.get().organisation == knowsley.organisation


def test_replying_resolves_and_an_empty_reply_is_refused_next_to_the_field(client, knowsley: CouncilWorld) -> None:
    comment_round, section = _round(knowsley), _section(knowsley)
    comment = _provider_comment(knowsley, comment_round, section, "Please add a travel budget")
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _council_url(knowsley, comment_round, f"{comment_round.pk}/comments/{comment.pk}/reply/")
    response = client.post(url, {f"comment-{comment.pk}-reply": ""})
    text = response.content.decode()
    assert "There is a problem" in text and "Enter a reply to the comment" in text
    assert f'href="#id_comment-{comment.pk}-reply"' in text
    response = client.post(url, {f"comment-{comment.pk}-reply": "We will add one"})
    assert response.status_code == 302
    with council_scope(knowsley.council):
        comment.refresh_from_db()
        assert comment.reply == "We will add one" and comment.resolved
    client.force_login(knowsley.people[Role.OFFICER])
    assert client.post(url, {f"comment-{comment.pk}-reply": "Officer"}).status_code == 403


def test_a_citizen_comments_and_sees_only_their_own_comments_and_replies(client, knowsley: CouncilWorld) -> None:
    comment_round, section = _round(knowsley), _section(knowsley)
    _provider_comment(knowsley, comment_round, section, "The provider's own words")
    client.force_login(knowsley.people[Role.CITIZEN])
    listing = client.get("/c/knowsley/consultations/").content.decode()
    assert "knowsley-private-tender" in listing
    url = f"/c/knowsley/consultations/{comment_round.pk}/"
    text = client.get(url).content.decode()
    assert "knowsley-private-section-text" in text  # the draft's sanitised HTML
    assert "knowsley-private-reply" in text  # the reply to the citizen's earlier comment
    assert "The provider's own words" not in text
    assert "Comment as" not in text  # one way to comment: nothing to ask

    response = client.post(url, {"section": section.pk, f"section-{section.pk}-body": ""})
    text = response.content.decode()
    assert "<title>Error: " in text and "Enter your comment" in text
    assert f'href="#id_section-{section.pk}-body"' in text
    long_text = "Evenings please. " * 400
    response = client.post(url, {"section": section.pk, f"section-{section.pk}-body": long_text})
    assert "5,000 characters or fewer" in response.content.decode()
    assert "Evenings please. Evenings please." in response.content.decode()  # nothing typed is lost

    response = client.post(url, {"section": section.pk, f"section-{section.pk}-body": "Open on Saturdays"})
    assert response.status_code == 302
    with council_scope(knowsley.council):
        assert SectionComment.objects.filter(author=knowsley.people[Role.CITIZEN], body="Open on Saturdays").exists()


def test_a_member_of_an_invited_organisation_comments_for_it(client, knowsley: CouncilWorld) -> None:
    comment_round, section = _round(knowsley), _section(knowsley)
    client.force_login(knowsley.provider)
    url = f"/c/knowsley/consultations/{comment_round.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "section": section.pk,
            f"section-{section.pk}-body": "We can staff evenings",
            f"section-{section.pk}-comment_as": str(knowsley.organisation.pk),
        },
    )
    assert response.status_code == 302
    with council_scope(knowsley.council):
        comment = SectionComment.objects.get(body="We can staff evenings")
        assert comment.organisation == knowsley.organisation


def test_a_closed_round_shows_replies_but_no_form(client, knowsley: CouncilWorld) -> None:
    comment_round, section = _round(knowsley), _section(knowsley)
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=comment_round.tender_id).update(published_at=timezone.now())
    client.force_login(knowsley.people[Role.CITIZEN])
    url = f"/c/knowsley/consultations/{comment_round.pk}/"
    text = client.get(url).content.decode()
    assert "Comments are closed: the tender was published" in text and "Send comment" not in text
    assert "knowsley-private-reply" in text
    response = client.post(url, {"section": section.pk, f"section-{section.pk}-body": "Late"})
    assert response.status_code == 200 and "This round of comments is closed" in response.content.decode()
    with council_scope(knowsley.council):
        assert not SectionComment.objects.filter(body="Late").exists()


def _add_comments(world: CouncilWorld, comment_round: CommentRound, section: SpecificationSection, n: int) -> None:
    with council_scope(world.council):
        SectionComment.objects.bulk_create(
            SectionComment(
                council=world.council,
                round=comment_round,
                section=section,
                section_title=section.title,
                author=world.people[Role.CITIZEN],
                body=f"Comment {i}",
            )
            for i in range(n)
        )


def test_the_round_page_and_the_tender_panel_use_constant_queries(client, knowsley: CouncilWorld) -> None:
    comment_round, section = _round(knowsley), _section(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    urls = (
        _council_url(knowsley, comment_round, f"{comment_round.pk}/"),
        f"/c/knowsley/tenders/{comment_round.tender_id}/",
        f"/c/knowsley/consultations/{comment_round.pk}/",
    )

    def counts() -> list[int]:
        found = []
        for n, url in enumerate(urls):
            if n == 2:
                client.force_login(knowsley.people[Role.CITIZEN])
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        client.force_login(knowsley.people[Role.COMMISSIONER])
        return found

    _add_comments(knowsley, comment_round, section, 1)
    client.get(urls[0])  # warm the caches that are not about comments
    few = counts()
    _add_comments(knowsley, comment_round, section, 5)
    assert counts() == few


def test_a_citizens_dashboard_and_menu_lead_to_the_open_consultations(client, knowsley: CouncilWorld) -> None:
    comment_round = _round(knowsley)
    client.force_login(knowsley.people[Role.CITIZEN])
    page = client.get("/c/knowsley/dashboard/").content.decode()
    assert f'href="/c/knowsley/consultations/{comment_round.pk}/"' in page
    assert 'href="/c/knowsley/consultations/"' in page
    # Once the round is closed it is no longer offered as open.
    with council_scope(knowsley.council):
        CommentRound.objects.filter(pk=comment_round.pk).update(closed_at=timezone.now())
    page = client.get("/c/knowsley/dashboard/").content.decode()
    assert f'href="/c/knowsley/consultations/{comment_round.pk}/"' not in page
    assert "Nothing is open for your comments at the moment." in page


def test_the_consultations_list_is_404_to_people_neither_members_nor_invited(
    client, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    _round(knowsley)
    for outsider in (southwark.people[Role.CITIZEN], southwark.provider):
        client.force_login(outsider)
        assert client.get("/c/knowsley/consultations/").status_code == 404
    # The council's own people, and the members of an invited organisation, still reach it.
    for insider in (knowsley.people[Role.CITIZEN], knowsley.provider):
        client.force_login(insider)
        assert client.get("/c/knowsley/consultations/").status_code == 200
