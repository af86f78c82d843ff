"""Council pages of the social value app, under /c/<council_slug>/ (included by commissioning.urls)."""

from django.urls import path

from social_value import views

F = "social-value/framework/"

urlpatterns = [
    path(F, views.framework_page, name="social_value_framework"),
    path(f"{F}measures/new/", views.measure_create, name="social_value_measure_create"),
    path(f"{F}measures/<int:measure_id>/edit/", views.measure_edit, name="social_value_measure_edit"),
    path(f"{F}measures/<int:measure_id>/retire/", views.measure_retire, name="social_value_measure_retire"),
    path(f"{F}publish/", views.framework_publish, name="social_value_framework_publish"),
    path(f"{F}import/", views.framework_import, name="social_value_framework_import"),
    path(f"{F}export.csv", views.framework_export, name="social_value_framework_export"),
    path("social-value/market/", views.market_page, name="social_value_market"),
]
