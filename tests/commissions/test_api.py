"""The commissions API: shapes, permissions, validation and the one error format."""

from __future__ import annotations

import pytest

from commissioning.models import AuditEvent, Commission, Outcome, Role
from commissioning.tenancy import council_scope
from tests.factories import CouncilWorld
from tests.helpers import api_with_token

pytestmark = pytest.mark.world("commissions")

BASE = "/api/v1/councils/knowsley"
REASON = "Residents trust community organisations more, and local VCSE groups run the venues."


def _outcome(world: CouncilWorld) -> Outcome:
    with council_scope(world.council):
        return Outcome.objects.get(council=world.council)


def _open(client, title: str, need: str, outcome, annual: str, whole_life: str):  # type: ignore[no-untyped-def]
    """POST a new commission for one outcome."""
    body = {
        "title": title,
        "need": need,
        "outcome_ids": [outcome.pk],
        "estimated_annual_value": annual,
        "whole_life_value": whole_life,
    }
    return client.post(f"{BASE}/commissions/", body, format="json")


def test_a_commissioner_opens_changes_and_decides_a_commission(knowsley: CouncilWorld) -> None:
    client = api_with_token(knowsley.people[Role.COMMISSIONER])
    outcome = _outcome(knowsley)
    # Open
    created = _open(client, "Warm spaces", "Places to keep warm.", outcome, "25000", "50000.00")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["outcomes"] == [{"id": outcome.pk, "title": outcome.title}]
    assert body["estimated_annual_value"] == "25000.00"
    assert [o["kind"] for o in body["options"]] == ["in_house", "grant", "contract", "social_investment", "partnership"]
    assert body["options"][0]["is_default"] is True
    assert body["decision"] is None and body["decided_by"] is None
    assert body["created_by"] == knowsley.people[Role.COMMISSIONER].email
    url = f"{BASE}/commissions/{body['id']}/"
    # Change
    changed = client.patch(url, {"whole_life_value": "75000"}, format="json")
    assert changed.status_code == 200 and changed.json()["whole_life_value"] == "75000.00"
    # Decide: too short a reason for a contract, then a proper one
    short = client.post(f"{url}decision/", {"decision": "contract", "reason": "Better"}, format="json")
    assert short.status_code == 400
    assert short.json()["error"]["code"] == "invalid"
    assert "in at least 20 characters" in short.json()["error"]["fields"]["reason"][0]
    decided = client.post(f"{url}decision/", {"decision": "contract", "reason": REASON}, format="json")
    assert decided.status_code == 200
    assert decided.json()["decision"] == "contract" and decided.json()["decision_reason"] == REASON
    # Listed, and audited
    listed = client.get(f"{BASE}/commissions/").json()
    assert listed["count"] == 2 and listed["results"][0]["title"] == "Warm spaces"
    with council_scope(knowsley.council):
        actions = list(
            AuditEvent.objects.filter(
                council=knowsley.council, object_id=str(body["id"]), object_type="commissioning.commission"
            )
            .order_by("sequence")
            .values_list("action", flat=True)
        )
    assert actions == ["commission.created", "commission.updated", "commission.decided"]


@pytest.mark.parametrize(
    ("patch", "field", "message"),
    [
        (
            {"whole_life_value": "10"},
            "whole_life_value",
            "The whole-life value must be at least the estimated annual value",
        ),
        (
            {"estimated_annual_value": "0"},
            "estimated_annual_value",
            "Ensure this value is greater than or equal to 0.01.",
        ),
        ({"estimated_annual_value": "lots"}, "estimated_annual_value", "A valid number is required."),
        ({"outcome_ids": [999999]}, "outcomes", "Choose outcomes from the council's outcomes framework"),
        ({"title": ""}, "title", "This field may not be blank."),
    ],
)
def test_bad_changes_are_refused_in_the_one_error_shape(
    knowsley: CouncilWorld, patch: dict, field: str, message: str
) -> None:
    with council_scope(knowsley.council):
        commission = Commission.objects.get(council=knowsley.council)
        before = (commission.title, commission.estimated_annual_value, commission.whole_life_value)
    response = api_with_token(knowsley.people[Role.COMMISSIONER]).patch(
        f"{BASE}/commissions/{commission.pk}/", patch, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, "invalid")
    assert error["fields"] == {field: [message]}
    with council_scope(knowsley.council):
        commission.refresh_from_db()
        assert (commission.title, commission.estimated_annual_value, commission.whole_life_value) == before


@pytest.mark.parametrize(
    ("role", "read", "write", "decide", "add_outcome"),
    [
        (Role.ADMIN, 200, 403, 403, 201),
        (Role.COMMISSIONER, 200, 200, 200, 201),
        (Role.EVALUATOR, 200, 403, 403, 403),
        (Role.OFFICER, 200, 403, 403, 403),
        (Role.CITIZEN, 403, 403, 403, 403),
    ],
)
def test_permissions_by_role(
    knowsley: CouncilWorld, role: str, read: int, write: int, decide: int, add_outcome: int
) -> None:
    with council_scope(knowsley.council):
        commission = Commission.objects.get(council=knowsley.council)
    client = api_with_token(knowsley.people[role])
    url = f"{BASE}/commissions/{commission.pk}/"
    assert client.get(f"{BASE}/commissions/").status_code == read
    assert client.get(url).status_code == read
    assert client.get(f"{BASE}/outcomes/").status_code == read
    assert client.patch(url, {"title": "Renamed"}, format="json").status_code == write
    assert (
        # The world's commission has a tender, so its decision stays a contract (restated with a reason).
        client.post(f"{url}decision/", {"decision": "contract", "reason": REASON}, format="json").status_code == decide
    )
    response = client.post(f"{BASE}/outcomes/", {"title": f"New outcome for {role}"}, format="json")
    assert response.status_code == add_outcome
    if response.status_code == 403:
        assert response.json()["error"]["code"] == "permission_denied"


def test_another_councils_commissions_are_not_found(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    with council_scope(southwark.council):
        theirs = Commission.objects.get(council=southwark.council)
    client = api_with_token(knowsley.people[Role.COMMISSIONER])
    # Their council: 404 whatever the path
    assert client.get("/api/v1/councils/southwark/commissions/").status_code == 404
    assert client.get(f"/api/v1/councils/southwark/commissions/{theirs.pk}/").status_code == 404
    # Their id under my council: 404 too
    for response in (
        client.get(f"{BASE}/commissions/{theirs.pk}/"),
        client.patch(f"{BASE}/commissions/{theirs.pk}/", {"title": "Mine now"}, format="json"),
        client.post(
            f"{BASE}/commissions/{theirs.pk}/decision/", {"decision": "in_house", "reason": "x"}, format="json"
        ),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    # Their outcome cannot be chosen
    their_outcome = _outcome(southwark)
    response = _open(client, "t", "n", their_outcome, "1", "1")
    assert response.status_code == 400
    with council_scope(southwark.council):
        theirs.refresh_from_db()
        assert theirs.title == "southwark-private-commission"


def test_outcomes_list_with_indicators_and_duplicates_conflict(knowsley: CouncilWorld) -> None:
    client = api_with_token(knowsley.people[Role.ADMIN])
    listed = client.get(f"{BASE}/outcomes/").json()
    assert listed["count"] == 1
    assert listed["results"][0]["indicators"][0]["name"] == "knowsley-private-indicator"
    created = client.post(
        f"{BASE}/outcomes/", {"title": "Residents have a say", "description": "Co-design."}, format="json"
    )
    assert created.status_code == 201 and created.json()["is_active"] is True
    clash = client.post(f"{BASE}/outcomes/", {"title": "residents have a say"}, format="json")
    assert clash.status_code == 409
    assert clash.json()["error"]["code"] == "conflict" and "title" in clash.json()["error"]["fields"]
