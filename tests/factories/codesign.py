"""Co-design of a draft specification: comment rounds, their invitations and comments; and the test
world's stage ``codesign``. Rows are made directly (no audit events)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import factory
from django.utils import timezone

from commissioning.models import Role
from tenders.models import CommentInvitation, CommentRound, SectionComment

if TYPE_CHECKING:
    from tests.factories.worlds import CouncilWorld


class CommentRoundFactory(factory.django.DjangoModelFactory[CommentRound]):
    class Meta:
        model = CommentRound

    council = factory.SelfAttribute("tender.council")


class CommentInvitationFactory(factory.django.DjangoModelFactory[CommentInvitation]):
    class Meta:
        model = CommentInvitation

    council = factory.SelfAttribute("round.council")


class SectionCommentFactory(factory.django.DjangoModelFactory[SectionComment]):
    class Meta:
        model = SectionComment

    council = factory.SelfAttribute("round.council")
    section_title = factory.SelfAttribute("section.title")
    body = "The service should be open in the evenings."


def comment_round(world: CouncilWorld) -> None:
    """The draft open for comment to citizens and the world's organisation, with a citizen's comment
    that the commissioner answered."""
    assert world.draft is not None and world.draft_section is not None, "co-design needs the stage 'draft_tender'"
    slug, commissioner = world.council.slug, world.people[Role.COMMISSIONER]
    round_ = CommentRoundFactory(
        tender=world.draft, open_to_citizens=True, message=f"{slug}-private-round-message", opened_by=commissioner
    )
    CommentInvitationFactory(round=round_, organisation=world.organisation)
    SectionCommentFactory(
        round=round_,
        section=world.draft_section,
        author=world.people[Role.CITIZEN],
        body=f"{slug}-private-comment: the service should be open in the evenings.",
        reply=f"{slug}-private-reply: agreed, added to section 1.",
        resolved_by=commissioner,
        resolved_at=timezone.now(),
    )
