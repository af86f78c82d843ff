"""Test worlds: a council built stage by stage, as far as a test needs.

``STAGES`` lists the stages in the order a council lives them; each adds rows to the world and
records on the :class:`CouncilWorld` what later stages build on (they are handed objects, never
look them up). ``council_with_people(slug=..., up_to="draft_tender")`` builds every stage up to and
including the one named; ``up_to=EVERYTHING`` builds them all, so the world has data in every
council-owned model (the cross-council probe and the seal walks need that).

A new area (citizen panels, grant rounds) writes its factories in ``tests/factories/<area>.py`` and
adds its stage to ``STAGES`` at the place its data needs: after the stages it builds on.

Council-owned rows are made inside the council's scope. Private text contains "<slug>-private"
(e.g. "southwark-private-notes"): the cross-council probe looks for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from commissioning.tenancy import council_scope
from tests.factories import (
    bids,
    codesign,
    commissions,
    councils,
    evaluation,
    framework_comments,
    publication,
    social_value,
    tenders,
)

if TYPE_CHECKING:
    from commissioning.models import Commission, Council, Invitation, Organisation, Outcome, User
    from tenders.models import Bid, Criterion, SpecificationSection, Tender


@dataclass
class CouncilWorld:
    """A council and what its world's stages made, for the stages after them and for tests."""

    council: Council
    people: dict[str, User] = field(default_factory=dict)  # one member per role
    invitation: Invitation | None = None
    organisation: Organisation | None = None  # a provider organisation (not the council's)
    provider: User | None = None  # its owner
    mfa: bool = True  # staff members get an authenticator app
    stages: list[str] = field(default_factory=list)  # the stages built, in order
    outcome: Outcome | None = None
    commission: Commission | None = None  # decided: contract
    draft: Tender | None = None
    draft_section: SpecificationSection | None = None
    published: Tender | None = None
    published_question: Criterion | None = None  # its first quality question
    bid: Bid | None = None  # sealed, on the published tender
    evaluated: Tender | None = None  # closed two days ago, evaluated, awarded and contracted
    evaluated_bid: Bid | None = None  # the world's organisation's bid on it (the winner)
    evaluated_question: Criterion | None = None  # its quality question
    evaluated_provider: User | None = None  # the owner of the winning organisation (not the world's)


@dataclass(frozen=True)
class Stage:
    name: str
    build: Callable[[CouncilWorld], None]


STAGES: tuple[Stage, ...] = (
    # a member in every role, an invitation, a provider and its organisation
    Stage("people", councils.people),
    # an outcome with an indicator; a commission decided for a contract, with its options
    Stage("commissions", commissions.decided_commission),
    # a social value framework: theme, outcome, a measure published as version 1, a retired measure
    Stage("social_value_framework", social_value.social_value_framework),
    # Knowsley's spend bands and a tender policy
    Stage("policies", tenders.policies),
    # a draft tender: lot, evaluation model, specification version 1; a clause in the library
    Stage("draft_tender", tenders.draft_tender),
    # the draft open for comment, with an answered comment
    Stage("codesign", codesign.comment_round),
    # the social value framework open for comment, with a voluntary group's answered comment
    Stage("framework_comments", framework_comments.framework_comment_round),
    # a tender published a day ago (sealed for a week): team, approval, revision, document, questions
    Stage("published", publication.published_tender),
    # the draft's declared interest, eligibility override and approval request
    Stage("draft_for_approval", publication.draft_for_approval),
    # a sealed bid on the published tender, with its submission and attachment
    Stage("bids", bids.sealed_bid),
    # a tender past its deadline with the organisation's bid: evaluated, moderated, awarded, contracted
    Stage("evaluated", evaluation.evaluated_tender),
    # agreements with KPIs and delivery returns: one accepted (public words), one queried with evidence
    Stage("delivery_returns", social_value.delivery_returns),
)
STAGE_NAMES = tuple(stage.name for stage in STAGES)
assert len(set(STAGE_NAMES)) == len(STAGE_NAMES), "two stages share a name"
EVERYTHING = STAGE_NAMES[-1]


def stages_up_to(up_to: str) -> tuple[Stage, ...]:
    if up_to not in STAGE_NAMES:
        raise ValueError(f"no world stage {up_to!r}: the stages are {', '.join(STAGE_NAMES)}")
    return STAGES[: STAGE_NAMES.index(up_to) + 1]


def council_with_people(*, slug: str, up_to: str, name: str | None = None, mfa: bool = True) -> CouncilWorld:
    """A council whose world is built up to (and including) the stage ``up_to``."""
    council = councils.CouncilFactory(slug=slug, name=name or f"{slug.title()} Council", display_name=name or "")
    world = CouncilWorld(council=council, mfa=mfa)
    for stage in stages_up_to(up_to):
        with council_scope(council):
            stage.build(world)
        world.stages.append(stage.name)
    return world
