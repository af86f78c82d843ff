"""Writes of the tenders app: the local spend policy, the tender policy, tenders, lots, evaluation models,
specifications (sections, versions) and the council's clause library.

Keyword-only, typed and atomic; each consequential change writes one audit event in the same
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.audit import audit_record
from commissioning.models import Commission, Council, User
from commissioning.services import commission_may_start
from tenders import eligibility, weights
from tenders.models import (
    DESCRIPTOR_SCORES,
    QUESTION_KINDS,
    SCALE_MAXIMUM,
    Clause,
    Criterion,
    CriterionKind,
    Lot,
    Procedure,
    Scale,
    SpecificationSection,
    SpecificationVersion,
    SpendPolicyBand,
    Tender,
    TenderPolicy,
)
from tenders.selectors import spend_bands_in_force, tender_policy, threshold
from tenders.specification import sanitise

__all__ = [
    "RESERVATION_THRESHOLD",
    "spend_policy_replace",
    "tender_policy_update",
    "TENDER_FIELDS",
    "LOT_FIELDS",
    "tender_create",
    "tender_update",
    "lot_add",
    "lot_update",
    "lot_remove",
    "PUBLISHED_REFUSAL",
    "CriterionSpec",
    "evaluation_model_problems",
    "criteria_replace",
    "STALE_SECTION",
    "section_add",
    "section_save",
    "section_move",
    "section_remove",
    "section_restore",
    "clause_insert",
    "specification_snapshot",
    "specification_save_version",
    "CLAUSE_FIELDS",
    "clause_create",
    "clause_update",
]


# Councils may reserve contracts only below this threshold (Procurement Act 2023; data, not code).
RESERVATION_THRESHOLD = "sub-central-goods-services"


def _band_snapshot(band: eligibility.Band) -> dict[str, Any]:
    return {
        "label": band.label,
        "lower_bound": band.lower,
        "upper_bound": band.upper,
        "currency": band.currency,
        "reserved_for_local": band.reserved_for_local,
        "reserved_for": sorted(band.reserved_for),
        "welcome": sorted(band.welcome),
    }


@transaction.atomic
def spend_policy_replace(
    *,
    council: Council,
    actor: User | None,
    bands: Sequence[eligibility.Band],
    effective_from: date,
    today: date | None = None,
) -> list[SpendPolicyBand]:
    """Council admins set the value bands of the local spend policy, taking effect on ``effective_from``.

    The bands must cover every value from £0 without gaps or overlaps (``eligibility.validate_bands``).
    A new version never changes the past: the date is today or later, because tenders already
    advertised were judged by the bands then in force. A version with the same date is replaced.
    """
    today = today or timezone.localdate()
    if effective_from < today:
        raise ValidationError(
            {"effective_from": "The date the bands take effect must be today or in the future"}, code="past"
        )
    messages = eligibility.validate_bands(bands)
    ceiling = threshold(key=RESERVATION_THRESHOLD, on=effective_from)
    if ceiling is not None:
        messages += eligibility.reservation_problems(bands, ceiling=ceiling.amount, ceiling_name=ceiling.name.lower())
    if messages:
        raise ValidationError(messages, code="invalid_bands")
    before = [b.as_band() for b in spend_bands_in_force(council=council, on=effective_from)]
    SpendPolicyBand.objects.filter(council=council, effective_from=effective_from).delete()
    created = [
        SpendPolicyBand.objects.create(
            council=council,
            effective_from=effective_from,
            position=position,
            created_by=actor if actor and actor.is_authenticated else None,
            **SpendPolicyBand.fields_from(band),
        )
        for position, band in enumerate(bands, start=1)
    ]
    audit_record(
        council=council,
        actor=actor,
        action="spend_policy.replaced",
        target=council,
        before={"bands": [_band_snapshot(b) for b in before]} if before else None,
        after={"effective_from": effective_from, "bands": [_band_snapshot(b) for b in bands]},
    )
    return created


def _policy_snapshot(policy: TenderPolicy) -> dict[str, Any]:
    return {
        "minimum_social_value_weight": policy.minimum_social_value_weight,
        "standstill_days": policy.standstill_days,
    }


@transaction.atomic
def tender_policy_update(
    *, council: Council, actor: User, minimum_social_value_weight: Decimal, standstill_days: int
) -> TenderPolicy:
    """Council admins set the minimum social value weight of every evaluation model and the standstill length.

    The standstill is at least 8 working days (Procurement Act 2023, section 51); the minimum
    social value weight is a percentage (the council's social value policy, 10% by default).
    """
    policy = TenderPolicy.objects.select_for_update().filter(council=council).first() or TenderPolicy(council=council)
    before = _policy_snapshot(policy) if policy.pk else None
    policy.minimum_social_value_weight = minimum_social_value_weight
    policy.standstill_days = standstill_days
    policy.full_clean()
    policy.save()
    after = _policy_snapshot(policy)
    if after != before:
        audit_record(
            council=council, actor=actor, action="tender_policy.changed", target=policy, before=before, after=after
        )
    return policy


# --- Tenders ------------------------------------------------------------------------------------

TENDER_FIELDS = (
    "title",
    "description",
    "estimated_value",
    "procedure",
    "clarification_deadline",
    "submission_deadline",
    "planned_award_date",
    "standstill_days",
)
LOT_FIELDS = ("title", "description", "estimated_value")


def _tender_snapshot(tender: Tender) -> dict[str, Any]:
    return {field: getattr(tender, field) for field in TENDER_FIELDS}


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = sorted(k for k in after if after[k] != before.get(k))
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _clean_tender(tender: Tender) -> None:
    """Model validation, with the timetable rule next to the field it is about (the constraint backs it up)."""
    tender.full_clean(validate_constraints=False)
    clarification, submission = tender.clarification_deadline, tender.submission_deadline
    if clarification is not None and submission is not None and clarification >= submission:
        raise ValidationError(
            {"clarification_deadline": "The clarification deadline must be before the submission deadline"}
        )


@transaction.atomic
def tender_create(
    *,
    commission: Commission,
    actor: User,
    title: str,
    description: str = "",
    estimated_value: Decimal | None = None,
    procedure: str = Procedure.OPEN,
    standstill_days: int | None = None,
) -> Tender:
    """Start a tender under a commission whose options appraisal decided on a contract.

    Refused, with the reason ``commission_may_start`` gives, under any other decision. The value
    defaults to the commission's whole-life value and the standstill to the council's tender policy.
    """
    # Locked, so the decision cannot change from contract while the tender is being created.
    commission = Commission.objects.select_for_update(of=("self",)).get(pk=commission.pk)
    allowed, reason = commission_may_start(commission=commission, kind="contract")
    if not allowed:
        raise ValidationError(reason, code="not_allowed")
    council = commission.council
    tender = Tender(
        council=council,
        commission=commission,
        created_by=actor,
        title=title.strip(),
        description=description.strip(),
        estimated_value=estimated_value if estimated_value is not None else commission.whole_life_value,
        procedure=procedure,
        standstill_days=standstill_days or tender_policy(council=council).standstill_days,
    )
    _clean_tender(tender)
    tender.save()
    audit_record(
        council=council,
        actor=actor,
        action="tender.created",
        target=tender,
        after={"commission": commission.title, **_tender_snapshot(tender)},
    )
    return tender


@transaction.atomic
def tender_update(*, tender: Tender, actor: User, **changes: Any) -> Tender:
    """Change a tender's details or timetable (deadlines are aware datetimes)."""
    unknown = set(changes) - set(TENDER_FIELDS)
    if unknown:
        raise ValueError(f"Not tender fields: {', '.join(sorted(unknown))}")
    tender = _unpublished_tender(tender)
    before = _tender_snapshot(tender)
    for field, value in changes.items():
        setattr(tender, field, value.strip() if isinstance(value, str) else value)
    _clean_tender(tender)
    tender.save()
    old, new = _changed(before, _tender_snapshot(tender))
    if new:
        audit_record(council=tender.council, actor=actor, action="tender.updated", target=tender, before=old, after=new)
    return tender


def _unpublished_tender(tender: Tender) -> Tender:
    """Lock the tender; refuse if it is published: bidders rely on the published version, so a
    change is published as a new version with a reason (``tenders.services.publication``)."""
    tender = Tender.objects.select_for_update(of=("self",)).get(pk=tender.pk)
    if tender.published_at is not None:
        raise ValidationError(PUBLISHED_REFUSAL, code="published")
    return tender


PUBLISHED_REFUSAL = "The tender is published: publish a change with a reason instead, so bidders are told"


def _lot_snapshot(lot: Lot) -> dict[str, Any]:
    return {field: getattr(lot, field) for field in LOT_FIELDS}


@transaction.atomic
def lot_add(
    *, tender: Tender, actor: User, title: str, description: str = "", estimated_value: Decimal | None = None
) -> Lot:
    """Add a lot at the end of the tender's lots."""
    tender = _unpublished_tender(tender)
    last = Lot.objects.filter(tender=tender).order_by("-position").values_list("position", flat=True).first()
    lot = Lot(
        council=tender.council,
        tender=tender,
        title=title.strip(),
        description=description.strip(),
        estimated_value=estimated_value,
        position=(last or 0) + 1,
    )
    lot.full_clean()
    lot.save()
    audit_record(
        council=tender.council,
        actor=actor,
        action="lot.added",
        target=lot,
        after={"tender": tender.title, **_lot_snapshot(lot)},
    )
    return lot


@transaction.atomic
def lot_update(*, lot: Lot, actor: User, **changes: Any) -> Lot:
    unknown = set(changes) - set(LOT_FIELDS)
    if unknown:
        raise ValueError(f"Not lot fields: {', '.join(sorted(unknown))}")
    _unpublished_tender(lot.tender)
    before = _lot_snapshot(lot)
    for field, value in changes.items():
        setattr(lot, field, value.strip() if isinstance(value, str) else value)
    lot.full_clean()
    lot.save()
    old, new = _changed(before, _lot_snapshot(lot))
    if new:
        audit_record(council=lot.council, actor=actor, action="lot.updated", target=lot, before=old, after=new)
    return lot


@transaction.atomic
def lot_remove(*, lot: Lot, actor: User) -> None:
    _unpublished_tender(lot.tender)
    audit_record(
        council=lot.council,
        actor=actor,
        action="lot.removed",
        target=lot,
        before={"tender": lot.tender.title, **_lot_snapshot(lot)},
    )
    lot.delete()


# --- The evaluation model -------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of an evaluation model to save, with its parts. ``weight`` is a share of the whole score."""

    title: str
    kind: str
    weight: Decimal
    guidance: str = ""
    scale: str = Scale.ZERO_TO_FIVE
    minimum_score: Decimal | None = None
    parts: tuple[CriterionSpec, ...] = ()
    # What bidders answer (quality and social value criteria): see ``Criterion``.
    question: str = ""
    word_limit: int | None = None
    attachments_allowed: bool = True
    scoring_descriptors: tuple[str, ...] = ()


def _weights_tree(specs: Sequence[CriterionSpec]) -> list[weights.Criterion]:
    return [
        weights.Criterion(
            name=spec.title.strip(),
            kind=weights.Kind(spec.kind),
            weight=spec.weight,
            children=tuple(_weights_tree(spec.parts)),
        )
        for spec in specs
    ]


def _walk_specs(specs: Sequence[CriterionSpec]) -> list[CriterionSpec]:
    found: list[CriterionSpec] = []
    for spec in specs:
        found.append(spec)
        found.extend(_walk_specs(spec.parts))
    return found


def evaluation_model_problems(*, specs: Sequence[CriterionSpec], minimum_social_value: Decimal) -> list[str]:
    """What is wrong with an evaluation model, as messages for people: weights first, then scores."""
    for spec in _walk_specs(specs):
        if spec.kind not in CriterionKind.values:
            raise ValueError(f"Not a kind of criterion: {spec.kind!r}")
        if spec.scale not in Scale.values:
            raise ValueError(f"Not a scale: {spec.scale!r}")
    messages = weights.validate_weights(_weights_tree(specs), minimum_social_value)
    for spec in _walk_specs(specs):
        top = SCALE_MAXIMUM[Scale(spec.scale)]
        if spec.minimum_score is not None and not (0 <= spec.minimum_score <= top):
            messages.append(
                f"“{spec.title.strip()}”: the minimum pass score must be between 0 and {top}, the top of its scale"
            )
        if spec.word_limit is not None and not (1 <= spec.word_limit <= MAXIMUM_WORD_LIMIT):
            messages.append(f"“{spec.title.strip()}”: the word limit must be between 1 and {MAXIMUM_WORD_LIMIT:,}")
        if len(spec.scoring_descriptors) > len(DESCRIPTOR_SCORES[Scale(spec.scale)]):
            messages.append(f"“{spec.title.strip()}”: give at most one descriptor for each score of its scale")
    return messages


MAXIMUM_WORD_LIMIT = 10_000


def _question_fields(spec: CriterionSpec) -> dict[str, Any]:
    """The question bidders answer, kept only where bidders answer one (quality and social value)."""
    if spec.kind not in QUESTION_KINDS:
        return {"question": "", "word_limit": None, "attachments_allowed": True, "scoring_descriptors": []}
    descriptors = [text.strip() for text in spec.scoring_descriptors]
    while descriptors and not descriptors[-1]:
        descriptors.pop()
    return {
        "question": spec.question.strip(),
        "word_limit": spec.word_limit,
        "attachments_allowed": spec.attachments_allowed,
        "scoring_descriptors": descriptors,
    }


def _criteria_snapshot(criteria: Sequence[Criterion]) -> list[dict[str, Any]]:
    titles = {c.pk: c.title for c in criteria}
    return [
        {
            "title": c.title,
            "kind": c.kind,
            "weight": c.weight,
            "part_of": titles.get(c.parent_id),
            "scale": c.scale,
            "minimum_score": c.minimum_score,
            "guidance": c.guidance,
            "question": c.question,
            "word_limit": c.word_limit,
            "attachments_allowed": c.attachments_allowed,
            "scoring_descriptors": c.scoring_descriptors,
        }
        for c in criteria
    ]


@transaction.atomic
def criteria_replace(
    *, tender: Tender, actor: User, criteria: Sequence[CriterionSpec], rationale: str
) -> list[Criterion]:
    """Replace the tender's evaluation model: its criteria (a tree) and the written rationale for the weighting.

    The weights are checked by ``tenders.weights.validate_weights`` against the council's minimum
    social value weight; every problem comes back at once in a ValidationError of messages for people.
    """
    tender = Tender.objects.select_for_update(of=("self",)).get(pk=tender.pk)
    if tender.published_at is not None:
        raise ValidationError("The evaluation model is locked because the tender is published", code="locked")
    errors: dict[str, list[str]] = {}
    minimum = tender_policy(council=tender.council).minimum_social_value_weight
    problems = evaluation_model_problems(specs=criteria, minimum_social_value=minimum)
    if problems:
        errors["__all__"] = problems
    if not rationale.strip():
        errors["weighting_rationale"] = ["Explain why the criteria have these weights"]
    if errors:
        raise ValidationError(errors, code="invalid_model")
    before = _criteria_snapshot(list(Criterion.objects.filter(tender=tender).order_by("position", "pk")))
    before_rationale = tender.weighting_rationale
    Criterion.objects.filter(tender=tender).delete()
    created: list[Criterion] = []
    position = 0

    def save(specs: Sequence[CriterionSpec], parent: Criterion | None) -> None:
        nonlocal position
        for spec in specs:
            position += 1
            criterion = Criterion.objects.create(
                council=tender.council,
                tender=tender,
                parent=parent,
                kind=spec.kind,
                title=spec.title.strip(),
                weight=spec.weight,
                guidance=spec.guidance.strip(),
                scale=spec.scale,
                minimum_score=spec.minimum_score,
                position=position,
                **_question_fields(spec),
            )
            created.append(criterion)
            save(spec.parts, criterion)

    save(criteria, None)
    tender.weighting_rationale = rationale.strip()
    tender.save(update_fields=["weighting_rationale", "updated_at"])
    audit_record(
        council=tender.council,
        actor=actor,
        action="tender.evaluation_model_replaced",
        target=tender,
        before={"criteria": before, "rationale": before_rationale},
        after={"criteria": _criteria_snapshot(created), "rationale": tender.weighting_rationale},
    )
    return created


# --- The specification and the clause library ---------------------------------------------------

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
    audit_record(
        council=tender.council,
        actor=actor,
        action="specification.section_added",
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
    old, new = _changed(before, _section_snapshot(section))
    audit_record(
        council=section.council,
        actor=actor,
        action="specification.section_saved",
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
    audit_record(
        council=section.council,
        actor=actor,
        action="specification.section_moved",
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
    audit_record(
        council=section.council,
        actor=actor,
        action="specification.section_removed",
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
    audit_record(
        council=tender.council,
        actor=actor,
        action="specification.section_restored",
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
    audit_record(
        council=section.council,
        actor=actor,
        action="specification.clause_inserted",
        target=section,
        after={"clause": clause.title, "revision": section.revision},
    )
    return section


def specification_snapshot(*, tender: Tender) -> list[dict[str, str]]:
    """The tender's sections now, as a version stores them."""
    return [
        {"title": s.title, "body": s.body}
        for s in SpecificationSection.objects.filter(tender=tender).order_by("position", "pk")
    ]


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
    audit_record(
        council=tender.council,
        actor=actor,
        action="specification.version_saved",
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
    audit_record(council=council, actor=actor, action="clause.created", target=clause, after=_clause_snapshot(clause))
    return clause


@transaction.atomic
def clause_update(*, clause: Clause, actor: User, **changes: Any) -> Clause:
    """Change a clause; specifications it was inserted into keep the text they have."""
    unknown = set(changes) - set(CLAUSE_FIELDS)
    if unknown:
        raise ValueError(f"Not clause fields: {', '.join(sorted(unknown))}")
    clause = Clause.objects.select_for_update().get(pk=clause.pk)
    before = _clause_snapshot(clause)
    for field, value in changes.items():
        setattr(clause, field, value)
    _clean_clause(clause)
    clause.save()
    old, new = _changed(before, _clause_snapshot(clause))
    if new:
        audit_record(council=clause.council, actor=actor, action="clause.updated", target=clause, before=old, after=new)
    return clause
