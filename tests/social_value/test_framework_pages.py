"""The social value framework pages: what members see, what admins do, errors next to fields, the CSV
import and export, and a constant number of queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from commissioning.models import AuditEvent, Role
from commissioning.tenancy import council_scope
from social_value.audit_labels import SocialValueAction
from social_value.models import FrameworkVersion, Measure
from tests.factories import CouncilWorld
from tests.factories.social_value import framework_rows
from tests.helpers import query_counts, signed_in

pytestmark = pytest.mark.world("social_value_framework")

HEADER = "theme,outcome,code,name,unit,evidence,proxy_value,proxy_source,proxy_year"


def _url(world: CouncilWorld, suffix: str = "") -> str:
    return f"/c/{world.council.slug}/social-value/framework/{suffix}"


def _measure(world: CouncilWorld, code: str = "SV-1") -> Measure:
    with council_scope(world.council):
        return Measure.objects.select_related("outcome").get(council=world.council, code=code)


def test_members_read_the_framework_and_only_admins_see_how_to_change_it(knowsley: CouncilWorld) -> None:
    admin = signed_in(knowsley.people[Role.ADMIN]).get(_url(knowsley))
    commissioner = signed_in(knowsley.people[Role.COMMISSIONER]).get(_url(knowsley))
    assert admin.status_code == commissioner.status_code == 200
    for page in (admin, commissioner):
        text = page.content.decode()
        assert "knowsley-private-theme" in text and "knowsley-private-measure" in text
        assert "Retired" in text and "Version 1 published" in text and "Test attribution" in text
    assert "Add a measure" in admin.content.decode()
    assert "Add a measure" not in commissioner.content.decode()
    for suffix in ("measures/new/", "import/", "publish/", "export.csv"):
        assert signed_in(knowsley.people[Role.COMMISSIONER]).get(_url(knowsley, suffix)).status_code == 403


def test_an_admin_adds_a_measure_and_errors_show_next_to_the_fields(knowsley: CouncilWorld) -> None:
    client = signed_in(knowsley.people[Role.ADMIN])
    outcome = _measure(knowsley).outcome
    # A proxy value without its source and year, and a code already used
    response = client.post(
        _url(knowsley, "measures/new/"),
        {"outcome": outcome.pk, "code": "sv-1", "name": "Local jobs", "unit": "jobs", "proxy_value": "12.50"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Error: Add a measure" in text
    assert 'id="id_proxy_source-error"' in text or "Say where the proxy value comes from" in text
    assert "Give the year of the proxy value" in text
    # Fixed, it is added (the code clash is the service's, shown on the code field)
    response = client.post(
        _url(knowsley, "measures/new/"),
        {"outcome": outcome.pk, "code": "sv-1", "name": "Local jobs", "unit": "jobs"},
    )
    assert "already has a measure with the code" in response.content.decode()
    response = client.post(
        _url(knowsley, "measures/new/"),
        {
            "outcome": outcome.pk,
            "code": "SV-2",
            "name": "Local jobs",
            "unit": "jobs",
            "proxy_value": "£1,200.50",
            "proxy_source": "Council unit costs",
            "proxy_year": "2025",
            "contributes_to": [knowsley.outcome.pk],
        },
    )
    assert response.status_code == 302
    added = _measure(knowsley, "SV-2")
    assert (str(added.proxy_value), added.proxy_year) == ("1200.50", 2025)


def test_an_admin_changes_retires_and_publishes(knowsley: CouncilWorld) -> None:
    client = signed_in(knowsley.people[Role.ADMIN])
    measure = _measure(knowsley)
    edit = _url(knowsley, f"measures/{measure.pk}/edit/")
    page = client.get(edit).content.decode()
    assert "Version 1 of this measure is published" in page
    response = client.post(
        edit, {"outcome": measure.outcome_id, "code": "SV-1", "name": "Volunteering hours", "unit": "hours"}
    )
    assert response.status_code == 302
    assert _measure(knowsley).name == "Volunteering hours"
    # Publish: version 2 freezes the change
    assert client.post(_url(knowsley, "publish/"), {"note": "Renamed"}).status_code == 302
    with council_scope(knowsley.council):
        assert FrameworkVersion.objects.filter(council=knowsley.council).count() == 2
    # Nothing changed since: refused, on the page
    again = client.post(_url(knowsley, "publish/"), {"note": ""})
    assert "Nothing has changed since version 2" in again.content.decode()
    # Retire, from its confirmation page
    retire = _url(knowsley, f"measures/{measure.pk}/retire/")
    assert "Are you sure you want to retire" in client.get(retire).content.decode()
    assert client.post(retire, {"confirm": "1"}).status_code == 302
    assert _measure(knowsley).is_retired
    assert client.get(edit).status_code == 302  # a retired measure cannot be changed
    with council_scope(knowsley.council):
        actions = set(AuditEvent.objects.filter(council=knowsley.council).values_list("action", flat=True))
    assert {
        SocialValueAction.MEASURE_UPDATED,
        SocialValueAction.FRAMEWORK_PUBLISHED,
        SocialValueAction.MEASURE_RETIRED,
    } <= actions


def test_the_import_lists_each_bad_row_and_imports_nothing_until_fixed(knowsley: CouncilWorld) -> None:
    client = signed_in(knowsley.people[Role.ADMIN])

    def upload(text: str, name: str = "framework.csv") -> str:
        response = client.post(_url(knowsley, "import/"), {"file": SimpleUploadedFile(name, text.encode())})
        return response.content.decode() if response.status_code == 200 else f"redirect {response.status_code}"

    good = "Local economy,More local jobs,LJ-1,Local people hired,people,Payroll,,,"
    bad = "Local economy,More local jobs,LJ-2,Apprentices,,Agreements,12,,"
    page = upload(f"{HEADER}\n{good}\n{bad}\n")
    assert "Nothing was imported" in page
    assert "Enter the unit" in page and "Say where the proxy value comes from" in page
    assert '<td class="govuk-table__cell">3</td><td class="govuk-table__cell">unit</td>' in page
    with council_scope(knowsley.council):
        assert not Measure.objects.filter(council=knowsley.council, code__startswith="LJ").exists()
    assert "must be a CSV file" in upload("x", name="framework.xlsx")
    fixed = "Local economy,More local jobs,LJ-2,Apprentices,apprenticeships,Agreements,12,Own study,2025"
    assert upload(f"{HEADER}\n{good}\n{fixed}\n") == "redirect 302"
    with council_scope(knowsley.council):
        assert set(
            Measure.objects.filter(council=knowsley.council, code__startswith="LJ").values_list("code", flat=True)
        ) == {
            "LJ-1",
            "LJ-2",
        }


def test_the_export_is_the_framework_as_csv(knowsley: CouncilWorld) -> None:
    response = signed_in(knowsley.people[Role.ADMIN]).get(_url(knowsley, "export.csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {(r["code"], r["retired"]) for r in rows} == {("SV-1", ""), ("SV-OLD", "yes")}
    assert rows[0]["contributes_to"] == knowsley.outcome.title


def test_the_framework_page_costs_the_same_queries_at_two_sizes(client: Client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people[Role.ADMIN])
    pages = [_url(knowsley), f"/api/v1/councils/{knowsley.council.slug}/social-value/framework/"]
    with council_scope(knowsley.council):
        framework_rows(
            council=knowsley.council, themes=1, outcomes=1, measures=2, prefix="A", contributes_to=knowsley.outcome
        )
    small = query_counts(client, pages)
    with council_scope(knowsley.council):
        framework_rows(
            council=knowsley.council, themes=3, outcomes=4, measures=5, prefix="B", contributes_to=knowsley.outcome
        )
    assert query_counts(client, pages) == small
