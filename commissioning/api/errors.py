"""One error shape for the whole API.

    {"error": {"status": 404, "code": "not_found", "message": "Not found.", "fields": {}}}

``fields`` maps a field name to its messages when a request body did not validate.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from commissioning.errors import Conflict


def _messages(error: DjangoValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}


def _fields(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    return {"non_field_errors": [str(m) for m in detail]}


class ConflictError(exceptions.ValidationError):
    status_code = 409
    default_code = "conflict"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Conflict):
        exc = ConflictError(_messages(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_messages(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = exceptions.ParseError(f"The request body is larger than the {limit:,} bytes the API accepts.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django's 500 handling (and logging) takes over
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, ConflictError):
        code, message, fields = "conflict", "The request clashes with what already exists.", _fields(exc.detail)
    elif isinstance(exc, exceptions.ValidationError):
        code, message, fields = "invalid", "The request has invalid fields.", _fields(exc.detail)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        message = str(exc.detail) if not isinstance(exc.detail, (dict, list)) else "Request refused."
        fields = {}
    response.data = {"error": {"status": response.status_code, "code": code, "message": message, "fields": fields}}
    return response


def not_found_response() -> JsonResponse:
    """404 in the API's error shape, for answers given outside DRF (middleware, unmatched paths)."""
    return JsonResponse(
        {"error": {"status": 404, "code": "not_found", "message": "Not found.", "fields": {}}}, status=404
    )
