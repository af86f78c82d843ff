"""One error shape for the whole API.

    {"error": {"status": 404, "code": "not_found", "message": "Not found.", "fields": {}}}

``fields`` maps a field name to its messages when a request body did not validate.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    return {}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail) if isinstance(exc.detail, dict) else {"non_field_errors": [str(m) for m in exc.detail]}
        message = "The request has invalid fields."
    else:
        fields = {}
        message = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else "Request refused."
    code = exc.get_codes() if not isinstance(exc, exceptions.ValidationError) else "invalid"
    response.data = {
        "error": {
            "status": response.status_code,
            "code": code if isinstance(code, str) else "invalid",
            "message": message,
            "fields": fields,
        }
    }
    return response


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorSerializer(serializers.Serializer):
    """The shape of every error response."""

    error = ErrorDetailSerializer()
