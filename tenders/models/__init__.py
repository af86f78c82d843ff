"""Models of the tenders app, by stage of a tender's life.

- :mod:`.tender`: reference data (bank holidays, thresholds), the council's spend and tender
  policy, tenders, lots, the evaluation model, the specification and the clause library;
- :mod:`.codesign`: comment rounds on draft specifications, comments and replies;
- :mod:`.publication`: the tender team, conflict declarations, approvals, published revisions,
  documents, clarification questions and eligibility overrides;
- :mod:`.bids`: sealed bids, their submissions (receipts) and attachments, and each tender's key.
"""

from tenders.models.bids import (
    Bid,
    BidAttachment,
    BidStatus,
    BidSubmission,
    Compliance,
    TenderKey,
    bid_attachment_path,
)
from tenders.models.codesign import CommentInvitation, CommentRound, SectionComment
from tenders.models.publication import (
    ApprovalDecision,
    ApprovalRequest,
    ClarificationQuestion,
    ConflictDeclaration,
    EligibilityOverride,
    TeamRole,
    TenderApproval,
    TenderDocument,
    TenderRevision,
    TenderTeamMember,
    tender_document_path,
)
from tenders.models.tender import (
    DEFAULT_MINIMUM_SOCIAL_VALUE,
    DESCRIPTOR_SCORES,
    ENGLAND_AND_WALES,
    MAXIMUM_STANDSTILL_DAYS,
    QUESTION_KINDS,
    SCALE_MAXIMUM,
    BankHoliday,
    Clause,
    Criterion,
    CriterionKind,
    Lot,
    Procedure,
    ProcurementThreshold,
    Scale,
    SpecificationSection,
    SpecificationVersion,
    SpendPolicyBand,
    Tender,
    TenderPolicy,
)

__all__ = [
    "DEFAULT_MINIMUM_SOCIAL_VALUE",
    "ENGLAND_AND_WALES",
    "MAXIMUM_STANDSTILL_DAYS",
    "DESCRIPTOR_SCORES",
    "QUESTION_KINDS",
    "SCALE_MAXIMUM",
    "ApprovalDecision",
    "ApprovalRequest",
    "BankHoliday",
    "Bid",
    "BidAttachment",
    "BidStatus",
    "BidSubmission",
    "ClarificationQuestion",
    "Clause",
    "CommentInvitation",
    "CommentRound",
    "Compliance",
    "ConflictDeclaration",
    "Criterion",
    "CriterionKind",
    "EligibilityOverride",
    "Lot",
    "Procedure",
    "ProcurementThreshold",
    "Scale",
    "SectionComment",
    "SpecificationSection",
    "SpecificationVersion",
    "SpendPolicyBand",
    "TeamRole",
    "Tender",
    "TenderApproval",
    "TenderDocument",
    "TenderKey",
    "TenderPolicy",
    "TenderRevision",
    "TenderTeamMember",
    "bid_attachment_path",
    "tender_document_path",
]
