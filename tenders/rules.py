"""Who may do what with tenders, bids, clauses, clarifications and the spend policy.

Each permission takes the council as its object (``user.has_perm("tender.view", council)``) and is
built from the core's role predicates (``commissioning.rules``). ``register()`` (called from
``TendersConfig.ready()``) adds these rows to the core's role × action table, which the README
publishes and ``rules`` enforces for pages and API alike.
"""

from __future__ import annotations

import rules

from commissioning.extensions import register_permissions
from commissioning.models import Role
from commissioning.rules import has_role, is_admin, is_commissioner, is_council_member, is_evaluator, is_officer

__all__ = ["TENDER_PERMISSIONS", "register"]

is_citizen = has_role(Role.CITIZEN)

# permission name -> (predicate, who, what it allows)
TENDER_PERMISSIONS: dict[str, tuple[rules.Predicate, str, str]] = {
    "council.change_spend_policy": (
        is_admin,
        "admin",
        "Change the local spend policy's value bands and the tender policy",
    ),
    "tenders.view_policy": (is_council_member, "any role", "See the spend and tender policy settings"),
    "tender.view": (
        is_admin | is_commissioner | is_evaluator | is_officer,
        "admin, commissioner, evaluator, officer",
        "See tenders, their lots, timetable and evaluation model",
    ),
    "tender.change": (
        is_commissioner,
        "commissioner",
        "Create tenders and change their details, timetable, lots and evaluation model",
    ),
    "clauses.manage": (
        is_admin | is_commissioner,
        "admin, commissioner",
        "Add and change the council's clause library",
    ),
    "tender.comment": (
        is_citizen,
        "citizen",
        "Comment on a draft specification opened to the council's citizens",
    ),
    "tender.approve": (
        is_officer,
        "officer",
        "Approve a tender for publication, or an eligibility override (not one they drafted or asked for)",
    ),
    "tender.publish": (
        is_officer,
        "officer",
        "Publish an approved tender, and publish a change to it with a reason",
    ),
    "clarifications.answer": (
        is_commissioner,
        "commissioner",
        "Answer clarification questions and publish the answers to every bidder",
    ),
    "bids.view": (
        is_commissioner | is_officer,
        "commissioner, officer",
        "Open the bids received, only once the submission deadline has passed",
    ),
    "bids.mark_compliance": (
        is_commissioner,
        "commissioner",
        "Mark a bid compliant or non-compliant with a reason, after the deadline",
    ),
    # Issue 10, stage 6: totals, ranking, sensitivity and "why this bidder won".
    "results.view": (
        is_commissioner | is_officer,
        "commissioner, officer",
        "See the totals, the ranking, its sensitivity to the social value weight and why a bidder won",
    ),
    # Evaluation: evaluators, conflicts and individual scores
    "evaluation.view": (
        is_commissioner | is_officer,
        "commissioner, officer",
        "See a tender's evaluators, their progress as counts (never scores) and their recusals",
    ),
    "evaluation.manage": (
        is_commissioner,
        "commissioner",
        "Start the evaluation after the deadline and assign evaluators",
    ),
    "evaluation.change_evaluators": (
        is_commissioner | is_officer,
        "commissioner, officer",
        "Change a tender's evaluators: assign one (an officer gives the reason) or remove one, with a reason",
    ),
    "evaluation.decide_recusal": (
        is_officer,
        "officer",
        "Decide whether the panel still stands after an evaluator's recusal",
    ),
    "evaluation.score": (
        is_evaluator,
        "evaluator",
        "Declare interests in each bidder, then score the bids assigned to them",
    ),
    # Moderation and prices (evaluation, stages 4 and 5)
    "moderation.view": (
        is_commissioner | is_officer,
        "commissioner, officer",
        "See the side-by-side moderation of submitted scores, the agreed scores and their changes",
    ),
    "moderation.run": (
        is_commissioner,
        "commissioner",
        "Open moderation, agree scores, lock them, and ask for a change to a locked score",
    ),
    "moderation.approve_change": (
        is_officer,
        "officer",
        "Approve or reject a change to a locked moderated score (not one they asked for)",
    ),
    "prices.view": (
        is_commissioner | is_officer,
        "commissioner, officer",
        "See the opened prices, their scores and the abnormally low reviews",
    ),
    "prices.open": (
        is_commissioner,
        "commissioner",
        "Open the bids' prices (in a blind evaluation only after moderation is locked)",
    ),
    "prices.decide_abnormally_low": (
        is_commissioner,
        "commissioner",
        "Record the provider's explanation of a possibly abnormally low price and accept or exclude it",
    ),
    # Award, standstill and contract
    "award.view": (
        is_admin | is_commissioner | is_officer,
        "admin, commissioner, officer",
        "See a tender's award: recommendations, notices, challenges and the contract",
    ),
    "award.recommend": (
        is_commissioner,
        "commissioner",
        "Recommend the award of each lot (another bid than the top-ranked one, or no award, with a reason)",
    ),
    "award.approve": (
        is_officer,
        "officer",
        "Approve or send back an award recommendation (not one they made, nor of a tender they evaluated)",
    ),
    "award.suspend": (
        is_officer,
        "officer",
        "Suspend a published award, with the reason (after a challenge)",
    ),
    "contract.enter": (
        is_officer,
        "officer",
        "Enter the contract once the standstill has ended without suspension",
    ),
}


def register() -> None:
    register_permissions(TENDER_PERMISSIONS)
