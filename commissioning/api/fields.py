"""Serializer fields that take JSON types as the OpenAPI schema states them.

DRF is lenient by default: a CharField takes the number 0 as "0", a BooleanField takes 0 or "no",
an IntegerField takes "7". The schema says string, boolean, integer; a client that sends the wrong
type has a bug, and it should hear so (400) rather than have its value guessed.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from django.db import models
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """Text, stated in the schema as the field takes it: no NUL characters (PostgreSQL cannot
    store them), and, unless blank is allowed, something besides whitespace (which is trimmed)."""

    def __init__(self, **kwargs: Any) -> None:
        # Lengths count what was sent, as the schema's maxLength does; the services trim.
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
        if self.read_only:
            return  # output only: it says what was stored, which may be blank
        pattern = r"^[^\x00]+$" if self.allow_blank else r"^[^\x00]*[^\x00\s][^\x00]*$"
        # (Blank is allowed by drf-spectacular's "oneOf maxLength 0", so the pattern must not match "" too.)
        # In place of DRF's own NUL check, so a NUL is reported once, and the schema says it.
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        self.validators.append(
            RegexValidator(pattern, "Null characters are not allowed.", "null_characters_not_allowed")
        )

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDecimalField(serializers.DecimalField):
    """A decimal written as a JSON string (as it is returned), so no binary rounding."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictRegexField(serializers.RegexField):
    """Text matching a pattern, as a JSON string only: money is never a JSON number (5 is refused,
    "5.00" taken), so no client's float rounding reaches a price."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose generated fields are the strict ones above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.BooleanField: StrictBooleanField,
        models.IntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.DecimalField: StrictDecimalField,
    }
