"""Council pages for members: dashboard, members and invitations, settings, audit trail.

The tenancy middleware has already checked membership and scoped the request to the council;
each view checks the role permission it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from commissioning import selectors, services
from commissioning.audit_entries import audit_entries
from commissioning.extensions import (
    WORK_QUEUE_PAGE,
    consultations_for,
    dashboard_panels,
    work_queue,
    work_queue_previews,
)
from commissioning.forms import AuditFilterForm, CouncilSettingsForm, InvitationForm
from commissioning.http import CouncilRequest
from commissioning.links import site_base_url
from commissioning.models import Invitation, Membership, Role
from commissioning.paginator import CountedPaginator
from commissioning.rules import PERMISSIONS_TABLE, council_roles, who_may
from commissioning.tenancy import needs_mfa_setup
from commissioning.views.forms import FormPost, post_action


def council_permission(permission: str) -> Callable[..., Any]:
    """Refuse (403, with the reason) a member whose roles do not allow ``permission``."""
    _, _who, what = PERMISSIONS_TABLE[permission]
    who = who_may(permission)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: CouncilRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(permission, request.council):
                raise PermissionDenied(f"Only {who} can do this: {what.lower()}.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _members_url(council_slug: str) -> str:
    return reverse("council_members", kwargs={"council_slug": council_slug})


@council_permission("council.view_dashboard")
def dashboard(request: CouncilRequest, council_slug: str) -> HttpResponse:
    """What needs my attention, per role."""
    council = request.council
    roles = council_roles(request.user, council)
    context: dict[str, Any] = {
        "roles": sorted(roles),
        "role_labels": [Role(r).label for r in sorted(roles)],
        "mfa_missing": needs_mfa_setup(request.user, roles) if roles else False,
    }
    if Role.ADMIN in roles:
        invitations = selectors.council_invitations(council=council)
        context["open_invitations"] = [i for i in invitations[:200] if i.is_open]
        context["member_count"] = Membership.objects.filter(council=council).values("user").distinct().count()
        context["local_area_missing"] = not council.local_area
    if Role.COMMISSIONER in roles:
        context["my_commissions"] = list(selectors.commission_list(council=council, created_by=request.user)[:5])
    if Role.CITIZEN in roles:
        # What every app has open for the citizen's comments (commissioning.extensions).
        found = consultations_for(council=council, user=request.user, now=timezone.now())
        context["open_consultations"] = [c for c in found if c.is_open]
    # What each role's registered work queues hold (commissioning.extensions): counts and the first
    # few; and the apps' panels of each role's section.
    context["work_queues"] = work_queue_previews(council=council, user=request.user, roles=roles)
    context["panels"] = dashboard_panels(council=council, user=request.user, roles=roles)
    if request.user.has_perm("council.view_audit", council):
        context["recent_events"] = audit_entries(selectors.audit_events(council=council)[:5])
    return render(request, "council/dashboard.html", context)


@council_permission("council.view_dashboard")
def work_queue_list(request: CouncilRequest, council_slug: str, queue: str) -> HttpResponse:
    """The whole of one work queue, a page at a time; only for members in the queue's role."""
    found = work_queue(queue)
    council = request.council
    if found is None or found.role not in council_roles(request.user, council):
        raise Http404("No such list")
    count = found.count(council, request.user)
    paginator = Paginator(range(count), WORK_QUEUE_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    items = found.items(council, request.user, page.start_index() - 1 if count else 0, WORK_QUEUE_PAGE) if count else []
    return render(
        request,
        "council/work_queue.html",
        {"queue": found, "count": count, "items": items, "page": page, "role_label": Role(found.role).label},
    )


@council_permission("council.view_members")
def members(request: CouncilRequest, council_slug: str) -> HttpResponse:
    council = request.council
    return render(
        request,
        "council/members.html",
        {
            "members": selectors.council_members(council=council),
            "invitations": selectors.council_invitations(council=council)[:100],
        },
    )


@council_permission("council.manage_members")
def invite(request: CouncilRequest, council_slug: str) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    done = FormPost(request, form).submit(
        lambda: services.invitation_create(
            council=request.council, invited_by=request.user, base_url=site_base_url(), **form.cleaned_data
        ),
        lambda invitation: f"Invitation sent to {invitation.email}. It expires on {invitation.expires_at:%d %B %Y}.",
        _members_url(council_slug),
    )
    return done or render(
        request, "council/invite.html", {"form": form, "invitation_days": settings.COMMISSIONING_INVITATION_DAYS}
    )


@require_POST
@council_permission("council.manage_members")
def invitation_revoke(request: CouncilRequest, council_slug: str, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id)
    return post_action(
        request,
        lambda: services.invitation_revoke(invitation=invitation, actor=request.user),
        f"Invitation for {invitation.email} revoked.",
        _members_url(council_slug),
    )


@council_permission("council.manage_members")
def membership_remove(request: CouncilRequest, council_slug: str, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=membership_id)
    if request.method == "POST":
        return post_action(
            request,
            lambda: services.membership_remove(membership=membership, actor=request.user),
            f"{membership.user.email} is no longer {membership.get_role_display()}.",
            _members_url(council_slug),
        )
    return render(request, "council/membership_remove.html", {"membership": membership})


@council_permission("council.change_settings")
def settings_edit(request: CouncilRequest, council_slug: str) -> HttpResponse:
    council = request.council
    form = CouncilSettingsForm(request.POST or None, request.FILES or None, instance=council)

    def save() -> None:
        changes = {f: form.cleaned_data[f] for f in ("display_name", "colour")}
        changes["local_area"] = form.cleaned_data["local_area_text"]
        if "logo" in form.changed_data:
            changes["logo"] = form.cleaned_data["logo"] or ""
        services.council_update_settings(council=council, actor=request.user, **changes)

    done = FormPost(request, form).submit(
        save,
        "Council settings saved.",
        reverse("council_settings", kwargs={"council_slug": council_slug}),
    )
    if done:
        return done
    if form.errors:
        council.refresh_from_db()  # the header keeps showing what is saved, not the rejected input
    return render(request, "council/settings.html", {"form": form})


@council_permission("council.view_audit")
def audit_trail(request: CouncilRequest, council_slug: str) -> HttpResponse:
    council = request.council
    form = AuditFilterForm(request.GET or None, actions=selectors.audit_actions(council=council))
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    events = selectors.audit_events(council=council, **filters)
    page = CountedPaginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "council/audit.html",
        {"form": form, "page": page, "events": audit_entries(page.object_list), "query": query.urlencode()},
    )
