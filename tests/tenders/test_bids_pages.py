"""Bid pages: the finder, your bids, each task of a bid, check and submit, receipts, the council's panel."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Role
from commissioning.tenancy import council_scope
from tenders import public_cache, sealing
from tenders.models import Bid, BidStatus, BidSubmission, Criterion, Lot, Tender
from tenders.selectors import bids as selectors
from tenders.services import bids as services
from tests import files
from tests.factories import EVERYTHING, CouncilWorld
from tests.helpers import signed_in
from tests.tenders.test_bids_helpers import (
    ANSWER,
    complete_changes,
    local_charity,
    move_deadline,
    non_local_company,
    published_tender,
)

pytestmark = pytest.mark.world("published")


def _start(world: CouncilWorld, client: Client) -> Bid:
    tender = _tender(world)
    url = reverse("bid_start", kwargs={"council_slug": world.council.slug, "tender_id": tender.pk})
    page = client.get(url)
    assert page.status_code == 200
    organisation_id = re.search(rb'name="organisation" value="(\d+)"', page.content).group(1).decode()
    response = client.post(url, {"organisation": organisation_id})
    assert response.status_code == 302
    with council_scope(world.council):
        return Bid.objects.select_related("tender__council").get(tender=tender, organisation_id=int(organisation_id))


def _tender(world: CouncilWorld) -> Tender:
    with council_scope(world.council):
        return published_tender(world)


def _url(name: str, bid: Bid, **kwargs: object) -> str:
    return reverse(
        name, kwargs={"council_slug": bid.tender.council.slug, "tender_id": bid.tender_id, "bid_id": bid.pk, **kwargs}
    )


def _charity_bid(world: CouncilWorld, *, filled: bool = False) -> tuple[Client, Bid]:
    """A local charity's member, signed in, with a bid started (every task answered when ``filled``)."""
    _, person = local_charity()
    client = signed_in(person)
    bid = _start(world, client)
    if filled:
        _fill(world, bid, person)
    return client, bid


def _question_page(world: CouncilWorld, kind: str) -> tuple[Client, Bid, str]:
    """A local charity's member, signed in, with a bid started and the URL of its question of ``kind``."""
    client, bid = _charity_bid(world)
    with council_scope(world.council):
        question = Criterion.objects.get(tender=bid.tender_id, kind=kind)
    return client, bid, _url("bid_question", bid, criterion_id=question.pk)


def _fill(world: CouncilWorld, bid: Bid, person) -> None:  # type: ignore[no-untyped-def]
    with council_scope(world.council):
        bid.refresh_from_db()
        services.bid_draft_save(
            bid=bid, actor=person, changes=complete_changes(bid.tender), expected_revision=bid.draft_revision
        )


# --- Finder ------------------------------------------------------------------------------------


def _more_tenders(world: CouncilWorld, count: int) -> None:
    with council_scope(world.council):
        base = published_tender(world)
        now = timezone.now()
        for n in range(count):
            Tender.objects.create(
                council=world.council,
                commission=base.commission,
                title=f"{world.council.slug.title()} extra opportunity {n}",
                estimated_value=Decimal(1000 + n * 50000),
                clarification_deadline=now + timedelta(days=1),
                submission_deadline=now + timedelta(days=2 + n),
                created_by=base.created_by,
                published_at=now - timedelta(hours=1),
            )


@pytest.mark.world(EVERYTHING)
def test_the_finder_lists_published_opportunities_of_every_council_and_no_drafts(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    page = Client().get(reverse("opportunity_finder"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Knowsley community navigators" in text and "Southwark community navigators" in text
    assert "private" not in text
    assert "2 opportunities" in text


def test_the_finder_filters(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    _more_tenders(knowsley, 3)  # £1,000, £51,000, £101,000 closing in 2, 3, 4 days
    _, person = non_local_company()
    client = signed_in(person)
    finder = reverse("opportunity_finder")

    def titles(**query: str) -> list[str]:
        return re.findall(
            r'govuk-heading-s govuk-!-margin-bottom-1"><a [^>]+>([^<]+)</a>', client.get(finder, query).content.decode()
        )

    assert titles(council="southwark") == ["Southwark community navigators"]
    assert titles(min_value="50,000", max_value="110000", council="knowsley") == [
        "Knowsley extra opportunity 1",
        "Knowsley extra opportunity 2",
    ]
    closing = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert titles(closing_before=closing) == ["Knowsley extra opportunity 0"]
    assert titles(status="closed") == []
    # A London company: Knowsley's and Southwark's bands below £181,000 are reserved for local organisations.
    assert titles(open_to_me="on") == []
    error = client.get(finder, {"min_value": "lots", "max_value": "1"}).content.decode()
    assert "Enter the lowest value as an amount in pounds" in error


def test_open_to_me_shows_what_a_local_charity_can_bid_for(knowsley: CouncilWorld) -> None:
    _, person = local_charity()
    page = signed_in(person).get(reverse("opportunity_finder"), {"open_to_me": "on"}).content.decode()
    assert "Knowsley community navigators" in page
    assert "Yes: Kirkby Community Garden" in page


@pytest.mark.parametrize("as_member", [False, True])
def test_the_finder_makes_the_same_number_of_queries_for_2_and_10_tenders(
    knowsley: CouncilWorld, southwark: CouncilWorld, as_member: bool
) -> None:
    _, person = local_charity()
    client = signed_in(person) if as_member else Client()
    finder = reverse("opportunity_finder")
    client.get(finder)  # warm up (sessions, content types)
    public_cache.bump()  # nothing kept: the page reads everything it shows
    with CaptureQueriesContext(connection) as two:
        assert client.get(finder, {"open_to_me": "on"} if as_member else {}).status_code == 200
    _more_tenders(knowsley, 4)
    _more_tenders(southwark, 4)
    with CaptureQueriesContext(connection) as ten:
        page = client.get(finder, {"open_to_me": "on"} if as_member else {})
    assert "10 opportunities" in page.content.decode() or as_member
    assert len(ten.captured_queries) == len(two.captured_queries)


# --- A bid's pages -----------------------------------------------------------------------------


def test_bid_pages_need_a_signed_in_member_of_the_organisation(knowsley: CouncilWorld) -> None:
    _, person = local_charity()
    bid = _start(knowsley, signed_in(person))
    tasks = _url("bid_tasks", bid)
    assert Client().get(tasks).status_code == 302
    _, stranger = non_local_company()
    assert signed_in(stranger).get(tasks).status_code == 404
    assert signed_in(knowsley.people[Role.COMMISSIONER]).get(tasks).status_code == 404
    assert signed_in(person).get(tasks).status_code == 200


@pytest.mark.world("draft_tender")
def test_a_draft_tender_has_no_bid_page(knowsley: CouncilWorld) -> None:
    _, person = local_charity()
    with council_scope(knowsley.council):
        draft = Tender.objects.get(council=knowsley.council, title="knowsley-private-tender")
    url = reverse("bid_start", kwargs={"council_slug": "knowsley", "tender_id": draft.pk})
    assert signed_in(person).get(url).status_code == 404


def test_starting_twice_continues_the_same_bid(knowsley: CouncilWorld) -> None:
    client, bid = _charity_bid(knowsley)
    again = client.get(reverse("bid_start", kwargs={"council_slug": "knowsley", "tender_id": bid.tender_id}))
    assert again.status_code == 302 and again["Location"] == _url("bid_tasks", bid)
    # An empty POST (no organisation chosen) starts nothing.
    _, other = non_local_company()
    response = signed_in(other).post(
        reverse("bid_start", kwargs={"council_slug": "knowsley", "tender_id": bid.tender_id})
    )
    assert response.status_code == 200 and "Choose the organisation that is bidding" in response.content.decode()


def test_an_answer_over_the_word_limit_is_shown_next_to_the_field_and_kept(knowsley: CouncilWorld) -> None:
    client, bid, url = _question_page(knowsley, "social_value")
    long_answer = "Volunteering " * 301
    page = client.post(url, {"answer": long_answer, "revision": 1})
    text = page.content.decode()
    assert page.status_code == 200
    assert "<title>Error: " in text
    assert "Your answer has 301 words: the limit is 300" in text
    assert 'class="govuk-error-message"' in text
    assert long_answer.strip() in text


def test_a_stale_save_keeps_what_was_typed(knowsley: CouncilWorld) -> None:
    client, bid, url = _question_page(knowsley, "quality")
    assert client.post(url, {"answer": "First save", "revision": 1}).status_code == 302
    page = client.post(url, {"answer": "Typed on an old page", "revision": 1})
    text = page.content.decode()
    assert "Your bid changed since you opened this page" in text
    assert "Typed on an old page" in text and "First save" in text
    assert 'name="revision" value="2"' in text


def test_an_svg_behind_a_png_header_is_refused_next_to_the_field(knowsley: CouncilWorld) -> None:
    client, bid, url = _question_page(knowsley, "quality")
    upload = SimpleUploadedFile("logo.png", files.svg_behind_png_header())
    response = client.post(url, {"answer": "Our answer", "revision": 1, "file": upload})
    text = response.content.decode()
    assert response.status_code == 200
    assert (
        'id="id_file-error"><span class="govuk-visually-hidden">Error:</span> The file is not a real PNG file' in text
    )
    assert "There is a problem" in text and "Our answer" in text
    bomb = SimpleUploadedFile("plan.docx", files.zip_bomb_docx())
    text = client.post(url, {"answer": "Our answer", "revision": 2, "file": bomb}).content.decode()
    assert "unpacks to far more than a document does" in text
    with council_scope(knowsley.council):
        assert not bid.attachments.exists()


def test_a_document_of_the_wrong_type_is_refused_next_to_the_field_and_the_answer_kept(
    knowsley: CouncilWorld,
) -> None:
    client, bid, url = _question_page(knowsley, "quality")
    upload = SimpleUploadedFile("policy.pdf", b"MZ not a pdf")
    text = client.post(url, {"answer": "Our answer", "revision": 1, "file": upload}).content.decode()
    assert "The file is not a real PDF file" in text
    assert "Our answer" in text
    good = SimpleUploadedFile("policy.pdf", b"%PDF-1.4 our policy")
    response = client.post(url, {"answer": "Our answer", "revision": 2, "file": good})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "policy.pdf" in page
    with council_scope(knowsley.council):
        attachment = bid.attachments.get()
    download = client.get(_url("bid_attachment", bid, attachment_id=attachment.pk))
    assert download.content == b"%PDF-1.4 our policy"


def test_prices_commitments_and_declarations_save_and_show_errors(knowsley: CouncilWorld) -> None:
    client, bid = _charity_bid(knowsley)
    with council_scope(knowsley.council):
        lot = Lot.objects.get(tender=bid.tender_id)
    prices = _url("bid_prices", bid)
    text = client.post(prices, {"revision": 1, f"price_{lot.pk}": "a lot"}).content.decode()
    assert "Enter your price for Whole borough as an amount in pounds" in text and "a lot" in text
    assert client.post(prices, {"revision": 1, f"price_{lot.pk}": "£145,000"}).status_code == 302

    commitments = _url("bid_commitments", bid)
    form = {
        "revision": 2,
        "commitments-TOTAL_FORMS": 1,
        "commitments-INITIAL_FORMS": 0,
        "commitments-0-choice": "other",
        "commitments-0-other_measure": "Local people employed",
        "commitments-0-quantity": "three",
        "commitments-0-other_unit": "jobs",
        "commitments-0-by": "2027-12-31",
        "commitments-0-local": "no",
    }
    text = client.post(commitments, form).content.decode()
    assert "Enter the quantity of commitment 1 as a number" in text and "Local people employed" in text
    response = client.post(commitments, {**form, "commitments-0-quantity": "3", "add": "1"})
    assert response.status_code == 302 and "add=1" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Commitment 2 (optional)" in page and 'value="Local people employed"' in page

    declarations = _url("bid_declarations", bid)
    text = client.post(declarations, {"revision": 3, "exclusion_grounds": "no", "conflicts": "yes"}).content.decode()
    assert "Describe your conflict of interest" in text
    assert client.post(declarations, {"revision": 3, "exclusion_grounds": "no", "conflicts": "no"}).status_code == 302

    with council_scope(knowsley.council):
        bid.refresh_from_db()
        draft = selectors.bid_draft(bid)
    assert draft["prices"] == {str(lot.pk): "145000.00"}
    assert draft["commitments"] == [
        {
            "measure_version": None,
            "measure": "Local people employed",
            "unit": "jobs",
            "quantity": "3",
            "by": "2027-12-31",
            "local": False,
            "other": True,
        }
    ]
    assert draft["declarations"] == {
        "exclusion_grounds": False,
        "exclusion_ground_keys": [],
        "exclusion_details": "",
        "self_cleaning": "",
        "conflicts": False,
        "conflicts_details": "",
    }


def test_check_submit_and_receipt_and_a_double_submit_gives_the_same_receipt(knowsley: CouncilWorld) -> None:
    client, bid = _charity_bid(knowsley, filled=True)
    check = _url("bid_check", bid)
    page = client.get(check).content.decode()
    assert ANSWER in page
    key = re.search(r'name="idempotency_key" value="([0-9a-f-]+)"', page).group(1)

    refused = client.post(check, {"idempotency_key": key}).content.decode()
    assert "Confirm that the bid is true and complete" in refused
    first = client.post(check, {"idempotency_key": key, "confirm": "on"})
    second = client.post(check, {"idempotency_key": key, "confirm": "on"})
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    with council_scope(knowsley.council):
        submission = BidSubmission.objects.get(bid=bid)
    receipt = client.get(first["Location"]).content.decode()
    assert submission.reference in receipt and submission.sha256 in receipt
    assert ANSWER in receipt and "£145,000" in receipt
    downloaded = client.get(
        reverse(
            "bid_receipt_content",
            kwargs={"council_slug": "knowsley", "tender_id": bid.tender_id, "reference": submission.reference},
        )
    )
    assert sealing.sha256_hex(downloaded.content) == submission.sha256

    mine = client.get(reverse("my_bids")).content.decode()
    assert submission.reference in mine and "Knowsley community navigators" in mine


def test_a_non_local_company_is_refused_with_a_clear_message(knowsley: CouncilWorld) -> None:
    _, person = non_local_company()
    client = signed_in(person)
    bid = _start(knowsley, client)
    _fill(knowsley, bid, person)
    text = client.post(_url("bid_check", bid), {"idempotency_key": str(uuid.uuid4()), "confirm": "on"}).content.decode()
    assert "<title>Error: " in text
    assert "Nationwide Outsourcing plc cannot bid for this opportunity, so the bid was not submitted" in text
    assert "What would make it eligible" in text
    with council_scope(knowsley.council):
        assert not BidSubmission.objects.filter(bid=bid).exists()


def test_after_the_deadline_the_pages_say_so_and_nothing_is_submitted(knowsley: CouncilWorld) -> None:
    client, bid = _charity_bid(knowsley, filled=True)
    with council_scope(knowsley.council):
        move_deadline(published_tender(knowsley), timezone.now() - timedelta(minutes=1))
    text = client.post(_url("bid_check", bid), {"idempotency_key": str(uuid.uuid4()), "confirm": "on"}).content.decode()
    assert "so this bid was not submitted. Your draft is kept" in text
    with council_scope(knowsley.council):
        bid.refresh_from_db()
        assert bid.status == BidStatus.DRAFT and not BidSubmission.objects.filter(bid=bid).exists()


def test_withdraw_through_the_page(knowsley: CouncilWorld) -> None:
    client, bid = _charity_bid(knowsley, filled=True)
    client.post(_url("bid_check", bid), {"idempotency_key": str(uuid.uuid4()), "confirm": "on"})
    assert client.post(_url("bid_withdraw", bid), {"confirm": "1"}).status_code == 302
    with council_scope(knowsley.council):
        bid.refresh_from_db()
    assert bid.status == BidStatus.WITHDRAWN


@pytest.mark.world("bids")
def test_the_council_tender_page_shows_only_the_number_of_bids_received(knowsley: CouncilWorld) -> None:
    _, person = local_charity()
    client = signed_in(person)
    bid = _start(knowsley, client)  # a draft: not counted
    _fill(knowsley, bid, person)
    tender = _tender(knowsley)
    page = signed_in(knowsley.people[Role.COMMISSIONER]).get(
        reverse("tender_detail", kwargs={"council_slug": "knowsley", "tender_id": tender.pk})
    )
    text = page.content.decode()
    assert "1 bid received" in text  # the world's submitted bid
    assert "Kirkby Community Garden" not in text and "Knowsley Community Trust" not in text
    assert ANSWER not in text and "knowsley-private-bid-answer" not in text


def test_open_to_me_follows_an_approved_eligibility_override(knowsley: CouncilWorld) -> None:
    from tenders.models import ApprovalDecision, EligibilityOverride

    _, person = non_local_company()
    client = signed_in(person)
    assert (
        "Knowsley community navigators"
        not in client.get(reverse("opportunity_finder"), {"open_to_me": "on"}).content.decode()
    )
    with council_scope(knowsley.council):
        EligibilityOverride.objects.create(
            council=knowsley.council,
            tender=published_tender(knowsley),
            reserved_for_local=False,
            reason="No local provider can deliver this service at this scale.",
            requested_by=knowsley.people[Role.COMMISSIONER],
            decision=ApprovalDecision.APPROVED,
            decided_by=knowsley.people[Role.OFFICER],
            decided_at=timezone.now(),
        )
    page = client.get(reverse("opportunity_finder"), {"open_to_me": "on"}).content.decode()
    assert "Knowsley community navigators" in page and "Yes: Nationwide Outsourcing plc" in page


def test_the_finder_links_each_opportunity_to_its_public_notice(client, knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        tender = Tender.objects.get(council=knowsley.council, title="Knowsley community navigators")
    page = client.get("/opportunities/").content.decode()
    assert f'href="/c/knowsley/opportunities/{tender.pk}/"' in page
    notice = client.get(f"/c/knowsley/opportunities/{tender.pk}/")
    assert notice.status_code == 200


# --- The question as the commissioner wrote it -----------------------------------------------------

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'


def _written_question(world: CouncilWorld, bid: Bid, **fields: object) -> Criterion:
    with council_scope(world.council):
        question = Criterion.objects.get(tender=bid.tender_id, kind="social_value")
        for name, value in fields.items():
            setattr(question, name, value)
        question.save()
        return question


def test_the_question_page_shows_the_question_guidance_descriptors_and_word_count(knowsley: CouncilWorld) -> None:
    client, bid = _charity_bid(knowsley)
    question = _written_question(
        knowsley,
        bid,
        question="How will you employ local people?",
        guidance="Say how many, and how you will find them.",
        word_limit=5,
        scoring_descriptors=["No answer", "", "", "", "", "Local jobs with a plan to find them"],
    )
    url = _url("bid_question", bid, criterion_id=question.pk)
    page = client.get(url).content.decode()
    assert '<label class="govuk-label govuk-label--m app-preserve-lines" for="id_answer">How will you employ' in page
    assert "Say how many, and how you will find them." in page and "Up to 5 words." in page
    assert 'data-module="govuk-character-count" data-maxwords="5"' in page
    assert "govuk-js-character-count" in page and 'id="id_answer-info"' in page
    assert "A score of 0</dt>" in page and "A score of 5</dt>" in page and "A score of 1</dt>" not in page
    # Over the limit: the error says by how much, the count is shown without JavaScript, the text kept
    response = client.post(url, {"answer": "one two three four five six seven", "revision": 1})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Your answer has 7 words: the limit is 5. Remove 2 words and save again." in text
    assert "The answer above has 7 words, 2 too many." in text
    assert "one two three four five six seven" in text
    # Within the limit it saves, and the saved answer's count is shown
    assert client.post(url, {"answer": "one two three", "revision": 1, "stay": "1"}).status_code == 302
    assert "The answer above has 3 words." in client.get(url).content.decode()


def test_guidance_and_question_typed_by_council_staff_are_escaped(knowsley: CouncilWorld) -> None:
    client, bid = _charity_bid(knowsley)
    question = _written_question(
        knowsley, bid, question=XSS, guidance=XSS, scoring_descriptors=[XSS], title="Local <b>jobs</b>"
    )
    page = client.get(_url("bid_question", bid, criterion_id=question.pk)).content.decode()
    for raw in ("<script>alert(1)", "<img src=x", 'href="javascript:', "<b>jobs</b>"):
        assert raw not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_question_that_takes_no_documents_offers_no_upload_and_refuses_one(knowsley: CouncilWorld) -> None:
    _, person = local_charity()
    client = signed_in(person)
    bid = _start(knowsley, client)
    question = _written_question(knowsley, bid, attachments_allowed=False)
    url = _url("bid_question", bid, criterion_id=question.pk)
    page = client.get(url).content.decode()
    assert 'type="file"' not in page and "Documents attached to this answer" not in page
    with council_scope(knowsley.council), pytest.raises(ValidationError) as refused:
        services.bid_attachment_add(
            bid=bid, actor=person, question=question, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")
        )
    assert "This question does not take documents" in str(refused.value)


def test_removing_a_document_asks_first(knowsley: CouncilWorld) -> None:
    client, bid, url = _question_page(knowsley, "quality")
    upload = SimpleUploadedFile("policy.pdf", b"%PDF-1.4 our policy")
    assert client.post(url, {"answer": "Ours", "revision": 1, "file": upload}).status_code == 302
    with council_scope(knowsley.council):
        attachment = bid.attachments.get()
    remove_url = _url("bid_attachment_remove", bid, attachment_id=attachment.pk)
    # The question page links to a confirmation page; opening it removes nothing
    assert f'href="{remove_url}"' in client.get(url).content.decode()
    confirm = client.get(remove_url).content.decode()
    assert "Are you sure you want to remove policy.pdf?" in confirm and "govuk-button--warning" in confirm
    with council_scope(knowsley.council):
        attachment.refresh_from_db()
        assert attachment.removed_at is None
    # A post without the confirming button removes nothing either
    client.post(remove_url, {})
    with council_scope(knowsley.council):
        attachment.refresh_from_db()
        assert attachment.removed_at is None
    # "Yes, remove the document" removes it
    response = client.post(remove_url, {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == url
    with council_scope(knowsley.council):
        attachment.refresh_from_db()
        assert attachment.removed_at is not None
    assert "policy.pdf is removed from your bid." in client.get(url).content.decode()


def test_withdrawing_asks_are_you_sure_first(knowsley: CouncilWorld) -> None:
    client, bid = _charity_bid(knowsley, filled=True)
    client.post(_url("bid_check", bid), {"idempotency_key": str(uuid.uuid4()), "confirm": "on"})
    page = client.get(_url("bid_withdraw", bid)).content.decode()
    assert "Are you sure you want to withdraw your bid?" in page and "govuk-button--warning" in page
    client.post(_url("bid_withdraw", bid), {})
    with council_scope(knowsley.council):
        bid.refresh_from_db()
    assert bid.status == BidStatus.SUBMITTED
