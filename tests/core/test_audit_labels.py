"""Audit activity in words people read, from one table (commissioning.audit_labels.ACTION_LABELS, where
each app registers its words: commissioning/audit_labels.py, tenders/audit_labels.py)."""

from __future__ import annotations

import re
from pathlib import Path

from commissioning.audit import audit_record
from commissioning.audit_entries import audit_entries
from commissioning.audit_labels import ACTION_LABELS, action_label
from commissioning.models import AuditEvent, Role
from commissioning.tenancy import council_scope
from tests.factories import CouncilWorld

ROOT = Path(__file__).resolve().parents[2]
APPS = ["commissioning", "tenders", "social_value", "citizens", "grants"]
ACTION = re.compile(r"""action=(f?)["']([^"']+)["']""")
ACTION_LINE = re.compile(r"""action=["'][^\n]* else ["'][^\n]*""")  # action="a" if ... else "b" [if ... else "c"]
ALTERNATIVE = re.compile(r"""else ["']([^"']+)["']""")


def _recorded_codes() -> set[str]:
    """Every action code the code base passes to audit_record, f-strings expanded by their choices."""
    codes: set[str] = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text()
            if "audit_record(" not in text:
                continue
            for formatted, code in ACTION.findall(text):
                if not formatted:
                    codes.add(code)
                elif code == "tender.{decision}":  # the officer's approval: ApprovalDecision values
                    codes |= {"tender.approved", "tender.returned"}
                elif code.startswith("eligibility_override."):
                    codes |= {"eligibility_override.approved", "eligibility_override.refused"}
                else:
                    raise AssertionError(f"{path}: give the codes of action={code!r} to this test and the table")
            for line in ACTION_LINE.findall(text):
                codes |= set(ALTERNATIVE.findall(line))
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
