"""The API of the framework opened for comment: admins list rounds and comments and reply; invited
commenters read their own comments and post one; 4xx JSON for bad input; 404 for outsiders."""

from __future__ import annotations

import pytest

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value.models import FrameworkComment, FrameworkCommentRound, Measure
from tests.factories import CouncilWorld, UserFactory
from tests.helpers import api_with_token

pytestmark = pytest.mark.world("framework_comments")


def _base(world: CouncilWorld) -> str:
    return f"/api/v1/councils/{world.council.slug}/social-value/framework/comment-rounds/"


def _round(world: CouncilWorld) -> FrameworkCommentRound:
    with council_scope(world.council):
        return FrameworkCommentRound.objects.get(council=world.council)


def _measure_key(world: CouncilWorld) -> str:
    with council_scope(world.council):
        return f"measure:{Measure.objects.get(council=world.council, code='SV-1').pk}"


def test_an_admin_lists_the_rounds_and_their_comments(knowsley: CouncilWorld) -> None:
    comment_round = _round(knowsley)
    client = api_with_token(knowsley.people[Role.ADMIN])
    response = client.get(_base(knowsley))
    assert response.status_code == 200
    (listed,) = response.json()["results"]
    assert listed["is_open"] is True and listed["open_to_citizens"] is True
    assert listed["organisations"] == [knowsley.organisation.name]
    assert listed["comment_count"] == 1 and listed["unresolved_count"] == 0
    comments = client.get(f"{_base(knowsley)}{comment_round.pk}/comments/").json()["results"]
    assert comments[0]["section"] == _measure_key(knowsley)
    assert comments[0]["reply"].startswith("knowsley-private-sv-reply")
    assert comments[0]["organisation"] == knowsley.organisation.name
    on_theme = client.get(f"{_base(knowsley)}{comment_round.pk}/comments/", {"on": "theme:1"}).json()
    assert on_theme["results"] == []
    bad = client.get(f"{_base(knowsley)}{comment_round.pk}/comments/", {"on": "nonsense"})
    assert bad.status_code == 400 and "on" in bad.json()["error"]["fields"]


def test_a_voluntary_group_member_comments_and_reads_their_comments(knowsley: CouncilWorld) -> None:
    comment_round = _round(knowsley)
    client = api_with_token(knowsley.provider)  # not a council member
    url = f"{_base(knowsley)}{comment_round.pk}/my-comments/"
    mine = client.get(url)
    assert mine.status_code == 200 and mine.json()["results"][0]["reply"].startswith("knowsley-private-sv-reply")
    posted = client.post(
        url,
        {
            "section": _measure_key(knowsley),
            "body": "Count regular volunteers",
            "organisation_id": knowsley.organisation.pk,
        },
        format="json",
    )
    assert posted.status_code == 201, posted.content
    assert posted.json()["organisation"] == knowsley.organisation.name and posted.json()["resolved"] is False
    with council_scope(knowsley.council):
        assert FrameworkComment.objects.filter(round=comment_round, body="Count regular volunteers").exists()
    # As a resident they were not invited: 403 with the reason.
    refused = client.post(url, {"section": _measure_key(knowsley), "body": "As myself"}, format="json")
    assert refused.status_code == 403 and "residents" in refused.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        {"section": "measure:999999", "body": "x"},
        {"section": "nonsense", "body": "x"},
        {"section": "theme:1"},
        {"section": "theme:1", "body": "   "},
        {"section": "theme:1", "body": "x", "organisation_id": "one"},
        {"section": "theme:1", "body": "x", "organisation_id": 999999},
        [],
    ],
)
def test_bad_comments_get_400_with_a_json_body(knowsley: CouncilWorld, body: object) -> None:
    comment_round = _round(knowsley)
    # The citizen may comment (the round is open to citizens): only the input is wrong.
    response = api_with_token(knowsley.people[Role.CITIZEN]).post(
        f"{_base(knowsley)}{comment_round.pk}/my-comments/", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json") and response.json()["error"]["status"] == 400


def test_an_admin_replies_and_a_bad_reply_is_400(knowsley: CouncilWorld) -> None:
    comment_round = _round(knowsley)
    with council_scope(knowsley.council):
        comment = FrameworkComment.objects.get(round=comment_round)
    url = f"{_base(knowsley)}{comment_round.pk}/comments/{comment.pk}/reply/"
    admin = api_with_token(knowsley.people[Role.ADMIN])
    replied = admin.post(url, {"reply": "Changed: regular volunteers are counted too."}, format="json")
    assert replied.status_code == 200 and replied.json()["reply"] == "Changed: regular volunteers are counted too."
    for bad in ({}, {"reply": ""}, {"reply": 5}):
        assert admin.post(url, bad, format="json").status_code == 400
    assert (
        api_with_token(knowsley.people[Role.COMMISSIONER]).post(url, {"reply": "x"}, format="json").status_code == 403
    )
    assert api_with_token(knowsley.provider).post(url, {"reply": "x"}, format="json").status_code == 404


def test_outsiders_get_404_and_see_nothing(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    theirs = _round(southwark)
    stranger = UserFactory(email="api-stranger@example.org")
    for person in (knowsley.people[Role.ADMIN], knowsley.provider, stranger):
        client = api_with_token(person)
        for url in (
            f"{_base(southwark)}",
            f"{_base(southwark)}{theirs.pk}/comments/",
            f"{_base(southwark)}{theirs.pk}/my-comments/",
            f"{_base(knowsley)}{theirs.pk}/comments/",
            f"{_base(knowsley)}{theirs.pk}/my-comments/",
        ):
            response = client.get(url)
            if person == knowsley.people[Role.ADMIN] and url == _base(southwark):
                assert response.status_code == 404
            assert response.status_code in {403, 404}, url
            assert "southwark-private" not in response.content.decode()
    assert api_with_token(stranger).get(f"{_base(knowsley)}{_round(knowsley).pk}/my-comments/").status_code == 404
