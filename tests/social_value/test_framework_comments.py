"""The social value framework opened for comment: who may open, comment and reply (the rules); voluntary
groups only; section keys of the council's own framework; closed rounds refuse; every step audited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commissioning.models import AuditEvent, LegalForm, OrganisationMember, Role
from commissioning.tenancy import council_scope
from social_value import framework_comment_selectors as selectors
from social_value.audit_labels import SocialValueAction
from social_value.framework_comments import (
    MAX_COMMENTS_PER_PERSON,
    framework_comment_add,
    framework_comment_resolve,
    framework_comment_round_close,
    framework_comment_round_open,
)
from social_value.models import FrameworkComment, FrameworkCommentRound, Measure, Theme
from social_value.rules import may_comment_on_framework, may_reply_on_framework
from tests.factories import CouncilWorld, OrganisationFactory, UserFactory

pytestmark = pytest.mark.world("framework_comments")


@pytest.fixture
def eager_celery() -> Iterator[None]:
    """Run tasks in the test, setting Celery's own config only."""
    from commissioning.celery import app

    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False


def _close_existing(world: CouncilWorld) -> None:
    """The test world's round is open; close it so a test can open its own."""
    FrameworkCommentRound.objects.filter(council=world.council, closed_at__isnull=True).update(closed_at=timezone.now())


def _open(world: CouncilWorld, **kwargs) -> FrameworkCommentRound:  # type: ignore[no-untyped-def]
    _close_existing(world)
    arguments = {
        "council": world.council,
        "actor": world.people[Role.ADMIN],
        "open_to_citizens": False,
        "organisations": [world.organisation],
        "message": "Do these measures count what matters locally?",
    }
    return framework_comment_round_open(**{**arguments, **kwargs})


def _measure_key(world: CouncilWorld) -> str:
    return f"measure:{Measure.objects.get(council=world.council, code='SV-1').pk}"


def test_an_admin_opens_the_framework_to_a_voluntary_group_and_it_is_audited(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        comment_round = _open(knowsley)
        assert comment_round.is_open() and not comment_round.open_to_citizens
        assert [i.organisation for i in comment_round.invitations.all()] == [knowsley.organisation]
        event = AuditEvent.objects.get(
            action=SocialValueAction.FRAMEWORK_COMMENTS_OPENED, object_id=str(comment_round.pk)
        )
        assert event.actor == knowsley.people[Role.ADMIN]
        assert event.after["organisations"] == [knowsley.organisation.name]
        assert event.after["framework"] == "knowsley-private-framework"


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.OFFICER, Role.EVALUATOR, Role.CITIZEN])
def test_only_an_admin_opens_a_round(knowsley: CouncilWorld, role: str) -> None:
    with council_scope(knowsley.council), pytest.raises(PermissionDenied):
        _open(knowsley, actor=knowsley.people[role])


def test_only_voluntary_groups_are_invited_and_someone_must_be(knowsley: CouncilWorld) -> None:
    company = OrganisationFactory(name="Big Outsourcing plc", legal_form=LegalForm.LARGE_COMPANY)
    with council_scope(knowsley.council):
        with pytest.raises(ValidationError) as refused:
            _open(knowsley, organisations=[knowsley.organisation, company])
        assert "Big Outsourcing plc is not" in str(refused.value.message_dict["organisations"])
        with pytest.raises(ValidationError) as nobody:
            _open(knowsley, organisations=[])
        assert "Choose who may comment" in str(nobody.value.message_dict["organisations"])
        with pytest.raises(ValidationError) as past:
            _open(knowsley, closes_at=timezone.now() - timedelta(days=1))
        assert "closes_at" in past.value.message_dict
        assert not FrameworkCommentRound.objects.filter(council=knowsley.council, closed_at__isnull=True).exists()


def test_one_round_is_open_at_a_time_and_a_lapsed_one_makes_way(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        first = _open(knowsley, closes_at=timezone.now() + timedelta(days=1))
        with pytest.raises(ValidationError, match="already open"):
            framework_comment_round_open(
                council=knowsley.council,
                actor=knowsley.people[Role.ADMIN],
                open_to_citizens=True,
                organisations=[],
            )
        # The closing date passes: the round is closed (derived), and a new one may open.
        later = timezone.now() + timedelta(days=2)
        assert not first.is_open(later)
        framework_comment_round_open(
            council=knowsley.council,
            actor=knowsley.people[Role.ADMIN],
            open_to_citizens=True,
            organisations=[],
            now=later,
        )
        first.refresh_from_db()
        assert first.closed_reason == "The closing date passed"


def test_a_member_of_an_invited_group_comments_on_a_measure_and_the_admin_replies(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        comment_round = _open(knowsley)
        comment = framework_comment_add(
            round=comment_round,
            section_key=_measure_key(knowsley),
            author=knowsley.provider,
            organisation=knowsley.organisation,
            body="  Count regular volunteers, not only hours.  ",
        )
        assert comment.body == "Count regular volunteers, not only hours."
        assert comment.section_title == "SV-1 knowsley-private-measure" and not comment.resolved
        added = AuditEvent.objects.get(action=SocialValueAction.FRAMEWORK_COMMENT_ADDED, object_id=str(comment.pk))
        assert added.after["organisation"] == knowsley.organisation.name
        assert added.after["section"] == "SV-1 knowsley-private-measure"

        framework_comment_resolve(comment=comment, actor=knowsley.people[Role.ADMIN], reply="Added to the measure.")
        comment.refresh_from_db()
        assert comment.resolved and comment.reply == "Added to the measure."
        assert comment.resolved_by == knowsley.people[Role.ADMIN]
        resolved = AuditEvent.objects.get(
            action=SocialValueAction.FRAMEWORK_COMMENT_RESOLVED, object_id=str(comment.pk)
        )
        assert resolved.after["reply"] == "Added to the measure."


def test_a_citizen_comments_as_themselves_only_when_the_round_is_open_to_citizens(knowsley: CouncilWorld) -> None:
    citizen = knowsley.people[Role.CITIZEN]
    with council_scope(knowsley.council):
        theme = Theme.objects.get(council=knowsley.council)
        comment_round = _open(knowsley)  # to the group only
        assert not may_comment_on_framework.test(citizen, comment_round)
        with pytest.raises(PermissionDenied, match="residents"):
            framework_comment_add(
                round=comment_round, section_key=f"theme:{theme.pk}", author=citizen, organisation=None, body="Hi"
            )
        open_to_all = _open(knowsley, open_to_citizens=True)
        assert may_comment_on_framework.test(citizen, open_to_all)
        comment = framework_comment_add(
            round=open_to_all, section_key=f"theme:{theme.pk}", author=citizen, organisation=None, body="Good theme"
        )
        assert comment.organisation is None and comment.section_title == "knowsley-private-theme"


def test_outsiders_and_strangers_may_not_comment_and_only_admins_reply(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    stranger = UserFactory(email="stranger@example.org")
    uninvited = OrganisationFactory(name="Uninvited charity")
    OrganisationMember.objects.create(organisation=uninvited, user=stranger)
    with council_scope(knowsley.council):
        comment_round = _open(knowsley)
        key = _measure_key(knowsley)
        for person, organisation in ((stranger, uninvited), (stranger, None), (southwark.provider, None)):
            assert not may_comment_on_framework.test(person, comment_round)
            with pytest.raises(PermissionDenied):
                framework_comment_add(
                    round=comment_round, section_key=key, author=person, organisation=organisation, body="x"
                )
        comment = framework_comment_add(
            round=comment_round, section_key=key, author=knowsley.provider, organisation=knowsley.organisation, body="y"
        )
        assert may_reply_on_framework.test(knowsley.people[Role.ADMIN], comment_round)
        for person in (knowsley.people[Role.COMMISSIONER], knowsley.provider, southwark.people[Role.ADMIN]):
            assert not may_reply_on_framework.test(person, comment_round)
            with pytest.raises(PermissionDenied):
                framework_comment_resolve(comment=comment, actor=person, reply="No")
            with pytest.raises(PermissionDenied):
                framework_comment_round_close(round=comment_round, actor=person)


def test_a_comment_is_on_a_part_of_this_councils_framework_in_use(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    with council_scope(southwark.council):
        theirs = Measure.objects.get(council=southwark.council, code="SV-1")
    with council_scope(knowsley.council):
        comment_round = _open(knowsley)
        retired = Measure.objects.get(council=knowsley.council, code="SV-OLD")
        for key in (f"measure:{theirs.pk}", f"measure:{retired.pk}", "measure:999999", "section:1", "theme:", ""):
            with pytest.raises(ValidationError) as refused:
                framework_comment_add(
                    round=comment_round,
                    section_key=key,
                    author=knowsley.provider,
                    organisation=knowsley.organisation,
                    body="A comment",
                )
            assert refused.value.message_dict == {"section": ["Choose a theme, outcome or measure of the framework"]}
        assert not FrameworkComment.objects.filter(round=comment_round).exists()


def test_a_closed_round_refuses_comments_but_takes_replies(knowsley: CouncilWorld) -> None:
    admin = knowsley.people[Role.ADMIN]
    with council_scope(knowsley.council):
        comment_round = _open(knowsley)
        comment = framework_comment_add(
            round=comment_round,
            section_key=_measure_key(knowsley),
            author=knowsley.provider,
            organisation=knowsley.organisation,
            body="Before it closed",
        )
        framework_comment_round_close(round=comment_round, actor=admin, reason="  Enough   comments ")
        comment_round.refresh_from_db()
        assert comment_round.closed_reason == "Enough comments" and not comment_round.is_open()
        closed = AuditEvent.objects.get(
            action=SocialValueAction.FRAMEWORK_COMMENTS_CLOSED, object_id=str(comment_round.pk)
        )
        assert closed.after["reason"] == "Enough comments"
        with pytest.raises(ValidationError, match="closed"):
            framework_comment_add(
                round=comment_round,
                section_key=_measure_key(knowsley),
                author=knowsley.provider,
                organisation=knowsley.organisation,
                body="Too late",
            )
        with pytest.raises(ValidationError, match="already closed"):
            framework_comment_round_close(round=comment_round, actor=admin)
        framework_comment_resolve(comment=comment, actor=admin, reply="Thank you")
        comment.refresh_from_db()
        assert comment.resolved


def test_empty_and_overlong_comments_and_replies_are_refused(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        comment_round = _open(knowsley)
        arguments = {
            "round": comment_round,
            "section_key": _measure_key(knowsley),
            "author": knowsley.provider,
            "organisation": knowsley.organisation,
        }
        with pytest.raises(ValidationError, match="Enter your comment"):
            framework_comment_add(**arguments, body="   ")
        with pytest.raises(ValidationError, match="5,000 characters"):
            framework_comment_add(**arguments, body="x" * 5001)
        comment = framework_comment_add(**arguments, body="Fine")
        with pytest.raises(ValidationError, match="Enter a reply"):
            framework_comment_resolve(comment=comment, actor=knowsley.people[Role.ADMIN], reply=" ")


def test_a_person_makes_a_bounded_number_of_comments_in_a_round(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        comment_round = _open(knowsley)
        key = _measure_key(knowsley)
        FrameworkComment.objects.bulk_create(
            FrameworkComment(
                council=knowsley.council,
                round=comment_round,
                section_key=key,
                section_title="SV-1",
                author=knowsley.provider,
                organisation=knowsley.organisation,
                body=f"Comment {n}",
            )
            for n in range(MAX_COMMENTS_PER_PERSON)
        )
        with pytest.raises(ValidationError, match="the most one person can"):
            framework_comment_add(
                round=comment_round,
                section_key=key,
                author=knowsley.provider,
                organisation=knowsley.organisation,
                body="One more",
            )
        mine = selectors.my_comments(comment_round=comment_round, author=knowsley.provider)
        assert sum(len(found) for found in mine.values()) == MAX_COMMENTS_PER_PERSON


def test_the_consultations_of_a_voluntary_group_member_and_a_stranger(knowsley: CouncilWorld) -> None:
    stranger = UserFactory(email="nobody@example.org")
    with council_scope(knowsley.council):
        (found,) = selectors.framework_consultations_for_user(council=knowsley.council, user=knowsley.provider)
        assert found.is_open and found.round.framework.name == "knowsley-private-framework"
        assert selectors.invited_to_comment(council=knowsley.council, user=knowsley.provider)
        assert selectors.framework_consultations_for_user(council=knowsley.council, user=stranger) == []
        assert not selectors.invited_to_comment(council=knowsley.council, user=stranger)


def test_everyone_invited_is_emailed_after_commit_and_the_commenter_gets_the_reply(
    knowsley: CouncilWorld, eager_celery: None, django_capture_on_commit_callbacks
) -> None:
    from django.core import mail

    bystander = UserFactory(email="bystander@example.org")
    OrganisationMember.objects.create(organisation=OrganisationFactory(name="Not invited group"), user=bystander)
    with council_scope(knowsley.council):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            comment_round = _open(knowsley, open_to_citizens=True)
        assert mail.outbox == []  # nothing is sent before the transaction commits
        for callback in callbacks:
            callback()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([knowsley.people[Role.CITIZEN].email, knowsley.provider.email])
    assert all(len(message.to) == 1 for message in mail.outbox)  # nobody sees who else was invited
    assert f"/c/knowsley/consultations/framework/{comment_round.pk}/" in mail.outbox[0].body
    assert "Do these measures count what matters locally?" in mail.outbox[0].body
    mail.outbox.clear()
    with council_scope(knowsley.council):
        comment = framework_comment_add(
            round=comment_round,
            section_key=_measure_key(knowsley),
            author=knowsley.provider,
            organisation=knowsley.organisation,
            body="Photos as evidence, please",
        )
        with django_capture_on_commit_callbacks(execute=True):
            framework_comment_resolve(comment=comment, actor=knowsley.people[Role.ADMIN], reply="Agreed, added.")
        with django_capture_on_commit_callbacks(execute=True):
            # The same reply again changes nothing and tells nobody again.
            framework_comment_resolve(comment=comment, actor=knowsley.people[Role.ADMIN], reply="Agreed, added.")
    (message,) = mail.outbox
    assert message.to == [knowsley.provider.email]
    assert "Agreed, added." in message.body and "Photos as evidence, please" in message.body
    assert "SV-1 knowsley-private-measure" in message.body
