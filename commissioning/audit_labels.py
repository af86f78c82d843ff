"""What each audit action code means, in words people read: the one table.

The audit trail page, the dashboard's "Recent activity" and the platform admin all say
"Sam Patel saved a version of the specification", never ``specification.version_saved``. Each
app's actions are a ``TextChoices`` class (the core's :class:`CoreAction` below, the tenders app's
``tenders.audit_labels.TenderAction``): the value is the code stored in the trail, the label the
words, which follow the person's name: "<who> <label>". Every ``audit_record(action=...)`` passes
a member, never a free string; a test reads the call sites and fails on a string.

The table of words is the registry's (``commissioning.extensions``, ACTION_LABELS): the core
registers its actions below, and each app registers its own from its ``AppConfig.ready()``.
"""

from __future__ import annotations

from django.db import models

from commissioning.extensions import ACTION_LABELS, register_action_labels

__all__ = ["ACTION_LABELS", "CORE_ACTION_LABELS", "CoreAction", "action_label"]


class CoreAction(models.TextChoices):
    """The core's audit actions: the value is the code stored in the trail, the label the words."""

    # Councils, people and settings
    COUNCIL_SETTINGS_CHANGED = "council.settings_changed", "changed the council's settings"
    INVITATION_CREATED = "invitation.created", "invited someone to join the council"
    INVITATION_REVOKED = "invitation.revoked", "withdrew an invitation"
    INVITATION_ACCEPTED = "invitation.accepted", "accepted an invitation"
    MEMBERSHIP_ADDED = "membership.added", "gave someone a role"
    MEMBERSHIP_REMOVED = "membership.removed", "removed someone's role"
    # Commissions and the outcomes framework
    COMMISSION_CREATED = "commission.created", "opened a commission"
    COMMISSION_UPDATED = "commission.updated", "changed a commission"
    COMMISSION_DECIDED = "commission.decided", "recorded the options appraisal decision"
    APPRAISAL_OPTION_UPDATED = "appraisal_option.updated", "changed the notes on an option"
    OUTCOME_CREATED = "outcome.created", "added an outcome to the outcomes framework"
    OUTCOME_UPDATED = "outcome.updated", "changed an outcome in the outcomes framework"
    INDICATOR_CREATED = "indicator.created", "added an indicator to an outcome"


CORE_ACTION_LABELS: dict[str, str] = dict(CoreAction.choices)

register_action_labels(CORE_ACTION_LABELS)


def action_label(code: str) -> str:
    """The words for an action code; a code nobody gave words to reads as its parts."""
    label = ACTION_LABELS.get(code)
    if label:
        return label
    return "recorded " + code.replace(".", ": ").replace("_", " ")
