from django.urls import include, path

from commissioning.api import commissions, views
from commissioning.extensions import url_includes

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api_me"),
    path("me/councils/", views.MyCouncilsView.as_view(), name="api_my_councils"),
    path("me/organisations/", views.MyOrganisationsView.as_view(), name="api_my_organisations"),
    path("councils/", views.CouncilListView.as_view(), name="api_councils"),
    path("councils/<slug:council_slug>/", views.CouncilDetailView.as_view(), name="api_council"),
    path("councils/<slug:council_slug>/members/", views.MemberListView.as_view(), name="api_council_members"),
    path(
        "councils/<slug:council_slug>/invitations/",
        views.InvitationListCreateView.as_view(),
        name="api_council_invitations",
    ),
    path(
        "councils/<slug:council_slug>/commissions/",
        commissions.CommissionListCreateView.as_view(),
        name="api_commissions",
    ),
    path(
        "councils/<slug:council_slug>/commissions/<int:commission_id>/",
        commissions.CommissionDetailView.as_view(),
        name="api_commission",
    ),
    path(
        "councils/<slug:council_slug>/commissions/<int:commission_id>/decision/",
        commissions.CommissionDecisionView.as_view(),
        name="api_commission_decision",
    ),
    path("councils/<slug:council_slug>/outcomes/", commissions.OutcomeListCreateView.as_view(), name="api_outcomes"),
    # The apps' endpoints (commissioning.extensions.UrlInclude, mount "api"), after the core's.
    *(path("", include(urlconf)) for urlconf in url_includes("api")),
]
