"""The social value app's part of ``manage.py seed_demo``: Knowsley's framework from the Social Value
Model, and a closed round of comments on it from a local voluntary group, both answered (the seed:
"the local voluntary sector has been involved in shaping the indicators")."""

from __future__ import annotations

from collections.abc import Mapping

from commissioning.models import Council, Organisation, User
from commissioning.tenancy import council_scope
from social_value.framework import framework_seed_social_value_model
from social_value.framework_comments import (
    framework_comment_add,
    framework_comment_resolve,
    framework_comment_round_close,
    framework_comment_round_open,
)
from social_value.models import FrameworkCommentRound, Measure, SocialValueFramework

__all__ = ["DEMO_FRAMEWORK_COUNCILS", "DEMO_VOLUNTARY_GROUP", "seed_framework_comments", "seed_frameworks"]

DEMO_FRAMEWORK_COUNCILS = ("knowsley",)
DEMO_VOLUNTARY_GROUP = ("Kirkby Community Garden", "growers@kirkby-garden.example.org")
DEMO_COMMENTS = (
    (
        "Volunteering hours do not show what our growers gain. Could the measure also count people who "
        "volunteer regularly, not only the hours?",
        "Thank you. We have added a note to count regular volunteers beside the hours, and will ask for "
        "both in delivery returns.",
    ),
    (
        "Small groups like ours cannot produce audited evidence. Please accept sign-in sheets and photos "
        "as evidence for this measure.",
        "Agreed. Sign-in sheets and dated photos are now listed as evidence for this measure.",
    ),
)
CLOSED_REASON = "Comments gathered: the local voluntary sector has been involved in shaping the indicators"


def seed_frameworks(councils: Mapping[str, Council]) -> None:
    for slug in DEMO_FRAMEWORK_COUNCILS:
        council = councils.get(slug)
        if council is None:
            continue
        with council_scope(council):
            admin = User.objects.filter(email=f"admin@{slug}.example.org").first()
            framework_seed_social_value_model(council=council, actor=admin)
    # The framework's comment round follows it (one seeder: no order of its own to keep apart).
    seed_framework_comments(councils)


def seed_framework_comments(councils: Mapping[str, Council]) -> None:
    """Knowsley's framework was opened for comment to a local voluntary group, which commented on two
    measures; the admin answered both and closed the round. Idempotent: once a round exists, nothing."""
    name, email = DEMO_VOLUNTARY_GROUP
    group = Organisation.objects.filter(name=name).first()
    grower = User.objects.filter(email=email).first()
    for slug in DEMO_FRAMEWORK_COUNCILS:
        council = councils.get(slug)
        if council is None or group is None or grower is None:
            continue
        with council_scope(council):
            admin = User.objects.filter(email=f"admin@{slug}.example.org").first()
            framework = SocialValueFramework.objects.filter(council=council).first()
            if admin is None or framework is None:
                continue
            if FrameworkCommentRound.objects.filter(council=council, framework=framework).exists():
                continue
            measures = list(
                Measure.objects.filter(council=council, retired_at__isnull=True).order_by("position", "code")[:2]
            )
            comment_round = framework_comment_round_open(
                council=council,
                actor=admin,
                open_to_citizens=False,
                organisations=[group],
                message="Do these measures count what local voluntary and community groups do? Tell us what to change.",
            )
            for measure, (body, reply) in zip(measures, DEMO_COMMENTS, strict=False):
                comment = framework_comment_add(
                    round=comment_round,
                    section_key=f"measure:{measure.pk}",
                    author=grower,
                    organisation=group,
                    body=body,
                )
                framework_comment_resolve(comment=comment, actor=admin, reply=reply)
            framework_comment_round_close(round=comment_round, actor=admin, reason=CLOSED_REASON)
