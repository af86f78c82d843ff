"""Query parameters of API lists, read strictly: each at most once, and none given blank.

DRF reads a query string's last value of a repeated parameter and treats ``?year=`` as leaving
it out, so a client that sent ``?year=2025&year=2026`` or a typo'd ``?year=`` would be answered
as if it had asked something else. Here both are a 400 with the parameter's name, so a client
never misreads what it was given.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from rest_framework import serializers

__all__ = ["QuerySerializer"]


class QuerySerializer(serializers.Serializer):
    """Optional query parameters; one that is given must be given once, with a value."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, QueryDict):
            repeated = {name: ["Give this parameter once."] for name in self.fields if len(data.getlist(name)) > 1}
            if repeated:
                raise serializers.ValidationError(repeated)
        return super().to_internal_value(data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        blank = {
            name: ["Give a value, or leave the parameter out."]
            for name in self.fields
            if name in self.initial_data and name not in attrs
        }
        if blank:
            raise serializers.ValidationError(blank)
        return attrs
