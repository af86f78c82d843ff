"""Audit activity in words people read, from one table (commissioning.audit_labels.ACTION_LABELS, where
each app registers its actions: commissioning.audit_labels.CoreAction, tenders.audit_labels.TenderAction)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.db import models

from commissioning.audit import audit_record
from commissioning.audit_entries import audit_entries
from commissioning.audit_labels import ACTION_LABELS, CoreAction, action_label
from commissioning.models import AuditEvent, Role
from commissioning.tenancy import council_scope
from social_value.audit_labels import SocialValueAction
from tenders.audit_labels import TenderAction
from tests.factories import CouncilWorld

ROOT = Path(__file__).resolve().parents[2]
APPS = ["commissioning", "tenders", "social_value", "citizens", "grants"]
# The two ways to record an event (audit_prepare + audit_append: a service that seals its facts
# before taking the chain lock). commissioning/audit.py itself only passes the action on.
RECORDERS = ("audit_record", "audit_prepare")
AUDIT = ROOT / "commissioning" / "audit.py"
# The core's co-design steps record the action their caller gives in a CodesignActions: the codes
# are read where each app builds its CodesignActions (every keyword a member of an actions table).
PASSERS = (AUDIT, ROOT / "commissioning" / "services" / "codesign.py")
ACTIONS: dict[str, type[models.TextChoices]] = {
    "CoreAction": CoreAction,
    "TenderAction": TenderAction,
    "SocialValueAction": SocialValueAction,
}


def _outcomes(expression: ast.expr) -> list[ast.expr]:
    """What an action= expression can evaluate to: each branch of ``a if c else b``, or itself."""
    if isinstance(expression, ast.IfExp):
        return _outcomes(expression.body) + _outcomes(expression.orelse)
    return [expression]


def _recorded_codes() -> set[str]:
    """Every action code the code base passes to audit_record or audit_prepare. Each call names a member of an
    actions table (``CoreAction.X``, ``TenderAction.Y``, or a choice between members): a free
    string, an f-string or anything else fails."""
    codes: set[str] = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text()
            recorders = (*RECORDERS, "CodesignActions")
            if not any(f"{name}(" in text for name in recorders) or "migrations" in path.parts or path in PASSERS:
                continue
            for call in ast.walk(ast.parse(text)):
                if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") in recorders):
                    continue
                if call.func.id == "CodesignActions":  # type: ignore[attr-defined]
                    actions = [k.value for k in call.keywords]
                    assert len(actions) == 4, f"{path}:{call.lineno}: name the four co-design actions"
                else:
                    action = next((k.value for k in call.keywords if k.arg == "action"), None)
                    assert action is not None, f"{path}:{call.lineno}: audit_record without action="
                    actions = [action]
                for outcome in (o for a in actions for o in _outcomes(a)):
                    member = isinstance(outcome, ast.Attribute) and isinstance(outcome.value, ast.Name)
                    table = ACTIONS.get(outcome.value.id) if member else None  # type: ignore[attr-defined]
                    assert table is not None, (
                        f"{path}:{outcome.lineno}: pass a member of an actions table, not {ast.unparse(outcome)}"
                    )
                    codes.add(table[outcome.attr].value)  # type: ignore[attr-defined]
    return codes


def test_every_recorded_action_has_words_in_the_one_table() -> None:
    codes = _recorded_codes()
    assert len(codes) > 40 and "specification.version_saved" in codes and "bid.replaced" in codes
    missing = sorted(codes - set(ACTION_LABELS))
    assert not missing, f"Add these to their app's audit words (<app>/audit_labels.py): {missing}"
    unused = sorted(set(ACTION_LABELS) - codes)
    assert not unused, f"No code records these any more: {unused}"


def test_an_event_reads_as_a_sentence(knowsley: CouncilWorld) -> None:
    commissioner = knowsley.people[Role.COMMISSIONER]
    with council_scope(knowsley.council):
        audit_record(council=knowsley.council, actor=commissioner, action="specification.version_saved")
        audit_record(council=knowsley.council, actor=None, action="tender.published")
        entries = audit_entries(AuditEvent.objects.filter(council=knowsley.council).order_by("-sequence")[:2])
    assert entries[1].sentence == f"{commissioner.name} saved a version of the specification"
    assert entries[0].sentence == "The platform published a tender"
    assert action_label("something.new_thing") == "recorded something: new thing"


def test_the_audit_page_and_dashboard_use_the_words(client, knowsley: CouncilWorld) -> None:
    commissioner, officer = knowsley.people[Role.COMMISSIONER], knowsley.people[Role.OFFICER]
    with council_scope(knowsley.council):
        audit_record(council=knowsley.council, actor=commissioner, action="specification.version_saved")
    client.force_login(officer)
    sentence = f"{commissioner.name} saved a version of the specification"
    assert sentence in client.get("/c/knowsley/audit/").content.decode()
    assert sentence in client.get("/c/knowsley/dashboard/").content.decode()
    page = client.get("/c/knowsley/audit/?action=specification.version_saved").content.decode()
    assert sentence in page and "Saved a version of the specification</option>" in page
