"""Delivery returns (social_value.returns): the provider drafts and submits a return per period;
the council accepts, queries (the provider answers and resubmits, every change kept) or rejects it.
Each step is audited; a step out of turn, or by the wrong person, is refused with the reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.models import AuditEvent, Role
from commissioning.tenancy import council_scope
from social_value import returns
from social_value.models import Agreement, MeasureVersion, ReturnEvent, ReturnStatus
from tests.factories import CouncilWorld, OrganisationFactory, UserFactory
from tests.factories.social_value import PDF, agreement_with_kpis

pytestmark = pytest.mark.world("social_value_framework")


def _agreement(world: CouncilWorld) -> Agreement:
    version = MeasureVersion.objects.filter(council=world.council).first()
    return agreement_with_kpis(
        council=world.council,
        provider=world.organisation,  # type: ignore[arg-type]
        kpis=[("Apprentices", "people", 4, None), ("", "", 100, version)],
    )


def _figures(agreement: Agreement, *quantities: str) -> dict[int, str]:
    return dict(zip(agreement.kpis.order_by("position").values_list("pk", flat=True), quantities, strict=True))


def _submitted(world: CouncilWorld, agreement: Agreement, period: int = 1) -> returns.DeliveryReturn:
    saved = returns.return_save(
        agreement=agreement,
        period=period,
        actor=world.provider,  # type: ignore[arg-type]
        figures=_figures(agreement, "1", "30"),
        narrative="Two apprentices started.",
    )
    return returns.return_submit(delivery_return=saved, actor=world.provider)  # type: ignore[arg-type]


def test_a_provider_saves_a_draft_then_submits_it(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        agreement = _agreement(knowsley)
        draft = returns.return_save(
            agreement=agreement,
            period=1,
            actor=knowsley.provider,  # type: ignore[arg-type]
            figures=_figures(agreement, "0", ""),
            narrative="",
        )
        assert (draft.status, draft.period_starts_on, draft.period_ends_on) == (
            ReturnStatus.DRAFT,
            date(2025, 1, 1),
            date(2025, 3, 31),
        )
        with pytest.raises(returns.ReturnRefused) as refused:
            returns.return_submit(delivery_return=draft, actor=knowsley.provider)  # type: ignore[arg-type]
        assert refused.value.reason == "incomplete"
        assert "narrative" in refused.value.message_dict
        submitted = _submitted(knowsley, agreement)
        assert (submitted.status, submitted.revision) == (ReturnStatus.SUBMITTED, 1)
        (event,) = ReturnEvent.objects.filter(delivery_return=submitted)
        assert event.kind == "submitted" and sorted(event.figures.values()) == ["1.00", "30.00"]
        actions = list(AuditEvent.objects.filter(council=knowsley.council).values_list("action", flat=True))
        assert "social_value.return_submitted" in actions and "social_value.return_saved" in actions


def test_a_negative_or_unreadable_quantity_is_refused_next_to_its_kpi(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        agreement = _agreement(knowsley)
        first, second = agreement.kpis.order_by("position").values_list("pk", flat=True)
        with pytest.raises(returns.ReturnRefused) as refused:
            returns.return_save(
                agreement=agreement,
                period=1,
                actor=knowsley.provider,  # type: ignore[arg-type]
                figures={first: "-1", second: "lots"},
                narrative="x",
            )
    assert set(refused.value.message_dict) == {f"kpi_{first}", f"kpi_{second}"}
    assert "0 or more" in refused.value.message_dict[f"kpi_{first}"][0]


def test_a_period_not_ended_cannot_be_submitted(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        agreement = _agreement(knowsley)
        saved = returns.return_save(
            agreement=agreement,
            period=1,
            actor=knowsley.provider,  # type: ignore[arg-type]
            figures=_figures(agreement, "1", "2"),
            narrative="Early",
        )
        with pytest.raises(returns.ReturnRefused) as refused:
            returns.return_submit(delivery_return=saved, actor=knowsley.provider, today=date(2025, 3, 31))  # type: ignore[arg-type]
    assert refused.value.reason == "not_ended"


def test_only_a_member_of_the_provider_may_write_its_return(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        agreement = _agreement(knowsley)
        stranger = UserFactory()
        with pytest.raises(PermissionDenied):
            returns.return_save(agreement=agreement, period=1, actor=stranger, figures={}, narrative="")
        with pytest.raises(PermissionDenied):
            returns.return_save(
                agreement=agreement, period=1, actor=knowsley.people[Role.OFFICER], figures={}, narrative=""
            )


def test_a_submitted_return_is_read_only_until_queried_and_the_answer_keeps_every_version(
    knowsley: CouncilWorld,
) -> None:
    officer = knowsley.people[Role.OFFICER]
    with council_scope(knowsley.council):
        agreement = _agreement(knowsley)
        submitted = _submitted(knowsley, agreement)
        with pytest.raises(returns.ReturnRefused) as refused:
            returns.return_save(
                agreement=agreement,
                period=1,
                actor=knowsley.provider,
                figures={},
                narrative="changed",  # type: ignore[arg-type]
            )
        assert refused.value.reason == "read_only"
        queried = returns.return_query(delivery_return=submitted, actor=officer, question="Who were the apprentices?")
        assert (queried.status, queried.question) == (ReturnStatus.QUERIED, "Who were the apprentices?")
        returns.return_save(
            agreement=agreement,
            period=1,
            actor=knowsley.provider,  # type: ignore[arg-type]
            figures=_figures(agreement, "2", "30"),
            narrative="Two apprentices from Huyton started.",
        )
        with pytest.raises(returns.ReturnRefused) as no_answer:
            returns.return_submit(delivery_return=queried, actor=knowsley.provider)  # type: ignore[arg-type]
        assert "answer" in no_answer.value.message_dict
        answered = returns.return_submit(
            delivery_return=queried, actor=knowsley.provider, answer="Local school leavers"
        )  # type: ignore[arg-type]
        assert (answered.status, answered.revision, answered.question) == (ReturnStatus.SUBMITTED, 2, "")
        accepted = returns.return_accept(delivery_return=answered, actor=officer)
        events = list(ReturnEvent.objects.filter(delivery_return=accepted).order_by("at", "pk"))
    assert [e.kind for e in events] == ["submitted", "queried", "answered", "accepted"]
    assert sorted(events[0].figures.values()) == ["1.00", "30.00"]
    assert sorted(events[2].figures.values()) == ["2.00", "30.00"]
    assert events[2].text == "Local school leavers"
    assert accepted.status == ReturnStatus.ACCEPTED and accepted.decided_by == officer


def test_verification_needs_an_officer_or_commissioner_a_reason_to_reject_and_a_submitted_return(
    knowsley: CouncilWorld,
) -> None:
    with council_scope(knowsley.council):
        agreement = _agreement(knowsley)
        submitted = _submitted(knowsley, agreement)
        with pytest.raises(PermissionDenied):
            returns.return_accept(delivery_return=submitted, actor=knowsley.people[Role.EVALUATOR])
        with pytest.raises(returns.ReturnRefused) as no_reason:
            returns.return_reject(delivery_return=submitted, actor=knowsley.people[Role.COMMISSIONER], reason=" ")
        assert "text" in no_reason.value.message_dict
        rejected = returns.return_reject(
            delivery_return=submitted, actor=knowsley.people[Role.COMMISSIONER], reason="No evidence of hours"
        )
        assert (rejected.status, rejected.decision_reason) == (ReturnStatus.REJECTED, "No evidence of hours")
        with pytest.raises(returns.ReturnRefused) as again:
            returns.return_accept(delivery_return=rejected, actor=knowsley.people[Role.OFFICER])
        assert again.value.reason == "state"
        assert AuditEvent.objects.filter(council=knowsley.council, action="social_value.return_rejected").count() == 1


def test_evidence_follows_the_bid_attachment_rules(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        agreement = _agreement(knowsley)
        draft = returns.return_save(
            agreement=agreement,
            period=1,
            actor=knowsley.provider,
            figures={},
            narrative="",  # type: ignore[arg-type]
        )
        evidence = returns.return_evidence_add(
            delivery_return=draft,
            actor=knowsley.provider,  # type: ignore[arg-type]
            upload=SimpleUploadedFile("timesheets.pdf", PDF),
        )
        assert (evidence.filename, evidence.content_type, evidence.size) == (
            "timesheets.pdf",
            "application/pdf",
            len(PDF),
        )
        with pytest.raises(returns.ReturnRefused) as renamed:
            returns.return_evidence_add(
                delivery_return=draft,
                actor=knowsley.provider,  # type: ignore[arg-type]
                upload=SimpleUploadedFile("program.pdf", b"MZ\x90\x00 not a pdf"),
            )
        assert renamed.value.reason == "magic"
        with pytest.raises(returns.ReturnRefused) as script:
            returns.return_evidence_add(
                delivery_return=draft,
                actor=knowsley.provider,  # type: ignore[arg-type]
                upload=SimpleUploadedFile("run.exe", b"MZ"),
            )
        assert script.value.reason == "type"
        removed = returns.return_evidence_remove(evidence=evidence, actor=knowsley.provider)  # type: ignore[arg-type]
        assert removed.removed_at is not None


def test_another_organisations_member_cannot_touch_the_return(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        other = agreement_with_kpis(
            council=knowsley.council, provider=OrganisationFactory(), kpis=[("Trees", "trees", 10, None)]
        )
        with pytest.raises(PermissionDenied):
            returns.return_save(agreement=other, period=1, actor=knowsley.provider, figures={}, narrative="")  # type: ignore[arg-type]
        assert Decimal(other.kpis.get().target) == 10
