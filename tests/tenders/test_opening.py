"""Opening the bids after the deadline: selectors and services (sealed before, open after; the
compliance decision needs a reason and is audited), the pages by role, errors next to the fields,
attachments, the tender page panel, and constant query counts with 1 and 5 bids.

Every test council has a published tender ("<Slug> community navigators") with one submitted,
sealed bid (tests/factories/bids.py); ``open_bids`` moves its deadlines into the past.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import AuditEvent, Organisation, Role
from commissioning.tenancy import council_scope
from tenders import sealing, selectors, services
from tenders.database import check_bid_deadlines_now
from tenders.eligibility import Band
from tenders.models import Bid, BidAttachment, BidStatus, BidSubmission, Compliance, Tender
from tenders.sealing import SealedError
from tests.factories import CouncilWorld, OrganisationFactory, bid_content

pytestmark = pytest.mark.world("bids")

# --- Helpers shared with the sealed-bid and API tests ------------------------------------------------


def published_tender(world: CouncilWorld) -> Tender:
    with council_scope(world.council):
        return Tender.objects.select_related("council").get(
            council=world.council, title=f"{world.council.slug.title()} community navigators"
        )


def the_bid(world: CouncilWorld) -> Bid:
    tender = published_tender(world)
    with council_scope(world.council):
        return Bid.objects.get(council=world.council, tender=tender, organisation=world.organisation)


def reload(world: CouncilWorld, bid: Bid) -> Bid:
    with council_scope(world.council):
        return Bid.objects.get(council=world.council, pk=bid.pk)


def open_bids(world: CouncilWorld, *, hours_ago: int = 1) -> Tender:
    """Move the published tender's deadlines into the past, as if the deadline had passed."""
    tender = published_tender(world)
    now = timezone.now()
    with council_scope(world.council):
        Tender.objects.filter(council=world.council, pk=tender.pk).update(
            published_at=now - timedelta(days=30),
            clarification_deadline=now - timedelta(days=7),
            submission_deadline=now - timedelta(hours=hours_ago),
        )
    return published_tender(world)


def plaintexts(world: CouncilWorld) -> list[str]:
    """Everything of the sealed bid that only its organisation may read before the deadline."""
    slug = world.council.slug
    return [
        f"{slug}-private-bid-answer",
        f"{slug}-private local jobs",
        f"{slug}-private-attachment",
        f"{slug}-private-safeguarding",
    ]


def add_bids(world: CouncilWorld, n: int) -> list[Bid]:
    """``n`` more submitted, sealed bids (each with an attachment) from new organisations."""
    tender = published_tender(world)
    bids = []
    with council_scope(world.council):
        with made_before_the_deadline(tender):
            bids += _make_bids(world, tender, n)
    return bids


@contextmanager
def made_before_the_deadline(tender: Tender) -> Iterator[None]:
    """Make submissions as if before a deadline that may have passed since. PostgreSQL checks each
    submission against the deadline (tenders.database), so they are made while it is still ahead."""
    deadline = tender.submission_deadline
    Tender.objects.filter(pk=tender.pk).update(submission_deadline=max(deadline, timezone.now() + timedelta(hours=1)))
    yield
    check_bid_deadlines_now()
    Tender.objects.filter(pk=tender.pk).update(submission_deadline=deadline)


def _make_bids(world: CouncilWorld, tender: Tender, n: int) -> list[Bid]:
    bids = []
    content = bid_content(slug=world.council.slug, tender=tender)
    for _ in range(n):
        organisation: Organisation = OrganisationFactory()
        bid = Bid.objects.create(
            council=world.council,
            tender=tender,
            organisation=organisation,
            status=BidStatus.SUBMITTED,
            draft=sealing.seal_json(tender, content),
            created_by=world.provider,
        )
        BidSubmission.objects.create(
            council=world.council,
            bid=bid,
            number=1,
            reference=f"EXTRA-{tender.pk}-{bid.pk}-1",
            content=sealing.seal_json(tender, content),
            sha256=sealing.sha256_hex(sealing.canonical_json(content)),
            submitted_by=world.provider,
            submitted_at=timezone.now() - timedelta(days=8),
        )
        BidAttachment.objects.create(
            council=world.council,
            bid=bid,
            question="1",
            details=sealing.seal_attachment_details(
                tender, filename="plan.pdf", content_type="application/pdf", size=4
            ),
            sha256=sealing.sha256_hex(b"plan"),
            file=ContentFile(sealing.seal(tender, b"plan").encode(), name="a.sealed"),
            uploaded_by=world.provider,
        )
        bids.append(bid)
    return bids


def bids_url(world: CouncilWorld, tender: Tender, suffix: str = "") -> str:
    return f"/c/{world.council.slug}/tenders/{tender.pk}/bids/{suffix}"


# --- Selectors and services --------------------------------------------------------------------------


def test_before_the_deadline_only_the_count_is_readable(knowsley: CouncilWorld) -> None:
    tender = published_tender(knowsley)
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        assert selectors.bids_received_count(tender=tender) == 1
        assert selectors.bids_are_sealed(tender=tender)
        for read in (
            lambda: selectors.opened_bids(tender=tender),
            lambda: selectors.bid_rows(tender=tender),
            lambda: selectors.opened_bid(tender=tender, bid_id=bid.pk),
            lambda: selectors.opened_attachment(tender=tender, bid_id=bid.pk, attachment_id=bid.attachments.get().pk),
        ):
            with pytest.raises(SealedError):
                read()


def test_a_draft_or_withdrawn_bid_is_not_counted(knowsley: CouncilWorld) -> None:
    tender = published_tender(knowsley)
    (extra,) = add_bids(knowsley, 1)
    with council_scope(knowsley.council):
        assert selectors.bids_received_count(tender=tender) == 2
        Bid.objects.filter(council=knowsley.council, pk=extra.pk).update(status=BidStatus.WITHDRAWN)
        assert selectors.bids_received_count(tender=tender) == 1


def test_after_the_deadline_the_last_submission_is_decrypted(knowsley: CouncilWorld) -> None:
    tender = open_bids(knowsley)
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        # A second submission replaces the first: the last one counts.
        newer = bid_content(slug="knowsley", tender=tender)
        first_question = next(iter(newer["answers"]))
        newer["answers"][first_question] = "Our second, better answer."
        with made_before_the_deadline(tender):
            BidSubmission.objects.create(
                council=knowsley.council,
                bid=bid,
                number=2,
                reference="KNO-2",
                content=sealing.seal_json(tender, newer),
                sha256=sealing.sha256_hex(sealing.canonical_json(newer)),
                submitted_by=knowsley.provider,
                submitted_at=timezone.now() - timedelta(hours=3),
            )
        (opened,) = selectors.opened_bids(tender=tender)
    assert opened.organisation == knowsley.organisation
    assert opened.submission.reference == "KNO-2"
    assert [a.title for a in opened.answers] == ["How will you reach residents?", "Local jobs and volunteering"]
    assert opened.answers[0].text == "Our second, better answer."
    assert opened.answers[1].text.startswith("knowsley-private-bid-answer")
    assert [(p.title, p.price) for p in opened.prices] == [("Whole borough", "150000.00")]
    assert opened.commitments[0]["measure"] == "knowsley-private local jobs"
    assert opened.declarations == {"exclusion_grounds": False, "conflicts": False, "conflicts_details": ""}
    assert [a.filename for a in opened.attachments] == ["knowsley-private-safeguarding.pdf"]
    assert [a.filename for a in opened.answers[0].attachments] == ["knowsley-private-safeguarding.pdf"]
    assert opened.checks_passed, opened.checks


def test_eligibility_and_declarations_feed_the_compliance_check(knowsley: CouncilWorld) -> None:
    tender = open_bids(knowsley)
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        services.spend_policy_replace(
            council=knowsley.council,
            actor=None,
            bands=local_bands(),
            effective_from=timezone.localdate() - timedelta(days=60),
            today=timezone.localdate() - timedelta(days=60),
        )
        knowsley.council.local_area = ["L1"]  # the trust is in L36: not local
        knowsley.council.save()
        content = bid_content(slug="knowsley", tender=tender)
        content["declarations"] = {"exclusion_grounds": True, "conflicts": True, "conflicts_details": "A trustee"}
        BidSubmission.objects.filter(council=knowsley.council, bid=bid).update(
            content=sealing.seal_json(tender, content)
        )
        opened = selectors.opened_bid(tender=published_tender(knowsley), bid_id=bid.pk)
    failed = {check.label: check.detail for check in opened.checks if not check.passed}
    assert "No grounds for exclusion declared" in failed
    assert failed["No conflict of interest declared"] == "A trustee"
    assert "Eligible under the local spend policy" in failed
    assert not opened.checks_passed


def local_bands() -> list[Band]:
    return [
        Band(lower=Decimal(0), upper=Decimal(200_000), reserved_for_local=True, label="Local only"),
        Band(lower=Decimal(200_000), label="Open"),
    ]


def test_compliance_is_refused_before_the_deadline(knowsley: CouncilWorld) -> None:
    bid = the_bid(knowsley)
    with council_scope(knowsley.council), pytest.raises(SealedError):
        services.bid_compliance_mark(bid=bid, actor=knowsley.people[Role.COMMISSIONER], compliance=Compliance.COMPLIANT)
    assert reload(knowsley, bid).compliance == Compliance.UNCHECKED


def test_non_compliant_needs_a_reason_and_is_audited_before_and_after(knowsley: CouncilWorld) -> None:
    open_bids(knowsley)
    bid = the_bid(knowsley)
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        with pytest.raises(ValidationError) as error:
            services.bid_compliance_mark(bid=bid, actor=commissioner, compliance="non_compliant", reason="  ")
        assert error.value.message_dict == {"reason": ["Enter the reason the bid is not compliant"]}
        with pytest.raises(ValidationError) as error:
            services.bid_compliance_mark(bid=bid, actor=commissioner, compliance="unchecked")
        assert "compliance" in error.value.message_dict

        services.bid_compliance_mark(
            bid=bid, actor=commissioner, compliance="non_compliant", reason="No safeguarding policy signed."
        )
        # A double submit changes nothing and writes no second event.
        services.bid_compliance_mark(
            bid=bid, actor=commissioner, compliance="non_compliant", reason="No safeguarding policy signed."
        )
        events = list(AuditEvent.objects.filter(council=knowsley.council, action="bid.compliance_marked"))
        assert len(events) == 1
        assert events[0].before == {"compliance": "unchecked", "reason": ""}
        assert events[0].after == {"compliance": "non_compliant", "reason": "No safeguarding policy signed."}
        assert events[0].actor == commissioner

        # Changing the decision needs a reason for the change.
        with pytest.raises(ValidationError) as error:
            services.bid_compliance_mark(bid=bid, actor=commissioner, compliance="compliant", reason="")
        assert error.value.message_dict == {"reason": ["Enter the reason for changing the decision"]}
        services.bid_compliance_mark(
            bid=bid, actor=commissioner, compliance="compliant", reason="The signed policy was in the attachment."
        )
        bid.refresh_from_db()
        assert bid.compliance == Compliance.COMPLIANT and bid.compliance_by == commissioner
        assert AuditEvent.objects.filter(council=knowsley.council, action="bid.compliance_marked").count() == 2


def test_a_withdrawn_bid_cannot_be_marked(knowsley: CouncilWorld) -> None:
    open_bids(knowsley)
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        Bid.objects.filter(council=knowsley.council, pk=bid.pk).update(status=BidStatus.WITHDRAWN)
        with pytest.raises(ValidationError):
            services.bid_compliance_mark(bid=bid, actor=knowsley.people[Role.COMMISSIONER], compliance="compliant")


# --- Pages -------------------------------------------------------------------------------------------

ROLES = [Role.ADMIN, Role.COMMISSIONER, Role.EVALUATOR, Role.OFFICER, Role.CITIZEN]
MAY_VIEW = {Role.COMMISSIONER, Role.OFFICER}


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role_after_the_deadline(client, knowsley: CouncilWorld, role: str) -> None:
    tender = open_bids(knowsley)
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        attachment = bid.attachments.get()
    client.force_login(knowsley.people[role])
    listing = client.get(bids_url(knowsley, tender))
    detail = client.get(bids_url(knowsley, tender, f"{bid.pk}/"))
    download = client.get(bids_url(knowsley, tender, f"{bid.pk}/attachments/{attachment.pk}/"))
    post = client.post(bids_url(knowsley, tender, f"{bid.pk}/"), {"compliance": "compliant"})
    if role in MAY_VIEW:
        assert listing.status_code == 200
        assert "Knowsley Community Trust" in listing.content.decode()
        assert detail.status_code == 200
        assert "knowsley-private-bid-answer" in detail.content.decode()
        assert download.status_code == 200
        assert download.content == b"knowsley-private-attachment: our safeguarding policy"
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"].startswith('attachment; filename="knowsley-private-safeguarding.pdf"')
    else:
        assert {listing.status_code, detail.status_code, download.status_code} == {403}
    assert post.status_code == (302 if role == Role.COMMISSIONER else 403)
    expected = Compliance.COMPLIANT if role == Role.COMMISSIONER else Compliance.UNCHECKED
    assert reload(knowsley, bid).compliance == expected


def test_before_the_deadline_the_pages_say_sealed(client, knowsley: CouncilWorld) -> None:
    tender = published_tender(knowsley)
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        attachment = bid.attachments.get()
    client.force_login(knowsley.people[Role.COMMISSIONER])
    listing = client.get(bids_url(knowsley, tender))
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "1 bid received" in text and "Bids are sealed" in text
    assert "Knowsley Community Trust" not in text
    detail = client.get(bids_url(knowsley, tender, f"{bid.pk}/"))
    assert detail.status_code == 403 and "Bids are sealed" in detail.content.decode()
    assert "Knowsley Community Trust" not in detail.content.decode()
    assert client.get(bids_url(knowsley, tender, f"{bid.pk}/attachments/{attachment.pk}/")).status_code == 403
    post = client.post(bids_url(knowsley, tender, f"{bid.pk}/"), {"compliance": "non_compliant", "reason": "x"})
    assert post.status_code == 403
    assert reload(knowsley, bid).compliance == Compliance.UNCHECKED


def test_errors_show_next_to_the_field_and_keep_what_was_typed(client, knowsley: CouncilWorld) -> None:
    tender = open_bids(knowsley)
    bid = the_bid(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    response = client.post(bids_url(knowsley, tender, f"{bid.pk}/"), {"compliance": "non_compliant", "reason": ""})
    text = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Bid from Knowsley Community Trust" in text
    assert "There is a problem" in text
    assert 'href="#id_reason"' in text
    assert text.count("Enter the reason the bid is not compliant") == 2  # summary and field
    assert re.search(r'<input[^>]*value="non_compliant"[^>]*checked', text)  # the choice is kept
    nothing = client.post(bids_url(knowsley, tender, f"{bid.pk}/"), {"reason": "kept text"}).content.decode()
    assert "Select whether the bid is compliant or non-compliant" in nothing
    assert "kept text" in nothing


def test_a_bid_or_attachment_of_another_tender_is_not_found(client, knowsley: CouncilWorld) -> None:
    tender = open_bids(knowsley)
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        draft = Tender.objects.get(council=knowsley.council, title="knowsley-private-tender")
        Tender.objects.filter(pk=draft.pk).update(
            published_at=timezone.now() - timedelta(days=9),
            clarification_deadline=timezone.now() - timedelta(days=8),
            submission_deadline=timezone.now() - timedelta(days=1),
        )
        attachment = bid.attachments.get()
    client.force_login(knowsley.people[Role.COMMISSIONER])
    assert client.get(bids_url(knowsley, draft, f"{bid.pk}/")).status_code == 404
    assert client.get(bids_url(knowsley, draft, f"{bid.pk}/attachments/{attachment.pk}/")).status_code == 404
    assert client.get(bids_url(knowsley, tender, f"{bid.pk}/attachments/999999/")).status_code == 404
    assert client.get(bids_url(knowsley, tender, "999999/")).status_code == 404


def test_the_tender_page_panel(client, knowsley: CouncilWorld) -> None:
    tender = published_tender(knowsley)
    client.force_login(knowsley.people[Role.OFFICER])
    url = f"/c/knowsley/tenders/{tender.pk}/"
    before = client.get(url).content.decode()
    assert "Bids open at" in before and "Open the bids" not in before
    open_bids(knowsley)
    after = client.get(url).content.decode()
    assert "Open the bids (1 received)" in after
    client.force_login(knowsley.people[Role.EVALUATOR])
    assert "Open the bids" not in client.get(url).content.decode()


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_pages_run_the_same_queries_with_1_and_5_bids(client, knowsley: CouncilWorld) -> None:
    tender = open_bids(knowsley)
    bid = the_bid(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    urls = [bids_url(knowsley, tender), bids_url(knowsley, tender, f"{bid.pk}/"), f"/c/knowsley/tenders/{tender.pk}/"]
    small = [_queries(client, url) for url in urls]
    add_bids(knowsley, 4)
    large = [_queries(client, url) for url in urls]
    assert large == small


def test_the_demo_bids_are_seeded_once_and_open(db: None) -> None:
    from commissioning.demo import seed
    from commissioning.models import Council
    from tenders.demo.opening import TITLE

    seed()
    seed()
    knowsley = Council.objects.get(slug="knowsley")
    with council_scope(knowsley):
        (tender,) = Tender.objects.filter(council=knowsley, title=TITLE).select_related("council")
        assert tender.status == "closed" and tender.revisions.count() == 1
        opened = selectors.opened_bids(tender=tender)
    names = {o.organisation.name: o for o in opened}
    assert set(names) == {"Kirkby Community Garden", "Innovate Volunteering CIC", "Merseyside Digital Ltd"}
    assert all(o.bid.compliance == Compliance.UNCHECKED for o in opened)
    assert names["Innovate Volunteering CIC"].eligibility.eligible
    assert not names["Merseyside Digital Ltd"].eligibility.eligible
    assert [a.filename for a in names["Innovate Volunteering CIC"].attachments] == ["safeguarding-policy.txt"]
    assert names["Kirkby Community Garden"].answers[0].text.startswith("Our volunteers already run")
