"""The local spend policy and the tender policy: services, pages, permissions, the public checker, the API."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from commissioning.models import AuditEvent, LegalForm, OrganisationMember, OrganisationRole, Role
from commissioning.tenancy import council_scope
from tenders import selectors, services
from tenders.demo import seed_spend_policies
from tenders.eligibility import SME, VCSE, Band
from tenders.models import BankHoliday, ProcurementThreshold, SpendPolicyBand, TenderPolicy
from tenders.reference_data import load_all
from tests.factories import CouncilFactory, CouncilWorld, OrganisationFactory, UserFactory
from tests.helpers import signed_in
from tests.tenders.test_bids_helpers import merseyside_digital

D = Decimal


def today() -> date:
    """Today as the server sees it, read in each test (a module constant goes stale when a run crosses midnight)."""
    return timezone.localdate()


def tomorrow() -> date:
    return today() + timedelta(days=1)


NEW_BANDS = [
    Band(D(0), D(30000), reserved_for_local=True, reserved_for=frozenset({VCSE}), label="Community"),
    Band(D(30000), None, welcome=frozenset({SME}), label="Open"),
]


@pytest.fixture
def reference_data(db: None) -> None:
    # A transactional test elsewhere on this worker may have emptied the tables the migration filled.
    load_all()


def _audit(world: CouncilWorld, action: str) -> list[AuditEvent]:
    with council_scope(world.council):
        return list(AuditEvent.objects.filter(council=world.council, action=action))


def _text(response: Any) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


# --- Services -----------------------------------------------------------------------------------


@pytest.mark.world("policies")
def test_a_new_version_takes_effect_on_its_date_and_is_audited(knowsley: CouncilWorld) -> None:
    council, admin = knowsley.council, knowsley.people[Role.ADMIN]
    with council_scope(council):
        before = [b.label for b in selectors.spend_bands_in_force(council=council, on=today())]
        services.spend_policy_replace(council=council, actor=admin, bands=NEW_BANDS, effective_from=tomorrow())
        assert [b.label for b in selectors.spend_bands_in_force(council=council, on=today())] == before
        assert [b.label for b in selectors.spend_bands_in_force(council=council, on=tomorrow())] == [
            "Community",
            "Open",
        ]
        assert selectors.spend_bands_in_force(council=council, on=date(2000, 1, 1)) == []
        statuses = [v.status for v in selectors.spend_policy_versions(council=council, on=today())]
    assert statuses == ["scheduled", "in force"]
    [event] = _audit(knowsley, "spend_policy.replaced")
    assert event.actor == admin
    assert [b["label"] for b in event.before["bands"]] == before
    assert event.after["effective_from"] == tomorrow().isoformat()
    assert event.after["bands"][0] == {
        "label": "Community",
        "lower_bound": "0",
        "upper_bound": "30000",
        "currency": "GBP",
        "reserved_for_local": True,
        "reserved_for": ["vcse"],
        "welcome": [],
    }


def test_saving_again_for_the_same_date_replaces_that_version(knowsley: CouncilWorld) -> None:
    council, admin = knowsley.council, knowsley.people[Role.ADMIN]
    with council_scope(council):
        services.spend_policy_replace(council=council, actor=admin, bands=NEW_BANDS, effective_from=tomorrow())
        services.spend_policy_replace(
            council=council, actor=admin, bands=[Band(D(0), None, label="All")], effective_from=tomorrow()
        )
        assert [b.label for b in selectors.spend_bands_in_force(council=council, on=tomorrow())] == ["All"]
        assert SpendPolicyBand.objects.filter(council=council, effective_from=tomorrow()).count() == 1


def test_invalid_bands_and_past_dates_are_refused_and_nothing_changes(knowsley: CouncilWorld) -> None:
    council, admin = knowsley.council, knowsley.people[Role.ADMIN]
    with council_scope(council):
        count = SpendPolicyBand.objects.count()
        with pytest.raises(ValidationError) as overlap:
            services.spend_policy_replace(
                council=council,
                actor=admin,
                bands=[Band(D(0), D(5000)), Band(D(4000), None)],
                effective_from=tomorrow(),
            )
        assert overlap.value.messages == ["Band 2 overlaps band 1: start band 2 at £5,000, where band 1 ends"]
        with pytest.raises(ValidationError) as past:
            services.spend_policy_replace(
                council=council, actor=admin, bands=NEW_BANDS, effective_from=today() - timedelta(days=1)
            )
        assert "effective_from" in past.value.message_dict
        assert SpendPolicyBand.objects.count() == count
    assert _audit(knowsley, "spend_policy.replaced") == []


def test_a_band_may_not_reserve_contracts_above_the_threshold(knowsley: CouncilWorld, reference_data: None) -> None:
    council, admin = knowsley.council, knowsley.people[Role.ADMIN]
    with council_scope(council):
        with pytest.raises(ValidationError) as refused:
            services.spend_policy_replace(
                council=council,
                actor=admin,
                bands=[Band(D(0), D(300000), reserved_for_local=True, label="Local"), Band(D(300000))],
                effective_from=tomorrow(),
            )
        [message] = refused.value.messages
        assert "ends at £300,000" in message and "£207,720" in message
        assert not SpendPolicyBand.objects.filter(council=council, effective_from=tomorrow()).exists()
        # Up to the threshold is allowed.
        services.spend_policy_replace(
            council=council,
            actor=admin,
            bands=[Band(D(0), D(207720), reserved_for_local=True, label="Local"), Band(D(207720))],
            effective_from=tomorrow(),
        )


@pytest.mark.world("policies")
def test_the_tender_policy_is_audited_and_keeps_the_legal_minimum_standstill(knowsley: CouncilWorld) -> None:
    council, admin = knowsley.council, knowsley.people[Role.ADMIN]
    with council_scope(council):
        services.tender_policy_update(
            council=council, actor=admin, minimum_social_value_weight=D("12.5"), standstill_days=10
        )
        policy = selectors.tender_policy(council=council)
        assert (policy.minimum_social_value_weight, policy.standstill_days) == (D("12.5"), 10)
        with pytest.raises(ValidationError):
            services.tender_policy_update(
                council=council, actor=admin, minimum_social_value_weight=D(10), standstill_days=7
            )
        # Saving the same values again is not a change.
        services.tender_policy_update(
            council=council, actor=admin, minimum_social_value_weight=D("12.50"), standstill_days=10
        )
    [event] = _audit(knowsley, "tender_policy.changed")
    # The evaluation settings (unchanged here) are in the snapshot too.
    evaluation = {
        "minimum_evaluators": 2,
        "justification_minimum_length": 50,
        "moderation_spread_percent": "40.00",
        "abnormally_low_percent": "70.00",
    }
    assert event.before == {"minimum_social_value_weight": "10.00", "standstill_days": 8, **evaluation}
    assert event.after == {"minimum_social_value_weight": "12.5", "standstill_days": 10, **evaluation}


def test_a_council_without_a_tender_policy_gets_the_defaults(db: None) -> None:
    council = CouncilFactory()
    with council_scope(council):
        policy = selectors.tender_policy(council=council)
    assert policy.pk is None and policy.minimum_social_value_weight == 10 and policy.standstill_days == 8


def test_the_demo_policies_are_seeded_once(db: None) -> None:
    councils = {"knowsley": CouncilFactory(slug="knowsley"), "southwark": CouncilFactory(slug="southwark")}
    seed_spend_policies(councils)
    seed_spend_policies(councils)
    with council_scope(councils["knowsley"]):
        bands = selectors.spend_bands_in_force(council=councils["knowsley"], on=today())
        assert [b.as_band().value_range for b in bands] == [
            "Below £5,000",
            "£5,000 to under £181,000",
            "£181,000 or more",
        ]
        assert TenderPolicy.objects.count() == 1
    with council_scope(councils["southwark"]):
        assert len(selectors.spend_bands_in_force(council=councils["southwark"], on=today())) == 3


# --- Reference data ------------------------------------------------------------------------------


def test_bank_holidays_and_thresholds_are_data(reference_data: None) -> None:
    assert BankHoliday.objects.count() == 32
    assert date(2026, 12, 28) in selectors.holiday_dates(between=(date(2026, 12, 1), date(2026, 12, 31)))
    amounts = {t.key: t.amount for t in selectors.thresholds_in_force(on=date(2026, 6, 1))}
    assert amounts["sub-central-goods-services"] == D(207720)
    assert amounts["light-touch"] == D(663540)
    assert amounts["notifiable-below-threshold"] == D(30000)
    # Before 2026 only the below-threshold publication rule is in this data.
    assert {t.key for t in selectors.thresholds_in_force(on=date(2025, 6, 1))} == {
        "notifiable-below-threshold",
        "notifiable-below-threshold-central-government",
    }
    load_all()  # idempotent
    assert ProcurementThreshold.objects.count() == 7


# --- Permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("permission", "roles"),
    [("council.change_spend_policy", {Role.ADMIN}), ("tenders.view_policy", set(Role.values))],
)
def test_permissions_by_role(permission: str, roles: set[str], knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    allowed = {role for role, person in knowsley.people.items() if person.has_perm(permission, knowsley.council)}
    assert allowed == roles
    assert not any(p.has_perm(permission, knowsley.council) for p in southwark.people.values())


@pytest.mark.parametrize("role", Role.values)
def test_settings_pages_by_role(role: str, knowsley: CouncilWorld) -> None:
    client = signed_in(knowsley.people[role])
    is_admin = role == Role.ADMIN
    assert client.get("/c/knowsley/settings/spend-policy/").status_code == 200
    assert client.get("/c/knowsley/settings/tender-policy/").status_code == 200
    assert client.get("/c/knowsley/settings/spend-policy/edit/").status_code == (200 if is_admin else 403)
    post = client.post(
        "/c/knowsley/settings/tender-policy/", {"minimum_social_value_weight": "20", "standstill_days": "8"}
    )
    assert post.status_code == (302 if is_admin else 403)


def test_a_provider_and_a_stranger_cannot_see_the_settings(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    assert signed_in(knowsley.provider).get("/c/knowsley/settings/spend-policy/").status_code == 404
    assert signed_in(southwark.people[Role.ADMIN]).get("/c/knowsley/settings/spend-policy/edit/").status_code == 404
    assert Client().get("/c/knowsley/settings/spend-policy/").status_code == 302


@pytest.mark.world("policies")
def test_the_settings_page_shows_the_bands_in_force_and_the_history(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        services.spend_policy_replace(
            council=knowsley.council, actor=knowsley.people[Role.ADMIN], bands=NEW_BANDS, effective_from=tomorrow()
        )
    text = _text(signed_in(knowsley.people[Role.COMMISSIONER]).get("/c/knowsley/settings/spend-policy/"))
    assert "In force today" in text and "Intermediate value" in text
    assert f"From {tomorrow().day} {tomorrow():%B %Y}" in text and "Community" in text
    assert "Change the bands" not in text  # only admins change them


# --- The edit form -------------------------------------------------------------------------------


def _band_post(bands: list[dict[str, str]], effective_from: date, initial: int = 0) -> dict[str, str]:
    data = {
        "bands-TOTAL_FORMS": str(len(bands)),
        "bands-INITIAL_FORMS": str(initial),
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "20",
        "effective_from": effective_from.isoformat(),
    }
    for i, band in enumerate(bands):
        data.update({f"bands-{i}-{k}": v for k, v in band.items() if not isinstance(v, list)})
    return data


def test_an_overlapping_band_is_shown_next_to_its_field_and_nothing_is_lost(knowsley: CouncilWorld) -> None:
    client = signed_in(knowsley.people[Role.ADMIN])
    data = _band_post(
        [
            {"label": "Small", "lower_bound": "0", "upper_bound": "5,000", "reserved_for_local": "on"},
            {"label": "Middle", "lower_bound": "4000", "upper_bound": "181000"},
            {"label": "", "lower_bound": "181000", "upper_bound": ""},
        ],
        tomorrow(),
    )
    data["bands-0-reserved_for"] = "vcse"
    response = client.post("/c/knowsley/settings/spend-policy/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Change the local spend policy" in html
    message = "Band 2 overlaps band 1: start band 2 at £5,000, where band 1 ends"
    # In the summary, linked to the field; and beside the field itself.
    assert f'<a href="#id_bands-1-lower_bound">{message}</a>' in html
    assert re.search(rf'id="id_bands-1-lower_bound-error">.*?{message}', html, re.S)
    assert html.index("govuk-error-summary") < html.index("<h1")
    # What the admin typed is still there.
    assert 'value="4000"' in html and 'value="Middle"' in html and 'value="5,000"' in html
    assert re.search(r'<input[^>]*name="bands-0-reserved_for"[^>]*value="vcse"[^>]*checked', html)
    with council_scope(knowsley.council):
        assert not SpendPolicyBand.objects.filter(effective_from=tomorrow()).exists()


def test_a_missing_amount_and_a_past_date_are_shown_beside_their_fields(knowsley: CouncilWorld) -> None:
    client = signed_in(knowsley.people[Role.ADMIN])
    data = _band_post([{"label": "x", "lower_bound": "", "upper_bound": "lots"}], today() - timedelta(days=3))
    html = client.post("/c/knowsley/settings/spend-policy/edit/", data).content.decode()
    assert "Enter the amount band 1 starts from" in html
    assert "Enter the amount band 1 goes up to as an amount in pounds" in html
    assert 'id="id_effective_from-error"' in html
    assert "The date the bands take effect must be today or in the future" in html


@pytest.mark.world("policies")
def test_an_admin_saves_valid_bands_with_a_removed_row_and_blank_extras(knowsley: CouncilWorld) -> None:
    client = signed_in(knowsley.people[Role.ADMIN])
    form = client.get("/c/knowsley/settings/spend-policy/edit/")
    page = form.content.decode()
    assert 'name="bands-TOTAL_FORMS" value="4"' in page  # 3 bands in force and a blank one
    assert 'name="bands-1-upper_bound" value="181,000"' in page
    # GOV.UK's date input: day, month and year boxes.
    for part, value in (("day", today().day), ("month", today().month), ("year", today().year)):
        assert f'name="effective_from_{part}" value="{value}"' in page
    data = _band_post(
        [
            {"label": "Local", "lower_bound": "0", "upper_bound": "£10,000", "reserved_for_local": "on"},
            {"label": "Gone", "lower_bound": "5", "upper_bound": "6", "DELETE": "on"},
            {"label": "Open", "lower_bound": "10000", "upper_bound": ""},
            {"label": "", "lower_bound": "", "upper_bound": ""},
        ],
        tomorrow(),
        initial=3,
    )
    data["bands-2-welcome"] = "vcse"
    response = client.post("/c/knowsley/settings/spend-policy/edit/", data)
    assert response.status_code == 302, _text(response)[-3000:]
    with council_scope(knowsley.council):
        bands = selectors.spend_bands_in_force(council=knowsley.council, on=tomorrow())
    assert [(b.label, b.lower_bound, b.upper_bound) for b in bands] == [
        ("Local", D(0), D(10000)),
        ("Open", D(10000), None),
    ]
    assert bands[1].welcome_vcse and bands[0].reserved_for_local
    assert len(_audit(knowsley, "spend_policy.replaced")) == 1


def test_the_tender_policy_form_explains_its_errors(knowsley: CouncilWorld) -> None:
    client = signed_in(knowsley.people[Role.ADMIN])
    html = client.post(
        "/c/knowsley/settings/tender-policy/", {"minimum_social_value_weight": "120", "standstill_days": "5"}
    ).content.decode()
    assert "The minimum social value weight must be 100 or less" in html
    assert "The standstill period must be at least 8 working days" in html
    assert 'value="120"' in html


def test_the_council_settings_page_links_to_the_policy_pages(knowsley: CouncilWorld) -> None:
    html = signed_in(knowsley.people[Role.ADMIN]).get("/c/knowsley/settings/").content.decode()
    assert 'href="/c/knowsley/settings/spend-policy/"' in html
    assert 'href="/c/knowsley/settings/tender-policy/"' in html


# --- The public page and its eligibility checker ----------------------------------------------------


@pytest.mark.world("policies")
def test_anyone_can_read_the_policy(knowsley: CouncilWorld, reference_data: None) -> None:
    text = _text(Client().get("/c/knowsley/spend-policy/"))
    assert (
        "This opportunity is reserved for organisations based in Knowsley (postcode districts L34, L35, L36)." in text
    )
    assert "Open to all organisations." in text
    assert "£207,720 including VAT" in text and "£30,000 including VAT" in text
    assert "8 working days" in text
    assert "Sign in</a> to check for your organisation" in text


@pytest.mark.world("policies")
def test_the_checker_gives_the_band_to_anyone(knowsley: CouncilWorld) -> None:
    text = _text(Client().get("/c/knowsley/spend-policy/", {"estimated_value": "£20,000"}))
    assert "An opportunity worth £20,000" in text
    assert "Intermediate value (£5,000 to under £181,000)" in text
    assert "VCSE organisations and SMEs are welcome." in text


def test_the_checker_says_a_local_cic_can_bid(knowsley: CouncilWorld) -> None:
    cic = OrganisationFactory(
        name="Innovate Volunteering CIC",
        legal_form=LegalForm.CIC,
        charity_number="",
        companies_house_number="11234567",
        postcode="L36 9UJ",
    )
    OrganisationMember.objects.create(organisation=cic, user=knowsley.provider, role=OrganisationRole.OWNER)
    client = signed_in(knowsley.provider)
    text = _text(client.get("/c/knowsley/spend-policy/", {"estimated_value": "150000", "organisation": cic.pk}))
    assert "Innovate Volunteering CIC can bid</strong> for an opportunity worth £150,000" in text


@pytest.mark.world("policies")
def test_the_checker_tells_a_non_local_company_why_not_and_what_would_help(knowsley: CouncilWorld) -> None:
    person = UserFactory()
    company = merseyside_digital(person)
    text = _text(
        signed_in(person).get("/c/knowsley/spend-policy/", {"estimated_value": "150000", "organisation": company.pk})
    )
    assert "Merseyside Digital Ltd cannot bid for an opportunity worth £150,000." in text
    assert (
        "Your organisation's registered postcode L2 2HF is not in Knowsley Council's local area (L34, L35, L36)."
        in text
    )
    assert "What would make it eligible" in text
    assert "As it is, your organisation can bid for opportunities worth £181,000 or more." in text


def test_the_checker_refuses_someone_elses_organisation_and_a_bad_amount(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    client = signed_in(knowsley.provider)
    html = client.get(
        "/c/knowsley/spend-policy/", {"estimated_value": "lots", "organisation": southwark.organisation.pk}
    ).content.decode()
    assert "<title>Error: Local spend policy" in html
    assert "Select one of your organisations" in html
    assert "Enter the estimated value of the contract as an amount in pounds" in html
    assert southwark.organisation.name not in html


def test_the_eligibility_helper_without_bands_says_open_to_all(db: None) -> None:
    council = CouncilFactory()
    organisation = OrganisationFactory()
    with council_scope(council):
        answer = selectors.organisation_eligibility(
            council=council, organisation=organisation, estimated_value=D(1000), on=today()
        )
    assert answer.band is None and answer.eligibility.eligible and answer.notice == "Open to all organisations."


# --- API -----------------------------------------------------------------------------------------


@pytest.mark.world("policies")
def test_the_spend_policy_api_is_public(knowsley: CouncilWorld) -> None:
    body = Client().get("/api/v1/councils/knowsley/spend-policy/").json()
    assert body["council"] == "knowsley" and body["local_area"] == ["L34", "L35", "L36"]
    assert [b["value_range"] for b in body["bands"]] == ["Below £5,000", "£5,000 to under £181,000", "£181,000 or more"]
    assert body["bands"][1]["welcome"] == ["sme", "vcse"]
    assert body["bands"][2]["upper_bound"] is None
    assert body["bands"][0]["notice"].startswith("This opportunity is reserved for organisations based in Knowsley")
    past = Client().get("/api/v1/councils/knowsley/spend-policy/", {"on": "2000-01-01"}).json()
    assert past["bands"] == [] and past["effective_from"] is None
    bad = Client().get("/api/v1/councils/knowsley/spend-policy/", {"on": "soon"})
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["on"]
    assert Client().get("/api/v1/councils/nowhere/spend-policy/").status_code == 404


def test_thresholds_and_bank_holidays_api(reference_data: None) -> None:
    thresholds = Client().get("/api/v1/thresholds/", {"on": "2026-06-01"}).json()["results"]
    assert {t["key"]: t["amount"] for t in thresholds}["sub-central-goods-services"] == "207720.00"
    holidays = Client().get("/api/v1/bank-holidays/", {"year": 2027}).json()
    assert holidays["count"] == 8
    assert holidays["results"][-1] == {
        "date": "2027-12-28",
        "name": "Boxing Day (substitute day)",
        "region": "england-and-wales",
    }
    assert Client().get("/api/v1/bank-holidays/", {"year": "x"}).status_code == 400
