"""What each audit action code means, in words people read: the one table.

The audit trail page, the dashboard's "Recent activity" and the platform admin all say
"Sam Patel saved a version of the specification", never ``specification.version_saved``. Every
code the code base records (``audit_record(action=...)``) has its words in ACTION_LABELS; a test
greps the code base and fails when one is missing. The words follow the person's name: "<who> <label>".

The table is the registry's (``commissioning.extensions``): the core's words are below, and each
app registers the words for its own actions from its ``AppConfig.ready()`` (``tenders.audit_labels``).
"""

from __future__ import annotations

from commissioning.extensions import ACTION_LABELS, register_action_labels

__all__ = ["ACTION_LABELS", "CORE_ACTION_LABELS", "action_label"]

CORE_ACTION_LABELS: dict[str, str] = {
    # Councils, people and settings
    "council.settings_changed": "changed the council's settings",
    "invitation.created": "invited someone to join the council",
    "invitation.revoked": "withdrew an invitation",
    "invitation.accepted": "accepted an invitation",
    "membership.added": "gave someone a role",
    "membership.removed": "removed someone's role",
    # Commissions and the outcomes framework
    "commission.created": "opened a commission",
    "commission.updated": "changed a commission",
    "commission.decided": "recorded the options appraisal decision",
    "appraisal_option.updated": "changed the notes on an option",
    "outcome.created": "added an outcome to the outcomes framework",
    "outcome.updated": "changed an outcome in the outcomes framework",
    "indicator.created": "added an indicator to an outcome",
}

register_action_labels(CORE_ACTION_LABELS)


def action_label(code: str) -> str:
    """The words for an action code; a code nobody gave words to reads as its parts."""
    label = ACTION_LABELS.get(code)
    if label:
        return label
    return "recorded " + code.replace(".", ": ").replace("_", " ")
