"""Writes of bid opening on the council side: the compliance check of each bid after the deadline."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.models import User
from tenders.audit_labels import TenderAction
from tenders.models import Bid, BidStatus, Compliance
from tenders.sealing import Reader, SealedError, may_unseal

__all__: list[str] = ["COMPLIANCE_DECISIONS", "bid_compliance_mark"]

# What the commissioner decides; "not checked" is only where every bid starts.
COMPLIANCE_DECISIONS = (Compliance.COMPLIANT, Compliance.NON_COMPLIANT)
REASON_MAX_LENGTH = 5000


def _snapshot(bid: Bid) -> dict[str, str]:
    return {"compliance": bid.compliance, "reason": bid.compliance_reason}


@transaction.atomic
def bid_compliance_mark(
    *, bid: Bid, actor: User, compliance: str, reason: str = "", now: datetime | None = None
) -> Bid:
    """Record whether a submitted bid is compliant (mandatory declarations, eligibility), after the deadline.

    The rules: nobody on the council side reads a bid before the submission deadline, so nobody
    can judge it either (:class:`SealedError`); a non-compliant bid needs the reason, which the
    provider will be told; a decision already made may be changed, with a reason for the change.
    Marking the same decision with the same reason again (a double submit) changes nothing.
    One audit event per change, with the decision before and after.
    """
    bid = Bid.objects.select_for_update().select_related("tender").get(council=bid.council_id, pk=bid.pk)
    if not may_unseal(bid.tender, Reader.COUNCIL, now):
        raise SealedError("Bids for this tender are sealed until the submission deadline")
    if bid.status != BidStatus.SUBMITTED:
        raise ValidationError("Only a submitted bid can be checked for compliance")
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if compliance not in COMPLIANCE_DECISIONS:
        errors["compliance"] = "Select whether the bid is compliant or non-compliant"
    elif compliance == Compliance.NON_COMPLIANT and not reason:
        errors["reason"] = "Enter the reason the bid is not compliant"
    elif bid.compliance != Compliance.UNCHECKED and not reason and compliance != bid.compliance:
        errors["reason"] = "Enter the reason for changing the decision"
    if len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = f"The reason must be {REASON_MAX_LENGTH} characters or fewer"
    if errors:
        raise ValidationError(errors)
    if bid.compliance == compliance and bid.compliance_reason == reason:
        return bid
    before = _snapshot(bid)
    bid.compliance = compliance
    bid.compliance_reason = reason
    bid.compliance_by = actor
    bid.compliance_at = now or timezone.now()
    bid.save(update_fields=["compliance", "compliance_reason", "compliance_by", "compliance_at", "updated_at"])
    audit_record(
        council=bid.council,
        actor=actor,
        action=TenderAction.BID_COMPLIANCE_MARKED,
        target=bid,
        before=before,
        after=_snapshot(bid),
    )
    return bid
