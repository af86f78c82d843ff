"""Stored XSS at every door.

Every text people can type is planted with a script payload unique to its field and row, then every
URL pattern and every API operation (discovered by the cross-council probe's ``_targets``, so new
pages are covered as they appear) is requested as every council role, platform staff, a provider
and nobody, before the bid deadline and after it (when opened bids render). No HTML page may carry
the payload as markup; escaped, it reads as harmless text.

The payloads go in three ways:

- through the real services where the text is sealed or checked: a bid's answers, commitments and
  declarations (encrypted with the tender's key), and an evaluation model's criteria (title,
  question, guidance, scoring descriptors) saved with ``criteria_replace``;
- straight into the database for every other CharField and TextField of every row of the
  project's own models (found from the app registry, so a new model is covered), bypassing form
  validation as an attacker with another way in would; fields that must stay parseable (choices,
  slugs, e-mails, hashes, tokens, sealed ciphertext, short codes) are left alone;
- into the JSON that holds typed text (a specification version's sections).

API responses in JSON are data, not markup (a client must escape them); the browsable API is
HTML, so API operations are requested as a browser too.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Role
from commissioning.tenancy import council_scope, platform_scope
from tenders.models import Criterion, SpecificationVersion, Tender
from tenders.selectors import tender_policy
from tenders.services import bids, evaluation_model
from tests.core.test_cross_council_probe import _targets
from tests.factories import EVERYTHING, CouncilWorld, UserFactory, force_login_with_mfa
from tests.tenders.test_bids_helpers import bidder, complete_changes
from tests.tenders.test_opening import published_tender, the_bid

pytestmark = pytest.mark.world(EVERYTHING)

OUR_APPS = {"commissioning", "tenders", "social_value", "citizens", "grants"}

# Fields that must stay parseable or are not text people type: secrets, hashes, sealed
# ciphertext (planted through the services instead), codes the application writes.
NOT_TYPED = {
    "password",
    "token",
    "key",
    "wrapped_key",
    "key_id",
    "sha256",
    "content_sha256",
    "hash",
    "previous_hash",
    "reference",
    "content_type",
    "currency",
    "region",
    "section_key",  # "measure:12": written by the services from a checked key (a database constraint too)
}
SEALED = {("tenders.bid", "draft"), ("tenders.bidsubmission", "content"), ("tenders.bidattachment", "details")}
# The audit trail is append-only and hash-chained; its readable fields are written by the services
# from what people typed (the events of the service calls below carry payloads).
NOT_PLANTED_MODELS = {"commissioning.auditevent"}

_numbers = itertools.count(1)


def payload(max_length: int | None = None) -> str:
    n = next(_numbers)
    text = f'"><script>xss_{n}()</script><img src=x onerror=xss_{n}()><a href="javascript:xss_{n}()">x{n}</a>'
    if max_length and len(text) > max_length:
        text = f'"><script>xss_{n}()</script>'
    return text


class _Markup(HTMLParser):
    """What a browser would run: script text, event handler attributes, ``javascript:`` URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on") and "xss_" in value:
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and re.match(r"\s*javascript:", value, re.IGNORECASE):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "xss_" in data:
            self.found.append(f"<script>{data.strip()[:60]!r}")


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}


def markup_found(html: str) -> list[str]:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.found


def _typed_fields(model: type[models.Model]) -> list[models.Field]:
    label = model._meta.label_lower
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, (models.SlugField, models.EmailField))
        and not field.choices
        and not field.primary_key
        and field.name not in NOT_TYPED
        and (label, field.name) not in SEALED
        and (field.max_length is None or field.max_length >= 30)
    ]


def plant_everywhere() -> int:
    """A payload in every typed text field of every row of our models; returns how many were planted."""
    planted = 0
    with platform_scope():
        for model in apps.get_models():
            if model._meta.app_label not in OUR_APPS or model._meta.label_lower in NOT_PLANTED_MODELS:
                continue
            fields = _typed_fields(model)
            if not fields:
                continue
            for pk in model._base_manager.values_list("pk", flat=True):
                values = {field.name: payload(field.max_length) for field in fields}
                model._base_manager.filter(pk=pk).update(**values)
                planted += len(values)
        for version in SpecificationVersion.objects.all():
            sections = [{**section, "title": payload(), "body": payload()} for section in version.sections]
            SpecificationVersion.objects.filter(pk=version.pk).update(sections=sections)
            planted += 2 * len(sections)
        for criterion in Criterion.objects.all():
            Criterion.objects.filter(pk=criterion.pk).update(scoring_descriptors=[payload(), payload()])
            planted += 2
    return planted


def bid_with_payloads(world: CouncilWorld, tender: Tender) -> None:
    """A second provider's submitted bid, every typed part of it a payload, through the services."""
    organisation, person = bidder(name="Payload Partners", email="payload.partners@example.org")
    with council_scope(world.council):
        bid = bids.bid_start(tender=tender, organisation=organisation, actor=person)
        changes = complete_changes(tender, answer=payload())
        changes["commitments"] = [{"measure": payload(), "quantity": "3", "unit": payload(), "by": "2027-12-31"}]
        changes["declarations"] = {"exclusion_grounds": False, "conflicts": True, "conflicts_details": payload()}
        bid = bids.bid_draft_save(bid=bid, actor=person, changes=changes, expected_revision=1)
        bids.bid_submit(bid=bid, actor=person, idempotency_key=uuid.uuid4())


def criteria_with_payloads(world: CouncilWorld, draft: Tender) -> None:
    """The draft tender's evaluation model, as a commissioner saves it, written as payloads."""
    with council_scope(world.council):
        minimum = tender_policy(council=world.council).minimum_social_value_weight
        social_value = max(minimum, Decimal(10))

        def asked(kind: str, weight: Decimal) -> evaluation_model.CriterionSpec:
            return evaluation_model.CriterionSpec(
                title=payload(200),
                kind=kind,
                weight=weight,
                guidance=payload(),
                question=payload(),
                word_limit=500,
                scoring_descriptors=(payload(), payload()),
            )

        evaluation_model.criteria_replace(
            tender=draft,
            actor=world.people[Role.COMMISSIONER],
            criteria=[
                asked("quality", Decimal(80) - social_value),
                evaluation_model.CriterionSpec(title="Price", kind="price", weight=Decimal(20)),
                asked("social_value", social_value),
            ],
            rationale=payload(),
        )


def _html(response) -> str | None:  # type: ignore[no-untyped-def]
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8", errors="replace")


def walk(client: Client, targets: list, label: str, *, browsable: bool = False) -> tuple[list[str], int]:
    """GET every target; with ``browsable``, API operations as a browser too (DRF's HTML pages)."""
    problems, pages = [], 0
    for target in targets:
        if "logout" in target.path or "GET" not in target.methods:
            continue
        as_browser = browsable and target.source == "openapi"
        for accept in ("*/*", "text/html") if as_browser else ("*/*",):
            response = client.get(target.path, HTTP_ACCEPT=accept)
            if response.status_code == 500:
                problems.append(f"{label} GET {target.path}: 500")
                continue
            html = _html(response)
            if html is None:
                continue
            pages += 1
            problems += [f"{label} GET {target.path} ({response.status_code}): {m}" for m in markup_found(html)]
    return problems, pages


@pytest.fixture
def planted(knowsley: CouncilWorld) -> dict:
    world = knowsley
    tender = published_tender(world)
    with council_scope(world.council):
        draft = Tender.objects.get(council=world.council, title=f"{world.council.slug}-private-tender")
        criteria = [str(pk) for pk in Criterion.objects.filter(tender=tender).values_list("pk", flat=True)]
    provider_bid = the_bid(world)
    bid_with_payloads(world, tender)
    criteria_with_payloads(world, draft)
    count = plant_everywhere()
    extra_ids = {"tender": [str(tender.pk), str(draft.pk)], "criterion": criteria, "bid": [str(provider_bid.pk)]}
    ids = {"tender_id": tender.pk, "bid_id": provider_bid.pk, "criterion_id": criteria[0]}
    question = reverse("bid_question", kwargs={"council_slug": world.council.slug, **ids})
    wanted = {pk for pks in extra_ids.values() for pk in pks}
    targets = _sample(_targets(world, extra_ids=extra_ids), wanted, keep={question})
    return {"world": world, "tender": tender, "count": count, "targets": targets, "question": question}


NUMBER = re.compile(r"(?<=/)\d+(?=/|$)")


def _sample(targets: list, wanted: set[str], *, keep: set[str], per_shape: int = 2) -> list:
    """At most ``per_shape`` paths of each shape (the same path but for its numbers), those made of
    the planted tender's, bid's and criteria's ids first: every row holds a payload, so a few ids
    show what the page does with typed text, and the walk stays quick."""
    shapes: dict[str, list] = defaultdict(list)
    for target in targets:
        shapes[NUMBER.sub("#", target.path)].append(target)
    kept = []
    for same in shapes.values():
        same.sort(key=lambda t: (t.path not in keep, sum(n not in wanted for n in NUMBER.findall(t.path))))
        kept += same[:per_shape]
    return kept


def _clients(world: CouncilWorld) -> dict[str, Client]:
    clients = {}
    for role in Role.values:
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(world.people[role])
    clients["platform staff"] = Client(raise_request_exception=False)
    force_login_with_mfa(
        clients["platform staff"], UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    )
    clients["provider"] = Client(raise_request_exception=False)
    clients["provider"].force_login(world.provider)
    clients["anonymous"] = Client(raise_request_exception=False)
    return clients


def test_no_page_runs_what_people_typed_before_or_after_the_deadline(planted: dict) -> None:
    world, tender, targets = planted["world"], planted["tender"], planted["targets"]
    assert planted["count"] > 100
    clients = _clients(world)
    problems, pages = [], 0
    for label, client in clients.items():
        # The browsable API once before the deadline (as the widest council role), once after.
        found, seen = walk(client, targets, f"{label} before the deadline", browsable=label == Role.ADMIN)
        problems, pages = problems + found, pages + seen
    # The walk reached the page of the report: a bid question, its guidance the answer's hint.
    assert planted["question"] in {t.path for t in targets}
    shown = clients["provider"].get(planted["question"])
    assert shown.status_code == 200 and "&lt;script&gt;xss_" in shown.content.decode()
    assert not markup_found(shown.content.decode())
    now = timezone.now()
    with platform_scope():
        Tender.objects.filter(pk=tender.pk).update(
            clarification_deadline=now - timedelta(days=7), submission_deadline=now - timedelta(hours=1)
        )
    # After the deadline the opened bids render for those who read them; the provider sees its own.
    for label in (Role.COMMISSIONER, Role.OFFICER, "provider"):
        found, seen = walk(clients[label], targets, f"{label} after the deadline", browsable=True)
        problems, pages = problems + found, pages + seen
    assert pages > 300
    assert not problems, "\n".join(sorted(set(problems))[:60])


def test_the_check_sees_markup_and_lets_escaped_text_through() -> None:
    raw = payload()
    from django.utils.html import escape

    assert len(markup_found(f"<p>{raw}</p>")) == 3
    assert len(markup_found(f'<input value="{raw}">')) == 3  # breaks out of the attribute
    assert markup_found(f"<p>{escape(raw)}</p>") == []
    assert markup_found(f'<input value="{escape(raw)}">') == []


def test_rich_text_is_cleaned_by_the_one_policy_as_it_is_shown() -> None:
    from django.template import Context, Template

    body = f'<p>Kept <a href="https://example.org">link</a></p>{payload()}'
    shown = Template("{% load rich_text %}{{ body|sanitised }}").render(Context({"body": body}))
    assert shown.startswith('<p>Kept <a href="https://example.org" rel="noopener noreferrer nofollow">link</a></p>')
    assert markup_found(shown) == []
