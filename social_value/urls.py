"""Council pages of the social value app, under /c/<council_slug>/ (included by commissioning.urls)."""

from django.urls import path

from social_value import framework_comment_views as comments
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
    # The framework opened for comment (social_value.framework_comment_views).
    path(f"{F}comments/new/", comments.comment_round_open, name="social_value_comment_round_open"),
    path(f"{F}comments/<int:round_id>/", comments.comment_round, name="social_value_comment_round"),
    path(f"{F}comments/<int:round_id>/close/", comments.comment_round_close, name="social_value_comment_round_close"),
    path(
        f"{F}comments/<int:round_id>/comments/<int:comment_id>/reply/",
        comments.comment_reply,
        name="social_value_comment_reply",
    ),
    path(
        "consultations/framework/<int:round_id>/",
        comments.framework_consultation,
        name="social_value_consultation",
    ),
]
