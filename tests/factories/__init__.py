"""factory-boy factories, one module per area, and the test worlds they build (``worlds``).

- :mod:`.people`: accounts, and signing them in (password, authenticator codes, API tokens);
- :mod:`.organisations`, :mod:`.councils`: provider organisations; councils, members, invitations;
- :mod:`.commissions`: the outcomes framework, commissions and their options appraisal;
- :mod:`.tenders`: spend and tender policy, tenders, lots, criteria, specifications, clauses;
- :mod:`.codesign`, :mod:`.publication`, :mod:`.bids`: the later stages of a tender's life;
- :mod:`.worlds`: ``council_with_people(slug=..., up_to=...)`` and the ordered ``STAGES``.

Everything a test uses is importable from here: ``from tests.factories import UserFactory``.
"""

from tests.factories.bids import (
    BID_ANSWER,
    BidAttachmentFactory,
    BidFactory,
    BidSubmissionFactory,
    bid_content,
)
from tests.factories.codesign import CommentInvitationFactory, CommentRoundFactory, SectionCommentFactory
from tests.factories.commissions import (
    CommissionFactory,
    IndicatorFactory,
    OutcomeFactory,
    appraisal_options_for,
    commission_in,
)
from tests.factories.councils import CouncilFactory, InvitationFactory, MembershipFactory
from tests.factories.organisations import OrganisationFactory, OrganisationMemberFactory
from tests.factories.people import (
    PASSWORD,
    UserFactory,
    api_token,
    force_login_with_mfa,
    give_totp,
    sign_in,
    totp_code_now,
    totp_secret_of,
)
from tests.factories.publication import (
    ApprovalRequestFactory,
    ClarificationQuestionFactory,
    ConflictDeclarationFactory,
    EligibilityOverrideFactory,
    TenderDocumentFactory,
)
from tests.factories.tenders import (
    STANDARD_BANDS,
    ClauseFactory,
    CriterionFactory,
    LotFactory,
    SpecificationSectionFactory,
    SpecificationVersionFactory,
    TenderFactory,
    TenderPolicyFactory,
    make_bands,
)
from tests.factories.worlds import EVERYTHING, STAGE_NAMES, STAGES, CouncilWorld, Stage, council_with_people

__all__ = [
    "BID_ANSWER",
    "EVERYTHING",
    "PASSWORD",
    "STAGES",
    "STAGE_NAMES",
    "STANDARD_BANDS",
    "ApprovalRequestFactory",
    "BidAttachmentFactory",
    "BidFactory",
    "BidSubmissionFactory",
    "ClarificationQuestionFactory",
    "ClauseFactory",
    "CommentInvitationFactory",
    "CommentRoundFactory",
    "CommissionFactory",
    "ConflictDeclarationFactory",
    "CouncilFactory",
    "CouncilWorld",
    "CriterionFactory",
    "EligibilityOverrideFactory",
    "IndicatorFactory",
    "InvitationFactory",
    "LotFactory",
    "MembershipFactory",
    "OrganisationFactory",
    "OrganisationMemberFactory",
    "OutcomeFactory",
    "SectionCommentFactory",
    "SpecificationSectionFactory",
    "SpecificationVersionFactory",
    "Stage",
    "TenderDocumentFactory",
    "TenderFactory",
    "TenderPolicyFactory",
    "UserFactory",
    "api_token",
    "appraisal_options_for",
    "bid_content",
    "commission_in",
    "council_with_people",
    "force_login_with_mfa",
    "give_totp",
    "make_bands",
    "sign_in",
    "totp_code_now",
    "totp_secret_of",
]
assert len(set(__all__)) == len(__all__), "a name is exported twice"
