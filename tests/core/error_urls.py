"""The project's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from commissioning.urls import handler400, handler403, handler404, handler500  # noqa: F401
from commissioning.urls import urlpatterns as project_urlpatterns


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Only the council's officers may do this")


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom: a secret traceback detail")


def _suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a tampered request")


urlpatterns = [
    path("test-errors/forbidden/", _forbidden),
    path("test-errors/broken/", _broken),
    path("test-errors/suspicious/", _suspicious),
    *project_urlpatterns,
]
