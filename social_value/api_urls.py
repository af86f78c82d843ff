"""API endpoints of the social value app, under /api/v1/ (included by commissioning.api.urls)."""

from django.urls import path

from social_value import api

S = "councils/<slug:council_slug>/social-value/"

urlpatterns = [
    path(f"{S}framework/", api.FrameworkView.as_view(), name="api_social_value_framework"),
    path(f"{S}framework/versions/", api.FrameworkPublishView.as_view(), name="api_social_value_publish"),
    path(f"{S}measures/", api.MeasureListCreateView.as_view(), name="api_social_value_measures"),
    path(f"{S}measures/<int:measure_id>/", api.MeasureDetailView.as_view(), name="api_social_value_measure"),
    path(f"{S}market/", api.MarketView.as_view(), name="api_social_value_market"),
    path(
        f"{S}measures/<int:measure_id>/retire/", api.MeasureRetireView.as_view(), name="api_social_value_measure_retire"
    ),
]
