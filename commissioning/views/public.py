"""Pages anyone may see: home, the council portal, statements, health, error pages."""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.views.static import serve

from commissioning import health as health_checks
from commissioning.audit import audit_head_published
from commissioning.errors import is_database_unavailable, service_unavailable
from commissioning.extensions import portal_sections
from commissioning.http import CouncilPublicRequest
from commissioning.models import Organisation
from commissioning.selectors import councils_for_user, public_councils
from commissioning.tenancy import council_public


def home(request: HttpRequest) -> HttpResponse:
    """Signed-in people go where their work is; everyone else sees the councils' portals."""
    if request.user.is_authenticated:
        memberships = councils_for_user(user=request.user)
        has_organisations = Organisation.objects.of_user(request.user).exists()
        if len(memberships) == 1 and not has_organisations:
            return redirect("council_dashboard", council_slug=memberships[0].council.slug)
        if not memberships and has_organisations:
            return redirect("organisations")
    return render(request, "pages/home.html", {"councils": public_councils()})


@council_public
def council_portal(request: CouncilPublicRequest, council_slug: str) -> HttpResponse:
    """The council's public portal: what it is, then each app's section (open opportunities first)."""
    council = request.council
    now = timezone.now()
    context = {
        "council": council,
        "sections": portal_sections(council=council, now=now),
        # Published here so that the database's holders cannot rewrite or cut the trail unnoticed.
        "audit_head": audit_head_published(council=council, now=now),
    }
    return render(request, "council/portal.html", context)


def council_switcher(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    return render(request, "pages/council_switcher.html", {"memberships": councils_for_user(user=request.user)})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")


def health(request: HttpRequest) -> HttpResponse:
    """Database, broker and worker status, as a page or (Accept: application/json) as JSON.

    Anyone (a load balancer, a monitor) gets the plain status and its HTTP code; which part
    failed and why (versions, hosts, error messages) is for platform staff only.
    """
    from commissioning.admin import platform_admin_site

    report = health_checks.check_all()
    status = 200 if report.ok else 503
    detailed = platform_admin_site.has_permission(request)
    if "application/json" in request.headers.get("Accept", ""):
        body = report.as_dict() if detailed else {"status": report.as_dict()["status"]}
        return JsonResponse(body, status=status)
    context = {"report": report, "detailed": detailed, "database_vendor": connection.vendor}
    return render(request, "pages/health.html", context, status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        # An API address that matches no route (e.g. a non-numeric id) answers in the API's one
        # error shape too, not with the HTML page.
        from commissioning.api.errors import not_found_response

        return not_found_response()
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: every uncaught error, from a view or a middleware (the session, the council).

    The database being away (a restart) is no bug: it answers 503 with Retry-After instead.
    """
    if is_database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    # No context processors: the database may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def public_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """A public upload (a council's logo), for the embedded default, which has no other web server."""
    return serve(request, path, document_root=str(settings.MEDIA_ROOT))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # No context either: the request itself is suspect (e.g. a Host header this site does not serve).
    return HttpResponse(loader.get_template("400.html").render(), status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a refused form post, in words, instead of Django's technical page."""
    return render(request, "403_csrf.html", status=403)
