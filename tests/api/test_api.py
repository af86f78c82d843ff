"""The API: shapes, permissions and the one error format."""

from __future__ import annotations

from rest_framework.test import APIClient

from commissioning.models import Invitation
from commissioning.tenancy import council_scope
from tests.factories import CouncilWorld, api_token


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


def test_me_with_a_token(knowsley: CouncilWorld) -> None:
    response = _client(knowsley.people["admin"]).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {
        "id": knowsley.people["admin"].pk,
        "email": "admin@knowsley.example.org",
        "name": "Admin of Knowsley",
        "mfa_enabled": True,
    }


def test_anonymous_requests_get_the_error_shape(db: None) -> None:
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    error = response.json()["error"]
    assert error["status"] == response.status_code
    assert error["code"] == "not_authenticated"
    assert error["fields"] == {}


def test_my_councils_lists_roles(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    response = _client(knowsley.people["officer"]).get("/api/v1/me/councils/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"] == [{"slug": "knowsley", "name": "Knowsley Council", "roles": ["officer"]}]


def test_my_organisations(knowsley: CouncilWorld) -> None:
    body = _client(knowsley.provider).get("/api/v1/me/organisations/").json()
    assert [o["name"] for o in body["results"]] == [knowsley.organisation.name]
    assert body["results"][0]["my_role"] == "owner"
    assert body["results"][0]["is_vcse"] is True


def test_council_profiles_are_public(knowsley: CouncilWorld) -> None:
    response = APIClient().get("/api/v1/councils/knowsley/")
    assert response.status_code == 200
    assert response.json()["local_area"] == ["L34", "L35", "L36"]
    assert APIClient().get("/api/v1/councils/nowhere/").json()["error"]["code"] == "not_found"


def test_members_are_for_admins_of_that_council_only(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    ok = _client(knowsley.people["admin"]).get("/api/v1/councils/knowsley/members/")
    assert ok.status_code == 200
    assert ok.json()["count"] == 5
    assert _client(knowsley.people["citizen"]).get("/api/v1/councils/knowsley/members/").status_code == 403
    other = _client(southwark.people["admin"]).get("/api/v1/councils/knowsley/members/")
    assert other.status_code == 404
    assert "knowsley.example.org" not in other.content.decode()
    assert APIClient().get("/api/v1/councils/knowsley/members/").status_code == 404


def test_inviting_through_the_api_validates_and_audits(knowsley: CouncilWorld) -> None:
    client = _client(knowsley.people["admin"])
    bad = client.post("/api/v1/councils/knowsley/invitations/", {"email": "nope", "role": "king"}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"email", "role"}
    good = client.post("/api/v1/councils/knowsley/invitations/", {"email": "a@b.org", "role": "citizen"}, format="json")
    assert good.status_code == 201
    assert good.json()["status"] == "pending"
    with council_scope(knowsley.council):
        assert Invitation.objects.filter(email="a@b.org").exists()
    again = client.post(
        "/api/v1/councils/knowsley/invitations/", {"email": "a@b.org", "role": "citizen"}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "conflict"
    assert "open invitation" in again.json()["error"]["fields"]["email"][0]


def test_the_schema_and_docs_are_served(db: None) -> None:
    client = APIClient()
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/councils/{council_slug}/members/" in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
