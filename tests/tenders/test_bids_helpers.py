"""Helpers shared by the bid tests (no tests here): a published tender, bidders, a complete draft."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from commissioning.models import LegalForm, Organisation, OrganisationMember, OrganisationRole, SizeBand, User
from tenders.models import Criterion, Lot, Tender
from tests.factories import CouncilWorld, OrganisationFactory, UserFactory

ANSWER = "We are a Knowsley charity: our navigators live on the estates they serve."


def published_tender(world: CouncilWorld) -> Tender:
    return Tender.objects.get(council=world.council, title=f"{world.council.slug.title()} community navigators")


def bidder(
    *, name: str, postcode: str = "L36 9UJ", legal_form: str = LegalForm.CHARITY, email: str = ""
) -> tuple[Organisation, User]:
    """An organisation (local to the test councils by default: L36) with one member."""
    organisation = OrganisationFactory(
        name=name,
        legal_form=legal_form,
        postcode=postcode,
        size_band=SizeBand.LARGE if legal_form == LegalForm.LARGE_COMPANY else SizeBand.SMALL,
        charity_number="1123456" if legal_form == LegalForm.CHARITY else "",
    )
    person = UserFactory(email=email or f"{name.lower().replace(' ', '.')}@example.org")
    OrganisationMember.objects.create(organisation=organisation, user=person, role=OrganisationRole.OWNER)
    return organisation, person


def local_charity() -> tuple[Organisation, User]:
    return bidder(name="Kirkby Community Garden", postcode="L34 1AA")


def non_local_company() -> tuple[Organisation, User]:
    return bidder(name="Nationwide Outsourcing plc", postcode="EC2A 1AA", legal_form=LegalForm.LARGE_COMPANY)


def merseyside_digital(member: User, role: str = OrganisationRole.OWNER) -> Organisation:
    """A medium-sized company in Liverpool (L2, outside the test councils' areas) with ``member`` in it."""
    company = OrganisationFactory(
        name="Merseyside Digital Ltd",
        legal_form=LegalForm.SME,
        charity_number="",
        companies_house_number="09876543",
        postcode="L2 2HF",
        size_band=SizeBand.MEDIUM,
    )
    OrganisationMember.objects.create(organisation=company, user=member, role=role)
    return company


def complete_changes(tender: Tender, answer: str = ANSWER) -> dict[str, Any]:
    questions = Criterion.objects.filter(tender=tender, kind__in=["quality", "social_value"])
    lots = Lot.objects.filter(tender=tender)
    return {
        "answers": {str(q.pk): answer for q in questions},
        "prices": {str(lot.pk): "145000.00" for lot in lots},
        "commitments": [{"measure": "Local people employed", "quantity": "3", "unit": "jobs", "by": "2027-12-31"}],
        "declarations": {"exclusion_grounds": False, "conflicts": False, "conflicts_details": ""},
    }


def closing_in_30_seconds(world: CouncilWorld, monkeypatch: Any) -> tuple[Tender, datetime]:
    """The published tender, with no clarification deadline and its submission deadline 30 seconds
    from now (sooner than a kept answer's max_age), and the clock stopped at now: the caller moves
    ``timezone.now`` on to see a status change with no write."""
    from datetime import timedelta

    from django.utils import timezone

    from commissioning.tenancy import council_scope

    now = timezone.now()
    with council_scope(world.council):
        tender = published_tender(world)
        Tender.objects.filter(pk=tender.pk).update(
            clarification_deadline=None, submission_deadline=now + timedelta(seconds=30)
        )
    monkeypatch.setattr(timezone, "now", lambda: now)
    return tender, now


def move_deadline(tender: Tender, deadline: Any) -> None:
    """Move the submission deadline (and the clarification deadline before it)."""
    from datetime import timedelta

    Tender.objects.filter(pk=tender.pk).update(
        clarification_deadline=deadline - timedelta(days=1), submission_deadline=deadline
    )
    tender.refresh_from_db()


def bid_audit_facts(tender, action: str | None = None) -> list[dict]:  # type: ignore[no-untyped-def]
    """The sealed audit events of the tender's bids, as the trail will read them at the deadline.

    Their readable columns hold nothing (who is bidding is sealed); the facts decrypt with the
    tender's key once the deadline has passed, so they are read as at the deadline."""
    from commissioning.models import AuditEvent
    from tenders import sealing

    events = AuditEvent.objects.filter(council=tender.council_id, sealed_by=sealing.audit_seal_reference(tender))
    facts = []
    for event in events.order_by("sequence"):
        assert event.action == "sealed" and event.actor_id is None and not event.actor_label
        assert not event.object_label and event.before is None and event.after is None
        fact = sealing.unseal_json(
            tender, event.sealed_facts, reader=sealing.Reader.COUNCIL, now=tender.submission_deadline
        )
        if action is None or fact["action"] == action:
            facts.append(fact)
    return facts


def test_a_commitment_of_fifty_reads_fifty_not_5e1() -> None:
    """Decimal.normalize alone writes 50 as "5E+1"; the form and the API both keep "50"."""
    from tenders.forms.bids import CommitmentForm
    from tenders.serializers.bids import MyBidCommitmentSerializer

    form = CommitmentForm(
        {"measure": "Local people employed", "quantity": "50.00", "unit": "jobs", "by": "2027-12-31", "local": "no"},
        number=1,
    )
    assert form.is_valid(), form.errors
    assert form.commitment()["quantity"] == "50"
    assert MyBidCommitmentSerializer().validate_quantity("50.00") == "50"
