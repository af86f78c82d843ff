"""Four eyes as data: who drafted a tender (``TenderContributor``) and the one rule (``may_approve``)."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from commissioning.models import AuditEvent, Membership, Role
from commissioning.tenancy import council_scope
from tenders import selectors, services
from tenders.models import ContributionKind, SpecificationSection, Tender, TenderContributor
from tests.factories import CouncilWorld, UserFactory

pytestmark = pytest.mark.world("draft_for_approval")

fill_migration = importlib.import_module("tenders.migrations.0010_tender_contributors")


def _ready_draft(world: CouncilWorld) -> Tender:
    tender = Tender.objects.get(council=world.council, title=f"{world.council.slug}-private-tender")
    now = timezone.now()
    Tender.objects.filter(pk=tender.pk).update(
        clarification_deadline=now + timedelta(days=10), submission_deadline=now + timedelta(days=20)
    )
    tender.refresh_from_db()
    return tender


def _second_officer(world: CouncilWorld):  # type: ignore[no-untyped-def]
    other = UserFactory(email="second-officer@knowsley.example.org", name="Second Officer")
    Membership.objects.create(council=world.council, user=other, role=Role.OFFICER)
    return other


def _save_section(tender: Tender, actor, body: str) -> None:  # type: ignore[no-untyped-def]
    section = SpecificationSection.objects.filter(tender=tender).first()
    assert section is not None
    services.section_save(
        section=section, actor=actor, title=section.title, body=body, expected_revision=section.revision
    )


def test_a_drafter_may_not_approve_even_after_someone_else_saved_over_them(knowsley: CouncilWorld) -> None:
    officer = knowsley.people[Role.OFFICER]
    with council_scope(knowsley.council):
        tender = _ready_draft(knowsley)
        _save_section(tender, officer, "<p>Mine</p>")
        _save_section(tender, knowsley.people[Role.COMMISSIONER], "<p>Back</p>")
        assert TenderContributor.objects.filter(tender=tender, user=officer, kind=ContributionKind.DRAFTED).exists()
        assert selectors.may_approve(user=officer, tender=tender) == (False, selectors.FOUR_EYES_REASON)
        assert officer not in selectors.approval_officers(tender=tender)


def test_the_creator_may_not_approve(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = _ready_draft(knowsley)
        allowed, reason = selectors.may_approve(user=tender.created_by, tender=tender)
        assert not allowed and "four eyes" in reason


def test_an_officer_who_only_asked_for_approval_may_approve(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = _ready_draft(knowsley)
        asker = _second_officer(knowsley)
        services.tender_approval_request(tender=tender, actor=asker)
        assert selectors.may_approve(user=asker, tender=tender) == (True, "")


def test_another_officer_may_approve(knowsley: CouncilWorld) -> None:
    officer = knowsley.people[Role.OFFICER]
    with council_scope(knowsley.council):
        tender = _ready_draft(knowsley)
        assert selectors.may_approve(user=officer, tender=tender) == (True, "")
        assert officer in selectors.approval_officers(tender=tender)


def test_the_data_migration_fills_contributors_from_the_audit_trail(knowsley: CouncilWorld) -> None:
    officer = knowsley.people[Role.OFFICER]
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        tender = _ready_draft(knowsley)
        _save_section(tender, officer, "<p>First</p>")
        _save_section(tender, officer, "<p>Again</p>")
        services.specification_save_version(tender=tender, actor=commissioner)
        first_save = (
            AuditEvent.objects.filter(actor=officer, action="specification.section_saved").order_by("sequence").first()
        )
        assert first_save is not None
        TenderContributor.objects.filter(tender=tender).delete()

    fill_migration.fill_contributors(django_apps, None)

    with council_scope(knowsley.council):
        rows = {row.user_id: row for row in TenderContributor.objects.filter(tender=tender)}
        assert set(rows) == {officer.pk, commissioner.pk}
        assert {row.kind for row in rows.values()} == {ContributionKind.DRAFTED}
        assert rows[officer.pk].first_at == first_save.created_at
        assert selectors.may_approve(user=officer, tender=tender)[0] is False
