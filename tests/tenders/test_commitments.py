"""Commitments tied to measures (issue 11): a tender's social value criteria name outcomes of the council's
social value framework (chosen on the evaluation model page, frozen at publication, shown on the notice
with their measures and in the API); a bidder commits to a measure of the newest published framework (its
unit fixed) or to another measure in its own words, with a quantity, a date and whether it is local; the
API takes the same; without a published framework the measure is typed; queries stay constant."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value import framework
from social_value.models import FrameworkOutcome, FrameworkVersion, FrameworkVersionEntry, MeasureVersion
from tenders import public_cache, services
from tenders.evaluation_model import CriterionSpec
from tenders.models import Bid, Criterion, CriterionFrameworkOutcome, Tender, TenderRevision
from tenders.selectors import bids as bid_selectors
from tenders.selectors.publication import tender_content
from tests.factories import CouncilWorld
from tests.factories.social_value import framework_rows
from tests.helpers import api_as, api_with_token, signed_in
from tests.tenders.test_bids_helpers import local_charity, published_tender
from tests.tenders.test_tenders import _criteria_post, _world_tender

pytestmark = pytest.mark.world("published")


def _outcome(world: CouncilWorld) -> FrameworkOutcome:
    with council_scope(world.council):
        return FrameworkOutcome.objects.get(council=world.council, title=f"{world.council.slug}-private-sv-outcome")


def _version(world: CouncilWorld) -> MeasureVersion:
    with council_scope(world.council):
        return MeasureVersion.objects.get(council=world.council, name=f"{world.council.slug}-private-measure")


def _ask_about(world: CouncilWorld, tender: Tender, outcome: FrameworkOutcome) -> None:
    """The tender's social value criterion names ``outcome``, in the tender and in its published revision."""
    with council_scope(world.council):
        criterion = Criterion.objects.get(tender=tender, kind="social_value")
        CriterionFrameworkOutcome.objects.get_or_create(council=world.council, criterion=criterion, outcome=outcome)
        TenderRevision.objects.filter(tender=tender).update(
            evaluation_model=tender_content(tender=tender)["evaluation_model"]
        )
    # Written straight to the table (no service publishes a revision so): the public notice kept
    # by tenders.public_cache is renewed as a new revision's save would renew it.
    public_cache.bump()


def _bid(world: CouncilWorld) -> tuple[Any, Bid]:
    """A local charity's member, signed in, with a bid started on the published tender."""
    organisation, person = local_charity()
    with council_scope(world.council):
        tender = published_tender(world)
        bid = services.bid_start(tender=tender, organisation=organisation, actor=person)
    return person, bid


def _commitments_url(world: CouncilWorld, bid: Bid) -> str:
    return f"/c/{world.council.slug}/opportunities/{bid.tender_id}/bid/{bid.pk}/commitments/"


def _rows(*rows: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "revision": 1,
        "commitments-TOTAL_FORMS": len(rows),
        "commitments-INITIAL_FORMS": 0,
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"commitments-{n}-{key}"] = value
    return data


def _draft(world: CouncilWorld, bid: Bid) -> dict[str, Any]:
    with council_scope(world.council):
        return bid_selectors.bid_draft(Bid.objects.select_related("tender").get(pk=bid.pk))


def _errors(text: str) -> list[str]:
    return [html.unescape(e) for e in re.findall(r'<li><a href="#[^"]*">([^<]*)</a></li>', text)]


# --- The tender's social value criteria name framework outcomes ------------------------------------------


@pytest.mark.world("draft_tender")
def test_the_commissioner_names_the_outcomes_a_social_value_criterion_asks_about(
    client, knowsley: CouncilWorld
) -> None:
    tender = _world_tender(knowsley)
    outcome = _outcome(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = f"/c/knowsley/tenders/{tender.pk}/evaluation-model/"
    page = client.get(url).content.decode()
    assert "Outcomes of the social value framework this criterion asks about" in page
    assert "knowsley-private-theme: knowsley-private-sv-outcome" in page
    rows = [
        {"title": "Quality", "kind": "quality", "weight": "60"},
        {"title": "Price", "kind": "price", "weight": "30"},
        {"title": "Social value", "kind": "social_value", "weight": "10", "framework_outcomes": [str(outcome.pk)]},
    ]
    # Unticked, the criterion names none.
    none = [*rows[:2], {k: v for k, v in rows[2].items() if k != "framework_outcomes"}]
    assert client.post(url, _criteria_post(none)).status_code == 302
    with council_scope(knowsley.council):
        assert not CriterionFrameworkOutcome.objects.filter(criterion__tender=tender).exists()
    wrong = client.post(url, _criteria_post([{**rows[0], "framework_outcomes": [str(outcome.pk)]}, *rows[1:]]))
    assert wrong.status_code == 200
    assert (
        "Only a social value criterion names framework outcomes: untick them for criterion 1"
        in _errors(wrong.content.decode())[0]
    )
    assert client.post(url, _criteria_post(rows)).status_code == 302
    with council_scope(knowsley.council):
        social = Criterion.objects.get(tender=tender, kind="social_value")
        assert list(CriterionFrameworkOutcome.objects.filter(criterion=social).values_list("outcome", flat=True)) == [
            outcome.pk
        ]
        model = {c["kind"]: c for c in tender_content(tender=tender)["evaluation_model"]}
    # What the officer approves and the revision freezes: the outcome named, on the social value criterion only.
    assert model["social_value"]["framework_outcomes"] == [
        {"id": outcome.pk, "theme": "knowsley-private-theme", "title": "knowsley-private-sv-outcome"}
    ]
    assert "framework_outcomes" not in model["quality"]
    # The page shows what is saved, ticked.
    page = client.get(url).content.decode()
    assert re.search(rf'value="{outcome.pk}"[^>]*checked', page)


@pytest.mark.world("draft_tender")
def test_another_councils_outcome_cannot_be_named(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    theirs = _outcome(southwark)
    tender = _world_tender(knowsley)
    specs = [
        CriterionSpec(title="Quality", kind="quality", weight=Decimal(60)),
        CriterionSpec(title="Price", kind="price", weight=Decimal(30)),
        CriterionSpec(title="Social value", kind="social_value", weight=Decimal(10), framework_outcomes=(theirs.pk,)),
    ]
    with council_scope(knowsley.council):
        before = list(CriterionFrameworkOutcome.objects.filter(council=knowsley.council).values_list("pk", "outcome"))
        with pytest.raises(ValidationError, match="Choose outcomes of the council's social value framework"):
            services.criteria_replace(
                tender=tender, actor=knowsley.people[Role.COMMISSIONER], criteria=specs, rationale="Why"
            )
        after = list(CriterionFrameworkOutcome.objects.filter(council=knowsley.council).values_list("pk", "outcome"))
    assert after == before and theirs.pk not in {outcome for _pk, outcome in after}


def test_the_notice_and_the_apis_show_the_outcomes_asked_about_and_their_measures(
    client, knowsley: CouncilWorld
) -> None:
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
    outcome = _outcome(knowsley)
    _ask_about(knowsley, tender, outcome)
    text = client.get(f"/c/knowsley/opportunities/{tender.pk}/").content.decode()
    assert "Social value outcomes asked about" in text
    assert "knowsley-private-theme: knowsley-private-sv-outcome" in text
    assert "knowsley-private-measure (in hours)" in text
    assert "knowsley-private-retired-measure" not in text  # retired: not in the published version

    public = client.get(f"/api/v1/councils/knowsley/opportunities/{tender.pk}/").json()
    social = next(c for c in public["evaluation_model"] if c["kind"] == "social_value")
    assert social["framework_outcomes"] == [
        {"id": outcome.pk, "theme": "knowsley-private-theme", "title": "knowsley-private-sv-outcome"}
    ]
    detail = api_with_token(knowsley.people[Role.COMMISSIONER]).get(f"/api/v1/councils/knowsley/tenders/{tender.pk}/")
    criteria = {c["kind"]: c for c in detail.json()["evaluation_model"]}
    assert criteria["social_value"]["framework_outcomes"][0]["id"] == outcome.pk
    assert criteria["quality"]["framework_outcomes"] == []


# --- The bidder's commitments page ---------------------------------------------------------------------------


def test_the_measures_come_from_the_newest_published_framework_those_asked_about_first(
    knowsley: CouncilWorld,
) -> None:
    person, bid = _bid(knowsley)
    with council_scope(knowsley.council):
        # A second theme, published later: it comes first in the framework, but is not asked about.
        framework_rows(council=knowsley.council, prefix="A", measures=1)
        framework.framework_publish(council=knowsley.council, actor=knowsley.people[Role.ADMIN])
        tender = published_tender(knowsley)
    _ask_about(knowsley, tender, _outcome(knowsley))
    page = signed_in(person).get(_commitments_url(knowsley, bid)).content.decode()
    groups = re.findall(r'<optgroup label="([^"]*)"', page)
    assert groups[0] == "knowsley-private-theme: knowsley-private-sv-outcome (asked about in this tender)"
    assert "A theme 1: A outcome 1.1" in groups
    assert "knowsley-private-measure (in hours)" in page and "A measure 1.1.1 (in hours)" in page
    assert "retired-measure" not in page
    assert "Another measure" in page and 'data-app-reveals="id_commitments-0-choice-other"' in page
    assert "(version 2)" in page


def test_a_framework_measure_and_another_measure_are_saved_with_their_units(knowsley: CouncilWorld) -> None:
    person, bid = _bid(knowsley)
    version = _version(knowsley)
    client = signed_in(person)
    url = _commitments_url(knowsley, bid)
    response = client.post(
        url,
        _rows(
            {
                "choice": "framework",
                "measure_version": str(version.pk),
                "other_unit": "ignored",
                "quantity": "1200",
                "by": "2027-12-31",
                "local": "yes",
            },
            {
                "choice": "other",
                "other_measure": "Fruit trees planted",
                "other_unit": "trees",
                "quantity": "40",
                "by": "2028-03-31",
                "local": "no",
            },
        ),
    )
    assert response.status_code == 302, _errors(response.content.decode())
    assert _draft(knowsley, bid)["commitments"] == [
        {
            "measure_version": version.pk,
            "measure": "knowsley-private-measure",
            "unit": "hours",
            "quantity": "1200",
            "by": "2027-12-31",
            "local": True,
            "other": False,
        },
        {
            "measure_version": None,
            "measure": "Fruit trees planted",
            "unit": "trees",
            "quantity": "40",
            "by": "2028-03-31",
            "local": False,
            "other": True,
        },
    ]
    page = client.get(url).content.decode()
    # The unit is shown fixed beside the quantity, not typed; the other measure keeps its words.
    assert "Unit: hours (fixed by the measure)" in page
    assert f'<option value="{version.pk}" selected>' in page
    assert 'value="Fruit trees planted"' in page and 'value="other" checked' in page


def test_each_missing_part_has_its_own_message_without_javascript(knowsley: CouncilWorld) -> None:
    person, bid = _bid(knowsley)
    response = signed_in(person).post(
        _commitments_url(knowsley, bid),
        _rows(
            {"choice": "other", "other_measure": "", "other_unit": "", "quantity": "3", "by": "2027-12-31"},
            {"choice": "framework", "measure_version": "", "quantity": "2", "by": "2027-12-31", "local": "no"},
            {"choice": "framework", "measure_version": "999999", "quantity": "2", "by": "2027-12-31", "local": "no"},
        ),
    )
    assert response.status_code == 200
    errors = _errors(response.content.decode())
    assert errors == [
        "Enter your measure for commitment 1",
        "Enter the unit of your measure for commitment 1",
        "Say whether commitment 1 will be delivered in the council's local area",
        "Choose a measure of the council's framework for commitment 2",
        "Choose a measure of the council's framework for commitment 3",
    ]
    assert _draft(knowsley, bid)["commitments"] == []


def test_another_councils_measure_cannot_be_picked(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    person, bid = _bid(knowsley)
    theirs = _version(southwark)
    response = signed_in(person).post(
        _commitments_url(knowsley, bid),
        _rows(
            {
                "choice": "framework",
                "measure_version": str(theirs.pk),
                "quantity": "2",
                "by": "2027-12-31",
                "local": "no",
            }
        ),
    )
    assert "Choose a measure of the council's framework for commitment 1" in _errors(response.content.decode())
    assert _draft(knowsley, bid)["commitments"] == []


def test_an_old_draft_with_only_words_shows_as_another_measure(knowsley: CouncilWorld) -> None:
    person, bid = _bid(knowsley)
    old = {"measure": "Local people employed", "quantity": "3", "unit": "jobs", "by": "2027-12-31"}
    with council_scope(knowsley.council):
        services.bid_draft_save(bid=bid, actor=person, changes={"commitments": [old]}, expected_revision=1)
    page = signed_in(person).get(_commitments_url(knowsley, bid)).content.decode()
    assert 'value="other" checked' in page and 'value="Local people employed"' in page and 'value="jobs"' in page


def test_without_a_published_framework_the_measure_and_unit_are_typed(knowsley: CouncilWorld) -> None:
    person, bid = _bid(knowsley)
    with council_scope(knowsley.council):
        FrameworkVersionEntry.objects.filter(council=knowsley.council).delete()
        FrameworkVersion.objects.filter(council=knowsley.council).delete()
    client = signed_in(person)
    url = _commitments_url(knowsley, bid)
    page = client.get(url).content.decode()
    assert "The council has not published a social value framework" in page
    assert "Another measure" not in page and "<optgroup" not in page
    row = {"measure": "Local people employed", "unit": "jobs", "quantity": "3", "by": "2027-12-31", "local": "yes"}
    assert client.post(url, _rows(row)).status_code == 302
    (saved,) = _draft(knowsley, bid)["commitments"]
    assert (saved["measure"], saved["unit"], saved["measure_version"], saved["other"], saved["local"]) == (
        "Local people employed",
        "jobs",
        None,
        True,
        True,
    )


def test_the_commitments_page_runs_the_same_queries_for_a_small_and_a_large_framework(
    knowsley: CouncilWorld,
) -> None:
    person, bid = _bid(knowsley)
    client = signed_in(person)
    url = _commitments_url(knowsley, bid)
    version = _version(knowsley)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    row = {"measure_version": version.pk, "measure": "m", "unit": "hours", "quantity": "1", "by": "2027-12-31"}
    with council_scope(knowsley.council):
        services.bid_draft_save(bid=bid, actor=person, changes={"commitments": [row]}, expected_revision=1)
    small = queries()
    with council_scope(knowsley.council):
        framework_rows(council=knowsley.council, prefix="B", themes=3, outcomes=3, measures=4)
        framework.framework_publish(council=knowsley.council, actor=knowsley.people[Role.ADMIN])
        services.bid_draft_save(bid=bid, actor=person, changes={"commitments": [row] * 8}, expected_revision=2)
    assert queries() == small


# --- The bid drafts API ---------------------------------------------------------------------------------------


def test_the_api_takes_a_measure_of_the_published_framework_or_another_measure(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    person, bid = _bid(knowsley)
    version, theirs = _version(knowsley), _version(southwark)
    client = api_as(person)
    url = f"/api/v1/me/bids/{bid.pk}/"
    framework_pick = {"measure_version": version.pk, "quantity": "12", "by": "2027-12-31", "local": True}
    other = {"measure": "Fruit trees planted", "unit": "trees", "quantity": "40", "by": "2028-03-31"}
    saved = client.patch(url, {"revision": 1, "commitments": [framework_pick, other]}, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["draft"]["commitments"] == [
        {
            "measure_version": version.pk,
            "measure": "knowsley-private-measure",
            "unit": "hours",
            "quantity": "12",
            "by": "2027-12-31",
            "local": True,
            "other": False,
        },
        {
            "measure_version": None,
            "measure": "Fruit trees planted",
            "unit": "trees",
            "quantity": "40",
            "by": "2028-03-31",
            "local": None,
            "other": True,
        },
    ]
    refused = client.patch(
        url, {"revision": 2, "commitments": [{**framework_pick, "measure_version": theirs.pk}]}, format="json"
    )
    assert refused.status_code == 400
    assert "Choose a measure of the council's published social value framework" in refused.content.decode()
    missing = client.patch(
        url, {"revision": 2, "commitments": [{"measure": "Trees", "quantity": "1", "by": "2028-01-01"}]}, format="json"
    )
    assert missing.status_code == 400 and "Enter the unit of the measure" in missing.content.decode()
    assert missing["Content-Type"].startswith("application/json")
    assert len(_draft(knowsley, bid)["commitments"]) == 2


def test_the_notice_runs_the_same_queries_for_one_outcome_asked_about_and_many(client, knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = published_tender(knowsley)
    _ask_about(knowsley, tender, _outcome(knowsley))
    url = f"/c/knowsley/opportunities/{tender.pk}/"

    def queries() -> int:
        public_cache.bump()  # what the notice reads, not what an earlier request kept
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries()
    with council_scope(knowsley.council):
        made = framework_rows(council=knowsley.council, prefix="N", themes=2, outcomes=3, measures=3)
        framework.framework_publish(council=knowsley.council, actor=knowsley.people[Role.ADMIN])
        outcomes = list(FrameworkOutcome.objects.filter(pk__in={m.outcome_id for m in made}))
    for outcome in outcomes:
        _ask_about(knowsley, tender, outcome)
    text = client.get(url).content.decode()
    assert "N measure 2.3.3 (in hours)" in text
    assert queries() == small


@pytest.mark.world("draft_tender")
def test_the_evaluation_model_page_runs_the_same_queries_for_a_small_and_a_large_framework(
    client, knowsley: CouncilWorld
) -> None:
    tender = _world_tender(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = f"/c/knowsley/tenders/{tender.pk}/evaluation-model/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries()
    with council_scope(knowsley.council):
        framework_rows(council=knowsley.council, prefix="E", themes=3, outcomes=4, measures=1)
    assert "E theme 3: E outcome 3.4" in client.get(url).content.decode()
    assert queries() == small
