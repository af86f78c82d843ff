"""Writes of a tender's specification (sections, versions) and of the council's clause library.

Keyword-only, typed and atomic; each consequential change writes one audit event in the same
transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.models import Council, User
from commissioning.services.changes import refuse_unknown_fields
from tenders.audit_labels import TenderAction
from tenders.models import (
    Clause,
    ContributionKind,
    SpecificationSection,
    SpecificationVersion,
    Tender,
    TenderContributor,
)
from tenders.selectors.specification import specification_snapshot
from tenders.services.tender import changed_fields
from tenders.specification import sanitise

__all__ = [
    "STALE_SECTION",
    "section_add",
    "section_save",
    "section_move",
    "section_remove",
    "section_restore",
    "clause_insert",
    "specification_save_version",
    "CLAUSE_FIELDS",
    "clause_create",
    "clause_update",
]


STALE_SECTION = (
    "This section changed since you opened it: {who} saved it at {time}. Nothing was overwritten and "
    "your text is kept below. Copy it, open the specification again to see the latest text, then make "
    "your change again."
)


def _editable_tender(tender: Tender) -> Tender:
    """Lock the tender; refuse if it is published (its specification is then fixed)."""
    tender = Tender.objects.select_for_update(of=("self",)).get(pk=tender.pk)
    if tender.published_at is not None:
        raise ValidationError("The specification is locked because the tender is published", code="locked")
    return tender


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Enter a title for the section"}, code="required")
    if len(title) > 200:
        raise ValidationError({"title": "The section title must be 200 characters or fewer"}, code="max_length")
    return title


def _section_snapshot(section: SpecificationSection) -> dict[str, Any]:
    return {"title": section.title, "body": section.body, "position": section.position}


@transaction.atomic
def section_add(*, tender: Tender, actor: User, title: str, body: str = "") -> SpecificationSection:
    """Add a section at the end of the tender's specification."""
    tender = _editable_tender(tender)
    last = (
        SpecificationSection.objects.filter(tender=tender)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    section = SpecificationSection.objects.create(
        council=tender.council,
        tender=tender,
        position=(last or 0) + 1,
        title=_clean_title(title),
        body=sanitise(body),
        updated_by=actor,
    )
    TenderContributor.record(tender=section.tender, user=actor, kind=ContributionKind.DRAFTED)
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.SPECIFICATION_SECTION_ADDED,
        target=section,
        after={"tender": tender.title, **_section_snapshot(section)},
    )
    return section


def _locked_section(section: SpecificationSection) -> SpecificationSection:
    _editable_tender(section.tender)
    return SpecificationSection.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=section.pk)


@transaction.atomic
def section_save(
    *, section: SpecificationSection, actor: User, title: str, body: str, expected_revision: int
) -> SpecificationSection:
    """Save a section's title and text (sanitised), if nobody saved it since ``expected_revision``.

    The same text sent again (a double submit, an autosave after a manual save) changes nothing and
    is not an error. Different text over a newer revision is refused with a ValidationError on
    ``body``: nothing is silently overwritten, and the page keeps the person's text.
    """
    section = _locked_section(section)
    title, body = _clean_title(title), sanitise(body)
    if title == section.title and body == section.body:
        return section
    if expected_revision != section.revision:
        who = section.updated_by.email if section.updated_by else "someone"
        time = timezone.localtime(section.updated_at).strftime("%H:%M")
        raise ValidationError({"body": STALE_SECTION.format(who=who, time=time)}, code="stale")
    before = _section_snapshot(section)
    section.title, section.body = title, body
    section.revision += 1
    section.updated_by = actor
    section.save()
    old, new = changed_fields(before, _section_snapshot(section))
    TenderContributor.record(tender=section.tender, user=actor, kind=ContributionKind.DRAFTED)
    audit_record(
        council=section.council,
        actor=actor,
        action=TenderAction.SPECIFICATION_SECTION_SAVED,
        target=section,
        before=old,
        after={**new, "revision": section.revision},
    )
    return section


@transaction.atomic
def section_move(*, section: SpecificationSection, actor: User, direction: str) -> SpecificationSection:
    """Swap the section with the one above (``up``) or below (``down``); at the top or bottom, nothing moves."""
    if direction not in {"up", "down"}:
        raise ValueError(f"Not a direction: {direction!r}")
    section = _locked_section(section)
    siblings = list(SpecificationSection.objects.filter(tender=section.tender_id).order_by("position", "pk"))
    index = next(n for n, s in enumerate(siblings) if s.pk == section.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(siblings):
        return section
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            SpecificationSection.objects.filter(pk=sibling.pk).update(position=position)
    section.refresh_from_db()
    TenderContributor.record(tender=section.tender, user=actor, kind=ContributionKind.DRAFTED)
    audit_record(
        council=section.council,
        actor=actor,
        action=TenderAction.SPECIFICATION_SECTION_MOVED,
        target=section,
        after={"direction": direction, "position": section.position},
    )
    return section


@transaction.atomic
def section_remove(*, section: SpecificationSection, actor: User) -> SpecificationVersion:
    """Remove a section from the draft, never its text: if the latest saved version does not hold
    the specification as it is now, it is saved first as a new version ("Before removing …"), so
    the section can be restored from that version (``section_restore``). Returns that version."""
    section = _locked_section(section)
    tender = section.tender
    latest = SpecificationVersion.objects.filter(tender=tender).order_by("-number").first()
    if latest is None or latest.sections != specification_snapshot(tender=tender):
        latest = _version_create(tender, actor, note=f"Before removing the section “{section.title}”"[:300])
    TenderContributor.record(tender=section.tender, user=actor, kind=ContributionKind.DRAFTED)
    audit_record(
        council=section.council,
        actor=actor,
        action=TenderAction.SPECIFICATION_SECTION_REMOVED,
        target=section,
        before=_section_snapshot(section),
        after={"kept_in_version": latest.number},
    )
    section.delete()
    return latest


@transaction.atomic
def section_restore(*, version: SpecificationVersion, index: int, actor: User) -> SpecificationSection:
    """Bring a section back from a saved version: added at the end of the draft as it was in that
    version (its text sanitised again). Refused once the tender is published."""
    tender = _editable_tender(version.tender)
    if not 0 <= index < len(version.sections):
        raise ValidationError("That section is not in this version", code="no_section")
    kept = version.sections[index]
    section = section_add(tender=tender, actor=actor, title=str(kept.get("title", "")), body=str(kept.get("body", "")))
    TenderContributor.record(tender=section.tender, user=actor, kind=ContributionKind.DRAFTED)
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.SPECIFICATION_SECTION_RESTORED,
        target=section,
        after={"from_version": version.number, "title": section.title, "position": section.position},
    )
    return section


@transaction.atomic
def clause_insert(*, section: SpecificationSection, clause: Clause, actor: User) -> SpecificationSection:
    """Append a library clause's text to the end of the section (a new revision)."""
    if clause.council_id != section.council_id or not clause.active:
        raise ValidationError({"clause": "Choose a clause from the council's library"}, code="invalid_clause")
    section = _locked_section(section)
    section.body = sanitise(f"{section.body}\n{clause.body}")
    section.revision += 1
    section.updated_by = actor
    section.save()
    TenderContributor.record(tender=section.tender, user=actor, kind=ContributionKind.DRAFTED)
    audit_record(
        council=section.council,
        actor=actor,
        action=TenderAction.SPECIFICATION_CLAUSE_INSERTED,
        target=section,
        after={"clause": clause.title, "revision": section.revision},
    )
    return section


@transaction.atomic
def specification_save_version(*, tender: Tender, actor: User, note: str = "") -> SpecificationVersion:
    """Keep the specification as it is now as the next numbered version (1, 2, ...), with a note."""
    tender = _editable_tender(tender)
    last = (
        SpecificationVersion.objects.filter(tender=tender).order_by("-number").values_list("number", flat=True).first()
    )
    note = " ".join(note.split())
    if len(note) > 300:
        raise ValidationError({"note": "The note must be 300 characters or fewer"}, code="max_length")
    return _version_create(tender, actor, note=note, last=last)


def _version_create(tender: Tender, actor: User, *, note: str, last: int | None = None) -> SpecificationVersion:
    if last is None:
        last = (
            SpecificationVersion.objects.filter(tender=tender)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
    version = SpecificationVersion.objects.create(
        council=tender.council,
        tender=tender,
        number=(last or 0) + 1,
        sections=specification_snapshot(tender=tender),
        note=note,
        created_by=actor,
    )
    TenderContributor.record(tender=tender, user=actor, kind=ContributionKind.DRAFTED)
    audit_record(
        council=tender.council,
        actor=actor,
        action=TenderAction.SPECIFICATION_VERSION_SAVED,
        target=tender,
        after={"number": version.number, "note": version.note, "sections": len(version.sections)},
    )
    return version


CLAUSE_FIELDS = ("title", "body", "category", "active")


def _clause_snapshot(clause: Clause) -> dict[str, Any]:
    return {field: getattr(clause, field) for field in CLAUSE_FIELDS}


def _clean_clause(clause: Clause) -> None:
    clause.title = " ".join(clause.title.split())
    clause.category = " ".join(clause.category.split())
    clause.body = sanitise(clause.body)
    errors: dict[str, str] = {}
    if not clause.title:
        errors["title"] = "Enter a title for the clause"
    if not clause.body:
        errors["body"] = "Enter the text of the clause"
    if errors:
        raise ValidationError(errors, code="required")
    clause.full_clean()


@transaction.atomic
def clause_create(
    *, council: Council, actor: User, title: str, body: str, category: str = "", active: bool = True
) -> Clause:
    """Add a clause to the council's library (its text sanitised)."""
    clause = Clause(council=council, title=title, body=body, category=category, active=active, created_by=actor)
    _clean_clause(clause)
    clause.save()
    audit_record(
        council=council, actor=actor, action=TenderAction.CLAUSE_CREATED, target=clause, after=_clause_snapshot(clause)
    )
    return clause


@transaction.atomic
def clause_update(*, clause: Clause, actor: User, **changes: Any) -> Clause:
    """Change a clause; specifications it was inserted into keep the text they have."""
    refuse_unknown_fields(changes, CLAUSE_FIELDS, what="clause fields")
    clause = Clause.objects.select_for_update().get(pk=clause.pk)
    before = _clause_snapshot(clause)
    for field, value in changes.items():
        setattr(clause, field, value)
    _clean_clause(clause)
    clause.save()
    old, new = changed_fields(before, _clause_snapshot(clause))
    if new:
        audit_record(
            council=clause.council,
            actor=actor,
            action=TenderAction.CLAUSE_UPDATED,
            target=clause,
            before=old,
            after=new,
        )
    return clause
