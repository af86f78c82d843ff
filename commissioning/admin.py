"""Django admin, for platform staff only.

Staff see every council (the admin runs in the platform scope), but never bid content: later
apps register sealed models with read-only, content-free admins. Council members work in the
council pages, not here.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from commissioning.audit_entries import AuditEntry, audit_entries
from commissioning.models import AuditEvent, Council, Invitation, Membership, Organisation, OrganisationMember, User
from commissioning.tenancy import platform_scope


class PlatformAdminSite(admin.AdminSite):
    site_header = "Collaborative Commissioning – platform administration"
    site_title = "Platform administration"
    index_title = "Platform administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        is_platform_staff = bool(user.is_active and user.is_staff and user.is_superuser)
        return is_platform_staff and (not settings.COMMISSIONING_REQUIRE_MFA or session_used_mfa(request))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """No log-in form of the admin's own: the accounts library's, with its MFA step and rate limits.

        Staff signed in with a password alone are asked for a code from their authenticator (or
        to set one up first); anyone else signed in is refused, rather than sent round in a loop.
        """
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
        if not (user.is_active and user.is_staff and user.is_superuser):
            raise PermissionDenied("Platform administration is for platform staff only.")
        if self.has_permission(request):
            return redirect(next_url)
        from allauth.mfa.models import Authenticator

        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            request.session["after_mfa_setup"] = next_url  # the recovery codes page offers the way back
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': next_url})}")
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': next_url})}")

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def scoped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # Platform staff look across councils; every query here is in the named platform scope.
            with platform_scope():
                response = inner(request, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
                return response

        return scoped


platform_admin_site = PlatformAdminSite(name="admin")


def session_used_mfa(request: HttpRequest) -> bool:
    """Whether this session's sign-in (or a later re-authentication) included a second factor."""
    from allauth.account.internal.flows.login import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


@admin.register(User, site=platform_admin_site)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("name",)}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_staff", "is_active"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deactivate instead: the audit trail and bids refer to people, and a deletion page would
        # list the sealed bids someone took part in before their deadline.
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Council, site=platform_admin_site)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "colour"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A council's audit trail is append-only, so the council that owns it stays too.
        return False


@admin.register(Invitation, site=platform_admin_site)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "council", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["council", "role"]
    search_fields = ["email"]
    readonly_fields = ["token", "accepted_at", "accepted_by", "emailed_at"]
    raw_id_fields = ["invited_by"]


class OrganisationMemberInline(admin.TabularInline):
    model = OrganisationMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Organisation, site=platform_admin_site)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "postcode", "size_band"]
    list_filter = ["legal_form", "size_band", "ownership"]
    search_fields = ["name", "companies_house_number", "charity_number", "postcode"]
    inlines = [OrganisationMemberInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Bids refer to organisations, and a deletion page would name the sealed ones.
        return False


@admin.register(AuditEvent, site=platform_admin_site)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, even for platform staff."""

    list_display = ["council", "sequence", "what_happened", "object_shown", "created_at"]
    list_filter = ["council"]
    # Sealed events keep nothing readable in these columns, so a search cannot find who is bidding.
    search_fields = ["actor_label", "object_label", "action"]
    fields = ["council", "sequence", "created_at", "what_happened", "object_shown", "changes", "previous_hash", "hash"]
    readonly_fields = fields  # type: ignore[assignment]  # plain names; the stubs type fields as groups

    def _entry(self, obj: AuditEvent) -> AuditEntry:
        # Every reader of the trail goes through audit_entries: a sealed event reads as a placeholder.
        cached = obj.__dict__.get("_audit_entry")
        if cached is None:
            cached = obj.__dict__["_audit_entry"] = audit_entries([obj], fold=False)[0]
        return cached

    @admin.display(description="What happened")
    def what_happened(self, obj: AuditEvent) -> str:
        return self._entry(obj).sentence

    @admin.display(description="About")
    def object_shown(self, obj: AuditEvent) -> str:
        return self._entry(obj).object_label

    @admin.display(description="Before and after")
    def changes(self, obj: AuditEvent) -> str:
        entry = self._entry(obj)
        if entry.sealed:
            return ""
        return f"Before: {entry.before}\nAfter: {entry.after}" if entry.before or entry.after else ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
