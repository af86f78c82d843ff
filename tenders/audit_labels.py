"""The words people read for the tenders app's audit actions (see ``commissioning.audit_labels``).

Registered into the core's one table from ``TendersConfig.ready()``. The words follow the
person's name: "Sam Patel saved a version of the specification".
"""

from __future__ import annotations

from commissioning.extensions import register_action_labels

__all__ = ["TENDER_ACTION_LABELS", "register"]

TENDER_ACTION_LABELS: dict[str, str] = {
    # Policies
    "spend_policy.replaced": "changed the local spend policy",
    "tender_policy.changed": "changed the tender policy",
    # Tenders and their specification
    "tender.created": "created a tender",
    "tender.updated": "changed a tender's details",
    "tender.evaluation_model_replaced": "changed the evaluation model",
    "lot.added": "added a lot",
    "lot.updated": "changed a lot",
    "lot.removed": "removed a lot",
    "specification.section_added": "added a section to the specification",
    "specification.section_saved": "saved a section of the specification",
    "specification.section_moved": "moved a section of the specification",
    "specification.section_removed": "removed a section of the specification",
    "specification.section_restored": "restored a removed section of the specification",
    "specification.clause_inserted": "inserted a clause into the specification",
    "specification.version_saved": "saved a version of the specification",
    "clause.created": "added a clause to the clause library",
    "clause.updated": "changed a clause in the clause library",
    # Co-design
    "codesign.round_opened": "opened the draft specification for comment",
    "codesign.round_closed": "closed the draft specification for comment",
    "codesign.comment_added": "commented on the draft specification",
    "codesign.comment_resolved": "answered a comment on the draft specification",
    # Publication
    "tender.team_member_added": "added someone to the tender team",
    "tender.conflict_declared": "declared their interests for a tender",
    "tender.approval_requested": "sent a tender to the officers for approval",
    "tender.approved": "approved a tender for publication",
    "tender.returned": "returned a tender for changes",
    "tender.published": "published a tender",
    "tender.change_published": "published a change to a tender",
    "tender.document_added": "added a document to a tender",
    "tender.document_removed": "withdrew a document from a tender",
    "eligibility_override.requested": "asked for an eligibility override",
    "eligibility_override.approved": "approved an eligibility override",
    "eligibility_override.refused": "refused an eligibility override",
    "clarification.asked": "asked a clarification question",
    "clarification.answer_saved": "saved the answer to a clarification question",
    "clarification.published": "published the answer to a clarification question",
    # Bids (sealed until the submission deadline: before it, readers see only a placeholder)
    "bid.started": "started a bid",
    "bid.draft_saved": "saved a draft bid",
    "bid.attachment_added": "attached a document to a bid",
    "bid.attachment_removed": "removed a document from a bid",
    "bid.submitted": "submitted a bid",
    "bid.replaced": "replaced a submitted bid",
    "bid.confirmed": "confirmed a submitted bid against a changed tender",
    "bid.withdrawn": "withdrew a bid",
    "bid.compliance_marked": "recorded whether a bid is compliant",
}


def register() -> None:
    register_action_labels(TENDER_ACTION_LABELS)
