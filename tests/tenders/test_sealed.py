"""Sealed bids at every door.

Before the submission deadline no one on the council side (any role, the API, the platform admin,
the audit trail, exports) may read a bid's content: its answers, its social value commitments,
its attachments and their names. After the deadline the commissioner and the officer can.

The plaintext is the sealed bid of tests/factories/bids.py: the answer text
"<slug>-private-bid-answer", the commitment "<slug>-private local jobs", the attachment's text
"<slug>-private-attachment…" and its name "<slug>-private-safeguarding.pdf".

The seal covers who is bidding too. A second bidder (:func:`sealed_bidder`) starts, saves,
attaches documents to, submits, withdraws and resubmits a bid through the real services, so the
audit trail holds the events they write. Its organisation's name, its person's e-mail and name
and its documents' file names are unique markers. A control organisation and person, made the
same way but not bidding, tell a page that lists every organisation (the platform admin's
registry, a market engagement invitation) from one that names bidders: a bidder's marker on a
page leaks only when the control's is not there too. File names must never appear.

The walk tests visit every URL pattern and every API operation (with the cross-council probe's
discovery, but with the SAME council's ids) as each council role and as platform staff.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from commissioning.audit import audit_record, audit_verify
from commissioning.models import Organisation, Role, User
from commissioning.tenancy import council_scope, platform_scope
from tenders.models import Bid, BidAttachment, BidSubmission, Compliance, Criterion
from tenders.services import bids
from tests.core.test_cross_council_probe import _targets
from tests.factories import EVERYTHING, CouncilWorld, UserFactory, force_login_with_mfa
from tests.tenders.test_bids_helpers import bidder, complete_changes
from tests.tenders.test_opening import open_bids, plaintexts, published_tender, the_bid

pytestmark = pytest.mark.world(EVERYTHING)

COUNCIL_ROLES = [Role.ADMIN, Role.COMMISSIONER, Role.EVALUATOR, Role.OFFICER, Role.CITIZEN]


def _text(response) -> str:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", errors="replace")


def _leaks(text: str, world: CouncilWorld) -> list[str]:
    return [marker for marker in plaintexts(world) if marker in text]


@dataclass
class SealedBidder:
    """A bidder whose identity and file names are markers (see the module docstring)."""

    organisation: Organisation
    person: User
    control_organisation: Organisation
    control_person: User
    filenames: list[str]
    bid: Bid

    def identity_pairs(self) -> list[tuple[str, str]]:
        return [
            (self.organisation.name, self.control_organisation.name),
            (self.person.email, self.control_person.email),
            (self.person.name, self.control_person.name),
        ]

    def leaks(self, text: str) -> list[str]:
        named = [mine for mine, control in self.identity_pairs() if mine in text and control not in text]
        return named + [name for name in self.filenames if name in text]

    def subject_ids(self) -> list[tuple[str, str]]:
        """(bidder's id, control's id) for the organisation and the person."""
        return [
            (str(self.organisation.pk), str(self.control_organisation.pk)),
            (str(self.person.pk), str(self.control_person.pk)),
        ]

    def as_control(self, text: str) -> set[str]:
        """The words of a page with the bidder's markers and ids written as the control's."""
        for mine, control in self.identity_pairs():
            text = text.replace(mine, control)
        for mine, control in self.subject_ids():
            text = text.replace(f"/{mine}/", f"/{control}/")
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
        # Words only: ids, CSRF tokens and password hash fragments differ from page to page anyway.
        words = re.findall(r"[\w@.-]+", text)
        return {word for word in words if len(word) > 3 and not re.search(r"\d", word)}

    def markers(self) -> list[str]:
        return [mine for mine, _ in self.identity_pairs()] + self.filenames


def sealed_bidder(world: CouncilWorld) -> SealedBidder:
    """Bid through the services as a provider would: start, save, attach two documents and remove
    one, submit, withdraw, change and submit again. Every step writes its (sealed) audit event."""
    slug = world.council.slug
    organisation, person = bidder(name=f"Zebra Bidders {slug}-sealed-org", email=f"{slug}-sealed-bidder@example.org")
    control_organisation, control_person = bidder(
        name=f"Zebra Watchers {slug}-control-org", email=f"{slug}-control-person@example.org"
    )
    User.objects.filter(pk=person.pk).update(name=f"Quilla Sealedbidder {slug}")
    User.objects.filter(pk=control_person.pk).update(name=f"Quilla Controlperson {slug}")
    person.refresh_from_db()
    control_person.refresh_from_db()
    filenames = [f"{slug}-sealed-filename-marker.pdf", f"{slug}-sealed-removed-marker.pdf"]
    with council_scope(world.council):
        tender = published_tender(world)
        bid = bids.bid_start(tender=tender, organisation=organisation, actor=person)
        bid = bids.bid_draft_save(bid=bid, actor=person, changes=complete_changes(tender), expected_revision=1)
        question = Criterion.objects.filter(tender=tender, kind="quality").first()
        for name in filenames:
            upload = SimpleUploadedFile(name, b"%PDF-1.7 sealed bidder's document", "application/pdf")
            attachment = bids.bid_attachment_add(bid=bid, actor=person, question=question, upload=upload)
        bids.bid_attachment_remove(attachment=attachment, actor=person)
        bids.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())
        bid = bids.bid_withdraw(bid=bid, actor=person)
        bid.refresh_from_db()
        changes = {"prices": {k: "140000.00" for k in complete_changes(tender)["prices"]}}
        bid = bids.bid_draft_save(bid=bid, actor=person, changes=changes, expected_revision=bid.draft_revision)
        bids.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())
    return SealedBidder(organisation, person, control_organisation, control_person, filenames, bid)


def _council_doors(world: CouncilWorld) -> list[str]:
    """Every page and endpoint of the council side that is about this tender and its bid."""
    slug, tender, bid = world.council.slug, published_tender(world), the_bid(world)
    with council_scope(world.council):
        attachment = BidAttachment.objects.get(council=world.council, bid=bid)
    page, api = f"/c/{slug}/tenders/{tender.pk}/", f"/api/v1/councils/{slug}/tenders/{tender.pk}/"
    return [
        f"/c/{slug}/dashboard/",
        f"/c/{slug}/tenders/",
        page,
        f"{page}bids/",
        f"{page}bids/{bid.pk}/",
        f"{page}bids/{bid.pk}/attachments/{attachment.pk}/",
        f"{page}specification/",
        f"/c/{slug}/audit/",
        f"/api/v1/councils/{slug}/tenders/",
        api,
        f"{api}specification/",
        f"{api}bids/",
        f"{api}bids/{bid.pk}/",
        "/api/schema/",
    ]


def _superuser() -> User:
    return UserFactory(email="platform.staff@example.org", is_staff=True, is_superuser=True)


def _admin_doors(world: CouncilWorld) -> list[str]:
    bid = the_bid(world)
    with council_scope(world.council):
        submission = BidSubmission.objects.get(council=world.council, bid=bid)
        attachment = BidAttachment.objects.get(council=world.council, bid=bid)
    tender = published_tender(world)
    doors = ["/platform-admin/", "/platform-admin/tenders/", "/platform-admin/commissioning/auditevent/"]
    for model, pk in (
        ("bid", bid.pk),
        ("bidsubmission", submission.pk),
        ("bidattachment", attachment.pk),
        ("tender", tender.pk),
    ):
        base = f"/platform-admin/tenders/{model}/"
        doors += [base, f"{base}?q={world.council.slug}-private", f"{base}{pk}/change/", f"{base}{pk}/history/"]
        doors += [f"{base}{pk}/delete/", f"{base}add/"]
    return doors


@pytest.mark.parametrize("role", COUNCIL_ROLES)
def test_no_council_role_reads_a_bid_before_the_deadline(client, knowsley: CouncilWorld, role: str) -> None:
    # The audit trail holds events about the bid (as services would write them), never its content.
    with council_scope(knowsley.council):
        audit_record(
            council=knowsley.council, actor=knowsley.provider, action="bid.submitted", target=the_bid(knowsley)
        )
    client.force_login(knowsley.people[role])
    seen = {}
    for url in _council_doors(knowsley):
        response = client.get(url)
        assert response.status_code != 500, url
        seen[url] = response.status_code
        assert not _leaks(_text(response), knowsley), f"{role} reads {_leaks(_text(response), knowsley)} at {url}"
    # The doors were really tried: the commissioner gets the sealed answers, not just 404s.
    if role == Role.COMMISSIONER:
        tender = published_tender(knowsley)
        assert seen[f"/c/knowsley/tenders/{tender.pk}/bids/"] == 200
        assert seen[f"/api/v1/councils/knowsley/tenders/{tender.pk}/bids/"] == 403


def test_platform_staff_never_see_bid_content_in_the_admin(client, knowsley: CouncilWorld) -> None:
    force_login_with_mfa(client, _superuser())
    for url in _admin_doors(knowsley):
        response = client.get(url)
        assert response.status_code in {200, 302, 403}, (url, response.status_code)
        assert not _leaks(_text(response), knowsley), f"admin shows {_leaks(_text(response), knowsley)} at {url}"
    # Before the deadline the admin does not even list the bid (who bids is sealed too) ...
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        submission = BidSubmission.objects.get(council=knowsley.council, bid=bid)
    submission_page = f"/platform-admin/tenders/bidsubmission/{submission.pk}/change/"
    assert submission.reference not in _text(client.get(submission_page, follow=True))
    assert knowsley.organisation.name not in _text(client.get("/platform-admin/tenders/bid/"))
    # ... and from the deadline it shows what support needs: the reference and hash of the receipt.
    open_bids(knowsley)
    page = _text(client.get(submission_page))
    assert submission.reference in page and submission.sha256 in page
    assert knowsley.organisation.name in _text(client.get("/platform-admin/tenders/bid/"))
    # Nothing can be changed, deleted or exported from there either.
    assert client.post(f"/platform-admin/tenders/bid/{bid.pk}/change/", {"draft": "x"}).status_code == 403
    assert client.post(f"/platform-admin/tenders/bid/{bid.pk}/delete/", {"post": "yes"}).status_code == 403
    listing = client.post("/platform-admin/tenders/bid/", {"action": "delete_selected", "_selected_action": [bid.pk]})
    assert listing.status_code in {200, 302, 400}
    with council_scope(knowsley.council):
        assert Bid.objects.filter(council=knowsley.council, pk=bid.pk).exists()


def test_platform_staff_do_not_see_it_after_the_deadline_either(client, knowsley: CouncilWorld) -> None:
    open_bids(knowsley)
    force_login_with_mfa(client, _superuser())
    for url in _admin_doors(knowsley):
        assert not _leaks(_text(client.get(url)), knowsley), url


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.OFFICER])
def test_after_the_deadline_the_commissioner_and_officer_read_it(client, knowsley: CouncilWorld, role: str) -> None:
    open_bids(knowsley)
    client.force_login(knowsley.people[role])
    tender, bid = published_tender(knowsley), the_bid(knowsley)
    page = _text(client.get(f"/c/knowsley/tenders/{tender.pk}/bids/{bid.pk}/"))
    api = _text(client.get(f"/api/v1/councils/knowsley/tenders/{tender.pk}/bids/"))
    for text in (page, api):
        assert set(_leaks(text, knowsley)) >= {
            "knowsley-private-bid-answer",
            "knowsley-private local jobs",
            "knowsley-private-safeguarding",
        }
    with council_scope(knowsley.council):
        attachment = BidAttachment.objects.get(council=knowsley.council, bid=bid)
    download = client.get(f"/c/knowsley/tenders/{tender.pk}/bids/{bid.pk}/attachments/{attachment.pk}/")
    assert _leaks(_text(download), knowsley) == ["knowsley-private-attachment"]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.EVALUATOR, Role.CITIZEN])
def test_after_the_deadline_other_roles_still_cannot(client, knowsley: CouncilWorld, role: str) -> None:
    open_bids(knowsley)
    client.force_login(knowsley.people[role])
    for url in _council_doors(knowsley):
        assert not _leaks(_text(client.get(url)), knowsley), url


def test_the_stored_rows_and_files_hold_ciphertext_only(knowsley: CouncilWorld) -> None:
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        attachment = BidAttachment.objects.get(council=knowsley.council, bid=bid)
        with attachment.file.open("rb") as handle:
            stored = handle.read().decode("ascii")
        # Raw SQL, as a database dump or backup would read the tables.
        with connection.cursor() as cursor:
            cursor.execute("SELECT draft FROM tenders_bid WHERE id = %s", [bid.pk])
            (draft,) = cursor.fetchone()
            cursor.execute("SELECT content FROM tenders_bidsubmission WHERE bid_id = %s", [bid.pk])
            (content,) = cursor.fetchone()
    for value in (draft, content, stored):
        assert value.startswith("gAAAAA")  # a Fernet token
        assert not _leaks(value, knowsley)
        assert "private" not in value and "safeguarding" not in value
    assert attachment.file.name.endswith(".sealed") and "safeguarding" not in attachment.file.name


def test_compliance_cannot_be_used_to_probe_a_sealed_bid(client, knowsley: CouncilWorld) -> None:
    tender, bid = published_tender(knowsley), the_bid(knowsley)
    client.force_login(knowsley.people[Role.COMMISSIONER])
    for body in ({"compliance": "compliant"}, {"compliance": "non_compliant", "reason": "x"}):
        page = client.post(f"/c/knowsley/tenders/{tender.pk}/bids/{bid.pk}/", body)
        api = client.post(
            f"/api/v1/councils/knowsley/tenders/{tender.pk}/bids/{bid.pk}/compliance/",
            body,
            content_type="application/json",
        )
        assert page.status_code == 403 and api.status_code == 403
        assert "Knowsley Community Trust" not in _text(page) + _text(api)
    with council_scope(knowsley.council):
        assert Bid.objects.get(council=knowsley.council, pk=bid.pk).compliance == Compliance.UNCHECKED


WALK_ROLES = [*COUNCIL_ROLES, "platform staff"]
POST_TOO = ("/tenders/", "/bids", "/api/", "/platform-admin/tenders/")


@pytest.mark.parametrize("role", WALK_ROLES)
def test_every_url_of_the_same_council_keeps_the_seal(role: str, knowsley: CouncilWorld) -> None:
    """Every URL pattern and API operation, with this council's own ids (and the sealed bidder's),
    before the deadline: no bid content, no bidder's name, person or file name."""
    bidder_ = sealed_bidder(knowsley)
    client = Client(raise_request_exception=False)
    if role == "platform staff":
        force_login_with_mfa(client, _superuser())
    else:
        client.force_login(knowsley.people[role])
    targets = _targets(
        knowsley,
        extra_ids={
            "organisation": [str(bidder_.organisation.pk), str(bidder_.control_organisation.pk)],
            "user": [str(bidder_.person.pk), str(bidder_.control_person.pk)],
        },
    )
    problems = []
    for target in targets:
        if "logout" in target.path:
            continue  # keeps the walker signed in
        for method in target.methods:
            # Every door is opened (GET); posting, which renders the same templates, where bids live.
            if method != "GET" and not any(part in target.path for part in POST_TOO):
                continue
            response = client.generic(method, target.path, data="{}", content_type="application/json")
            if response.status_code == 500:
                problems.append(f"{method} {target.path}: 500")
                continue
            text = _text(response)
            leaked = _leaks(text, knowsley) + bidder_.leaks(text)
            if leaked and not _leaks(text, knowsley):
                # A page about the bidder organisation or person itself (its profile, its admin
                # page) names them, as the same page about the control names the control: that
                # says nothing about bidding, unless it shows anything the control's does not.
                for mine, control in bidder_.subject_ids():
                    if f"/{mine}/" in target.path:
                        twin = client.generic(
                            method,
                            target.path.replace(f"/{mine}/", f"/{control}/"),
                            data="{}",
                            content_type="application/json",
                        )
                        extra = bidder_.as_control(text) - bidder_.as_control(_text(twin))
                        if twin.status_code == response.status_code and not extra:
                            leaked = [name for name in bidder_.filenames if name in text]
                        else:
                            leaked = [*leaked, f"more than the control's page: {sorted(extra)[:10]}"]
                        break
            if leaked:
                problems.append(f"{method} {target.path}: {response.status_code} shows {leaked}")
    paths = {t.path for t in targets}
    tender = published_tender(knowsley)
    assert f"/c/knowsley/tenders/{tender.pk}/bids/" in paths  # the walk reached this stage's doors
    assert "/c/knowsley/audit/" in paths and "/platform-admin/commissioning/auditevent/" in paths
    assert any(p.startswith("/platform-admin/tenders/bid") for p in paths)
    assert not problems, "\n".join(problems)
    # The seal held whatever was posted: still sealed, still unchecked.
    with platform_scope():
        assert Bid.objects.get(pk=the_bid(knowsley).pk).compliance == Compliance.UNCHECKED


# --- Who is bidding ------------------------------------------------------------------------------


def test_the_audit_trail_says_only_how_many_sealed_bid_events_there_were(client, knowsley: CouncilWorld) -> None:
    bidder_ = sealed_bidder(knowsley)
    client.force_login(knowsley.people[Role.OFFICER])
    page = _text(client.get("/c/knowsley/audit/"))
    # start, save, 2 attachments, removal, submit, withdraw, save, resubmit: 9 events, one line.
    assert "9 sealed bid events, shown after the deadline" in page
    assert not bidder_.leaks(page) and bidder_.person.email not in page
    dashboard = _text(client.get("/c/knowsley/dashboard/"))
    assert "sealed bid events, shown after the deadline" in dashboard and not bidder_.leaks(dashboard)
    # A filter cannot find them either: not by the bidder's name, nor by what they did.
    for query in (f"actor={bidder_.person.email}", "actor=Sealedbidder", "action=bid.submitted"):
        found = _text(client.get(f"/c/knowsley/audit/?{query}"))
        events = found[found.index("<tbody") : found.index("</tbody>")]  # the filter form echoes the query
        assert "No events match." in events and not bidder_.leaks(events), query
    # The chain is whole: the sealed events are in it and verify without any key.
    with council_scope(knowsley.council):
        report = audit_verify(council=knowsley.council)
    assert report.ok and report.events_checked >= 9


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.OFFICER])
def test_after_the_deadline_the_commissioner_and_officer_see_who_bid(client, knowsley: CouncilWorld, role) -> None:
    bidder_ = sealed_bidder(knowsley)
    tender = open_bids(knowsley)
    client.force_login(knowsley.people[role])
    listing = _text(client.get(f"/c/knowsley/tenders/{tender.pk}/bids/"))
    assert bidder_.organisation.name in listing
    bid_page = _text(client.get(f"/c/knowsley/tenders/{tender.pk}/bids/{bidder_.bid.pk}/"))
    assert bidder_.filenames[0] in bid_page  # the document still attached, by its own name
    if role == Role.OFFICER:  # who may read the audit trail
        trail = _text(client.get("/c/knowsley/audit/"))
        assert f"{bidder_.person.name} submitted a bid" in trail
        assert f"{bidder_.person.name} withdrew a bid" in trail
        assert f"{bidder_.person.name} replaced a submitted bid" in trail
        events = trail[trail.index("<tbody") : trail.index("</tbody>")]
        assert bidder_.person.email in events and "shown after the deadline" not in events
        found = _text(client.get("/c/knowsley/audit/?action=bid.withdrawn"))
        assert f"{bidder_.person.name} withdrew a bid" in found and "submitted a bid" not in found
        by_name = _text(client.get("/c/knowsley/audit/?actor=Sealedbidder"))
        assert f"{bidder_.person.name} started a bid" in by_name


def test_the_seal_follows_the_current_deadline(client, knowsley: CouncilWorld) -> None:
    """A published change can extend the deadline: the seal follows the tender as it is now."""
    bidder_ = sealed_bidder(knowsley)
    client.force_login(knowsley.people[Role.OFFICER])
    open_bids(knowsley)
    assert bidder_.person.name in _text(client.get("/c/knowsley/audit/"))
    open_bids(knowsley, hours_ago=-48)  # the deadline is now two days ahead again
    page = _text(client.get("/c/knowsley/audit/"))
    assert "9 sealed bid events" in page and bidder_.person.name not in page


def test_platform_staff_see_no_bidder_in_the_admins_audit_events(client, knowsley: CouncilWorld) -> None:
    bidder_ = sealed_bidder(knowsley)
    force_login_with_mfa(client, _superuser())
    listing = _text(client.get("/platform-admin/commissioning/auditevent/"))
    assert "sealed bid event" in listing and not bidder_.leaks(listing)
    for query in ("Sealedbidder", "sealed-org", "bid.submitted"):  # parts of markers: the box echoes them
        searched = _text(client.get(f"/platform-admin/commissioning/auditevent/?q={query}"))
        assert not bidder_.leaks(searched) and "0 audit events" in searched, query
    with council_scope(knowsley.council):
        from commissioning.models import AuditEvent

        sealed = AuditEvent.objects.filter(council=knowsley.council).exclude(sealed_by="")
        pks = list(sealed.values_list("pk", flat=True))
    assert len(pks) == 9
    for pk in pks:
        page = _text(client.get(f"/platform-admin/commissioning/auditevent/{pk}/change/"))
        assert "sealed bid event" in page and not bidder_.leaks(page)
    # An organisation's or person's deletion page would list the bids it is part of: there is none.
    assert (
        client.get(f"/platform-admin/commissioning/organisation/{bidder_.organisation.pk}/delete/").status_code == 403
    )
    assert client.get(f"/platform-admin/commissioning/user/{bidder_.person.pk}/delete/").status_code == 403


def test_the_stored_attachment_and_audit_rows_hold_no_identity_in_plain_text(knowsley: CouncilWorld) -> None:
    """As a database dump reads them: the attachment's row and every audit event's row."""
    bidder_ = sealed_bidder(knowsley)
    with council_scope(knowsley.council), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tenders_bidattachment WHERE bid_id = %s", [bidder_.bid.pk])
        attachments = cursor.fetchall()
        cursor.execute("SELECT * FROM commissioning_auditevent WHERE council_id = %s", [knowsley.council.pk])
        events = cursor.fetchall()
    assert len(attachments) == 2 and len(events) >= 9
    dump = repr(attachments) + repr(events)
    for marker in [*bidder_.markers(), "sealed-filename", "sealed-removed", "Sealedbidder", "application/pdf"]:
        assert marker not in dump, marker
    # The size is sealed too: no column holds it.
    assert "size" not in [c.name for c in BidAttachment._meta.get_fields()]


@pytest.mark.django_db(transaction=True)  # the tampering runs on the owner's own connection
def test_a_changed_sealed_event_breaks_the_chain(knowsley: CouncilWorld) -> None:
    from commissioning.models import AuditEvent
    from tests.core.test_audit import _tamper

    sealed_bidder(knowsley)
    with council_scope(knowsley.council):
        event = AuditEvent.objects.filter(council=knowsley.council).exclude(sealed_by="").order_by("sequence").first()
        other = AuditEvent.objects.filter(council=knowsley.council).exclude(sealed_by="").order_by("-sequence").first()
        # Swap in another event's ciphertext (valid under the same key): the hash still catches it.
        _tamper(event, sealed_facts=other.sealed_facts)
        report = audit_verify(council=knowsley.council)
    assert not report.ok and report.broken_at == event.sequence
