"""Demo data: Knowsley's clause library, and its first tender's specification with version 1 saved."""

from __future__ import annotations

from collections.abc import Mapping

from commissioning.models import Council
from commissioning.tenancy import council_scope
from tenders import services
from tenders.demo import knowsley
from tenders.demo.common import person
from tenders.models import Clause, SpecificationSection, Tender


def seed_specifications(councils: Mapping[str, Council]) -> None:
    """Knowsley's clause library and its demo tender's specification with version 1, once (idempotent)."""
    council = councils.get("knowsley")
    if council is None:
        return
    with council_scope(council):
        commissioner = person(knowsley.COMMISSIONER)
        if commissioner is None:
            return
        clauses = {}
        for title, category, body in knowsley.CLAUSES:
            clause = Clause.objects.filter(council=council, title=title).first()
            clauses[title] = clause or services.clause_create(
                council=council, actor=commissioner, title=title, body=body, category=category
            )
        tender = Tender.objects.filter(council=council, title=knowsley.NAVIGATION_TITLE).first()
        if tender is None or SpecificationSection.objects.filter(tender=tender).exists():
            return
        for title, body, clause_titles in knowsley.NAVIGATION_SPECIFICATION:
            section = services.section_add(tender=tender, actor=commissioner, title=title, body=body)
            for clause_title in clause_titles:
                section = services.clause_insert(section=section, clause=clauses[clause_title], actor=commissioner)
        services.specification_save_version(
            tender=tender, actor=commissioner, note="First draft, with the community clauses"
        )
