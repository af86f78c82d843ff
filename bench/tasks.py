"""The bench's steps that need Django, each run in its own process by the runner (``bench.run``):

    python -m bench.tasks seed OUT.json --scale 1.0      # create, migrate and seed $BENCH_DB
    python -m bench.tasks prepare MANIFEST.json OUT.json # sign-ins, an API token, the pages' URLs
    python -m bench.tasks rush-prepare MANIFEST.json OUT.json --kind spread --deadline-in 75
    python -m bench.tasks rush-check RUSH.json OUT.json  # what the database holds afterwards
    python -m bench.tasks purge                          # drop the receipts the rush queued

``BENCH_DB`` names the database (bench_* only); settings are ``bench.settings``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any


def _setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def _write(path: str, data: Any) -> None:
    Path(path).write_text(json.dumps(data, indent=2, default=str))


def cmd_seed(args: argparse.Namespace) -> None:
    from django.conf import settings

    from bench import seed

    started = time.monotonic()
    seed.create_database(settings.DATABASE_NAME)
    seed.migrate()
    migrated = time.monotonic() - started
    print(f"  database created and migrated as {settings.BENCH_OWNER_ROLE}: {migrated:.0f} s", flush=True)
    manifest = seed.seed(seed.Scale(factor=args.scale, rush=args.rush), log=lambda m: print(m, flush=True))
    manifest["rows"] = seed.count_rows()
    manifest["seconds"] = {"migrate": round(migrated, 1), "total": round(time.monotonic() - started, 1)}
    manifest["database"] = settings.DATABASE_NAME
    _write(args.out, manifest)


def _session(user: Any) -> str:
    """A signed-in session, as allauth leaves it after password and authenticator code."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    now = time.time()
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session.create()
    return session.session_key or ""


def cmd_prepare(args: argparse.Namespace) -> None:
    """The pages measured, with who asks for each (cookie or token)."""
    from django.conf import settings
    from django.urls import reverse
    from knox.models import AuthToken

    from commissioning.models import User

    manifest = json.loads(Path(args.manifest).read_text())
    officer = User.objects.get(pk=manifest["officer"])
    provider = User.objects.get(pk=manifest["provider"])
    cookie = settings.SESSION_COOKIE_NAME
    officer_cookie = f"{cookie}={_session(officer)}"
    provider_cookie = f"{cookie}={_session(provider)}"
    token = f"Token {AuthToken.objects.create(user=officer)[1]}"
    slug, notice, bids = manifest["council"], manifest["notice_tender"], manifest["bids_tender"]
    council = {"council_slug": slug}
    pages = [
        ("floor: bare DRF list of 50 tenders", reverse("bench_floor", kwargs=council), {}),
        ("opportunities finder, no filter", reverse("opportunity_finder"), {"Cookie": provider_cookie}),
        (
            "finder, next page",
            reverse("opportunity_finder") + f"?after={_finder_second_page()}",
            {"Cookie": provider_cookie},
        ),
        (
            "finder, council and status filter",
            reverse("opportunity_finder") + f"?council={slug}&status=open",
            {"Cookie": provider_cookie},
        ),
        ("council portal", reverse("council_portal", kwargs=council), {}),
        ("council tender list", reverse("tenders", kwargs=council), {"Cookie": officer_cookie}),
        ("tender notice", reverse("opportunity", kwargs={**council, "tender_id": notice}), {}),
        ("opportunities API, 50 a page", reverse("api_opportunities", kwargs=council), {}),
        ("council tenders API", reverse("api_council_tenders", kwargs=council), {"Authorization": token}),
        (
            "bids page, 100 bids",
            reverse("opening_bids", kwargs={**council, "tender_id": bids}),
            {"Cookie": officer_cookie},
        ),
        (
            "results page, 100 bids",
            reverse("tender_results", kwargs={**council, "tender_id": bids}),
            {"Cookie": officer_cookie},
        ),
        (
            "market dashboard, 2,000 agreements",
            reverse("social_value_market", kwargs=council),
            {"Cookie": officer_cookie},
        ),
        (
            "social value accounted for, 50,000 returns",
            reverse("social_value_accounted_for", kwargs=council),
            {},
        ),
        (
            "agreements list, 2,000 agreements",
            reverse("social_value_agreements", kwargs=council),
            {"Cookie": officer_cookie},
        ),
        (
            "bids API, 100 bids",
            reverse("api_council_bids", kwargs={**council, "tender_id": bids}),
            {"Authorization": token},
        ),
    ]
    _write(args.out, {"pages": [{"name": n, "path": p, "headers": h} for n, p, h in pages]})


def _finder_second_page() -> str:
    """The position of the finder's second page (its page links carry keyset positions)."""
    from tenders.selectors import OpportunityFilters, opportunity_list

    page = opportunity_list(filters=OpportunityFilters())
    return page.next.encode() if page.next else ""


def cmd_rush_prepare(args: argparse.Namespace) -> None:
    """A tender open for bids and ``--count`` complete drafts from as many organisations, each
    owner with an API token; the deadline is set last, ``--deadline-in`` seconds ahead."""
    from django.db import transaction
    from django.utils import timezone
    from knox.models import AuthToken

    from bench import seed
    from commissioning.models import Organisation
    from commissioning.tenancy import council_scope
    from tenders import selectors, services
    from tenders.models import Bid, Criterion, Lot, Tender

    manifest = json.loads(Path(args.manifest).read_text())
    now = timezone.now()
    template = _platform(lambda: Tender.objects.select_related("council").get(pk=manifest["template_tender"]))
    council = template.council
    ids = manifest["rush_organisations"][: args.count]
    organisations = {o.pk: o for o in Organisation.objects.filter(pk__in=ids)}
    owners = [(organisations[pk], organisations[pk].memberships.get().user) for pk in ids]
    # Far ahead while the drafts are made, then the deadline set just before the rush.
    plan = seed.Plan(
        f"Rush ({args.kind})",
        Decimal(900_000),
        now - timedelta(days=20),
        now + timedelta(hours=1),
        now + timedelta(hours=2),
    )
    with transaction.atomic(), council_scope(council):
        tender = seed.bulk_tenders(council, template, [plan], now)[0]
        tender = Tender.objects.get(pk=tender.pk)
        criteria = list(Criterion.objects.filter(tender=tender).order_by("position", "pk"))
        lots = list(Lot.objects.filter(tender=tender).values_list("pk", flat=True))
        first_org, first_owner = owners[0]
        bid = services.bid_start(tender=tender, organisation=first_org, actor=first_owner)
        bid = services.bid_draft_save(
            bid=bid, actor=first_owner, changes=seed.bid_content(tender, criteria, lots), expected_revision=1
        )
        problems = selectors.bid_problems(tender=tender, draft=selectors.bid_draft(bid))
        if problems:
            raise SystemExit(f"The rush's draft is not complete: {problems}")
        others = [
            seed.clone(bid, organisation_id=o.pk, created_by_id=u.pk, draft_revision=bid.draft_revision)
            for o, u in owners[1:]
        ]
        Bid.objects.bulk_create(others, batch_size=seed.BULK)
        bids = [bid, *others]
    tokens = [AuthToken.objects.create(user=u)[1] for _, u in owners]
    deadline = timezone.now() + timedelta(seconds=args.deadline_in)
    with transaction.atomic(), council_scope(council):
        Tender.objects.filter(pk=tender.pk).update(
            clarification_deadline=deadline - timedelta(minutes=30), submission_deadline=deadline
        )
    _write(
        args.out,
        {
            "kind": args.kind,
            "tender": tender.pk,
            "deadline": deadline.timestamp(),
            "bids": [{"id": b.pk, "token": t} for b, t in zip(bids, tokens, strict=True)],
        },
    )


def _platform(read: Any) -> Any:
    from commissioning.tenancy import platform_scope

    with platform_scope():
        return read()


def cmd_rush_check(args: argparse.Namespace) -> None:
    """Counted in the database: submissions, any at or after the deadline, any bid submitted twice."""
    from django.db.models import Count

    from commissioning.tenancy import platform_scope
    from tenders.models import Bid, BidSubmission, Tender

    rush = json.loads(Path(args.rush).read_text())
    with platform_scope():
        tender = Tender.objects.get(pk=rush["tender"])
        submissions = BidSubmission.objects.filter(bid__tender=tender)
        result = {
            "submissions": submissions.count(),
            "after_deadline": submissions.filter(submitted_at__gte=tender.submission_deadline).count(),
            "duplicated": Bid.objects.filter(tender=tender).annotate(n=Count("submissions")).filter(n__gt=1).count(),
            "submitted_bids": sorted(
                Bid.objects.filter(tender=tender, status="submitted").values_list("pk", flat=True)
            ),
        }
    _write(args.out, result)


def cmd_purge(args: argparse.Namespace) -> None:
    """Drop the receipts the rush queued: no worker runs in the bench (Redis db of the bench only)."""
    from commissioning.celery import app

    with app.connection_for_write() as connection:
        app.control.purge(connection=connection)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.tasks")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("seed")
    p.add_argument("out")
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--rush", type=int, default=1000)
    p = sub.add_parser("prepare")
    p.add_argument("manifest")
    p.add_argument("out")
    p = sub.add_parser("rush-prepare")
    p.add_argument("manifest")
    p.add_argument("out")
    p.add_argument("--kind", default="spread")
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--deadline-in", type=float, default=75)
    p = sub.add_parser("rush-check")
    p.add_argument("rush")
    p.add_argument("out")
    sub.add_parser("purge")
    args = parser.parse_args(argv)
    _setup()
    {
        "seed": cmd_seed,
        "prepare": cmd_prepare,
        "rush-prepare": cmd_rush_prepare,
        "rush-check": cmd_rush_check,
        "purge": cmd_purge,
    }[args.command](args)


if __name__ == "__main__":
    main(sys.argv[1:])
