"""Serializers of clarification questions: published questions and answers, a provider's question."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from commissioning.api.fields import StrictCharField, StrictIntegerField

__all__ = [
    "ClarificationSerializer",
    "ClarificationAskSerializer",
    "AskedClarificationSerializer",
]


MAX_ID = 2**63 - 1


class ClarificationSerializer(serializers.Serializer):
    """A published question and its answer. Who asked is never given."""

    id = serializers.IntegerField()
    question = serializers.CharField(source="published_question")
    answer = serializers.CharField()
    published_at = serializers.DateTimeField()


class ClarificationAskSerializer(serializers.Serializer):
    organisation = StrictIntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text="The id of your organisation you ask for (see /api/v1/me/organisations/)",
    )
    question = StrictCharField(max_length=5000)


class AskedClarificationSerializer(serializers.Serializer):
    """The question as you asked it, for your records; it is published (reworded, anonymously) when answered."""

    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    question = serializers.CharField()
    asked_at = serializers.DateTimeField()
    answered = serializers.SerializerMethodField()

    def get_answered(self, question: Any) -> bool:
        return question.published_at is not None
