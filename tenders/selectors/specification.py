"""Reads of a tender's specification (sections, versions) and of the council's clause library.
Council-owned reads are always given the council.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from commissioning.models import Council
from tenders.models import Clause, SpecificationSection, SpecificationVersion, Tender

__all__ = [
    "specification_sections",
    "section_get",
    "specification_snapshot",
    "specification_versions",
    "version_get",
    "clause_list",
    "clause_get",
]


def specification_sections(*, tender: Tender) -> list[SpecificationSection]:
    return list(
        SpecificationSection.objects.filter(council=tender.council_id, tender=tender)
        .select_related("updated_by")
        .order_by("position", "pk")
    )


def section_get(*, tender: Tender, section_id: int) -> SpecificationSection:
    section = (
        SpecificationSection.objects.filter(council=tender.council_id, tender=tender, pk=section_id)
        .select_related("tender", "updated_by")
        .first()
    )
    if section is None:
        raise Http404("No such section")
    return section


def specification_snapshot(*, tender: Tender) -> list[dict[str, str]]:
    """The tender's sections now, as a version stores them."""
    return [
        {"title": s.title, "body": s.body}
        for s in SpecificationSection.objects.filter(tender=tender).order_by("position", "pk")
    ]


def specification_versions(*, tender: Tender) -> list[SpecificationVersion]:
    """Every saved version, newest first, with who saved it."""
    return list(
        SpecificationVersion.objects.filter(council=tender.council_id, tender=tender)
        .select_related("created_by")
        .order_by("-number")
    )


def version_get(*, tender: Tender, number: int | None = None, version_id: int | None = None) -> SpecificationVersion:
    versions = SpecificationVersion.objects.filter(council=tender.council_id, tender=tender).select_related(
        "created_by"
    )
    if version_id is not None:
        version = versions.filter(pk=version_id).first()
    elif number is not None:
        version = versions.filter(number=number).first()
    else:
        version = None
    if version is None:
        raise Http404("No such version")
    return version


def clause_list(*, council: Council, active_only: bool = False) -> QuerySet[Clause]:
    clauses = Clause.objects.filter(council=council).order_by("category", "title", "pk")
    return clauses.filter(active=True) if active_only else clauses


def clause_get(*, council: Council, clause_id: int) -> Clause:
    clause = Clause.objects.filter(council=council, pk=clause_id).first()
    if clause is None:
        raise Http404("No such clause")
    return clause
