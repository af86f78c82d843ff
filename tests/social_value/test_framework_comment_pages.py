"""Pages of the framework opened for comment: the admin's panel, opening a round, reading a page of
comments and replying, closing; the commenter's page; the consultations list; 404 for outsiders;
errors next to fields; constant queries."""

from __future__ import annotations

import pytest
from django.utils import timezone

from commissioning.models import LegalForm, OrganisationMember, Role
from commissioning.tenancy import council_scope
from social_value.models import FrameworkComment, FrameworkCommentRound, Measure
from tests.factories import CouncilWorld, OrganisationFactory, UserFactory
from tests.helpers import query_counts, signed_in

pytestmark = pytest.mark.world("framework_comments")


def _round(world: CouncilWorld) -> FrameworkCommentRound:
    with council_scope(world.council):
        return FrameworkCommentRound.objects.get(council=world.council)


def _measure(world: CouncilWorld) -> Measure:
    with council_scope(world.council):
        return Measure.objects.get(council=world.council, code="SV-1")


def _url(world: CouncilWorld, suffix: str = "") -> str:
    return f"/c/{world.council.slug}/social-value/framework/{suffix}"


def _consultation_url(world: CouncilWorld, comment_round: FrameworkCommentRound) -> str:
    return f"/c/{world.council.slug}/consultations/framework/{comment_round.pk}/"


def _comments(world: CouncilWorld, comment_round: FrameworkCommentRound, count: int) -> None:
    measure = _measure(world)
    with council_scope(world.council):
        FrameworkComment.objects.bulk_create(
            FrameworkComment(
                council=world.council,
                round=comment_round,
                section_key=f"measure:{measure.pk}",
                section_title="SV-1",
                author=world.provider,
                organisation=world.organisation,
                body=f"Bulk comment {n}",
            )
            for n in range(count)
        )


def test_the_admin_sees_the_open_round_and_its_comments_per_measure_others_do_not(knowsley: CouncilWorld) -> None:
    comment_round, measure = _round(knowsley), _measure(knowsley)
    admin = signed_in(knowsley.people[Role.ADMIN]).get(_url(knowsley)).content.decode()
    assert "Comments on the framework" in admin and "Open for comment</strong>" in admin
    assert f"comments/{comment_round.pk}/?on=measure:{measure.pk}" in admin and "1 comment" in admin
    assert ">Open for comment</a>" not in admin  # one round at a time
    commissioner = signed_in(knowsley.people[Role.COMMISSIONER]).get(_url(knowsley)).content.decode()
    assert "Comments on the framework" not in commissioner and "knowsley-private-sv-comment" not in commissioner
    for role in (Role.COMMISSIONER, Role.CITIZEN):
        client = signed_in(knowsley.people[role])
        assert client.get(_url(knowsley, f"comments/{comment_round.pk}/")).status_code == 403
        assert client.get(_url(knowsley, "comments/new/")).status_code == 403


def test_an_admin_opens_a_round_with_errors_next_to_the_fields(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        FrameworkCommentRound.objects.filter(council=knowsley.council).update(closed_at=timezone.now())
    company = OrganisationFactory(name="Not a voluntary group Ltd", legal_form=LegalForm.LARGE_COMPANY)
    client = signed_in(knowsley.people[Role.ADMIN])
    page = client.get(_url(knowsley)).content.decode()
    assert ">Open for comment</a>" in page
    form = client.get(_url(knowsley, "comments/new/")).content.decode()
    assert knowsley.organisation.name in form and company.name not in form  # voluntary groups only
    response = client.post(_url(knowsley, "comments/new/"), {"message": "Typed message"})
    text = response.content.decode()
    assert response.status_code == 200 and "Error: Open the framework for comment" in text
    assert "Choose who may comment" in text and "Typed message" in text
    response = client.post(
        _url(knowsley, "comments/new/"),
        {"organisations": [knowsley.organisation.pk], "message": "Shape the indicators with us"},
    )
    with council_scope(knowsley.council):
        opened = FrameworkCommentRound.objects.get(council=knowsley.council, closed_at__isnull=True)
    assert response.status_code == 302 and response["Location"] == _url(knowsley, f"comments/{opened.pk}/")
    assert opened.message == "Shape the indicators with us"


def test_the_admin_reads_a_page_of_comments_replies_and_closes(knowsley: CouncilWorld) -> None:
    comment_round = _round(knowsley)
    _comments(knowsley, comment_round, 30)
    client = signed_in(knowsley.people[Role.ADMIN])
    url = _url(knowsley, f"comments/{comment_round.pk}/")
    first = client.get(url).content.decode()
    assert "knowsley-private-sv-comment" in first and "knowsley-private-sv-reply" in first
    assert first.count('class="govuk-summary-card"') == 25 and "Bulk comment 24" not in first
    second = client.get(f"{url}?page=2").content.decode()
    assert "Bulk comment 29" in second and second.count('class="govuk-summary-card"') == 6
    assert query_counts(client, [url, f"{url}?page=2"])[url] == query_counts(client, [f"{url}?page=2"])[f"{url}?page=2"]

    with council_scope(knowsley.council):
        waiting = FrameworkComment.objects.get(round=comment_round, body="Bulk comment 0")
    reply_url = _url(knowsley, f"comments/{comment_round.pk}/comments/{waiting.pk}/reply/")
    blank = client.post(reply_url, {f"comment-{waiting.pk}-reply": "  "})
    assert blank.status_code == 200 and "Enter a reply to the comment" in blank.content.decode()
    done = client.post(reply_url, {f"comment-{waiting.pk}-reply": "Thanks, noted."})
    assert done.status_code == 302
    with council_scope(knowsley.council):
        waiting.refresh_from_db()
    assert waiting.reply == "Thanks, noted." and waiting.resolved

    closed = client.post(_url(knowsley, f"comments/{comment_round.pk}/close/"), {"reason": "Enough"})
    assert closed.status_code == 302
    with council_scope(knowsley.council):
        comment_round.refresh_from_db()
    assert comment_round.closed_reason == "Enough"
    assert "Close the round" not in client.get(url).content.decode()


def test_the_admin_reads_the_comments_on_one_measure(knowsley: CouncilWorld) -> None:
    comment_round, measure = _round(knowsley), _measure(knowsley)
    with council_scope(knowsley.council):
        theme_key = f"theme:{measure.outcome.theme_id}"
        FrameworkComment.objects.create(
            council=knowsley.council,
            round=comment_round,
            section_key=theme_key,
            section_title="knowsley-private-theme",
            author=knowsley.provider,
            body="About the theme",
        )
    client = signed_in(knowsley.people[Role.ADMIN])
    on_measure = client.get(_url(knowsley, f"comments/{comment_round.pk}/?on=measure:{measure.pk}")).content.decode()
    assert "knowsley-private-sv-comment" in on_measure and "About the theme" not in on_measure
    on_theme = client.get(_url(knowsley, f"comments/{comment_round.pk}/?on={theme_key}")).content.decode()
    assert "About the theme" in on_theme and "knowsley-private-sv-comment" not in on_theme
    # A key that is not one shows every comment.
    every = client.get(_url(knowsley, f"comments/{comment_round.pk}/?on=<script>")).content.decode()
    assert "About the theme" in every and "<script>" not in every


def test_a_voluntary_group_member_comments_on_a_measure_and_reads_the_reply(knowsley: CouncilWorld) -> None:
    comment_round, measure = _round(knowsley), _measure(knowsley)
    client = signed_in(knowsley.provider)  # not a council member
    listing = client.get(f"/c/{knowsley.council.slug}/consultations/").content.decode()
    assert _consultation_url(knowsley, comment_round) in listing and "knowsley-private-framework" in listing
    url = _consultation_url(knowsley, comment_round)
    page = client.get(url).content.decode()
    assert "knowsley-private-sv-round-message" in page
    assert "knowsley-private-sv-reply" in page  # their earlier comment, answered
    assert "knowsley-private-retired-measure" not in page
    prefix = f"measure-{measure.pk}"
    assert f'name="{prefix}-body"' in page
    error = client.post(url, {"section": f"measure:{measure.pk}", f"{prefix}-body": ""})
    assert error.status_code == 200 and "Enter your comment" in error.content.decode()
    sent = client.post(url, {"section": f"measure:{measure.pk}", f"{prefix}-body": "Accept photos as evidence"})
    assert sent.status_code == 302 and sent["Location"] == f"{url}#{prefix}"
    with council_scope(knowsley.council):
        comment = FrameworkComment.objects.get(round=comment_round, body="Accept photos as evidence")
    assert comment.organisation == knowsley.organisation and comment.section_key == f"measure:{measure.pk}"
    assert "Accept photos as evidence" in client.get(url).content.decode()
    # Another commenter's comments are not shown.
    assert "Bulk comment" not in client.get(url).content.decode()
    not_a_part = client.post(url, {"section": "measure:999999", "measure-999999-body": "x"})
    assert not_a_part.status_code == 302 and not_a_part["Location"] == url


def test_a_citizen_comments_as_a_resident(knowsley: CouncilWorld) -> None:
    comment_round, measure = _round(knowsley), _measure(knowsley)
    with council_scope(knowsley.council):
        outcome_key = f"outcome:{measure.outcome_id}"
    client = signed_in(knowsley.people[Role.CITIZEN])
    url = _consultation_url(knowsley, comment_round)
    prefix = outcome_key.replace(":", "-")
    assert client.post(url, {"section": outcome_key, f"{prefix}-body": "More local jobs, please"}).status_code == 302
    with council_scope(knowsley.council):
        comment = FrameworkComment.objects.get(round=comment_round, section_key=outcome_key)
    assert comment.organisation is None and comment.author == knowsley.people[Role.CITIZEN]
    dashboard = client.get(f"/c/{knowsley.council.slug}/dashboard/").content.decode()
    assert url in dashboard


def test_a_closed_round_shows_replies_without_forms(knowsley: CouncilWorld) -> None:
    comment_round = _round(knowsley)
    with council_scope(knowsley.council):
        FrameworkCommentRound.objects.filter(pk=comment_round.pk).update(
            closed_at=timezone.now(), closed_reason="Enough comments"
        )
    page = signed_in(knowsley.provider).get(_consultation_url(knowsley, comment_round)).content.decode()
    assert "Comments are closed: enough comments" in page and "knowsley-private-sv-reply" in page
    assert "Send comment" not in page


def test_strangers_outsiders_and_the_signed_out_get_nothing(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    theirs = _round(southwark)
    stranger = UserFactory(email="stranger@example.org")
    OrganisationMember.objects.create(organisation=OrganisationFactory(name="Uninvited group"), user=stranger)
    for person in (stranger, knowsley.people[Role.ADMIN], knowsley.provider):
        client = signed_in(person)
        # southwark's round under knowsley, and under southwark for a knowsley person
        assert client.get(_consultation_url(knowsley, theirs)).status_code == 404
        response = client.get(_consultation_url(southwark, theirs))
        assert response.status_code == 404 and "southwark-private" not in response.content.decode()
    admin = signed_in(knowsley.people[Role.ADMIN])
    for suffix in (f"comments/{theirs.pk}/", f"comments/{theirs.pk}/close/"):
        assert admin.get(_url(knowsley, suffix)).status_code in {404, 405}
        assert admin.post(_url(knowsley, suffix), {"reason": "x"}).status_code == 404
    assert signed_in(stranger).get(f"/c/{knowsley.council.slug}/consultations/").status_code == 404
    signed_out = signed_in(stranger)
    signed_out.logout()
    assert signed_out.get(_consultation_url(knowsley, _round(knowsley))).status_code == 302


def test_the_commenters_page_answers_in_constant_queries(knowsley: CouncilWorld) -> None:
    comment_round = _round(knowsley)
    client = signed_in(knowsley.provider)
    url = _consultation_url(knowsley, comment_round)
    before = query_counts(client, [url])[url]
    _comments(knowsley, comment_round, 20)
    assert query_counts(client, [url])[url] == before


def test_the_admins_framework_page_and_round_page_answer_in_constant_queries(knowsley: CouncilWorld) -> None:
    comment_round = _round(knowsley)
    client = signed_in(knowsley.people[Role.ADMIN])
    pages = [_url(knowsley), _url(knowsley, f"comments/{comment_round.pk}/")]
    before = query_counts(client, pages)
    _comments(knowsley, comment_round, 40)
    assert query_counts(client, pages) == before
