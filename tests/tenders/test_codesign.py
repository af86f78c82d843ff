"""Co-design services: who may open, comment and reply; closed and published rounds refuse; audit
events; e-mails after commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commissioning.models import AuditEvent, OrganisationMember, Role
from commissioning.tenancy import council_scope
from tenders import selectors, services
from tenders.models import CommentRound, SectionComment, SpecificationSection, Tender
from tenders.services.codesign import comment_rounds_close_for_publication
from tests.factories import CouncilWorld, OrganisationFactory, UserFactory

pytestmark = pytest.mark.world("draft_tender")


def _draft(world: CouncilWorld) -> Tender:
    return Tender.objects.get(council=world.council, title=f"{world.council.slug}-private-tender")


def _section(tender: Tender) -> SpecificationSection:
    return SpecificationSection.objects.get(tender=tender)


def _close_existing(tender: Tender) -> None:
    """The test world opens a round on the draft; close it so a test can open its own."""
    CommentRound.objects.filter(tender=tender, closed_at__isnull=True).update(closed_at=timezone.now())


def _citizen_comment(world: CouncilWorld, comment_round: CommentRound, body: str, **kwargs) -> SectionComment:  # type: ignore[no-untyped-def]
    """A comment by the world's citizen (no organisation) on the round's one section."""
    return services.comment_add(
        round=comment_round,
        section=_section(comment_round.tender),
        author=world.people[Role.CITIZEN],
        organisation=None,
        body=body,
        **kwargs,
    )


def _open(world: CouncilWorld, **kwargs) -> CommentRound:
    tender = _draft(world)
    _close_existing(tender)
    arguments = {
        "tender": tender,
        "actor": world.people[Role.COMMISSIONER],
        "open_to_citizens": True,
        "organisations": [],
        "message": "Are the opening hours right?",
        "closes_at": None,
    }
    return services.comment_round_open(**{**arguments, **kwargs})


def test_a_commissioner_opens_a_round_and_everyone_invited_is_emailed_after_commit(
    knowsley: CouncilWorld, eager_celery: None, django_capture_on_commit_callbacks
) -> None:
    other_org = OrganisationFactory(name="Not invited trust")
    OrganisationMember.objects.create(organisation=other_org, user=UserFactory(email="outsider@example.org"))
    with council_scope(knowsley.council):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            comment_round = _open(knowsley, organisations=[knowsley.organisation])
        assert mail.outbox == []  # nothing is sent before the transaction commits
        for callback in callbacks:
            callback()
        event = AuditEvent.objects.get(action="codesign.round_opened", object_id=str(comment_round.pk))
        assert event.after["organisations"] == [knowsley.organisation.name]
        assert event.actor == knowsley.people[Role.COMMISSIONER]
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([knowsley.people[Role.CITIZEN].email, knowsley.provider.email])
    assert all(len(message.to) == 1 for message in mail.outbox)  # nobody sees who else was invited
    body = mail.outbox[0].body
    assert f"/c/knowsley/consultations/{comment_round.pk}/" in body
    assert "Are the opening hours right?" in body
    assert "knowsley-private-tender" in mail.outbox[0].subject


def test_the_round_emails_go_out_once_even_if_the_task_runs_twice(knowsley: CouncilWorld) -> None:
    from tenders.tasks.codesign import send_comment_round_emails

    with council_scope(knowsley.council):
        comment_round = _open(knowsley, organisations=[knowsley.organisation])
    arguments = {"council_id": knowsley.council.pk, "round_id": comment_round.pk, "base_url": "http://x/"}
    first = send_comment_round_emails.apply(kwargs=arguments)
    second = send_comment_round_emails.apply(kwargs=arguments)
    assert (first.result, second.result) == ("sent", "skipped")
    assert len(mail.outbox) == 2


def test_only_a_commissioner_may_open_and_at_least_one_group_is_needed(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        for role in (Role.OFFICER, Role.ADMIN, Role.CITIZEN, Role.EVALUATOR):
            with pytest.raises(PermissionDenied):
                _open(knowsley, actor=knowsley.people[role])
        with pytest.raises(ValidationError) as error:
            _open(knowsley, open_to_citizens=False, organisations=[])
        assert "Choose who may comment" in error.value.message_dict["organisations"][0]
        with pytest.raises(ValidationError) as error:
            _open(knowsley, closes_at=timezone.now() - timedelta(minutes=1))
        assert "closes_at" in error.value.message_dict
        assert not CommentRound.objects.filter(closed_at__isnull=True).exists()


@pytest.mark.world("published")
def test_one_open_round_at_a_time_and_none_on_a_published_tender(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = _draft(knowsley)
        with pytest.raises(ValidationError, match="already open for comment"):
            services.comment_round_open(
                tender=tender,
                actor=knowsley.people[Role.COMMISSIONER],
                open_to_citizens=True,
                organisations=[],
            )
        published = Tender.objects.get(council=knowsley.council, published_at__isnull=False)
        with pytest.raises(ValidationError, match="published"):
            services.comment_round_open(
                tender=published, actor=knowsley.people[Role.COMMISSIONER], open_to_citizens=True, organisations=[]
            )


def test_a_round_past_its_closing_date_is_closed_and_a_new_one_may_open(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        first = _open(knowsley, closes_at=timezone.now() + timedelta(hours=1))
        later = timezone.now() + timedelta(hours=2)
        assert not selectors.round_is_open(first, now=later)
        with pytest.raises(ValidationError, match="closed"):
            _citizen_comment(knowsley, first, "Too late", now=later)
        second = services.comment_round_open(
            tender=first.tender,
            actor=knowsley.people[Role.COMMISSIONER],
            open_to_citizens=True,
            organisations=[],
            now=later,
        )
        first.refresh_from_db()
        assert first.closed_reason == "The closing date passed" and second.closed_at is None


def test_who_may_comment(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    stranger_org = OrganisationFactory(name="Uninvited Ltd")
    stranger = UserFactory(email="member@uninvited.example.org")
    OrganisationMember.objects.create(organisation=stranger_org, user=stranger)
    with council_scope(knowsley.council):
        comment_round = _open(knowsley, organisations=[knowsley.organisation])
        section = _section(comment_round.tender)

        def add(author, organisation=None):  # type: ignore[no-untyped-def]
            return services.comment_add(
                round=comment_round, section=section, author=author, organisation=organisation, body="A comment"
            )

        assert add(knowsley.people[Role.CITIZEN]).organisation is None
        assert add(knowsley.provider, knowsley.organisation).organisation == knowsley.organisation
        refused = [
            (knowsley.provider, None),  # not a citizen of Knowsley
            (knowsley.people[Role.CITIZEN], knowsley.organisation),  # not a member of the organisation
            (stranger, stranger_org),  # organisation not invited
            (southwark.people[Role.CITIZEN], None),  # another council's citizen
            (knowsley.people[Role.COMMISSIONER], None),  # council staff do not comment
        ]
        for author, organisation in refused:
            with pytest.raises(PermissionDenied):
                add(author, organisation)
        assert SectionComment.objects.filter(round=comment_round).count() == 2
        assert AuditEvent.objects.filter(action="codesign.comment_added").count() == 2


def test_citizens_may_not_comment_when_the_round_is_only_for_organisations(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        comment_round = _open(knowsley, open_to_citizens=False, organisations=[knowsley.organisation])
        with pytest.raises(PermissionDenied, match="residents"):
            _citizen_comment(knowsley, comment_round, "Hello")


def test_a_comment_needs_a_body_of_sensible_length(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        comment_round = _open(knowsley)
        for body, message in (("   ", "Enter your comment"), ("x" * 5001, "5,000 characters or fewer")):
            with pytest.raises(ValidationError) as error:
                _citizen_comment(knowsley, comment_round, body)
            assert message in error.value.message_dict["body"][0]


def test_closed_and_published_rounds_refuse_comments(knowsley: CouncilWorld) -> None:
    citizen, commissioner = knowsley.people[Role.CITIZEN], knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        comment_round = _open(knowsley)
        section = _section(comment_round.tender)
        services.comment_round_close(round=comment_round, actor=commissioner, reason="Enough comments")
        with pytest.raises(ValidationError, match="closed"):
            services.comment_add(round=comment_round, section=section, author=citizen, organisation=None, body="Hi")
        with pytest.raises(ValidationError, match="already closed"):
            services.comment_round_close(round=comment_round, actor=commissioner)

        # Derived: a published tender's round is closed even if nobody called the publication hook.
        second = services.comment_round_open(
            tender=comment_round.tender, actor=commissioner, open_to_citizens=True, organisations=[]
        )
        Tender.objects.filter(pk=second.tender_id).update(published_at=timezone.now())
        second = CommentRound.objects.select_related("tender").get(pk=second.pk)
        assert selectors.round_closed_reason(second) == "The tender was published"
        with pytest.raises(ValidationError, match="closed"):
            services.comment_add(round=second, section=section, author=citizen, organisation=None, body="Hi")
        closed = comment_rounds_close_for_publication(tender=second.tender, actor=knowsley.people[Role.OFFICER])
        assert [r.pk for r in closed] == [second.pk]
        second.refresh_from_db()
        assert second.closed_reason == "The tender was published" and second.closed_at is not None
        assert AuditEvent.objects.filter(action="codesign.round_closed").count() == 2


def test_resolving_needs_a_commissioner_and_a_reply_and_emails_the_commenter(
    knowsley: CouncilWorld, eager_celery: None, django_capture_on_commit_callbacks
) -> None:
    with council_scope(knowsley.council):
        comment_round = _open(knowsley)
        comment = _citizen_comment(knowsley, comment_round, "Please open on Saturdays")
        with pytest.raises(PermissionDenied):
            services.comment_resolve(comment=comment, actor=knowsley.people[Role.OFFICER], reply="Yes")
        with pytest.raises(ValidationError) as error:
            services.comment_resolve(comment=comment, actor=knowsley.people[Role.COMMISSIONER], reply="  ")
        assert error.value.message_dict["reply"] == ["Enter a reply to the comment"]
        with django_capture_on_commit_callbacks(execute=True):
            services.comment_resolve(
                comment=comment, actor=knowsley.people[Role.COMMISSIONER], reply="Added Saturday mornings"
            )
        comment.refresh_from_db()
        assert comment.resolved and comment.resolved_by == knowsley.people[Role.COMMISSIONER]
        event = AuditEvent.objects.get(action="codesign.comment_resolved")
        assert event.after["reply"] == "Added Saturday mornings"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [knowsley.people[Role.CITIZEN].email]
    assert "Added Saturday mornings" in mail.outbox[0].body
    assert f"/c/knowsley/consultations/{comment_round.pk}/" in mail.outbox[0].body


@pytest.mark.world("codesign")
def test_consultations_list_only_what_the_person_was_invited_to(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    with council_scope(knowsley.council):
        comment_round = CommentRound.objects.get(tender=_draft(knowsley))
        for invited in (knowsley.people[Role.CITIZEN], knowsley.provider):
            found = selectors.consultations_for_user(council=knowsley.council, user=invited)
            assert [c.round.pk for c in found] == [comment_round.pk]
        for outsider in (southwark.people[Role.CITIZEN], southwark.provider, knowsley.people[Role.OFFICER]):
            assert selectors.consultations_for_user(council=knowsley.council, user=outsider) == []


def test_the_demo_round_is_seeded_once(db: None) -> None:
    from commissioning.demo import seed
    from commissioning.models import Council

    seed()
    seed()
    knowsley = Council.objects.get(slug="knowsley")
    with council_scope(knowsley):
        (comment_round,) = CommentRound.objects.filter(tender__title="Community navigation service")
        assert comment_round.open_to_citizens
        assert [i.organisation.name for i in comment_round.invitations.all()] == ["Innovate Volunteering CIC"]
        comments = list(SectionComment.objects.filter(round=comment_round).order_by("pk"))
        assert [c.resolved for c in comments] == [True, False]
        assert comments[1].organisation is not None and comments[0].organisation is None
