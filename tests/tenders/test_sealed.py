"""Sealed bids at every door.

Before the submission deadline no one on the council side (any role, the API, the platform admin,
the audit trail, exports) may read a bid's content: its answers, its social value commitments,
its attachments and their names. After the deadline the commissioner and the officer can.

The plaintext is the sealed bid of tests/factories_tenders_life.py: the answer text
"<slug>-private-bid-answer", the commitment "<slug>-private local jobs", the attachment's text
"<slug>-private-attachment…" and its name "<slug>-private-safeguarding.pdf".

The last test walks every URL pattern and every API operation (with the cross-council probe's
discovery, but with the SAME council's ids) as each council role and as platform staff.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from commissioning.audit import audit_record
from commissioning.models import Role, User
from commissioning.tenancy import council_scope, platform_scope
from tenders.models import Bid, BidAttachment, BidSubmission, Compliance
from tests.core.test_cross_council_probe import _targets
from tests.factories import CouncilWorld, UserFactory, force_login_with_mfa
from tests.tenders.test_opening import open_bids, plaintexts, published_tender, the_bid

COUNCIL_ROLES = [Role.ADMIN, Role.COMMISSIONER, Role.EVALUATOR, Role.OFFICER, Role.CITIZEN]


def _text(response) -> str:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", errors="replace")


def _leaks(text: str, world: CouncilWorld) -> list[str]:
    return [marker for marker in plaintexts(world) if marker in text]


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
    # The admin pages exist and show what support needs: the reference and hash of the receipt.
    bid = the_bid(knowsley)
    with council_scope(knowsley.council):
        submission = BidSubmission.objects.get(council=knowsley.council, bid=bid)
    page = _text(client.get(f"/platform-admin/tenders/bidsubmission/{submission.pk}/change/"))
    assert submission.reference in page and submission.sha256 in page
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
    """Every URL pattern and API operation, with this council's own ids, before the deadline."""
    client = Client(raise_request_exception=False)
    if role == "platform staff":
        force_login_with_mfa(client, _superuser())
    else:
        client.force_login(knowsley.people[role])
    targets = _targets(knowsley)
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
            leaked = _leaks(_text(response), knowsley)
            if leaked:
                problems.append(f"{method} {target.path}: {response.status_code} shows {leaked}")
    paths = {t.path for t in targets}
    tender = published_tender(knowsley)
    assert f"/c/knowsley/tenders/{tender.pk}/bids/" in paths  # the walk reached this stage's doors
    assert any(p.startswith("/platform-admin/tenders/bid") for p in paths)
    assert not problems, "\n".join(problems)
    # The seal held whatever was posted: still sealed, still unchecked.
    with platform_scope():
        assert Bid.objects.get(pk=the_bid(knowsley).pk).compliance == Compliance.UNCHECKED
