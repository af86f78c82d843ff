"""Council pages of the tenders app, under /c/<council_slug>/ (included by commissioning.urls)."""

from django.urls import path

from tenders import views

urlpatterns = [
    path("spend-policy/", views.spend_policy_public, name="spend_policy_public"),
    path("settings/spend-policy/", views.spend_policy_settings, name="spend_policy_settings"),
    path("settings/spend-policy/edit/", views.spend_policy_edit, name="spend_policy_edit"),
    path("settings/tender-policy/", views.tender_policy, name="tender_policy"),
]
