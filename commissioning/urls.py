import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from commissioning.admin import platform_admin_site
from commissioning.extensions import url_includes
from commissioning.views import account, commissions, consultations, council, invitations, organisations, public

council_patterns = [
    path("", public.council_portal, name="council_portal"),
    path("dashboard/", council.dashboard, name="council_dashboard"),
    path("dashboard/<slug:queue>/", council.work_queue_list, name="council_work_queue"),
    path("members/", council.members, name="council_members"),
    path("members/invite/", council.invite, name="council_invite"),
    path("members/invitations/<int:invitation_id>/revoke/", council.invitation_revoke, name="invitation_revoke"),
    path("members/<int:membership_id>/remove/", council.membership_remove, name="membership_remove"),
    path("settings/", council.settings_edit, name="council_settings"),
    path("audit/", council.audit_trail, name="council_audit"),
    path("commissions/", commissions.commission_list, name="commissions"),
    path("commissions/new/", commissions.commission_create, name="commission_create"),
    path("commissions/<int:commission_id>/", commissions.commission_detail, name="commission_detail"),
    path("commissions/<int:commission_id>/edit/", commissions.commission_edit, name="commission_edit"),
    path("commissions/<int:commission_id>/appraisal/", commissions.commission_appraisal, name="commission_appraisal"),
    path("outcomes/", commissions.outcomes, name="outcomes"),
    path("outcomes/new/", commissions.outcome_create, name="outcome_create"),
    path("outcomes/<int:outcome_id>/edit/", commissions.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:outcome_id>/indicators/new/", commissions.indicator_create, name="indicator_create"),
    # Every app's rounds of comments the person is invited to (commissioning.extensions).
    path("consultations/", consultations.consultations, name="consultations"),
    # The apps' council pages (commissioning.extensions.UrlInclude, mount "council"), after the core's.
    *(path("", include(urlconf)) for urlconf in url_includes("council")),
]

urlpatterns = [
    path("", public.home, name="home"),
    path("councils/", public.council_switcher, name="council_switcher"),
    path("accessibility/", public.accessibility, name="accessibility"),
    path("privacy/", public.privacy, name="privacy"),
    path("health/", public.health, name="health"),
    path("invitations/<str:token>/", invitations.accept, name="invitation_accept"),
    path("organisations/", organisations.dashboard, name="organisations"),
    path("organisations/new/", organisations.register, name="organisation_register"),
    path("organisations/<int:organisation_id>/", organisations.detail, name="organisation_detail"),
    path("organisations/<int:organisation_id>/edit/", organisations.edit, name="organisation_edit"),
    path("organisations/<int:organisation_id>/members/add/", organisations.member_add, name="organisation_member_add"),
    path(
        "organisations/<int:organisation_id>/members/<int:member_id>/remove/",
        organisations.member_remove,
        name="organisation_member_remove",
    ),
    # The apps' pages outside any council (mount "site"), e.g. the cross-council opportunity finder.
    *(path("", include(urlconf)) for urlconf in url_includes("site")),
    path("c/<slug:council_slug>/", include(council_patterns)),
    path("accounts/api-token/", account.api_token, name="account_api_token"),
    path("accounts/", include("allauth.urls")),
    path("platform-admin/", platform_admin_site.urls),
    path("api/v1/", include("commissioning.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
]

if settings.SERVE_MEDIA:
    # Only the public uploads (council logos): bid attachments and tender documents are under
    # MEDIA_ROOT too and go out only through views that check who is asking.
    urlpatterns.append(
        re_path(
            "^" + re.escape(settings.MEDIA_URL.lstrip("/")) + r"(?P<path>council-logos/[^/]+)$",
            public.public_media,
        )
    )

handler400 = "commissioning.views.public.bad_request"
handler404 = "commissioning.views.public.not_found"
handler500 = "commissioning.views.public.server_error"
handler403 = "commissioning.views.public.forbidden"

admin.site = platform_admin_site  # type: ignore[misc]
