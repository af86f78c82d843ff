"""Serializers of a tender's specification on the council side: its sections and saved versions."""

from __future__ import annotations

from rest_framework import serializers

__all__ = [
    "SpecificationSerializer",
]


class SectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField(allow_blank=True, help_text="Sanitised HTML")
    revision = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class VersionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True)
    created_by = serializers.EmailField(allow_null=True)
    created_at = serializers.DateTimeField()


class SpecificationSerializer(serializers.Serializer):
    tender = serializers.IntegerField()
    sections = SectionSerializer(many=True, help_text="The current sections, in order")
    versions = VersionSerializer(many=True, help_text="Every saved version, newest first")
