"""The social value framework API: members read, admins write, 4xx JSON on bad input, and no council
reads or writes another's framework."""

from __future__ import annotations

import pytest

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value.models import FrameworkVersion, Measure
from tests.factories import CouncilWorld
from tests.helpers import api_as

pytestmark = pytest.mark.world("social_value_framework")


def _api(world: CouncilWorld, suffix: str) -> str:
    return f"/api/v1/councils/{world.council.slug}/social-value/{suffix}"


def _measure(world: CouncilWorld, code: str = "SV-1") -> Measure:
    with council_scope(world.council):
        return Measure.objects.get(council=world.council, code=code)


def test_a_member_reads_the_framework_tree(knowsley: CouncilWorld) -> None:
    response = api_as(knowsley.people[Role.EVALUATOR]).get(_api(knowsley, "framework/"))
    assert response.status_code == 200
    body = response.json()
    assert body["attribution"] == "Test attribution" and body["latest_version"]["number"] == 1
    (theme,) = body["themes"]
    (outcome,) = theme["outcomes"]
    codes = {m["code"]: m for m in outcome["measures"]}
    assert set(codes) == {"SV-1", "SV-OLD"}
    assert codes["SV-1"]["contributes_to_ids"] == [knowsley.outcome.pk]
    assert codes["SV-OLD"]["retired_at"] is not None


def test_an_admin_adds_changes_retires_and_publishes(knowsley: CouncilWorld) -> None:
    client = api_as(knowsley.people[Role.ADMIN])
    outcome_id = _measure(knowsley).outcome_id
    created = client.post(
        _api(knowsley, "measures/"),
        {
            "code": "SV-2",
            "name": "Apprentices",
            "unit": "apprenticeships",
            "outcome_id": outcome_id,
            "proxy_value": "10.00",
            "proxy_source": "Own study",
            "proxy_year": 2025,
            "contributes_to_ids": [knowsley.outcome.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    measure_id = created.json()["id"]
    assert created.json()["proxy_value"] == "10.00" and created.json()["version"] == 0
    changed = client.patch(_api(knowsley, f"measures/{measure_id}/"), {"unit": "starts"}, format="json")
    assert changed.status_code == 200 and changed.json()["unit"] == "starts"
    assert changed.json()["proxy_value"] == "10.00"  # what was not sent did not change
    published = client.post(_api(knowsley, "framework/versions/"), {"note": "Apprentices"}, format="json")
    assert published.status_code == 201 and published.json()["number"] == 2
    retired = client.post(_api(knowsley, f"measures/{measure_id}/retire/"))
    assert retired.status_code == 200 and retired.json()["retired_at"]
    again = client.patch(_api(knowsley, f"measures/{measure_id}/"), {"unit": "x"}, format="json")
    assert again.status_code == 400 and "retired" in str(again.json()["error"]["fields"])


def test_bad_input_is_a_4xx_json_error(knowsley: CouncilWorld) -> None:
    client = api_as(knowsley.people[Role.ADMIN])
    outcome_id = _measure(knowsley).outcome_id
    base = {"code": "SV-9", "name": "N", "unit": "u", "outcome_id": outcome_id}
    cases = [
        ({**base, "proxy_value": 12.5}, 400, "proxy_value"),  # a number, not a string
        ({**base, "proxy_value": "1.00"}, 400, "proxy_source"),  # without its source and year
        ({**base, "code": "bad code"}, 400, "code"),
        ({**base, "outcome_id": 999999}, 400, "outcome_id"),
        ({**base, "contributes_to_ids": [999999]}, 400, "contributes_to"),
        ({**base, "proxy_year": 1800}, 400, "proxy_year"),
        ({**base, "code": "sv-1"}, 409, "code"),
    ]
    for body, status, field in cases:
        response = client.post(_api(knowsley, "measures/"), body, format="json")
        assert response.status_code == status, (body, response.json())
        assert field in response.json()["error"]["fields"], (body, response.json())
    nothing = client.post(_api(knowsley, "framework/versions/"), {}, format="json")
    assert nothing.status_code == 400 and "Nothing has changed" in str(nothing.json()["error"]["fields"])
    form = client.post(_api(knowsley, "measures/"), base)  # multipart, not JSON
    assert form.status_code == 415


def test_only_admins_write(knowsley: CouncilWorld) -> None:
    measure = _measure(knowsley)
    for role in (Role.COMMISSIONER, Role.OFFICER, Role.EVALUATOR, Role.CITIZEN):
        client = api_as(knowsley.people[role])
        assert client.patch(_api(knowsley, f"measures/{measure.pk}/"), {"unit": "x"}, format="json").status_code == 403
        assert client.post(_api(knowsley, f"measures/{measure.pk}/retire/")).status_code == 403
        assert client.post(_api(knowsley, "framework/versions/"), {}, format="json").status_code == 403
    assert _measure(knowsley).unit == "hours"


def test_another_council_cannot_read_or_write(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    outsider = api_as(southwark.people[Role.ADMIN])
    measure = _measure(knowsley)
    for url in (_api(knowsley, "framework/"), _api(knowsley, "measures/"), _api(knowsley, f"measures/{measure.pk}/")):
        response = outsider.get(url)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    # Through its own council's address, another council's measure does not exist either.
    theirs = _api(southwark, f"measures/{measure.pk}/")
    assert outsider.get(theirs).status_code == 404
    assert outsider.patch(theirs, {"unit": "x"}, format="json").status_code == 404
    assert outsider.post(_api(southwark, f"measures/{measure.pk}/retire/")).status_code == 404
    southwark_outcome = _measure(southwark).outcome_id
    knowsley_outcome = measure.outcome_id
    assert southwark_outcome != knowsley_outcome
    refused = outsider.post(
        _api(southwark, "measures/"),
        {"code": "X-1", "name": "N", "unit": "u", "outcome_id": knowsley_outcome},
        format="json",
    )
    assert refused.status_code == 400
    with council_scope(knowsley.council):
        assert _measure(knowsley).unit == "hours"
        assert FrameworkVersion.objects.filter(council=knowsley.council).count() == 1
