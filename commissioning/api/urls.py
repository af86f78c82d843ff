from django.urls import include, path

from commissioning.api import views

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
    path("", include("tenders.api_urls")),
]
