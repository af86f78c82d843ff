from django.urls import include, path

from commissioning.api import commissions, views
from commissioning.extensions import url_includes

C = "councils/<slug:council_slug>/"  # the prefix of every council's endpoints

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api_me"),
    path("me/councils/", views.MyCouncilsView.as_view(), name="api_my_councils"),
    path("me/organisations/", views.MyOrganisationsView.as_view(), name="api_my_organisations"),
    path("councils/", views.CouncilListView.as_view(), name="api_councils"),
    path(C, views.CouncilDetailView.as_view(), name="api_council"),
    path(f"{C}members/", views.MemberListView.as_view(), name="api_council_members"),
    path(f"{C}invitations/", views.InvitationListCreateView.as_view(), name="api_council_invitations"),
    path(f"{C}commissions/", commissions.CommissionListCreateView.as_view(), name="api_commissions"),
    path(f"{C}commissions/<int:commission_id>/", commissions.CommissionDetailView.as_view(), name="api_commission"),
    path(
        f"{C}commissions/<int:commission_id>/decision/",
        commissions.CommissionDecisionView.as_view(),
        name="api_commission_decision",
    ),
    path(f"{C}outcomes/", commissions.OutcomeListCreateView.as_view(), name="api_outcomes"),
    # The apps' endpoints (commissioning.extensions.UrlInclude, mount "api"), after the core's.
    *(path("", include(urlconf)) for urlconf in url_includes("api")),
]
