"""An officer may change the evaluators: assign one, with a required reason (recorded on the
assignment and audited), on the page and in the API; the commissioner assigns as before, without
one; other roles are refused and another council's tender is not found."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.models import AuditEvent, Role
from commissioning.tenancy import council_scope
from tenders import selectors, services
from tenders.audit_labels import TenderAction
from tenders.models import EvaluatorAssignment
from tests.factories import CouncilWorld
from tests.factories.scoring_world import scoring_world, started
from tests.helpers import api_as

pytestmark = pytest.mark.world("bids")


def test_an_officer_assigns_with_a_reason_and_the_commissioner_without(knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley), assign=False)
    first, second = sw.evaluators
    with council_scope(knowsley.council):
        with pytest.raises(ValidationError) as no_reason:
            services.evaluator_assign(tender=sw.tender, actor=sw.officer, user=first, reason="  ")
        assert no_reason.value.message_dict["reason"] == ["Enter the reason for assigning the evaluator"]
        assignment = services.evaluator_assign(
            tender=sw.tender, actor=sw.officer, user=first, reason="The panel needs a second evaluator"
        )
        by_commissioner = services.evaluator_assign(tender=sw.tender, actor=sw.commissioner, user=second)
        with pytest.raises(PermissionDenied):
            services.evaluator_assign(tender=sw.tender, actor=second, user=second, reason="Myself")
        event = AuditEvent.objects.filter(council=knowsley.council, action=TenderAction.EVALUATOR_ASSIGNED).first()
        assigned = [a.user for a in selectors.current_assignments(tender=sw.tender)]
    assert assignment.assigned_reason == "The panel needs a second evaluator" and assignment.assigned_by == sw.officer
    assert by_commissioner.assigned_reason == ""
    assert assigned == [first, second]
    assert event is not None and event.actor_id == sw.officer.pk
    assert event.after["reason"] == "The panel needs a second evaluator"


def test_the_page_asks_an_officer_why(client, knowsley: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley), assign=False)
    first = sw.evaluators[0]
    client.force_login(sw.commissioner)
    assert "Why are you assigning this evaluator?" not in client.get(sw.url()).content.decode()
    client.force_login(sw.officer)
    page = client.get(sw.url()).content.decode()
    assert "Assign an evaluator" in page and "Why are you assigning this evaluator?" in page
    empty = client.post(sw.url("evaluators/"), {"user": str(first.pk), "criterion": "", "reason": ""})
    text = empty.content.decode()
    assert empty.status_code == 400 and "govuk-error-summary" in text
    assert "Enter the reason for assigning the evaluator" in text
    done = client.post(
        sw.url("evaluators/"), {"user": str(first.pk), "criterion": "", "reason": "Replaces a recused evaluator"}
    )
    assert done.status_code == 302
    with council_scope(knowsley.council):
        saved = EvaluatorAssignment.objects.get(tender=sw.tender, user=first)
    assert saved.assigned_reason == "Replaces a recused evaluator"
    client.force_login(first)
    assert client.post(sw.url("evaluators/"), {"user": str(first.pk), "reason": "x"}).status_code == 403


def test_the_api_assigns_and_removes(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    sw = started(scoring_world(knowsley), assign=False)
    first, second = sw.evaluators
    officer = api_as(sw.officer)
    missing = officer.post(sw.api("evaluators/"), {"user": first.pk}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["error"]["fields"]
    wrong = officer.post(sw.api("evaluators/"), {"user": sw.officer.pk, "reason": "x"}, format="json")
    assert wrong.status_code == 400 and "user" in wrong.json()["error"]["fields"]
    made = officer.post(sw.api("evaluators/"), {"user": first.pk, "reason": "Covers for leave"}, format="json")
    assert made.status_code == 201
    body = made.json()
    assert body["user"] == first.pk and body["criterion"] is None and body["assigned_reason"] == "Covers for leave"
    criterion = sw.criteria[-1]
    by_commissioner = api_as(sw.commissioner).post(
        sw.api("evaluators/"), {"user": second.pk, "criterion": criterion.pk}, format="json"
    )
    assert by_commissioner.status_code == 201 and by_commissioner.json()["criterion"] == criterion.pk
    assert api_as(first).post(sw.api("evaluators/"), {"user": first.pk}, format="json").status_code == 403
    no_reason = officer.post(sw.api(f"evaluators/{body['id']}/remove/"), {"reason": ""}, format="json")
    assert no_reason.status_code == 400
    removed = officer.post(sw.api(f"evaluators/{body['id']}/remove/"), {"reason": "Back from leave"}, format="json")
    assert removed.status_code == 200 and removed.json()["removed_reason"] == "Back from leave"
    assert officer.post(sw.api(f"evaluators/{body['id']}/remove/"), {"reason": "x"}, format="json").status_code == 404
    # Another council's officer cannot reach this tender.
    other = api_as(southwark.people[Role.OFFICER])
    assert other.post(sw.api("evaluators/"), {"user": first.pk, "reason": "x"}, format="json").status_code == 404
    assert (
        other.post(
            f"/api/v1/councils/southwark/tenders/{sw.tender.pk}/evaluation/evaluators/",
            {"user": first.pk, "reason": "x"},
            format="json",
        ).status_code
        == 404
    )
