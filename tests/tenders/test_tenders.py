"""Tenders: creation under a contract decision, the derived status, the timetable, lots, the evaluation
model and its weights, permissions by role, and the pages with their errors."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from commissioning import services as commission_services
from commissioning.models import AuditEvent, Commission, DeliveryOption, Role
from commissioning.tenancy import council_scope
from tenders import selectors, services
from tenders.models import Criterion, Lot, Tender, TenderPolicy
from tenders.services import CriterionSpec
from tenders.timetable import Status, tender_status
from tests.factories import CouncilWorld, commission_in

pytestmark = pytest.mark.world("draft_tender")

D = Decimal
LONDON = ZoneInfo("Europe/London")
RATIONALE = "Quality matters most to residents; price keeps it affordable; social value builds local capacity."


def _world_tender(world: CouncilWorld) -> Tender:
    with council_scope(world.council):
        return Tender.objects.get(council=world.council, title=f"{world.council.slug}-private-tender")


def _new_commission(world: CouncilWorld, decision: str | None = DeliveryOption.CONTRACT) -> Commission:
    with council_scope(world.council):
        return commission_in(world.council, by=world.people[Role.COMMISSIONER], decision=decision)


def _valid_model() -> list[CriterionSpec]:
    return [
        CriterionSpec(
            title="Quality",
            kind="quality",
            weight=D(50),
            parts=(
                CriterionSpec(title="Method", kind="quality", weight=D(30)),
                CriterionSpec(title="Staffing", kind="quality", weight=D(20), minimum_score=D(2)),
            ),
        ),
        CriterionSpec(title="Price", kind="price", weight=D(30), scale="0-100"),
        CriterionSpec(title="Social value", kind="social_value", weight=D(20)),
    ]


# --- The status, from the timestamps and now only --------------------------------------------------

PUBLISHED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CLARIFICATION = datetime(2026, 12, 11, 12, 0, tzinfo=UTC)
SUBMISSION = datetime(2027, 1, 8, 12, 0, tzinfo=UTC)
SECOND = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (PUBLISHED - SECOND, Status.DRAFT),
        (PUBLISHED, Status.OPEN_FOR_QUESTIONS),
        (CLARIFICATION - SECOND, Status.OPEN_FOR_QUESTIONS),
        (CLARIFICATION, Status.OPEN_FOR_BIDS),
        (SUBMISSION - SECOND, Status.OPEN_FOR_BIDS),
        (SUBMISSION, Status.CLOSED),
        (SUBMISSION + timedelta(days=400), Status.CLOSED),
    ],
)
def test_the_status_follows_the_deadlines_to_the_instant(now: datetime, expected: Status) -> None:
    status = tender_status(
        published_at=PUBLISHED, clarification_deadline=CLARIFICATION, submission_deadline=SUBMISSION, now=now
    )
    assert status == expected


def test_an_unpublished_tender_is_a_draft_even_after_its_deadlines() -> None:
    status = tender_status(
        published_at=None, clarification_deadline=CLARIFICATION, submission_deadline=SUBMISSION, now=SUBMISSION
    )
    assert status == Status.DRAFT
    assert (
        tender_status(published_at=PUBLISHED, clarification_deadline=None, submission_deadline=None, now=SUBMISSION)
        == Status.OPEN_FOR_BIDS
    )


def test_the_model_status_uses_the_time_now(knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    now = datetime.now(UTC)
    tender.published_at = now - timedelta(days=2)
    tender.clarification_deadline, tender.submission_deadline = now - timedelta(days=1), now + timedelta(days=1)
    assert tender.status == Status.OPEN_FOR_BIDS
    assert tender.status_at(tender.submission_deadline) == Status.CLOSED
    tender.submission_deadline = now - SECOND
    assert tender.status == Status.CLOSED


# --- Creating and changing tenders ----------------------------------------------------------------


@pytest.mark.world("people")
def test_a_tender_starts_only_under_a_contract_decision(knowsley: CouncilWorld) -> None:
    commissioner = knowsley.people[Role.COMMISSIONER]
    undecided = _new_commission(knowsley, decision=None)
    granted = _new_commission(knowsley, decision=DeliveryOption.GRANT)
    with council_scope(knowsley.council):
        with pytest.raises(ValidationError) as undecided_error:
            services.tender_create(commission=undecided, actor=commissioner, title="Too soon")
        assert undecided_error.value.messages == ["Record the options appraisal decision first"]
        with pytest.raises(ValidationError) as grant_error:
            services.tender_create(commission=granted, actor=commissioner, title="Wrong route")
        assert "a tender needs the decision 'contract'" in grant_error.value.messages[0]
        assert not Tender.objects.filter(title__in=["Too soon", "Wrong route"]).exists()


@pytest.mark.world("policies")
def test_a_tender_takes_its_value_from_the_commission_and_its_standstill_from_the_policy(
    knowsley: CouncilWorld,
) -> None:
    commission = _new_commission(knowsley)
    with council_scope(knowsley.council):
        TenderPolicy.objects.filter(council=knowsley.council).update(standstill_days=10)
        tender = services.tender_create(
            commission=commission, actor=knowsley.people[Role.COMMISSIONER], title=" Navigation "
        )
        assert tender.title == "Navigation"
        assert tender.estimated_value == commission.whole_life_value == D(180000)
        assert tender.standstill_days == 10
        assert tender.published_at is None and tender.status == Status.DRAFT
        event = AuditEvent.objects.get(action="tender.created")
        assert event.after["estimated_value"] == "180000.00" and event.after["commission"] == commission.title


def test_the_timetable_needs_the_clarification_deadline_first(knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        with pytest.raises(ValidationError) as error:
            services.tender_update(
                tender=tender, actor=commissioner, clarification_deadline=SUBMISSION, submission_deadline=SUBMISSION
            )
        assert error.value.message_dict == {
            "clarification_deadline": ["The clarification deadline must be before the submission deadline"]
        }
        # The database refuses it too.
        with pytest.raises(IntegrityError), transaction.atomic():
            Tender.objects.filter(pk=tender.pk).update(
                clarification_deadline=SUBMISSION + SECOND, submission_deadline=SUBMISSION
            )
        services.tender_update(
            tender=tender, actor=commissioner, clarification_deadline=CLARIFICATION, submission_deadline=SUBMISSION
        )
        event = AuditEvent.objects.get(action="tender.updated")
        assert set(event.after) == {"clarification_deadline", "submission_deadline"}


def test_lots_are_added_changed_and_removed_with_the_audit_trail(knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        lot = services.lot_add(tender=tender, actor=commissioner, title="North", estimated_value=D(90000))
        assert lot.position == 2
        services.lot_update(lot=lot, actor=commissioner, title="Kirkby")
        services.lot_remove(lot=lot, actor=commissioner)
        assert not Lot.objects.filter(pk=lot.pk).exists()
        actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
        assert actions == ["lot.added", "lot.updated", "lot.removed"]


# --- The commission cannot move away from a contract once it has a tender ---------------------------


def test_a_commission_with_a_tender_keeps_its_contract_decision(knowsley: CouncilWorld) -> None:
    commissioner = knowsley.people[Role.COMMISSIONER]
    tender = _world_tender(knowsley)
    with council_scope(knowsley.council):
        commission = tender.commission
        with pytest.raises(ValidationError) as error:
            commission_services.commission_decide(
                commission=commission, actor=commissioner, decision=DeliveryOption.GRANT, reason="x" * 30
            )
        assert error.value.message_dict == {
            "decision": ["This commission already has a tender, so its decision must stay ‘contract’"]
        }
        # Restating the contract decision with a new reason is fine.
        commission_services.commission_decide(
            commission=commission, actor=commissioner, decision=DeliveryOption.CONTRACT, reason="y" * 30
        )
        commission.refresh_from_db()
        assert commission.decision == DeliveryOption.CONTRACT


# --- The evaluation model --------------------------------------------------------------------------


def test_the_evaluation_model_is_saved_as_a_tree_with_its_rationale(knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    with council_scope(knowsley.council):
        services.criteria_replace(
            tender=tender, actor=knowsley.people[Role.COMMISSIONER], criteria=_valid_model(), rationale=RATIONALE
        )
        tender.refresh_from_db()
        assert tender.weighting_rationale == RATIONALE
        rows = selectors.criteria_rows(tender=tender)
        assert [(r.criterion.title, r.depth, r.criterion.weight) for r in rows] == [
            ("Quality", 0, D(50)),
            ("Method", 1, D(30)),
            ("Staffing", 1, D(20)),
            ("Price", 0, D(30)),
            ("Social value", 0, D(20)),
        ]
        assert Criterion.objects.get(title="Staffing").parent.title == "Quality"
        event = AuditEvent.objects.get(action="tender.evaluation_model_replaced")
        assert [c["title"] for c in event.before["criteria"]][0] == "knowsley-private-quality"
        assert event.after["criteria"][1]["part_of"] == "Quality"


def test_the_evaluation_model_says_everything_that_is_wrong_at_once(knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    model = [
        CriterionSpec(title="Quality", kind="quality", weight=D(60), minimum_score=D(6)),
        CriterionSpec(title="Price", kind="price", weight=D(35)),
        CriterionSpec(title="Social value", kind="social_value", weight=D(5)),
        CriterionSpec(title="Panel", kind="citizen_panel", weight=D(-10)),
    ]
    with council_scope(knowsley.council):
        before = list(Criterion.objects.values_list("title", flat=True))
        with pytest.raises(ValidationError) as error:
            services.criteria_replace(
                tender=tender, actor=knowsley.people[Role.COMMISSIONER], criteria=model, rationale="  "
            )
        assert error.value.message_dict == {
            "__all__": [
                "“Panel” has a negative weight: weights must be 0% or more",
                "The weights add up to 90%: they must add up to exactly 100%",
                "Social value has 5% of the weight: the council's minimum is 10%",
                "“Quality”: the minimum pass score must be between 0 and 5, the top of its scale",
            ],
            "weighting_rationale": ["Explain why the criteria have these weights"],
        }
        assert list(Criterion.objects.values_list("title", flat=True)) == before
        assert not AuditEvent.objects.exists()


def test_a_published_evaluation_model_is_locked(knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    with council_scope(knowsley.council):
        Tender.objects.filter(pk=tender.pk).update(published_at=PUBLISHED)
        with pytest.raises(ValidationError, match="locked"):
            services.criteria_replace(
                tender=tender, actor=knowsley.people[Role.COMMISSIONER], criteria=_valid_model(), rationale=RATIONALE
            )


def test_the_standstill_end_skips_weekends_and_bank_holidays(knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    # Thursday 17 December 2026: 8 working days beginning that day, over Christmas and Boxing Day
    # (Friday 25 and Monday 28 December, substitute day): 17, 18, 21, 22, 23, 24, 29, 30.
    tender.planned_award_date = date(2026, 12, 17)
    assert selectors.tender_standstill_end(tender=tender) == date(2026, 12, 30)


# --- Pages and permissions --------------------------------------------------------------------------


def _url(world: CouncilWorld, suffix: str = "") -> str:
    return f"/c/{world.council.slug}/{suffix}"


@pytest.mark.parametrize(
    ("role", "view", "change"),
    [
        (Role.ADMIN, 200, 403),
        (Role.COMMISSIONER, 200, 200),
        (Role.EVALUATOR, 200, 403),
        (Role.OFFICER, 200, 403),
        (Role.CITIZEN, 403, 403),
    ],
)
def test_tender_pages_by_role(client, knowsley: CouncilWorld, role: str, view: int, change: int) -> None:
    tender = _world_tender(knowsley)
    client.force_login(knowsley.people[role])
    assert client.get(_url(knowsley, "tenders/")).status_code == view
    assert client.get(_url(knowsley, f"tenders/{tender.pk}/")).status_code == view
    for suffix in ("edit/", "timetable/", "lots/new/", "evaluation-model/"):
        assert client.get(_url(knowsley, f"tenders/{tender.pk}/{suffix}")).status_code == change, suffix
    assert client.get(_url(knowsley, f"commissions/{tender.commission_id}/tenders/new/")).status_code == change


def test_another_councils_tender_is_not_found(client, knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    theirs = _world_tender(southwark)
    with council_scope(southwark.council):
        lot = Lot.objects.get(tender=theirs)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    for suffix in ("", "edit/", "timetable/", "evaluation-model/", "lots/new/", f"lots/{lot.pk}/"):
        assert client.get(_url(knowsley, f"tenders/{theirs.pk}/{suffix}")).status_code == 404, suffix
        assert client.post(_url(knowsley, f"tenders/{theirs.pk}/{suffix}"), {"remove": "1"}).status_code == 404
    assert client.get(_url(southwark, f"tenders/{theirs.pk}/")).status_code == 404
    with council_scope(southwark.council):
        assert Lot.objects.filter(pk=lot.pk).exists()


@pytest.mark.world("policies")
def test_a_commissioner_creates_a_tender_and_sees_its_band(client, knowsley: CouncilWorld) -> None:
    commission = _new_commission(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    detail = client.get(_url(knowsley, f"commissions/{commission.pk}/")).content.decode()
    assert f"/c/knowsley/commissions/{commission.pk}/tenders/new/" in detail
    form = client.get(_url(knowsley, f"commissions/{commission.pk}/tenders/new/")).content.decode()
    assert 'value="180,000"' in form
    response = client.post(
        _url(knowsley, f"commissions/{commission.pk}/tenders/new/"),
        {"title": "Community navigation", "description": "", "estimated_value": "£180,000", "procedure": "open"},
    )
    assert response.status_code == 302
    text = client.get(response["Location"]).content.decode()
    assert "Band: Intermediate value. This opportunity is reserved for organisations based in Knowsley" in text
    assert "VCSE organisations and SMEs are welcome." in text
    assert ">Draft<" in text


@pytest.mark.world("people")
def test_the_create_page_says_why_a_tender_cannot_start(client, knowsley: CouncilWorld) -> None:
    commission = _new_commission(knowsley, decision=DeliveryOption.IN_HOUSE)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, f"commissions/{commission.pk}/tenders/new/")
    text = client.get(url).content.decode()
    assert (
        "This commission&#x27;s decision is in-house delivery: a tender needs the decision &#x27;contract&#x27;" in text
    )
    assert "<form" not in text.split("<main")[1]
    assert client.post(url, {"title": "Sneaky", "estimated_value": "1000", "procedure": "open"}).status_code == 200
    with council_scope(knowsley.council):
        assert not Tender.objects.filter(title="Sneaky").exists()


def test_the_timetable_is_entered_and_shown_in_uk_time(client, knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, f"tenders/{tender.pk}/timetable/")
    # Summer time: 12:00 in London is 11:00 UTC.
    response = client.post(
        url,
        {
            "clarification_deadline": "2027-06-11T12:00",
            "submission_deadline": "2027-07-09T12:00",
            "planned_award_date": "2027-08-02",
            "standstill_days": "8",
        },
    )
    assert response.status_code == 302
    with council_scope(knowsley.council):
        tender.refresh_from_db()
    assert tender.submission_deadline == datetime(2027, 7, 9, 11, 0, tzinfo=UTC)
    assert tender.clarification_deadline == datetime(2027, 6, 11, 12, 0, tzinfo=LONDON)
    text = client.get(_url(knowsley, f"tenders/{tender.pk}/")).content.decode()
    assert "9 July 2027, 12:00" in text and "11 June 2027, 12:00" in text
    assert "ending on Wednesday 11 August 2027" in text
    form = client.get(url).content.decode()
    for part, value in (("day", "9"), ("month", "7"), ("year", "2027"), ("time", "12:00")):
        assert f'name="submission_deadline_{part}" value="{value}"' in form


def test_timetable_errors_are_shown_next_to_their_fields(client, knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    response = client.post(
        _url(knowsley, f"tenders/{tender.pk}/timetable/"),
        {
            "clarification_deadline": "2027-01-08T12:00",
            "submission_deadline": "2027-01-08T12:00",
            "standstill_days": "5",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in text
    assert text.index("There is a problem") < text.index("<h1")
    # The error summary links to the first box of the date input.
    assert 'href="#id_clarification_deadline_day">The clarification deadline must be before the submission' in text
    assert "The standstill period must be at least 8 working days" in text


def _criteria_post(rows: list[dict[str, str]], rationale: str = RATIONALE) -> dict[str, str]:
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "30",
        "weighting_rationale": rationale,
    }
    for n, row in enumerate(rows):
        defaults = {
            "title": "",
            "kind": "",
            "weight": "",
            "part_of": "",
            "scale": "0-5",
            "minimum_score": "",
            "guidance": "",
        }
        for key, value in {**defaults, **row}.items():
            data[f"criteria-{n}-{key}"] = value
    return data


def test_the_evaluation_model_page_shows_the_weight_problems_then_saves(client, knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, f"tenders/{tender.pk}/evaluation-model/")
    page = client.get(url).content.decode()
    assert 'value="knowsley-private-method"' in page and '<option value="1" selected>Criterion 1</option>' in page
    rows = [
        {"title": "Quality", "kind": "quality", "weight": "50"},
        {"title": "Method", "kind": "quality", "weight": "30", "part_of": "1"},
        {"title": "Staffing", "kind": "quality", "weight": "20", "part_of": "1"},
        {"title": "Price", "kind": "price", "weight": "30", "scale": "0-100"},
        {"title": "Social value", "kind": "social_value", "weight": "10"},
        {},  # an empty row is ignored
    ]
    response = client.post(url, _criteria_post(rows))
    text = response.content.decode()
    assert response.status_code == 200 and "<title>Error: " in text
    assert 'href="#id_criteria-0-title">The weights add up to 90%: they must add up to exactly 100%</a>' in text

    rows[4]["weight"] = "20"
    response = client.post(url, _criteria_post(rows))
    assert response.status_code == 302
    text = client.get(_url(knowsley, f"tenders/{tender.pk}/")).content.decode()
    assert "Staffing" in text and "20%" in text and RATIONALE in text


def test_the_commissioner_writes_the_question_bidders_answer_on_the_evaluation_model_page(
    client, knowsley: CouncilWorld
) -> None:
    tender = _world_tender(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, f"tenders/{tender.pk}/evaluation-model/")
    question = {
        "question": "How will you reach residents who are not online?",
        "guidance": "Name the places and partners.",
        "word_limit": "500",
        "descriptor_0": "No answer, or nothing relevant",
        "descriptor_5": "A clear plan with named partners",
    }
    rows = [
        {"title": "Reaching residents", "kind": "quality", "weight": "50", "attachments_allowed": "on", **question},
        {"title": "Price", "kind": "price", "weight": "40", "scale": "0-100", "question": "Ignored for price"},
        {"title": "Social value", "kind": "social_value", "weight": "10", "word_limit": "0"},
    ]
    # A word limit of 0 is refused next to its field, naming the criterion
    text = client.post(url, _criteria_post(rows)).content.decode()
    assert "The word limit of criterion 3 must be at least 1" in text
    assert "How will you reach residents who are not online?" in text  # kept as typed
    rows[2]["word_limit"] = ""
    assert client.post(url, _criteria_post(rows)).status_code == 302
    with council_scope(knowsley.council):
        saved = {c.title: c for c in Criterion.objects.filter(tender=tender)}
    quality = saved["Reaching residents"]
    assert quality.question == question["question"] and quality.guidance == "Name the places and partners."
    assert quality.word_limit == 500 and quality.attachments_allowed
    assert quality.scoring_descriptors == ["No answer, or nothing relevant", "", "", "", "", question["descriptor_5"]]
    assert quality.descriptor_rows == [(0, "No answer, or nothing relevant"), (5, question["descriptor_5"])]
    assert saved["Price"].question == "" and not saved["Social value"].attachments_allowed
    # Shown again as saved: weights as people write them ("50", never "5E+1"), the question filled in
    page = client.get(url).content.decode()
    assert 'name="criteria-0-weight" value="50"' in page and "5E+1" not in page
    assert 'name="criteria-0-word_limit" value="500"' in page and question["question"] in page
    detail = client.get(_url(knowsley, f"tenders/{tender.pk}/")).content.decode()
    assert "50%" in detail and "5E+1" not in detail and "4E+1" not in detail


def test_the_approved_content_covers_the_question_bidders_answer(knowsley: CouncilWorld) -> None:
    from tenders.selectors.publication import tender_content_sha256

    tender = _world_tender(knowsley)
    with council_scope(knowsley.council):
        before = tender_content_sha256(tender=tender)
        criterion = Criterion.objects.filter(tender=tender, kind="quality").first()
        for field, value in (
            ("question", "A new question?"),
            ("word_limit", 250),
            ("attachments_allowed", False),
            ("scoring_descriptors", ["Nothing"]),
        ):
            setattr(criterion, field, value)
            criterion.save()
            after = tender_content_sha256(tender=tender)
            assert after != before, field
            before = after


def test_removing_a_saved_criterion_asks_first_and_keeps_what_was_typed(client, knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, f"tenders/{tender.pk}/evaluation-model/")
    rows = [
        {"title": "Quality", "kind": "quality", "weight": "60"},
        {"title": "Method", "kind": "quality", "weight": "30"},
        {"title": "Social value", "kind": "social_value", "weight": "10"},
    ]
    assert client.post(url, _criteria_post(rows)).status_code == 302
    # When they tick "Remove" on a saved criterion and change another's weight
    rows[0]["weight"] = "90"
    rows[1]["DELETE"] = "on"
    data = {**_criteria_post(rows), "criteria-INITIAL_FORMS": "3"}
    response = client.post(url, data)
    text = response.content.decode()
    # Then nothing is saved yet: the page asks, with the typed weight kept
    assert response.status_code == 200
    assert "Are you sure you want to remove criterion 2, “Method”?" in text
    assert 'name="confirm_remove"' in text and 'name="criteria-0-weight" value="90"' in text
    with council_scope(knowsley.council):
        assert Criterion.objects.filter(tender=tender).count() == 3
    # The plain save button comes before the warning button, so Enter never confirms
    assert text.index(">Save the evaluation model<") < text.index('name="confirm_remove"')
    # "Yes, remove and save" saves without it
    assert client.post(url, {**data, "confirm_remove": "1"}).status_code == 302
    with council_scope(knowsley.council):
        assert sorted(Criterion.objects.filter(tender=tender).values_list("title", flat=True)) == [
            "Quality",
            "Social value",
        ]


def test_evaluation_model_field_errors_name_the_criterion(client, knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    url = _url(knowsley, f"tenders/{tender.pk}/evaluation-model/")
    rows = [{"title": "Quality", "kind": "quality", "weight": "lots"}, {"title": "Part", "part_of": "1"}]
    text = client.post(url, _criteria_post(rows, rationale="")).content.decode()
    assert "Enter the weight of criterion 1 as a number, like 30 or 12.5" in text
    assert "Select the kind of criterion 2" in text
    assert "Explain why the criteria have these weights" in text


def test_lot_pages_add_change_and_remove(client, knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    response = client.post(_url(knowsley, f"tenders/{tender.pk}/lots/new/"), {"title": "", "estimated_value": "-1"})
    assert "<title>Error: " in response.content.decode()
    response = client.post(
        _url(knowsley, f"tenders/{tender.pk}/lots/new/"), {"title": "South", "estimated_value": "90,000"}
    )
    assert response.status_code == 302
    with council_scope(knowsley.council):
        lot = Lot.objects.get(title="South")
    edit = _url(knowsley, f"tenders/{tender.pk}/lots/{lot.pk}/")
    assert client.post(edit, {"title": "Halewood", "estimated_value": ""}).status_code == 302
    # Removing asks first: the page links to a confirmation, and opening it removes nothing
    remove = f"{edit}remove/"
    assert f'href="{remove}"' in client.get(edit).content.decode()
    assert client.post(edit, {"remove": "1"})["Location"] == remove
    page = client.get(remove).content.decode()
    assert "Are you sure you want to remove the lot “Halewood”?" in page and "govuk-button--warning" in page
    client.post(remove, {})
    with council_scope(knowsley.council):
        assert Lot.objects.filter(pk=lot.pk).exists()
    assert client.post(remove, {"confirm": "1"}).status_code == 302
    with council_scope(knowsley.council):
        assert not Lot.objects.filter(pk=lot.pk).exists()


def test_lots_adding_up_to_more_than_the_tender_are_warned_about(client, knowsley: CouncilWorld) -> None:
    tender = _world_tender(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    with council_scope(knowsley.council):
        Lot.objects.filter(tender=tender).delete()
    value = tender.estimated_value
    half = f"{value / 2:.2f}"
    for title in ("Huyton", "Prescot"):
        response = client.post(
            _url(knowsley, f"tenders/{tender.pk}/lots/new/"), {"title": title, "estimated_value": half}
        )
        assert response.status_code == 302
    page = client.get(_url(knowsley, f"tenders/{tender.pk}/")).content.decode()
    assert "Lot 1: Huyton" in page and "Lot 2: Prescot" in page
    assert "more than the tender&#x27;s estimated value" not in page
    response = client.post(
        _url(knowsley, f"tenders/{tender.pk}/lots/new/"), {"title": "Kirkby", "estimated_value": "1,000"}, follow=True
    )
    text = response.content.decode()
    assert "The lots add up to £1,000 more than the tender&#x27;s estimated value of" in text
    assert "govuk-warning-text" in text
    form = client.get(_url(knowsley, f"tenders/{tender.pk}/lots/new/")).content.decode()
    assert "Lot 1:" not in form and "leave out “Lot 1”" in form


def test_no_label_says_optional_twice_and_conditionally_needed_fields_are_not_marked_optional() -> None:
    from pathlib import Path

    from tenders.forms.publication import ApprovalForm, DeclarationForm

    root = Path(__file__).resolve().parents[2]
    for path in [*root.glob("*/forms.py"), *root.glob("*/forms/*.py")]:
        # The form templates add "(optional)" to every optional label: a label saying it too says it twice
        assert not re.search(r"label=f?[\"'][^\"']*\(optional\)", path.read_text()), path
    declaration, approval = str(DeclarationForm()), str(ApprovalForm())
    assert "Details of the conflict" in declaration and "Details of the conflict (optional)" not in declaration
    assert ">Comment<" in approval and "Comment (optional)" not in approval


def test_the_tender_list_and_navigation(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people[Role.EVALUATOR])
    text = client.get(_url(knowsley, "tenders/")).content.decode()
    assert "knowsley-private-tender" in text and ">Tenders<" in text
    client.force_login(knowsley.people[Role.CITIZEN])
    assert 'href="/c/knowsley/tenders/"' not in client.get(_url(knowsley)).content.decode()


def test_the_demo_tender_is_seeded_once(db: None) -> None:
    from commissioning.demo import seed

    seed()
    seed()
    from commissioning.models import Council

    knowsley = Council.objects.get(slug="knowsley")
    with council_scope(knowsley):
        tender = Tender.objects.get(title="Community navigation service")
        assert tender.estimated_value == D(180000)
        assert tender.clarification_deadline == datetime(2026, 12, 11, 12, 0, tzinfo=LONDON)
        assert tender.submission_deadline == datetime(2027, 1, 8, 12, 0, tzinfo=LONDON)
        assert [(r.criterion.kind, r.criterion.weight) for r in selectors.criteria_rows(tender=tender)] == [
            ("quality", D(50)),
            ("quality", D(30)),
            ("quality", D(20)),
            ("price", D(30)),
            ("social_value", D(20)),
        ]
        assert tender.lots.count() == 1 and tender.weighting_rationale
        band = selectors.tender_band(tender=tender, on=date(2026, 11, 22))
        assert band.band is not None and band.band.name == "Intermediate value"


@pytest.mark.world("published")
def test_a_published_tenders_details_timetable_and_lots_change_only_by_a_published_change(
    client, knowsley: CouncilWorld
) -> None:
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        tender = Tender.objects.get(council=knowsley.council, title="Knowsley community navigators")
        lot = Lot.objects.get(tender=tender)
        deadline = tender.submission_deadline
        for attempt in (
            lambda: services.tender_update(
                tender=tender, actor=commissioner, submission_deadline=deadline + timedelta(1)
            ),
            lambda: services.lot_add(tender=tender, actor=commissioner, title="Another lot"),
            lambda: services.lot_update(lot=lot, actor=commissioner, title="Renamed"),
            lambda: services.lot_remove(lot=lot, actor=commissioner),
        ):
            with pytest.raises(ValidationError, match="publish a change with a reason"):
                attempt()
        tender.refresh_from_db()
        assert tender.submission_deadline == deadline
        assert list(Lot.objects.filter(tender=tender).values_list("title", flat=True)) == ["Whole borough"]
    client.force_login(commissioner)
    page = client.get(f"/c/knowsley/tenders/{tender.pk}/").content.decode()
    assert f"/c/knowsley/tenders/{tender.pk}/timetable/" not in page
    response = client.post(f"/c/knowsley/tenders/{tender.pk}/lots/{lot.pk}/", {"remove": "1"}, follow=True)
    assert response.status_code == 200
    assert "publish a change with a reason" in response.content.decode()
    response = client.post(
        f"/c/knowsley/tenders/{tender.pk}/timetable/",
        {"submission_deadline_0": "1", "submission_deadline_1": "1", "submission_deadline_2": "2030"},
    )
    assert response.status_code == 200
