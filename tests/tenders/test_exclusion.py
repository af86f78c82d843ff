"""Exclusion grounds answered properly (Procurement Act 2023 ss. 57-58, Schedules 6-7): no bare yes,
errors beside the fields, sealed like the rest of the bid, read by the council when it opens the bids."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import exclusion, sealing, selectors
from tenders.models import Bid, BidSubmission
from tests.factories import CouncilWorld, bid_content
from tests.helpers import signed_in
from tests.tenders.test_bids_helpers import local_charity
from tests.tenders.test_bids_pages import _start, _url
from tests.tenders.test_opening import bids_url, open_bids, published_tender, the_bid

pytestmark = pytest.mark.world("published")

DETAILS = "In 2024 a former director was convicted of fraud (Liverpool Crown Court, 3 May 2024)."
CLEANING = "The director resigned; we repaid the council and an auditor now checks every invoice."


# --- The rule (pure) -----------------------------------------------------------------------------


def test_the_grounds_are_those_of_schedules_6_and_7_with_unique_keys() -> None:
    kinds = {g.kind for g in exclusion.GROUNDS}
    assert kinds == {exclusion.MANDATORY, exclusion.DISCRETIONARY}
    assert len(exclusion.BY_KEY) == len(exclusion.GROUNDS)
    assert "Theft, fraud and bribery" in dict(exclusion.choices(exclusion.MANDATORY)).values()
    assert "Breach of contract and poor performance" in dict(exclusion.choices(exclusion.DISCRETIONARY)).values()
    assert exclusion.names(["insolvency", "nonsense", "terrorism"]) == [
        "Terrorism and offences having a terrorist connection",
        "Insolvency or bankruptcy",
    ]


@pytest.mark.parametrize(
    ("declarations", "fields"),
    [
        ({}, ["exclusion_grounds"]),
        ({"exclusion_grounds": False}, []),
        ({"exclusion_grounds": True}, ["exclusion_ground_keys", "exclusion_details"]),
        (
            {"exclusion_grounds": True, "exclusion_ground_keys": ["not-a-ground"], "exclusion_details": "x"},
            ["exclusion_ground_keys"],
        ),
        (
            {"exclusion_grounds": True, "exclusion_ground_keys": ["insolvency"], "exclusion_details": "  "},
            ["exclusion_details"],
        ),
        ({"exclusion_grounds": True, "exclusion_ground_keys": ["insolvency"], "exclusion_details": "x"}, []),
    ],
)
def test_a_yes_needs_the_grounds_and_what_happened(declarations: dict, fields: list[str]) -> None:
    assert [p.field for p in exclusion.exclusion_problems(declarations)] == fields


# --- The bid page --------------------------------------------------------------------------------


def test_a_bare_yes_is_refused_beside_the_fields_and_nothing_typed_is_lost(knowsley: CouncilWorld) -> None:
    _, person = local_charity()
    client = signed_in(person)
    bid = _start(knowsley, client)
    url = _url("bid_declarations", bid)
    page = client.get(url).content.decode()
    assert "Schedule 6: mandatory exclusion grounds" in page and "Schedule 7: discretionary exclusion grounds" in page
    assert "Corporate manslaughter or corporate homicide" in page and "Acting improperly in procurement" in page

    bare = client.post(url, {"revision": 1, "exclusion_grounds": "yes", "conflicts": "no", "self_cleaning": CLEANING})
    text = bare.content.decode()
    assert bare.status_code == 200 and "There is a problem" in text
    # Each error sits in the summary and beside its own field (GOV.UK: the field's error message).
    for message, field in (
        ("Choose the exclusion grounds that apply", "mandatory_grounds"),
        ("Describe what happened, when, and who it involved", "exclusion_details"),
    ):
        assert re.search(rf'id="id_{field}-error"[^>]*>.*?{message}', text, re.S), field
    assert CLEANING in text  # kept
    with council_scope(knowsley.council):
        bid.refresh_from_db()
        assert selectors.bid_draft(bid)["declarations"]["exclusion_grounds"] is None  # nothing saved

    done = client.post(
        url,
        {
            "revision": 1,
            "exclusion_grounds": "yes",
            "mandatory_grounds": ["theft_fraud_bribery"],
            "discretionary_grounds": ["professional_misconduct"],
            "exclusion_details": DETAILS,
            "self_cleaning": CLEANING,
            "conflicts": "no",
        },
    )
    assert done.status_code == 302
    with council_scope(knowsley.council):
        bid.refresh_from_db()
        declared = selectors.bid_draft(bid)["declarations"]
    assert declared["exclusion_ground_keys"] == ["theft_fraud_bribery", "professional_misconduct"]
    assert declared["exclusion_details"] == DETAILS and declared["self_cleaning"] == CLEANING
    again = client.get(url).content.decode()
    assert DETAILS in again and re.search(r'value="theft_fraud_bribery"[^>]*checked', again)

    # Sealed like the rest: the row holds ciphertext only.
    with council_scope(knowsley.council), connection.cursor() as cursor:
        cursor.execute("SELECT draft FROM tenders_bid WHERE id = %s", [bid.pk])
        (stored,) = cursor.fetchone()
    assert "convicted of fraud" not in stored and "auditor" not in stored and "theft_fraud_bribery" not in stored

    # A "no" afterwards clears what the "yes" said.
    client.post(url, {"revision": 2, "exclusion_grounds": "no", "conflicts": "no", "exclusion_details": DETAILS})
    with council_scope(knowsley.council):
        bid.refresh_from_db()
        cleared = selectors.bid_draft(bid)["declarations"]
    assert cleared["exclusion_grounds"] is False and cleared["exclusion_details"] == ""
    assert cleared["exclusion_ground_keys"] == []


def test_submission_is_refused_with_a_bare_yes(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
        draft = {**bid_content(slug="knowsley", tender=tender)}
        draft["declarations"] = {"exclusion_grounds": True, "conflicts": False, "conflicts_details": ""}
        fields = [p.field for p in selectors.bid_problems(tender=tender, draft=draft)]
    assert "exclusion_ground_keys" in fields and "exclusion_details" in fields


# --- The council reads them when it opens the bids -------------------------------------------------


def _declare_yes(world: CouncilWorld) -> Bid:
    tender = open_bids(world)
    bid = the_bid(world)
    with council_scope(world.council):
        content = bid_content(slug=world.council.slug, tender=tender)
        content["declarations"] = {
            "exclusion_grounds": True,
            "exclusion_ground_keys": ["breach_of_contract", "tax_offences"],
            "exclusion_details": DETAILS,
            "self_cleaning": CLEANING,
            "conflicts": False,
            "conflicts_details": "",
        }
        BidSubmission.objects.filter(council=world.council, bid=bid).update(content=sealing.seal_json(tender, content))
    return bid


@pytest.mark.world("bids")
def test_the_opening_page_and_api_show_the_grounds_details_and_self_cleaning(knowsley: CouncilWorld) -> None:
    bid = _declare_yes(knowsley)
    tender = published_tender(knowsley)
    client = Client()
    client.force_login(knowsley.people[Role.COMMISSIONER])
    text = client.get(bids_url(knowsley, tender, f"{bid.pk}/")).content.decode()
    for expected in ("Tax offences", "Breach of contract and poor performance", DETAILS, CLEANING):
        assert expected in text.replace("&#x27;", "'"), expected
    body = client.get(f"/api/v1/councils/knowsley/tenders/{tender.pk}/bids/{bid.pk}/").json()
    declared = body["declarations"]
    assert declared["exclusion_grounds"] is True
    assert declared["exclusion_ground_keys"] == ["tax_offences", "breach_of_contract"]  # the Schedules' order
    assert declared["exclusion_ground_names"] == ["Tax offences", "Breach of contract and poor performance"]
    assert declared["exclusion_details"] == DETAILS and declared["self_cleaning"] == CLEANING
    with council_scope(knowsley.council):
        opened = selectors.opened_bid(tender=tender, bid_id=bid.pk)
    failed = {check.label: check.detail for check in opened.checks if not check.passed}
    assert "Tax offences; Breach of contract and poor performance" in failed["No grounds for exclusion declared"]
