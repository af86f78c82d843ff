from commissioning.models.accounts import User
from commissioning.models.audit import AuditEvent
from commissioning.models.codesign import AbstractComment, AbstractCommentInvitation, AbstractCommentRound
from commissioning.models.commissions import (
    AppraisalOption,
    Commission,
    CommissionOutcome,
    DeliveryOption,
    Indicator,
    Outcome,
)
from commissioning.models.councils import Council, Invitation, Membership, Role
from commissioning.models.notifications import Notification
from commissioning.models.organisations import (
    LegalForm,
    Organisation,
    OrganisationMember,
    OrganisationRole,
    OwnershipType,
    SizeBand,
)
from commissioning.models.outbox import OutboxMessage, PlatformOutboxMessage

__all__ = [
    "AbstractComment",
    "AbstractCommentInvitation",
    "AbstractCommentRound",
    "AppraisalOption",
    "AuditEvent",
    "Commission",
    "CommissionOutcome",
    "DeliveryOption",
    "Indicator",
    "Outcome",
    "Council",
    "Invitation",
    "LegalForm",
    "Membership",
    "Notification",
    "Organisation",
    "OrganisationMember",
    "OrganisationRole",
    "OwnershipType",
    "OutboxMessage",
    "PlatformOutboxMessage",
    "Role",
    "SizeBand",
    "User",
]
