"""A published tender written as the record its life left, without the services: the tender, its lot,
its evaluation model, its specification (version 1), its team with their declarations, the officer's
approval and the published revision.

For tenders whose life up to now is history: the demo's tender past its deadline (``opening``) and
the test worlds' published tender (``tests/factories``). No audit events are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from commissioning.models import Commission, Council, User
from tenders import sealing
from tenders.models import (
    ApprovalDecision,
    ConflictDeclaration,
    Criterion,
    Lot,
    SpecificationSection,
    SpecificationVersion,
    TeamRole,
    Tender,
    TenderApproval,
    TenderRevision,
    TenderTeamMember,
)
from tenders.selectors.publication import evaluation_settings_snapshot


@dataclass(frozen=True)
class Question:
    """One criterion of a flat evaluation model (no parts)."""

    title: str
    kind: str
    weight: Decimal | int
    word_limit: int | None = None


@dataclass(frozen=True)
class PublishedTender:
    title: str
    description: str
    estimated_value: Decimal
    clarification_deadline: datetime
    submission_deadline: datetime
    published_at: datetime
    weighting_rationale: str
    lot: str
    criteria: tuple[Question, ...]
    sections: tuple[tuple[str, str], ...]  # (title, body)
    lot_value: Decimal | None = None
    planned_award_date: date | None = None


@dataclass
class Recorded:
    tender: Tender
    lot: Lot
    criteria: list[Criterion]
    version: SpecificationVersion


def record_published_tender(
    *,
    council: Council,
    commission: Commission,
    commissioner: User,
    officer: User,
    tender: PublishedTender,
    approved_sha256: str | None = None,
) -> Recorded:
    """Write ``tender`` as published by ``officer``; the commissioner and the officer form its team.

    ``approved_sha256`` is the approval's content hash: by default the hash of the specification's
    sections.
    """
    row = Tender.objects.create(
        council=council,
        commission=commission,
        title=tender.title,
        description=tender.description,
        estimated_value=tender.estimated_value,
        clarification_deadline=tender.clarification_deadline,
        submission_deadline=tender.submission_deadline,
        planned_award_date=tender.planned_award_date,
        weighting_rationale=tender.weighting_rationale,
        created_by=commissioner,
        published_at=tender.published_at,
    )
    lot = Lot.objects.create(
        council=council, tender=row, title=tender.lot, estimated_value=tender.lot_value, position=1
    )
    criteria = [
        Criterion.objects.create(
            council=council,
            tender=row,
            kind=question.kind,
            title=question.title,
            weight=question.weight,
            word_limit=question.word_limit,
            position=position,
        )
        for position, question in enumerate(tender.criteria, start=1)
    ]
    for position, (title, body) in enumerate(tender.sections, start=1):
        SpecificationSection.objects.create(council=council, tender=row, position=position, title=title, body=body)
    version = SpecificationVersion.objects.create(
        council=council,
        tender=row,
        number=1,
        sections=[{"title": title, "body": body} for title, body in tender.sections],
        note="As published",
        created_by=commissioner,
    )
    for user, role in ((commissioner, TeamRole.COMMISSIONER), (officer, TeamRole.OFFICER)):
        TenderTeamMember.objects.create(council=council, tender=row, user=user, role=role)
        ConflictDeclaration.objects.create(council=council, tender=row, user=user, has_conflict=False)
    approval = TenderApproval.objects.create(
        council=council,
        tender=row,
        decision=ApprovalDecision.APPROVED,
        specification_version=version,
        content_sha256=approved_sha256 or sealing.sha256_hex(sealing.canonical_json(version.sections)),
        decided_by=officer,
    )
    TenderRevision.objects.create(
        council=council,
        tender=row,
        number=1,
        specification_version=version,
        approval=approval,
        evaluation_model=[
            {"title": q.title, "kind": q.kind, "weight": str(q.weight), "children": []} for q in tender.criteria
        ],
        evaluation_settings=evaluation_settings_snapshot(tender=row),
        timetable={
            "clarification_deadline": tender.clarification_deadline.isoformat(),
            "submission_deadline": tender.submission_deadline.isoformat(),
        },
        lots=[{"title": lot.title, "estimated_value": None if tender.lot_value is None else f"{tender.lot_value:.2f}"}],
        published_by=officer,
        published_at=tender.published_at,
    )
    return Recorded(tender=row, lot=lot, criteria=criteria, version=version)
