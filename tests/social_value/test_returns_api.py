"""The API of agreements, delivery returns and accounts: the provider saves and submits its own
returns, the council reads its agreements and verifies, anyone reads the verified accounts; bad
input is a 400 with JSON, another council's or provider's objects 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value.models import Agreement
from tests.factories import CouncilWorld
from tests.factories.social_value import PDF, agreement_with_kpis
from tests.helpers import api_as

pytestmark = pytest.mark.world("social_value_framework")


def _agreement(world: CouncilWorld) -> tuple[Agreement, int]:
    with council_scope(world.council):
        agreement = agreement_with_kpis(
            council=world.council,
            provider=world.organisation,  # type: ignore[arg-type]
            kpis=[("Volunteering hours", "hours", 100, None)],
        )
        return agreement, agreement.kpis.get().pk


def test_the_provider_saves_submits_the_officer_queries_then_accepts_and_the_accounts_show_it(
    knowsley: CouncilWorld,
) -> None:
    agreement, kpi = _agreement(knowsley)
    provider = api_as(knowsley.provider)
    mine = provider.get("/api/v1/me/agreements/")
    assert mine.status_code == 200 and [a["id"] for a in mine.json()] == [agreement.pk]
    detail = provider.get(f"/api/v1/me/agreements/{agreement.pk}/").json()
    assert detail["kpis"][0]["measure"] == "Volunteering hours" and detail["periods"][0]["state"] == "Overdue"
    url = f"/api/v1/me/agreements/{agreement.pk}/returns/1/"
    assert provider.get(url).status_code == 404
    bad = provider.put(url, {"figures": {str(kpi): "-2"}, "narrative": "x"}, format="json")
    assert bad.status_code == 400 and f"kpi_{kpi}" in bad.json()["error"]["fields"]
    saved = provider.put(url, {"figures": {str(kpi): "30"}, "narrative": "Thirty hours"}, format="json")
    assert saved.status_code == 200 and saved.json()["status"] == "draft"
    fake = provider.post(f"{url}evidence/", {"file": SimpleUploadedFile("hours.pdf", b"not a pdf")}, format="multipart")
    assert fake.status_code == 400 and "file" in fake.json()["error"]["fields"]
    added = provider.post(f"{url}evidence/", {"file": SimpleUploadedFile("hours.pdf", PDF)}, format="multipart")
    assert added.status_code == 201 and added.json()["filename"] == "hours.pdf"
    submitted = provider.post(f"{url}submit/", {}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    return_id = submitted.json()["id"]

    officer = api_as(knowsley.people[Role.OFFICER])
    base = f"/api/v1/councils/{knowsley.council.slug}/social-value/"
    assert [r["id"] for r in officer.get(f"{base}returns/").json()["results"]] == [return_id]
    assert officer.post(f"{base}returns/{return_id}/verify/", {"decision": "maybe"}, format="json").status_code == 400
    queried = officer.post(f"{base}returns/{return_id}/verify/", {"decision": "query", "text": "Which?"}, format="json")
    assert queried.status_code == 200 and queried.json()["question"] == "Which?"
    again = provider.post(f"{url}submit/", {"answer": "The lunch club"}, format="json")
    assert again.status_code == 200 and again.json()["revision"] == 2
    accepted = officer.post(f"{base}returns/{return_id}/verify/", {"decision": "accept"}, format="json")
    assert [e["filename"] for e in accepted.json()["evidence"]] == ["hours.pdf"]
    assert [e["kind"] for e in accepted.json()["events"]] == ["submitted", "queried", "answered", "accepted"]
    read = officer.get(f"{base}agreements/{agreement.pk}/").json()
    assert (read["kpis"][0]["verified"], read["kpis"][0]["verified_share"]) == ("30.00", "1.0000")
    accounts = api_as(knowsley.people[Role.CITIZEN]).get(f"{base}accounts/").json()
    (theme,) = accounts["themes"]
    assert theme["outcomes"][0]["totals"][0]["quantity"] == "30.00"
    assert api_as(knowsley.people[Role.CITIZEN]).get(f"{base}accounts/?year=soon").status_code == 400


def test_another_council_and_another_provider_get_404_and_a_provider_cannot_verify(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    agreement, _ = _agreement(knowsley)
    assert api_as(southwark.provider).get(f"/api/v1/me/agreements/{agreement.pk}/").status_code == 404
    southwark_officer = api_as(southwark.people[Role.OFFICER])
    assert (
        southwark_officer.get(f"/api/v1/councils/southwark/social-value/agreements/{agreement.pk}/").status_code == 404
    )
    assert (
        api_as(knowsley.people[Role.EVALUATOR]).get("/api/v1/councils/knowsley/social-value/returns/").status_code
        == 403
    )
    listed = api_as(knowsley.people[Role.COMMISSIONER]).get("/api/v1/councils/knowsley/social-value/agreements/")
    assert [a["id"] for a in listed.json()["results"]] == [agreement.pk]
