"""What the API says of a co-design comment, whatever it comments on (a tender's specification
section, the social value framework): the comment, who wrote it, and the owner's reply."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

__all__ = ["COMMENT_FIELDS", "CommentSerializer"]

COMMENT_FIELDS = [
    "id",
    "section",
    "section_title",
    "author_name",
    "organisation",
    "body",
    "created_at",
    "resolved",
    "reply",
    "resolved_at",
]


class CommentSerializer(serializers.ModelSerializer):
    """Read-only. A subclass names its model in ``Meta(CommentSerializer.Meta)`` and its ``section``."""

    author_name = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.name", allow_null=True, read_only=True, default=None)
    resolved = serializers.BooleanField(read_only=True)

    class Meta:
        fields = COMMENT_FIELDS
        read_only_fields = COMMENT_FIELDS

    def get_author_name(self, comment: Any) -> str:
        return str(comment.author.name or comment.author.email)
