"""Ownership on the organisation's profile (issue 11, "Market shaping"): members record it when they
register and when they change the details, with errors next to the fields; the legal form fills what
they leave; the page and the API show it; existing organisations were filled by the migration."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps

from commissioning.models import Organisation
from tests.factories import CouncilWorld, OrganisationFactory
from tests.helpers import api_as, signed_in

pytestmark = pytest.mark.world("people")


def _form(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Huyton Care Ltd",
        "legal_form": "sme",
        "address_line_1": "3 Archway Road",
        "town": "Huyton",
        "postcode": "L36 9YU",
        "size_band": "medium",
        "companies_house_number": "",
        "charity_number": "",
        "operating_postcode": "",
        "ownership": "",
        "asset_locked": "",
        "parent_name": "",
        "parent_country": "",
    }
    data.update(changes)
    return data


def test_a_subsidiary_must_name_its_ultimate_parent_and_its_country(knowsley: CouncilWorld) -> None:
    client = signed_in(knowsley.provider)
    page = client.post("/organisations/new/", _form(ownership="subsidiary"))
    text = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in text
    assert "Enter the name of the ultimate parent company of the group" in text
    assert "Enter the country where the ultimate parent company is registered" in text
    assert not Organisation.objects.filter(name="Huyton Care Ltd").exists()

    done = client.post(
        "/organisations/new/",
        _form(ownership="subsidiary", parent_name="Care Holdings plc", parent_country="United States"),
        follow=True,
    )
    organisation = Organisation.objects.get(name="Huyton Care Ltd")
    assert (organisation.ownership, organisation.asset_locked, organisation.parent_name) == (
        "subsidiary",
        False,
        "Care Holdings plc",
    )
    text = done.content.decode()
    assert "Subsidiary of a group" in text and "Care Holdings plc (United States)" in text


def test_the_legal_form_fills_what_the_member_leaves(knowsley: CouncilWorld) -> None:
    signed_in(knowsley.provider).post(
        "/organisations/new/", _form(name="Youth Kitchen CIC", legal_form="cic", companies_house_number="12345678")
    )
    organisation = Organisation.objects.get(name="Youth Kitchen CIC")
    assert (organisation.ownership, organisation.asset_locked) == ("cic", True)


def test_a_charity_that_says_its_assets_are_not_locked_is_told_why(knowsley: CouncilWorld) -> None:
    page = signed_in(knowsley.provider).post(
        "/organisations/new/", _form(legal_form="charity", charity_number="1123456", asset_locked="False")
    )
    assert "The assets of a charity are locked in by law" in page.content.decode()


def test_an_owner_changes_the_ownership_and_the_api_shows_it(knowsley: CouncilWorld) -> None:
    organisation = knowsley.organisation
    assert organisation is not None
    fields = {f: getattr(organisation, f) for f in Organisation.PROFILE_FIELDS}
    fields.update(legal_form="sme", charity_number="", ownership="private_equity", asset_locked="False")
    fields = {k: "" if v is None else v for k, v in fields.items()}
    signed_in(knowsley.provider).post(f"/organisations/{organisation.pk}/edit/", fields)
    organisation.refresh_from_db()
    assert organisation.ownership == "private_equity" and organisation.is_private_equity_backed
    body = api_as(knowsley.provider).get("/api/v1/me/organisations/").json()
    mine = body["results"][0]
    assert (mine["ownership"], mine["asset_locked"], mine["is_asset_locked"], mine["is_private_equity_backed"]) == (
        "private_equity",
        False,
        False,
        True,
    )


def test_the_migration_fills_existing_organisations_from_their_legal_form(db: None) -> None:
    charity = OrganisationFactory(legal_form="charity")
    company = OrganisationFactory(legal_form="large_company", size_band="large", charity_number="")
    recorded = OrganisationFactory(legal_form="sme", charity_number="", ownership="employee_owned", asset_locked=True)
    migration = importlib.import_module("commissioning.migrations.0008_organisation_ownership")
    migration.backfill(apps, None)
    for organisation in (charity, company, recorded):
        organisation.refresh_from_db()
    assert (charity.ownership, charity.asset_locked) == ("charity", True)
    assert (company.ownership, company.asset_locked) == ("private_company", False)
    assert (recorded.ownership, recorded.asset_locked) == ("employee_owned", True)
