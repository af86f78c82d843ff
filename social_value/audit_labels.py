"""The social value app's audit actions and the words people read for them (see ``commissioning.audit_labels``).

Registered into the core's one table from ``SocialValueConfig.ready()``. The words follow the
person's name: "Kim Admin published a version of the social value framework".
"""

from __future__ import annotations

from django.db import models

from commissioning.extensions import register_action_labels

__all__ = ["SOCIAL_VALUE_ACTION_LABELS", "SocialValueAction", "register"]


class SocialValueAction(models.TextChoices):
    FRAMEWORK_SEEDED = "social_value.framework_seeded", "started the social value framework from the Social Value Model"
    FRAMEWORK_IMPORTED = "social_value.framework_imported", "imported measures into the social value framework"
    FRAMEWORK_PUBLISHED = "social_value.framework_published", "published a version of the social value framework"
    MEASURE_CREATED = "social_value.measure_created", "added a social value measure"
    MEASURE_UPDATED = "social_value.measure_updated", "changed a social value measure"
    MEASURE_RETIRED = "social_value.measure_retired", "retired a social value measure"
    RETURN_SAVED = "social_value.return_saved", "saved a draft delivery return"
    RETURN_EVIDENCE_ADDED = "social_value.return_evidence_added", "attached evidence to a delivery return"
    RETURN_EVIDENCE_REMOVED = "social_value.return_evidence_removed", "removed evidence from a delivery return"
    RETURN_SUBMITTED = "social_value.return_submitted", "submitted a delivery return"
    RETURN_ANSWERED = "social_value.return_answered", "answered a query and resubmitted a delivery return"
    RETURN_QUERIED = "social_value.return_queried", "queried a delivery return"
    RETURN_ACCEPTED = "social_value.return_accepted", "accepted a delivery return"
    RETURN_REJECTED = "social_value.return_rejected", "rejected a delivery return"
    FRAMEWORK_COMMENTS_OPENED = "social_value.comments_opened", "opened the social value framework for comment"
    FRAMEWORK_COMMENTS_CLOSED = "social_value.comments_closed", "closed the social value framework for comment"
    FRAMEWORK_COMMENT_ADDED = "social_value.comment_added", "commented on the social value framework"
    FRAMEWORK_COMMENT_RESOLVED = "social_value.comment_resolved", "answered a comment on the social value framework"


SOCIAL_VALUE_ACTION_LABELS: dict[str, str] = dict(SocialValueAction.choices)


def register() -> None:
    register_action_labels(SOCIAL_VALUE_ACTION_LABELS)
