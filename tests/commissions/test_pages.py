"""Commission pages: what each role sees and may do, the appraisal, and the outcomes framework."""

from __future__ import annotations

import re

import pytest

from commissioning.models import AuditEvent, Commission, DeliveryOption, Outcome, Role
from commissioning.tenancy import council_scope
from tests.factories import EVERYTHING, CouncilWorld, IndicatorFactory, OutcomeFactory, commission_in
from tests.helpers import query_counts

REASON = "Residents trust community organisations more, and local VCSE groups run the venues."


def _commission(world: CouncilWorld, **kwargs) -> Commission:  # type: ignore[no-untyped-def]
    with council_scope(world.council):
        return commission_in(world.council, by=world.people[Role.COMMISSIONER], **kwargs)


def _reload(world: CouncilWorld, commission: Commission) -> None:
    with council_scope(world.council):
        commission.refresh_from_db()


def _url(world: CouncilWorld, suffix: str = "") -> str:
    return f"/c/{world.council.slug}/{suffix}"


@pytest.mark.world("commissions")
def test_a_commissioner_opens_a_commission_with_values_written_as_people_write_them(
    client, knowsley: CouncilWorld
) -> None:
    # Given a commissioner and the framework's outcome
    client.force_login(knowsley.people[Role.COMMISSIONER])
    with council_scope(knowsley.council):
        outcome = Outcome.objects.get(council=knowsley.council)
    # When they open a commission, writing £ and commas
    response = client.post(
        _url(knowsley, "commissions/new/"),
        {
            "title": "Warm spaces",
            "need": "Places to keep warm and meet people.",
            "outcomes": [outcome.pk],
            "estimated_annual_value": "£12,500",
            "whole_life_value": "37,500.50",
        },
    )
    # Then they see it, with the values formatted and the appraisal ready, in-house first
    assert response.status_code == 302
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Warm spaces" in text and "£12,500" in text and "£37,500.50" in text
    assert outcome.title in text
    assert text.index("In-house delivery") < text.index("Social investment")
    assert "Record the options appraisal decision first" in text


def test_bad_values_are_explained_next_to_the_fields_and_nothing_is_saved(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people[Role.COMMISSIONER])
    with council_scope(knowsley.council):
        before = Commission.objects.filter(council=knowsley.council).count()
    response = client.post(
        _url(knowsley, "commissions/new/"),
        {"title": "Warm spaces", "need": "", "estimated_annual_value": "lots", "whole_life_value": "-5"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "<title>Error: Open a commission" in text
    assert text.index("govuk-error-summary") < text.index("<h1")
    assert "Enter the estimated annual value as an amount in pounds, like 12,500 or 12500.50" in text
    assert "The whole-life value must be more than £0" in text
    assert "Enter the need" in text
    assert 'value="lots"' in text  # what was typed is kept
    assert 'class="govuk-input__prefix" aria-hidden="true">£</div>' in text
    # The whole-life value is checked against the annual value, next to the field
    response = client.post(
        _url(knowsley, "commissions/new/"),
        {"title": "Warm spaces", "need": "x", "estimated_annual_value": "50000", "whole_life_value": "20000"},
    )
    assert "The whole-life value must be at least the estimated annual value" in response.content.decode()
    with council_scope(knowsley.council):
        assert Commission.objects.filter(council=knowsley.council).count() == before


def test_editing_with_bad_input_keeps_what_is_saved(client, knowsley: CouncilWorld) -> None:
    commission = _commission(knowsley, title="Warm spaces")
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, f"commissions/{commission.pk}/edit/")
    assert 'value="60000.00"' in client.get(url).content.decode()
    response = client.post(url, {"title": "", "need": "x", "estimated_annual_value": "1", "whole_life_value": "2"})
    assert response.status_code == 200 and "Enter title" in response.content.decode()
    _reload(knowsley, commission)
    assert commission.title == "Warm spaces"
    response = client.post(
        url, {"title": "Warm hubs", "need": "x", "estimated_annual_value": "1000", "whole_life_value": "3000"}
    )
    assert response.status_code == 302
    _reload(knowsley, commission)
    assert (commission.title, commission.whole_life_value) == ("Warm hubs", 3000)


def test_the_appraisal_pre_selects_in_house_and_a_contract_needs_a_reason(client, knowsley: CouncilWorld) -> None:
    commission = _commission(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, f"commissions/{commission.pk}/appraisal/")
    # In-house is pre-selected
    page = client.get(url).content.decode()
    checked = re.findall(r'<input type="radio" name="decision-decision" value="(\w+)"[^>]*\schecked', page)
    assert checked == ["in_house"]
    # Notes are saved, and saving them decides nothing
    response = client.post(url, {"notes-in_house": "We lack the staff.", "notes-contract": "Local VCSE can bid."})
    assert response.status_code == 302
    _reload(knowsley, commission)
    assert commission.decision is None
    with council_scope(knowsley.council):
        assert commission.options.get(kind="in_house").notes == "We lack the staff."
    # A contract with a short reason is refused, next to the reason field; the choice is kept
    response = client.post(
        url, {"record_decision": "", "decision-decision": "contract", "decision-decision_reason": "Better."}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<title>Error: Options appraisal" in text
    assert "Explain why the service should not be delivered in-house, in at least 20 characters" in text
    assert text.index("govuk-error-summary") < text.index("<h1")
    _reload(knowsley, commission)
    assert commission.decision is None
    # With a reason, the decision is recorded and the next step is a tender
    response = client.post(
        url, {"record_decision": "", "decision-decision": "contract", "decision-decision_reason": REASON}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "You can now create a tender." in page
    assert REASON in page and knowsley.people[Role.COMMISSIONER].name in page


def test_notes_typed_before_recording_the_decision_are_kept(client, knowsley: CouncilWorld) -> None:
    # Given a commissioner who types notes on each option and then a decision, in one go
    commission = _commission(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, f"commissions/{commission.pk}/appraisal/")
    typed = {"notes-in_house": "No staff for it.", "notes-grant": "Too small for a grant round."}
    # When the decision is refused (no reason), the notes come back as typed and nothing is saved
    response = client.post(url, {**typed, "record_decision": "", "decision-decision": "contract"})
    text = response.content.decode()
    assert response.status_code == 200 and "No staff for it." in text and "Too small for a grant round." in text
    with council_scope(knowsley.council):
        assert commission.options.get(kind="in_house").notes == ""
    # When they record it with a reason, the notes are saved with the decision
    response = client.post(
        url, {**typed, "record_decision": "", "decision-decision": "contract", "decision-decision_reason": REASON}
    )
    assert response.status_code == 302
    _reload(knowsley, commission)
    assert commission.decision == DeliveryOption.CONTRACT
    with council_scope(knowsley.council):
        notes = dict(commission.options.values_list("kind", "notes"))
        assert notes["in_house"] == "No staff for it." and notes["grant"] == "Too small for a grant round."
        assert AuditEvent.objects.filter(council=knowsley.council, action="appraisal_option.updated").count() == 2


def test_saving_notes_keeps_a_decision_typed_but_not_recorded(client, knowsley: CouncilWorld) -> None:
    commission = _commission(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, f"commissions/{commission.pk}/appraisal/")
    response = client.post(
        url,
        {
            "save_notes": "",
            "notes-in_house": "No staff.",
            "decision-decision": "contract",
            "decision-decision_reason": "Local charities already run it well.",
        },
    )
    text = response.content.decode()
    # The notes are saved, the decision is not recorded but stays on the page as typed
    assert response.status_code == 200 and "Your decision is not recorded yet" in text
    assert "Local charities already run it well." in text
    assert re.findall(r'<input type="radio" name="decision-decision" value="(\w+)"[^>]*\schecked', text) == ["contract"]
    _reload(knowsley, commission)
    assert commission.decision is None
    with council_scope(knowsley.council):
        assert commission.options.get(kind="in_house").notes == "No staff."


def test_an_in_house_decision_says_no_tender_follows(client, knowsley: CouncilWorld) -> None:
    commission = _commission(knowsley, decision=DeliveryOption.IN_HOUSE, reason="We have the staff.")
    client.force_login(knowsley.people[Role.EVALUATOR])
    page = client.get(_url(knowsley, f"commissions/{commission.pk}/")).content.decode()
    assert (
        "This commission&#x27;s decision is in-house delivery: a tender needs the decision &#x27;contract&#x27;" in page
    )
    assert "You can now create" not in page


@pytest.mark.world("commissions")
@pytest.mark.parametrize(
    ("role", "view", "change", "decide", "manage_outcomes"),
    [
        (Role.ADMIN, 200, 403, 403, 200),
        (Role.COMMISSIONER, 200, 200, 200, 200),
        (Role.EVALUATOR, 200, 403, 403, 403),
        (Role.OFFICER, 200, 403, 403, 403),
        (Role.CITIZEN, 403, 403, 403, 403),
    ],
)
def test_permissions_by_role(
    client, knowsley: CouncilWorld, role: str, view: int, change: int, decide: int, manage_outcomes: int
) -> None:
    commission = _commission(knowsley)
    with council_scope(knowsley.council):
        outcome = Outcome.objects.filter(council=knowsley.council).first()
    client.force_login(knowsley.people[role])
    assert client.get(_url(knowsley, "commissions/")).status_code == view
    assert client.get(_url(knowsley, f"commissions/{commission.pk}/")).status_code == view
    assert client.get(_url(knowsley, "outcomes/")).status_code == view
    assert client.get(_url(knowsley, "commissions/new/")).status_code == change
    assert client.get(_url(knowsley, f"commissions/{commission.pk}/edit/")).status_code == change
    assert client.get(_url(knowsley, f"commissions/{commission.pk}/appraisal/")).status_code == change
    decided = client.post(
        _url(knowsley, f"commissions/{commission.pk}/appraisal/"),
        {"record_decision": "", "decision-decision": "contract", "decision-decision_reason": REASON},
    )
    assert decided.status_code == (302 if decide == 200 else 403)
    assert client.get(_url(knowsley, "outcomes/new/")).status_code == manage_outcomes
    assert client.get(_url(knowsley, f"outcomes/{outcome.pk}/edit/")).status_code == manage_outcomes
    assert client.get(_url(knowsley, f"outcomes/{outcome.pk}/indicators/new/")).status_code == manage_outcomes
    # The service navigation offers Commissions only to those who may see them
    dashboard = client.get(_url(knowsley, "dashboard/")).content.decode()
    assert (">Commissions<" in dashboard) == (view == 200)


@pytest.mark.world(EVERYTHING)
def test_another_councils_members_get_404_and_see_nothing(
    client, knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    with council_scope(southwark.council):
        theirs = Commission.objects.get(council=southwark.council)
        their_outcome = Outcome.objects.get(council=southwark.council)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    # Their council's pages: 404, as for any non-member
    assert client.get("/c/southwark/commissions/").status_code == 404
    # Their ids under my council: 404 too, and nothing of theirs shown
    for path in (
        f"commissions/{theirs.pk}/",
        f"commissions/{theirs.pk}/edit/",
        f"commissions/{theirs.pk}/appraisal/",
        f"outcomes/{their_outcome.pk}/edit/",
        f"outcomes/{their_outcome.pk}/indicators/new/",
    ):
        for method in ("get", "post"):
            response = getattr(client, method)(_url(knowsley, path))
            assert response.status_code == 404, (method, path)
            assert "southwark-private" not in response.content.decode()
    for path in ("commissions/", "outcomes/", "dashboard/"):
        assert "southwark-private" not in client.get(_url(knowsley, path)).content.decode()
    # Choosing their outcome for my commission is refused
    response = client.post(
        _url(knowsley, "commissions/new/"),
        {
            "title": "Sneaky",
            "need": "x",
            "outcomes": [their_outcome.pk],
            "estimated_annual_value": "1",
            "whole_life_value": "1",
        },
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


@pytest.mark.world("commissions")
def test_the_commissioners_dashboard_lists_their_commissions(client, knowsley: CouncilWorld) -> None:
    _commission(knowsley, title="Warm spaces")
    client.force_login(knowsley.people[Role.COMMISSIONER])
    page = client.get(_url(knowsley, "dashboard/")).content.decode()
    assert "Warm spaces" in page and "Not decided" in page
    assert "knowsley-private-commission" in page  # theirs too, decided
    assert 'href="/c/knowsley/commissions/"' in page


def test_admins_add_outcomes_and_indicators_to_the_framework(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people[Role.ADMIN])
    response = client.post(
        _url(knowsley, "outcomes/new/"),
        {"title": "Residents have a say in services", "description": "Co-design.", "is_active": "on"},
    )
    assert response.status_code == 302
    with council_scope(knowsley.council):
        outcome = Outcome.objects.get(council=knowsley.council, title="Residents have a say in services")
    # The same title again is explained next to the field
    again = client.post(_url(knowsley, "outcomes/new/"), {"title": "residents have a say in services"})
    assert again.status_code == 200
    assert "already has an outcome called" in again.content.decode()
    response = client.post(
        _url(knowsley, f"outcomes/{outcome.pk}/indicators/new/"),
        {"name": "Residents involved in design", "measure": "number a year"},
    )
    assert response.status_code == 302
    # Retiring an outcome hides it from new commissions
    response = client.post(
        _url(knowsley, f"outcomes/{outcome.pk}/edit/"), {"title": outcome.title, "description": "Co-design."}
    )
    assert response.status_code == 302
    page = client.get(_url(knowsley, "outcomes/")).content.decode()
    assert "Residents involved in design" in page and "Retired" in page
    client.force_login(knowsley.people[Role.COMMISSIONER])
    assert "Residents have a say in services" not in client.get(_url(knowsley, "commissions/new/")).content.decode()
    with council_scope(knowsley.council):
        actions = set(AuditEvent.objects.filter(council=knowsley.council).values_list("action", flat=True))
    assert {"outcome.created", "indicator.created", "outcome.updated"} <= actions


def _grow(world: CouncilWorld, n: int) -> None:
    with council_scope(world.council):
        for i in range(n):
            outcome = OutcomeFactory(council=world.council)
            IndicatorFactory(outcome=outcome)
            commission_in(
                world.council,
                by=world.people[Role.COMMISSIONER],
                title=f"Commission {n}-{i}",
                outcomes=[outcome],
                decision=DeliveryOption.CONTRACT if i % 2 else None,
                reason=REASON,
            )


PAGES = [
    "/c/knowsley/commissions/",
    "/c/knowsley/outcomes/",
    "/c/knowsley/dashboard/",
    "/api/v1/councils/knowsley/commissions/",
    "/api/v1/councils/knowsley/outcomes/",
]


def test_query_counts_do_not_grow_with_the_commissions(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people[Role.COMMISSIONER])
    _grow(knowsley, 2)
    small = query_counts(client, PAGES)
    _grow(knowsley, 12)
    assert query_counts(client, PAGES) == small
