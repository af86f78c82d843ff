"""Serializers of co-design: comment rounds on draft specifications, comments and replies (read-only)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.api.codesign import CommentSerializer
from tenders.models import CommentRound, SectionComment
from tenders.selectors.codesign import round_closed_reason, round_is_open

__all__ = ["SectionCommentSerializer", "CommentRoundSerializer"]


class SectionCommentSerializer(CommentSerializer):
    """A comment on a section, as the council sees it, with the commissioner's reply."""

    section = serializers.IntegerField(source="section_id", allow_null=True, read_only=True)

    class Meta(CommentSerializer.Meta):
        model = SectionComment


class CommentRoundSerializer(serializers.ModelSerializer):
    """A round of comments on the tender's draft specification."""

    is_open = serializers.SerializerMethodField()
    closed_reason = serializers.SerializerMethodField()
    organisations = serializers.SerializerMethodField()
    comment_count = serializers.IntegerField(read_only=True)
    unresolved_count = serializers.IntegerField(read_only=True)
    comments = SectionCommentSerializer(many=True, read_only=True)

    class Meta:
        model = CommentRound
        fields = [
            "id",
            "is_open",
            "open_to_citizens",
            "organisations",
            "message",
            "opened_at",
            "closes_at",
            "closed_at",
            "closed_reason",
            "comment_count",
            "unresolved_count",
            "comments",
        ]
        read_only_fields = fields

    def get_is_open(self, comment_round: CommentRound) -> bool:
        return round_is_open(comment_round)

    def get_closed_reason(self, comment_round: CommentRound) -> str:
        return round_closed_reason(comment_round)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_organisations(self, comment_round: CommentRound) -> list[Any]:
        return [invitation.organisation.name for invitation in comment_round.invitations.all()]
