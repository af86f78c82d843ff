"""Errors the whole platform shares: a clash with existing data, and the database being away."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

# Seconds a client (a browser's user, an API client, a load balancer) is asked to wait.
RETRY_AFTER_SECONDS = 30


class Conflict(ValidationError):
    """The request is valid but clashes with what already exists (the API answers 409).

    A ValidationError, so forms show it next to the field like any other.
    """


def is_database_unavailable(error: BaseException | None) -> bool:
    """The database could not be reached or dropped the connection (a restart, a failover), or
    refused for a moment (a lock timeout, a deadlock): worth trying again, not a bug in a page.

    Django wraps the driver's errors in these two classes (psycopg's ``OperationalError`` for a
    refused or terminated connection, ``InterfaceError`` for one already closed).
    """
    return isinstance(error, OperationalError | InterfaceError)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: GOV.UK's "Sorry, the service is unavailable" page, or the API's JSON.

    Touches nothing that needs the database (no session, no user, no context processors). With
    ``CONN_HEALTH_CHECKS`` the next request finds the broken connection, drops it and connects
    again, so the site recovers by itself once the database is back.
    """
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        message = "The service is unavailable for a moment. Try again later."
        body = {"error": {"status": 503, "code": "service_unavailable", "message": message, "fields": {}}}
        response = JsonResponse(body, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
