"""The cross-council probe.

Two councils, A (Knowsley) and B (Southwark), with data in every council-owned model. As each role
of A (and as A's provider, and as nobody), request every URL pattern the resolver knows and every
operation in the OpenAPI schema, substituting B's slug and B's ids. No response may be a 500, none
may contain B's private data, and B's data must be unchanged afterwards.

Nothing here lists URLs by hand: new pages and endpoints are probed as soon as they exist. A new
council-owned model must be given data in ``_fill_every_model`` (a test below fails until it is).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from commissioning.audit import audit_record
from commissioning.models import Notification
from commissioning.tenancy import council_owned_models, council_scope, platform_scope
from tenders.models import Bid, ContributionKind, Tender, TenderContributor
from tests.factories import EVERYTHING, CouncilWorld

pytestmark = pytest.mark.world(EVERYTHING)

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")
SECRET_ACTION = "probe.southwark-private-event"


@dataclass
class Target:
    path: str
    methods: tuple[str, ...]
    source: str


def _fill_every_model(world: CouncilWorld) -> None:
    """Give B a row in every council-owned model (factories make most; the rest here)."""
    with council_scope(world.council):
        audit_record(
            council=world.council,
            actor=world.people["admin"],
            action=SECRET_ACTION,
            after={"note": "southwark-private-note"},
        )
        Notification.objects.create(council=world.council, key=f"probe:{world.council.slug}-private")
        tender = Tender.objects.order_by("pk").first()
        assert tender is not None
        TenderContributor.record(tender=tender, user=world.people["officer"], kind=ContributionKind.DRAFTED)


def _b_private_markers(world: CouncilWorld) -> list[str]:
    markers = [p.email for p in world.people.values()]
    markers += [world.invitation.email, world.invitation.token, SECRET_ACTION, "southwark-private-note"]
    markers += [world.organisation.name, world.provider.email]
    # Convention for world builders: council B's private text contains "<slug>-private".
    markers.append(f"{world.council.slug}-private")
    return markers


def _ids_by_model(world: CouncilWorld) -> dict[str, list[str]]:
    """B's primary keys, by model name, for every model that has rows belonging to B."""
    ids: dict[str, list[str]] = {}
    with platform_scope():
        for model in council_owned_models():
            pks = model.objects.filter(council=world.council).values_list("pk", flat=True)[:3]
            ids[model._meta.model_name] = [str(pk) for pk in pks]
        ids["organisation"] = [str(world.organisation.pk)]
        ids["organisationmember"] = [str(m.pk) for m in world.organisation.memberships.all()]
        ids["user"] = [str(p.pk) for p in list(world.people.values())[:2]]
        ids["council"] = [str(world.council.pk)]
    return ids


# URL parameters named for what they hold rather than for their model (``round_id`` is a comment
# round): the probe tries that model's ids, not every id there is. A name may stand for either of
# two models (a tender's document, a bid's attachment): it gets both.
ALIASES: dict[str, tuple[str, ...]] = {
    "notice": ("awardnotice",),
    "round": ("commentround", "frameworkcommentround"),
    "attachment": ("bidattachment",),
    "document": ("tenderdocument", "bidattachment"),
    "summary": ("assessmentsummary",),
    "section": ("specificationsection",),
    "version": ("specificationversion",),
    "review": ("abnormallylowreview",),
    "recommendation": ("awardrecommendation",),
    "comment": ("sectioncomment", "frameworkcomment"),
    "override": ("eligibilityoverride",),
    "question": ("clarificationquestion", "criterion"),
    "assignment": ("evaluatorassignment",),
    "change": ("moderatedscorechange",),
    "return": ("deliveryreturn",),
    "evidence": ("returnevidence",),
}


def _values_for(
    name: str, converter: str | None, world: CouncilWorld, ids: dict[str, list[str]], model: str | None = None
) -> list[str]:
    """The values a URL parameter is probed with; ``model`` is the model the route is about, when
    the route says it (the admin's ``<app>/<model>/<object_id>/``)."""
    if name == "council_slug":
        return [world.council.slug]
    if name in {"token", "key"}:
        # Capability secrets are not identifiers: only a guess is probed (and must be refused).
        return [secrets.token_urlsafe(32)]
    if name == "queue":  # the dashboard's work queues, by their registered keys
        from commissioning.extensions import work_queues_for
        from commissioning.models import Role

        return [queue.key for queue in work_queues_for(set(Role.values))]
    if name == "index":  # a section's place in a specification version
        return ["0", "1"]
    if name == "content_type_id":  # the admin's "view on site" link: the content types that matter most
        from django.contrib.contenttypes.models import ContentType

        return [str(ContentType.objects.get_for_model(model).pk) for model in (Tender, Bid)]
    stem = name.removesuffix("_id")
    if name == "object_id" and model in ids:
        return ids[model] or ["999999"]
    if stem in ids:
        return ids[stem] or ["999999"]
    if stem in ALIASES:
        return [pk for alias in ALIASES[stem] for pk in ids.get(alias, [])] or ["999999"]
    if stem == "member":
        return ids["organisationmember"] + ids["membership"]
    if name.endswith("_id") or name in {"pk", "id", "object_id"} or converter == "int":
        every = sorted({pk for values in ids.values() for pk in values}, key=int)
        return every[:12] or ["1"]
    return ["x"]


def _walk(patterns: list, prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _expand(route: str, world: CouncilWorld, ids: dict[str, list[str]]) -> list[str]:
    route = route.lstrip("^").replace("$", "").replace("\\Z", "").replace("\\", "")
    slots: list[tuple[str, list[str]]] = []
    for match in PARAM.finditer(route):
        # The segment before a parameter names its model in the admin's routes (.../tenders/bid/<object_id>/).
        before = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        values = _values_for(match.group("name"), match.group("converter"), world, ids, model=before)
        slots.append((match.group(0), values))
    for match in REGEX_GROUP.finditer(route):
        body = match.group("body")
        literal = body.split("|")[0] if re.fullmatch(r"[\w|]+", body) else None
        values = [literal] if literal else _values_for(match.group("name"), None, world, ids)
        slots.append((match.group(0), values))
    paths = ["/" + route]
    for placeholder, values in slots:
        paths = [p.replace(placeholder, v, 1) for p in paths for v in values]
    return [p for p in paths if "(" not in p and "?" not in p]


def _targets(world: CouncilWorld, extra_ids: dict[str, list[str]] | None = None) -> list[Target]:
    ids = _ids_by_model(world)
    for model_name, more in (extra_ids or {}).items():
        ids[model_name] = [*ids.get(model_name, []), *more]
    found: dict[str, Target] = {}
    for route in _walk(get_resolver().url_patterns):
        for path in _expand(route, world, ids):
            found.setdefault(path, Target(path, ("GET", "POST"), "resolver"))
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for template, operations in schema["paths"].items():
        methods = tuple(m.upper() for m in operations if m in {"get", "post", "put", "patch", "delete"})
        braced = re.sub(r"\{(\w+)\}", r"<\1>", template.lstrip("/"))
        for path in _expand(braced, world, ids):
            found[path] = Target(path, methods, "openapi")
    return sorted(found.values(), key=lambda t: t.path)


def _b_snapshot(world: CouncilWorld) -> dict[str, int]:
    with platform_scope():
        counts = {m._meta.label: m.objects.filter(council=world.council).count() for m in council_owned_models()}
    world.organisation.refresh_from_db()
    counts["organisation members"] = world.organisation.memberships.count()
    return counts


@pytest.fixture
def worlds(knowsley: CouncilWorld, southwark: CouncilWorld) -> tuple[CouncilWorld, CouncilWorld]:
    _fill_every_model(southwark)
    return knowsley, southwark


def test_b_has_data_in_every_council_owned_model(worlds: tuple[CouncilWorld, CouncilWorld]) -> None:
    _, b = worlds
    empty = [label for label, count in _b_snapshot(b).items() if count == 0]
    assert not empty, f"Give council B data in these models so the probe covers them: {empty}"


def test_the_probe_finds_every_kind_of_url(worlds: tuple[CouncilWorld, CouncilWorld]) -> None:
    _, b = worlds
    paths = {t.path for t in _targets(b)}
    assert "/c/southwark/dashboard/" in paths
    assert "/api/v1/councils/southwark/members/" in paths
    assert f"/organisations/{b.organisation.pk}/" in paths
    assert any(p.startswith("/platform-admin/") for p in paths)


PROBE_ROLES = ["admin", "commissioner", "evaluator", "officer", "citizen", "provider", "anonymous"]


@pytest.mark.parametrize("role", PROBE_ROLES)
def test_no_response_leaks_council_b(role: str, worlds: tuple[CouncilWorld, CouncilWorld]) -> None:
    a, b = worlds
    client = Client(raise_request_exception=False)
    if role == "provider":
        client.force_login(a.provider)
    elif role != "anonymous":
        client.force_login(a.people[role])
    markers = _b_private_markers(b)
    before = _b_snapshot(b)
    problems: list[str] = []
    targets = _targets(b)
    for target in targets:
        if target.path.startswith("/accounts/logout"):
            continue  # keeps the probe signed in
        for method in target.methods:
            if target.path == "/health/" and method == "POST":
                continue
            response = client.generic(method, target.path, data="{}", content_type="application/json")
            if response.status_code == 500:
                problems.append(f"{method} {target.path}: {response.status_code}")
                continue
            body = b"".join(response.streaming_content) if response.streaming else response.content
            text = body.decode("utf-8", errors="replace")
            leaked = [m for m in markers if m in text]
            if leaked:
                problems.append(f"{method} {target.path}: {response.status_code} shows {leaked}")
    assert len(targets) > 40
    assert not problems, "\n".join(problems)
    assert _b_snapshot(b) == before, "council B's data changed"


def test_every_model_is_either_council_owned_or_known_global() -> None:
    """A new model must decide: council-owned (and probed) or deliberately global."""
    global_models = {
        "commissioning.user",
        "commissioning.council",
        "commissioning.organisation",
        "commissioning.platformoutboxmessage",  # tasks of no council (commissioning.queue.enqueue_platform)
        "commissioning.organisationmember",
        # Reference data every council shares, published by the government.
        "tenders.bankholiday",
        "tenders.procurementthreshold",
    }
    ours = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"commissioning", "tenders", "social_value", "citizens", "grants"}
    ]
    undecided = [
        m._meta.label_lower
        for m in ours
        if m not in council_owned_models() and m._meta.label_lower not in global_models
    ]
    assert not undecided, f"Council-owned or global? {undecided}"
    assert all(issubclass(m, models.Model) for m in ours)
