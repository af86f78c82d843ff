"""Hooks apps register in ``AppConfig.ready()``, so the core can ask them without importing them.

The core knows no domain app. When it needs an answer only an app has (is this seal open yet? how
is a sealed audit fact read? what goes on the dashboard, the portal, in the demo?), the app
registers a hook here and the core asks the registry. ``tests/test_architecture.py`` checks from
the source that no core module imports a domain app.

**Audit seals.** Some audit events carry facts that no reader may learn yet: who is bidding for a
tender, before its submission deadline. Such an event names its seal by a reference
``"<kind>:<key>"`` (``"tenders.tender:12"``) and holds its facts encrypted. The app that owns the
kind registers an :class:`AuditSeal` saying how to encrypt, whether a seal is open now (it follows
the tender's current deadline, so an extension of the deadline keeps the seal shut), and how to
decrypt once it is.

Sections (each independent, so apps and reviewers can read one at a time):

- Audit seals: how sealed audit facts are written and read.
- Dashboard work queues: what needs a council member's attention, per role.
- Dashboard panels: an app's part of a role's section of the dashboard.
- Portal sections: an app's part of the council's public portal.
- Consultations: what an app has open for comment (co-design), for the council's consultations list.
- Commission dependants: what an app starts under a commission (tenders, grant rounds).
- Provider links: an app's pages for providers, linked from "Your organisations".
- Demo seeders: an app's demo data, in an explicit order.
- URL includes: an app's pages and API endpoints, and where they are mounted.
- Permission rows: an app's rows of the role × action table (``commissioning.rules``).
- Audit action words: the words for an app's audit actions (``commissioning.audit_labels``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

import rules

if TYPE_CHECKING:
    from commissioning.models import Commission, Council, User

__all__ = [
    "AuditSeal",
    "register_audit_seal",
    "audit_seal",
    "split_seal_reference",
    "WorkItem",
    "WorkQueue",
    "WorkQueueView",
    "register_work_queue",
    "work_queue",
    "work_queues_for",
    "work_queue_previews",
    "DashboardPanel",
    "DashboardPanelView",
    "register_dashboard_panel",
    "dashboard_panels",
    "PortalSection",
    "PortalSectionView",
    "register_portal_section",
    "portal_sections",
    "ConsultationEntry",
    "ConsultationSource",
    "register_consultation_source",
    "consultations_for",
    "consultations_invited",
    "CommissionDependants",
    "CommissionDependantsView",
    "register_commission_dependants",
    "commission_dependants",
    "commission_dependants_listed",
    "ProviderLink",
    "register_provider_link",
    "provider_links",
    "DemoSeeder",
    "register_demo_seeder",
    "demo_seeders",
    "URL_MOUNTS",
    "UrlInclude",
    "register_url_include",
    "url_includes",
    "PermissionRow",
    "register_permissions",
    "PERMISSIONS_TABLE",
    "register_action_labels",
    "ACTION_LABELS",
]

# --- Audit seals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditSeal:
    """How one kind of seal is written and read.

    - ``noun``: what the sealed events are about, for the placeholder ("3 sealed *bid* events").
    - ``seal(key, plaintext) -> token``: encrypt the facts of an event when it is written.
    - ``opened(keys, now) -> set of keys``: which of these seals may be read now.
    - ``unseal(key, tokens) -> plaintexts``: decrypt the facts of events under one seal; only
      called for a key ``opened`` returned, and the app checks again (its own one door).
    """

    kind: str
    noun: str
    seal: Callable[[str, bytes], str]
    opened: Callable[[Iterable[str], datetime], set[str]]
    unseal: Callable[[str, list[str]], list[bytes]]


_audit_seals: dict[str, AuditSeal] = {}


def register_audit_seal(seal: AuditSeal) -> None:
    _audit_seals[seal.kind] = seal


def split_seal_reference(reference: str) -> tuple[str, str]:
    kind, _, key = reference.partition(":")
    return kind, key


def audit_seal(reference: str) -> AuditSeal:
    """The registered seal of a reference such as ``"tenders.tender:12"``. A sealed event whose
    kind nobody registered stays sealed for every reader (the lookup fails loudly for writers)."""
    kind, key = split_seal_reference(reference)
    if kind not in _audit_seals or not key:
        raise LookupError(f"No audit seal is registered for {reference!r}")
    return _audit_seals[kind]


# --- Dashboard work queues -------------------------------------------------------------------------
#
# A work queue is a list of things waiting for someone in one council role ("Tenders waiting for
# approval" for officers). The dashboard shows each queue of the member's roles with its count and
# its first few items, and links to the whole list (``council_work_queue``). Each queue answers in
# a constant number of queries (one count, one page of items), whatever the data size.

# How many items each queue shows on the dashboard; the full list is paged at WORK_QUEUE_PAGE.
WORK_QUEUE_PREVIEW = 5
WORK_QUEUE_PAGE = 50


@dataclass(frozen=True)
class WorkItem:
    """One thing waiting: what it is (``title``), a line of detail, and where to act on it."""

    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class WorkQueue:
    """A registered queue. ``count(council, user)`` says how many are waiting; ``items(council,
    user, offset, limit)`` gives a page of them, oldest waiting first."""

    key: str
    role: str
    title: str
    empty: str
    count: Callable[[Council, User], int]
    items: Callable[[Council, User, int, int], list[WorkItem]]
    position: int = 100


@dataclass(frozen=True)
class WorkQueueView:
    """A queue as the dashboard shows it: its count and its first items."""

    queue: WorkQueue
    count: int
    items: list[WorkItem]

    @property
    def more(self) -> int:
        return self.count - len(self.items)


_work_queues: dict[str, WorkQueue] = {}


def register_work_queue(queue: WorkQueue) -> WorkQueue:
    """Register a queue (idempotent by key: registering the same key again replaces it)."""
    _work_queues[queue.key] = queue
    return queue


def work_queue(key: str) -> WorkQueue | None:
    return _work_queues.get(key)


def work_queues_for(roles: frozenset[str] | set[str]) -> list[WorkQueue]:
    """The registered queues for any of ``roles``, in their order."""
    return sorted((q for q in _work_queues.values() if q.role in roles), key=lambda q: (q.position, q.key))


def work_queue_previews(
    *, council: Council, user: User, roles: frozenset[str] | set[str]
) -> dict[str, list[WorkQueueView]]:
    """Each of the member's roles' queues with its count and first items, grouped by role."""
    grouped: dict[str, list[WorkQueueView]] = {}
    for queue in work_queues_for(roles):
        count = queue.count(council, user)
        items = queue.items(council, user, 0, WORK_QUEUE_PREVIEW) if count else []
        grouped.setdefault(queue.role, []).append(WorkQueueView(queue=queue, count=count, items=items))
    return grouped


# --- End of dashboard work queues ------------------------------------------------------------------


# --- Dashboard panels ------------------------------------------------------------------------------
#
# Each role has a section of the dashboard, which the core fills with the role's work queues and
# its own lines (members and invitations for admins, commissions for commissioners). An app adds a
# panel to a role's section: a template of its own, shown after the core's lines, given what the
# panel's ``context`` computes for the member (``panel`` in the template). Like a work queue, a
# panel answers in a constant number of queries.


def _no_context(*args: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class DashboardPanel:
    """A registered panel: shown to members in ``role``, from ``template``, with ``context(council,
    user)`` as ``panel``. The panels of one role are shown in ``position`` order."""

    key: str
    role: str
    template: str
    context: Callable[[Council, User], dict[str, Any]] = _no_context
    position: int = 100


@dataclass(frozen=True)
class DashboardPanelView:
    """A panel as the dashboard shows it: its template and what it computed for the member."""

    panel: DashboardPanel
    context: dict[str, Any]


_dashboard_panels: dict[str, DashboardPanel] = {}


def register_dashboard_panel(panel: DashboardPanel) -> DashboardPanel:
    """Register a panel (idempotent by key: registering the same key again replaces it)."""
    _dashboard_panels[panel.key] = panel
    return panel


def dashboard_panels(
    *, council: Council, user: User, roles: frozenset[str] | set[str]
) -> dict[str, list[DashboardPanelView]]:
    """The panels of the member's roles, each with its context, grouped by role."""
    grouped: dict[str, list[DashboardPanelView]] = {}
    for panel in sorted((p for p in _dashboard_panels.values() if p.role in roles), key=lambda p: (p.position, p.key)):
        grouped.setdefault(panel.role, []).append(DashboardPanelView(panel=panel, context=panel.context(council, user)))
    return grouped


# --- Portal sections -------------------------------------------------------------------------------
#
# Each council's public portal (``/c/<council_slug>/``) says what the council is and then shows
# each app's section: open opportunities, grant rounds, awards. Anyone may read the portal, so a
# section shows only what the council has published.


@dataclass(frozen=True)
class PortalSection:
    """A registered section of every council's portal: ``template``, with ``context(council, now)``
    as ``section``. Sections are shown in ``position`` order."""

    key: str
    template: str
    context: Callable[[Council, datetime], dict[str, Any]]
    position: int = 100


@dataclass(frozen=True)
class PortalSectionView:
    section: PortalSection
    context: dict[str, Any]


_portal_sections: dict[str, PortalSection] = {}


def register_portal_section(section: PortalSection) -> PortalSection:
    """Register a section (idempotent by key)."""
    _portal_sections[section.key] = section
    return section


def portal_sections(*, council: Council, now: datetime) -> list[PortalSectionView]:
    """Every registered section, in order, with what it shows for the council at ``now``."""
    ordered = sorted(_portal_sections.values(), key=lambda s: (s.position, s.key))
    return [PortalSectionView(section=section, context=section.context(council, now)) for section in ordered]


# --- Consultations -------------------------------------------------------------------------------
#
# Co-design opens things for comment (a tender's draft specification, the social value framework)
# to the council's citizens and to invited organisations, whose members need not belong to the
# council. The council's consultations list (``/c/<council_slug>/consultations/``) and the
# citizen's dashboard show, from every app, the rounds the person may comment in and the closed
# ones they commented in. Each source answers in a constant number of queries.

# How many consultations each source lists at most.
CONSULTATIONS_LISTED = 50


@dataclass(frozen=True)
class ConsultationEntry:
    """One round as a commenter's list shows it: what is open for comment, and where to comment."""

    title: str
    url: str
    is_open: bool
    opened_at: datetime
    closes_at: datetime | None = None
    kind: str = ""


@dataclass(frozen=True)
class ConsultationSource:
    """A registered source: ``listing(council, user, now)`` gives the person's consultations (open
    ones they may comment in, then closed ones they commented in, at most CONSULTATIONS_LISTED);
    ``invited(council, user)`` says whether the person was invited to any round (so the council's
    consultations pages exist for them although they are not a member)."""

    key: str
    listing: Callable[[Council, User, datetime], list[ConsultationEntry]]
    invited: Callable[[Council, User], bool]
    position: int = 100


_consultation_sources: dict[str, ConsultationSource] = {}


def register_consultation_source(source: ConsultationSource) -> ConsultationSource:
    """Register a source of consultations (idempotent by key)."""
    _consultation_sources[source.key] = source
    return source


def _sources() -> list[ConsultationSource]:
    return sorted(_consultation_sources.values(), key=lambda s: (s.position, s.key))


def consultations_for(*, council: Council, user: User, now: datetime) -> list[ConsultationEntry]:
    """Every source's consultations for the person, newest first."""
    if not user.is_authenticated:
        return []
    found = [entry for source in _sources() for entry in source.listing(council, user, now)]
    return sorted(found, key=lambda e: e.opened_at, reverse=True)


def consultations_invited(*, council: Council, user: User) -> bool:
    """Whether any source invited the person to comment in one of the council's rounds."""
    return user.is_authenticated and any(source.invited(council, user) for source in _sources())


# --- Commission dependants -------------------------------------------------------------------------
#
# A commission's options appraisal decides how the need is met; an app starts its work under the
# matching decision (a tender under "contract", a grant round under "grant"). Once such work
# exists the decision may not move away from it (``commissioning.services.commission_decide``),
# and the commission's page lists it.


@dataclass(frozen=True)
class CommissionDependants:
    """What an app starts under a commission once the appraisal decided on ``decision``.

    - ``exists(commission)``: whether any has been started. While one exists the decision may not
      move away from ``decision``: the refusal says ``refusal``, with the error code ``code``.
    - ``listing(council, commission, user)``: the ones the member may see, for the commission's page, shown
      from ``template`` as ``dependants``, with the core's next step for ``decision`` as ``step``
      (``step.allowed``: whether more may start now).
    """

    key: str
    decision: str
    exists: Callable[[Commission], bool]
    refusal: str
    code: str
    template: str
    listing: Callable[[Council, Commission, User], list[Any]]
    position: int = 100


@dataclass(frozen=True)
class CommissionDependantsView:
    dependants: CommissionDependants
    items: list[Any]


_commission_dependants: dict[str, CommissionDependants] = {}


def register_commission_dependants(dependants: CommissionDependants) -> CommissionDependants:
    """Register what an app starts under commissions (idempotent by key)."""
    _commission_dependants[dependants.key] = dependants
    return dependants


def commission_dependants() -> list[CommissionDependants]:
    """Every registered kind of dependant, in order."""
    return sorted(_commission_dependants.values(), key=lambda d: (d.position, d.key))


def commission_dependants_listed(
    *, council: Council, commission: Commission, user: User
) -> list[CommissionDependantsView]:
    """Each kind of dependant with the ones the member may see, for the commission's page."""
    return [
        CommissionDependantsView(dependants=d, items=d.listing(council, commission, user))
        for d in commission_dependants()
    ]


# --- Provider links --------------------------------------------------------------------------------
#
# A provider's own pages across councils ("Your bids", "Your agreements") are an app's; the
# provider's dashboard ("Your organisations") links to each registered one.


@dataclass(frozen=True)
class ProviderLink:
    """A link on the provider's dashboard: the URL name (no arguments) and its words."""

    key: str
    url_name: str
    text: str
    position: int = 100


_provider_links: dict[str, ProviderLink] = {}


def register_provider_link(link: ProviderLink) -> ProviderLink:
    """Register a link (idempotent by key)."""
    _provider_links[link.key] = link
    return link


def provider_links() -> list[ProviderLink]:
    return sorted(_provider_links.values(), key=lambda link: (link.position, link.key))


# --- Demo seeders ----------------------------------------------------------------------------------
#
# ``manage.py seed_demo`` (``commissioning.demo.seed``) makes the core's councils, people,
# organisations, outcomes and commissions, then runs each app's seeders in their explicit order,
# so a later stage's data can build on an earlier one's (a tender's bids on its publication).


@dataclass(frozen=True)
class DemoSeeder:
    """An app's part of the demo: ``seed(councils)``, given the demo councils by slug. Seeders run
    in ``order``, an explicit number no other seeder has. Each is idempotent, like the demo."""

    key: str
    order: int
    seed: Callable[[Mapping[str, Council]], None]


_demo_seeders: dict[str, DemoSeeder] = {}


def register_demo_seeder(seeder: DemoSeeder) -> DemoSeeder:
    """Register a seeder (idempotent by key). Two seeders may not share an order: which ran first
    would depend on the order the apps are installed in."""
    taken = {s.order: s.key for s in _demo_seeders.values() if s.key != seeder.key}
    if seeder.order in taken:
        raise ValueError(f"Demo seeders {taken[seeder.order]!r} and {seeder.key!r} both have order {seeder.order}")
    _demo_seeders[seeder.key] = seeder
    return seeder


def demo_seeders() -> list[DemoSeeder]:
    """The registered seeders in the order they run."""
    return sorted(_demo_seeders.values(), key=lambda s: s.order)


# --- URL includes ----------------------------------------------------------------------------------
#
# An app's pages and API endpoints are URL modules of its own, which the core's URLconfs include
# (``commissioning.urls``, ``commissioning.api.urls``). The URLconfs are read once, at the first
# request, after every app is ready: an include registered later is not served.

URL_MOUNTS = ("site", "council", "api")


@dataclass(frozen=True)
class UrlInclude:
    """An app's URL module (a dotted path, as ``include()`` takes it) and where it is mounted.

    - ``"site"``: at the site root, after the core's pages and before ``c/<council_slug>/``;
    - ``"council"``: under ``c/<council_slug>/``, after the core's council pages;
    - ``"api"``: under ``api/v1/``, after the core's endpoints.

    The modules of one mount are included in ``position`` order. The core's own patterns come
    first, so an app adds addresses and never takes over one the core answers.
    """

    mount: str
    urlconf: str
    position: int = 100


_url_includes: dict[tuple[str, str], UrlInclude] = {}


def register_url_include(entry: UrlInclude) -> UrlInclude:
    """Register a URL module at a mount (idempotent by mount and module)."""
    if entry.mount not in URL_MOUNTS:
        raise ValueError(f"mount must be one of {', '.join(URL_MOUNTS)}, not {entry.mount!r}")
    _url_includes[(entry.mount, entry.urlconf)] = entry
    return entry


def url_includes(mount: str) -> list[str]:
    """The URL modules registered at ``mount``, in the order they are included."""
    entries = [e for e in _url_includes.values() if e.mount == mount]
    return [e.urlconf for e in sorted(entries, key=lambda e: (e.position, e.urlconf))]


# --- Permission rows -------------------------------------------------------------------------------
#
# One role × action table for the whole platform (``commissioning.rules.PERMISSIONS_TABLE``): the
# README publishes it and ``tests/core/test_rules.py`` checks the two agree. Each app registers its
# rows; the core's are registered first, when ``commissioning.rules`` is imported.


class PermissionRow(NamedTuple):
    """One row: the ``rules`` predicate, who may (the README's column, e.g. ``"commissioner,
    officer"``) and what it allows (in the README's words)."""

    predicate: rules.Predicate
    who: str
    what: str


_permissions: dict[str, PermissionRow] = {}
PERMISSIONS_TABLE: Mapping[str, PermissionRow] = MappingProxyType(_permissions)


def register_permissions(rows: Mapping[str, tuple[rules.Predicate, str, str]]) -> None:
    """Add rows to the table and each permission to ``rules`` (``rules.add_perm``).

    Apps register council permissions: they take the council as their object
    (``user.has_perm("tender.view", council)``) and templates see them as ``council_perms``; the
    ``organisation.*`` permissions are the core's. A permission belongs to one app: registering a
    name again with another row is an error (the same row again changes nothing).
    """
    for name, given in rows.items():
        row = PermissionRow(*given)
        if name in _permissions:
            if _permissions[name] != row:
                raise ValueError(f"Permission {name!r} is already registered with another row")
            continue
        _permissions[name] = row
        rules.add_perm(name, row.predicate)


# --- Audit action words ----------------------------------------------------------------------------
#
# The words people read for each audit action code (``commissioning.audit_labels``): the trail,
# the dashboard's recent activity and the admin say "saved a version of the specification". Each
# app gives the words for the codes it records; the core's are registered first, when
# ``commissioning.audit_labels`` is imported.

_action_labels: dict[str, str] = {}
ACTION_LABELS: Mapping[str, str] = MappingProxyType(_action_labels)


def register_action_labels(labels: Mapping[str, str]) -> None:
    """Add an app's words for its action codes. A code belongs to one app: giving it other words
    is an error (the same words again change nothing)."""
    for code, words in labels.items():
        if _action_labels.get(code, words) != words:
            raise ValueError(f"Audit action {code!r} already has other words: {_action_labels[code]!r}")
        _action_labels[code] = words
