"""The tenders app's audit actions and the words people read for them (see ``commissioning.audit_labels``).

Registered into the core's one table from ``TendersConfig.ready()``. The words follow the
person's name: "Sam Patel saved a version of the specification".
"""

from __future__ import annotations

from django.db import models

from commissioning.extensions import register_action_labels

__all__ = ["TENDER_ACTION_LABELS", "TenderAction", "register"]


class TenderAction(models.TextChoices):
    """The tenders app's audit actions: the value is the code stored in the trail, the label the words."""

    # Policies
    SPEND_POLICY_REPLACED = "spend_policy.replaced", "changed the local spend policy"
    TENDER_POLICY_CHANGED = "tender_policy.changed", "changed the tender policy"
    # Tenders and their specification
    TENDER_CREATED = "tender.created", "created a tender"
    TENDER_UPDATED = "tender.updated", "changed a tender's details"
    TENDER_EVALUATION_MODEL_REPLACED = "tender.evaluation_model_replaced", "changed the evaluation model"
    LOT_ADDED = "lot.added", "added a lot"
    LOT_UPDATED = "lot.updated", "changed a lot"
    LOT_REMOVED = "lot.removed", "removed a lot"
    SPECIFICATION_SECTION_ADDED = "specification.section_added", "added a section to the specification"
    SPECIFICATION_SECTION_SAVED = "specification.section_saved", "saved a section of the specification"
    SPECIFICATION_SECTION_MOVED = "specification.section_moved", "moved a section of the specification"
    SPECIFICATION_SECTION_REMOVED = "specification.section_removed", "removed a section of the specification"
    SPECIFICATION_SECTION_RESTORED = "specification.section_restored", "restored a removed section of the specification"
    SPECIFICATION_CLAUSE_INSERTED = "specification.clause_inserted", "inserted a clause into the specification"
    SPECIFICATION_VERSION_SAVED = "specification.version_saved", "saved a version of the specification"
    CLAUSE_CREATED = "clause.created", "added a clause to the clause library"
    CLAUSE_UPDATED = "clause.updated", "changed a clause in the clause library"
    # Co-design
    CODESIGN_ROUND_OPENED = "codesign.round_opened", "opened the draft specification for comment"
    CODESIGN_ROUND_CLOSED = "codesign.round_closed", "closed the draft specification for comment"
    CODESIGN_COMMENT_ADDED = "codesign.comment_added", "commented on the draft specification"
    CODESIGN_COMMENT_RESOLVED = "codesign.comment_resolved", "answered a comment on the draft specification"
    # Publication
    TENDER_TEAM_MEMBER_ADDED = "tender.team_member_added", "added someone to the tender team"
    TENDER_CONFLICT_DECLARED = "tender.conflict_declared", "declared their interests for a tender"
    TENDER_APPROVAL_REQUESTED = "tender.approval_requested", "sent a tender to the officers for approval"
    TENDER_APPROVED = "tender.approved", "approved a tender for publication"
    TENDER_RETURNED = "tender.returned", "returned a tender for changes"
    TENDER_PUBLISHED = "tender.published", "published a tender"
    TENDER_CHANGE_PUBLISHED = "tender.change_published", "published a change to a tender"
    TENDER_DOCUMENT_ADDED = "tender.document_added", "added a document to a tender"
    TENDER_DOCUMENT_REMOVED = "tender.document_removed", "withdrew a document from a tender"
    ELIGIBILITY_OVERRIDE_REQUESTED = "eligibility_override.requested", "asked for an eligibility override"
    ELIGIBILITY_OVERRIDE_APPROVED = "eligibility_override.approved", "approved an eligibility override"
    ELIGIBILITY_OVERRIDE_REFUSED = "eligibility_override.refused", "refused an eligibility override"
    CLARIFICATION_ASKED = "clarification.asked", "asked a clarification question"
    CLARIFICATION_ANSWER_SAVED = "clarification.answer_saved", "saved the answer to a clarification question"
    CLARIFICATION_PUBLISHED = "clarification.published", "published the answer to a clarification question"
    # Bids (sealed until the submission deadline: before it, readers see only a placeholder)
    BID_STARTED = "bid.started", "started a bid"
    BID_DRAFT_SAVED = "bid.draft_saved", "saved a draft bid"
    BID_ATTACHMENT_ADDED = "bid.attachment_added", "attached a document to a bid"
    BID_ATTACHMENT_REMOVED = "bid.attachment_removed", "removed a document from a bid"
    BID_SUBMITTED = "bid.submitted", "submitted a bid"
    BID_REPLACED = "bid.replaced", "replaced a submitted bid"
    BID_CONFIRMED = "bid.confirmed", "confirmed a submitted bid against a changed tender"
    BID_WITHDRAWN = "bid.withdrawn", "withdrew a bid"
    BID_COMPLIANCE_MARKED = "bid.compliance_marked", "recorded whether a bid is compliant"
    # Evaluation: evaluators, their conflicts, recusals and individual scores
    EVALUATION_STARTED = "evaluation.started", "started the evaluation of a tender"
    EVALUATOR_ASSIGNED = "evaluation.evaluator_assigned", "assigned an evaluator to a tender"
    EVALUATOR_REMOVED = "evaluation.evaluator_removed", "removed an evaluator from a tender"
    BIDDER_CONFLICT_DECLARED = "evaluation.bidder_conflict_declared", "declared their interests in a bidder"
    EVALUATOR_RECUSED = "evaluation.evaluator_recused", "stepped back from evaluating a bid"
    RECUSAL_DECIDED = "evaluation.recusal_decided", "decided whether the panel stands after a recusal"
    SCORE_SAVED = "evaluation.score_saved", "saved a draft score of a bid"
    SCORE_SHEET_SUBMITTED = "evaluation.score_sheet_submitted", "submitted their scores of a bid"
    # Moderation and prices (evaluation, stage 4 and 5)
    MODERATION_OPENED = "moderation.opened", "opened moderation of the scores"
    MODERATED_SCORE_AGREED = "moderation.score_agreed", "recorded an agreed (moderated) score"
    MODERATION_LOCKED = "moderation.locked", "submitted and locked the moderated scores"
    MODERATED_SCORE_CHANGE_REQUESTED = "moderation.change_requested", "asked to change a locked moderated score"
    MODERATED_SCORE_CHANGE_DECIDED = "moderation.change_decided", "decided on a change to a locked moderated score"
    MODERATED_SCORE_CHANGED = "moderation.score_changed", "changed a locked moderated score after approval"
    TENDER_EVALUATION_SETTINGS_CHANGED = (
        "tender.evaluation_settings_changed",
        "changed the evaluation model's settings (blind evaluation, price formula, tie-break)",
    )
    PRICES_OPENED = "prices.opened", "opened the bids' prices"
    ABNORMALLY_LOW_DECIDED = "prices.abnormally_low_decided", "decided on a possibly abnormally low price"
    # Award, standstill and contract
    AWARD_RECOMMENDED = "award.recommended", "recommended an award"
    AWARD_APPROVED = "award.approved", "approved an award"
    AWARD_SENT_BACK = "award.sent_back", "sent an award recommendation back"
    AWARD_NOTICE_PUBLISHED = "award.notice_published", "published an award notice"
    AWARD_CHALLENGED = "award.challenged", "challenged an award"
    AWARD_SUSPENDED = "award.suspended", "suspended an award"
    CONTRACT_ENTERED = "contract.entered", "entered a contract"


TENDER_ACTION_LABELS: dict[str, str] = dict(TenderAction.choices)


def register() -> None:
    register_action_labels(TENDER_ACTION_LABELS)
