"""The social value app's provider pages outside any council ("Your agreements", every council),
mounted at the site root by the core (``social_value.extensions``: mount ``"site"``)."""

from django.urls import path

from social_value import returns_views

urlpatterns = [
    path("social-value/agreements/", returns_views.my_agreements, name="social_value_my_agreements"),
]
