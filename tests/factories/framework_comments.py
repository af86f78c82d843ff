"""The social value framework opened for comment, and the test world's stage ``framework_comments``.

Rows are made directly (no audit events), inside the council's scope."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from commissioning.models import Role
from social_value.models import (
    FrameworkComment,
    FrameworkCommentInvitation,
    FrameworkCommentRound,
    Measure,
    SocialValueFramework,
)

if TYPE_CHECKING:
    from tests.factories.worlds import CouncilWorld

__all__ = ["framework_comment_round"]


def framework_comment_round(world: CouncilWorld) -> None:
    """The framework open for comment to citizens and to the world's organisation (a charity), with
    the organisation's comment on the measure SV-1 that the admin answered."""
    council, slug, admin = world.council, world.council.slug, world.people[Role.ADMIN]
    framework = SocialValueFramework.objects.get(council=council)
    measure = Measure.objects.get(council=council, code="SV-1")
    comment_round = FrameworkCommentRound.objects.create(
        council=council,
        framework=framework,
        open_to_citizens=True,
        message=f"{slug}-private-sv-round-message",
        opened_by=admin,
    )
    FrameworkCommentInvitation.objects.create(council=council, round=comment_round, organisation=world.organisation)
    FrameworkComment.objects.create(
        council=council,
        round=comment_round,
        section_key=f"measure:{measure.pk}",
        section_title=f"{measure.code} {measure.name}",
        author=world.provider,
        organisation=world.organisation,
        body=f"{slug}-private-sv-comment: count regular volunteers too.",
        reply=f"{slug}-private-sv-reply: added to the measure.",
        resolved_by=admin,
        resolved_at=timezone.now(),
    )
