"""The co-design pieces the core shares with every app: the abstract round's openness, who may
comment, the validation steps, the forms, and the registry of consultations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning import extensions
from commissioning.codesign import Capacities, is_round_commenter, may_comment, round_closed_reason
from commissioning.extensions import ConsultationEntry, ConsultationSource
from commissioning.forms_codesign import CommentForm, ReplyForm
from commissioning.models import Organisation
from commissioning.models.codesign import AbstractComment, AbstractCommentInvitation, AbstractCommentRound
from commissioning.services.codesign import codesign_reason_clean, codesign_round_validate
from social_value.models import FrameworkComment, FrameworkCommentInvitation, FrameworkCommentRound
from tenders.models import CommentInvitation, CommentRound, SectionComment
from tests.factories import CouncilWorld

SHARED_ROUND_FIELDS = {
    "open_to_citizens",
    "message",
    "closes_at",
    "opened_by",
    "opened_at",
    "closed_at",
    "closed_reason",
}
SHARED_COMMENT_FIELDS = {"author", "organisation", "body", "created_at", "reply", "resolved_by", "resolved_at"}


@pytest.mark.parametrize(
    ("model", "base", "shared"),
    [
        (CommentRound, AbstractCommentRound, SHARED_ROUND_FIELDS),
        (FrameworkCommentRound, AbstractCommentRound, SHARED_ROUND_FIELDS),
        (CommentInvitation, AbstractCommentInvitation, {"organisation", "invited_at"}),
        (FrameworkCommentInvitation, AbstractCommentInvitation, {"organisation", "invited_at"}),
        (SectionComment, AbstractComment, SHARED_COMMENT_FIELDS),
        (FrameworkComment, AbstractComment, SHARED_COMMENT_FIELDS),
    ],
)
def test_each_apps_co_design_is_made_of_the_cores_shapes(model: Any, base: Any, shared: set[str]) -> None:
    assert issubclass(model, base)
    assert shared <= {f.name for f in model._meta.get_fields()}
    assert base._meta.abstract


def test_a_round_is_open_until_it_is_closed_or_its_closing_date_passes() -> None:
    now = timezone.now()
    round_ = FrameworkCommentRound(closes_at=now + timedelta(days=1))
    assert round_.is_open(now) and round_closed_reason(round_, now=now) == ""
    assert not round_.is_open(now + timedelta(days=2))
    assert round_closed_reason(round_, now=now + timedelta(days=2)) == "The closing date passed"
    round_.closed_at, round_.closed_reason = now, "Enough comments"
    assert not round_.is_open(now) and round_closed_reason(round_, now=now) == "Enough comments"


def test_who_may_comment_as_a_citizen_or_for_an_organisation() -> None:
    invited, other = Organisation(pk=1, name="Invited"), Organisation(pk=2, name="Other")
    citizen, member = Capacities(citizen=True), Capacities(organisations=(invited,))
    assert may_comment(capacities=citizen, organisation=None) == (True, "")
    assert may_comment(capacities=citizen, organisation=invited)[0] is False
    assert may_comment(capacities=member, organisation=invited) == (True, "")
    allowed, reason = may_comment(capacities=member, organisation=None)
    assert not allowed and "residents" in reason
    allowed, reason = may_comment(capacities=member, organisation=other)
    assert not allowed and "invited" in reason
    assert not Capacities() and citizen and member


def test_nobody_signed_out_is_a_commenter() -> None:
    assert not is_round_commenter.test(AnonymousUser(), FrameworkCommentRound())
    assert not is_round_commenter.test(AnonymousUser(), None)


def test_a_new_round_is_checked_once_with_every_problem() -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        codesign_round_validate(
            open_to_citizens=False,
            organisations=[],
            message="x" * 2001,
            closes_at=now - timedelta(minutes=1),
            now=now,
            errors={"organisations": ["The app's own problem"]},
        )
    problems = refused.value.message_dict
    assert problems["organisations"] == [
        "The app's own problem",
        "Choose who may comment: the council's residents, organisations, or both",
    ]
    assert set(problems) == {"organisations", "message", "closes_at"}
    org = Organisation(pk=3, name="Twice")
    assert codesign_round_validate(
        open_to_citizens=False, organisations=[org, org], message="  Hello ", closes_at=None, now=now
    ) == ([org], "Hello")


def test_a_closing_reason_is_one_line_with_a_default() -> None:
    assert codesign_reason_clean("  Enough \n comments ", default="Closed") == "Enough comments"
    assert codesign_reason_clean("", default="Closed by the council") == "Closed by the council"
    with pytest.raises(ValidationError):
        codesign_reason_clean("x" * 201, default="Closed")


def test_the_comment_form_asks_how_to_comment_only_when_there_is_a_choice() -> None:
    invited = Organisation(pk=7, name="Kirkby Growers")
    one_way = CommentForm({"m-body": "Hi"}, prefix="m", title="SV-1 Hours", capacities=Capacities(citizen=True))
    assert not one_way.asks_comment_as and one_way.is_valid() and one_way.organisation() is None
    assert one_way.fields["body"].label == "Your comment on “SV-1 Hours”"
    two_ways = CommentForm(
        {"m-body": "Hi"}, prefix="m", title="SV-1", capacities=Capacities(citizen=True, organisations=(invited,))
    )
    assert two_ways.asks_comment_as and not two_ways.is_valid()
    assert "comment_as" in two_ways.errors
    chosen = CommentForm(
        {"m-body": "Hi", "m-comment_as": "7"},
        prefix="m",
        title="SV-1",
        capacities=Capacities(citizen=True, organisations=(invited,)),
    )
    assert chosen.is_valid() and chosen.organisation() == invited


def test_a_reply_form_is_prefixed_by_its_comment() -> None:
    form = ReplyForm(comment=FrameworkComment(pk=12, reply="Earlier"))
    assert form.prefix == "comment-12" and form.initial == {"reply": "Earlier"}


@pytest.mark.world("people")
def test_the_consultations_registry_merges_every_source_newest_first(knowsley: CouncilWorld, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    monkeypatch.setattr(extensions, "_consultation_sources", {})
    older = ConsultationEntry(title="Older", url="/a/", is_open=True, opened_at=now - timedelta(days=2))
    newer = ConsultationEntry(title="Newer", url="/b/", is_open=False, opened_at=now - timedelta(days=1))
    extensions.register_consultation_source(
        ConsultationSource(key="a", listing=lambda c, u, n: [older], invited=lambda c, u: False)
    )
    extensions.register_consultation_source(
        ConsultationSource(key="b", listing=lambda c, u, n: [newer], invited=lambda c, u: u == knowsley.provider)
    )
    found = extensions.consultations_for(council=knowsley.council, user=knowsley.provider, now=now)
    assert [e.title for e in found] == ["Newer", "Older"]
    assert extensions.consultations_invited(council=knowsley.council, user=knowsley.provider)
    assert not extensions.consultations_invited(council=knowsley.council, user=knowsley.people["citizen"])
    assert extensions.consultations_for(council=knowsley.council, user=AnonymousUser(), now=now) == []
