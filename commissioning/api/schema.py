"""OpenAPI post-processing: every operation documents the one error shape.

Added to ``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]`` after drf-spectacular's own enum hook.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message", "fields"],
            "properties": {
                "status": {"type": "integer", "description": "The HTTP status, repeated"},
                "code": {"type": "string", "description": "Stable machine-readable code, e.g. not_found"},
                "message": {"type": "string", "description": "A sentence for people"},
                "fields": {
                    "type": "object",
                    "description": "Per-field messages when the request did not validate",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}

ERROR_RESPONSES = {
    "400": "The request did not validate: see error.fields",
    "401": "Not signed in (send a session cookie or Authorization: Token <key>)",
    "403": (
        "Signed in, but your role does not allow this; or (code mfa_required) your roles in the council "
        "need two-factor authentication, which you have not set up"
    ),
    "404": "No such object, or it belongs to a council you are not a member of",
}
# Only where the operation can clash with existing data.
CONFLICT = "The request clashes with what already exists (e.g. an open invitation for that address)"


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, description in ERROR_RESPONSES.items():
                operation["responses"].setdefault(status, {"description": description, "content": reference})
            if "requestBody" in operation:
                operation["responses"].setdefault(
                    "415",
                    {"description": "The body is not JSON (send Content-Type: application/json)", "content": reference},
                )
            if operation.get("operationId", "").endswith("_create"):
                operation["responses"].setdefault("409", {"description": CONFLICT, "content": reference})
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and parameter.get("name") == "page_size":
                    parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": 200}
                if parameter.get("in") == "query" and parameter.get("name") == "page":
                    parameter["schema"] = {"type": "integer", "minimum": 1}
    return result
