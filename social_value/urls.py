"""Council pages of the social value app, under /c/<council_slug>/ (included by commissioning.urls)."""

from django.urls import path

from social_value import framework_comment_views as comments
from social_value import returns_views, views

F = "social-value/framework/"
A = "social-value/agreements/"
R = "social-value/returns/"
Y = "social-value/your-agreements/<int:agreement_id>/"

urlpatterns = [
    path(F, views.framework_page, name="social_value_framework"),
    path(f"{F}measures/new/", views.measure_create, name="social_value_measure_create"),
    path(f"{F}measures/<int:measure_id>/edit/", views.measure_edit, name="social_value_measure_edit"),
    path(f"{F}measures/<int:measure_id>/retire/", views.measure_retire, name="social_value_measure_retire"),
    path(f"{F}publish/", views.framework_publish, name="social_value_framework_publish"),
    path(f"{F}import/", views.framework_import, name="social_value_framework_import"),
    path(f"{F}export.csv", views.framework_export, name="social_value_framework_export"),
    path("social-value/market/", views.market_page, name="social_value_market"),
    # The council's agreements and the verification of delivery returns
    path(A, returns_views.agreement_list, name="social_value_agreements"),
    path(f"{A}<int:agreement_id>/", returns_views.agreement_page, name="social_value_agreement"),
    path(f"{A}of/<slug:kind>/<int:source_id>/", returns_views.agreement_of, name="social_value_agreement_of"),
    path(R, returns_views.returns_queue, name="social_value_returns_queue"),
    path(f"{R}<int:return_id>/", returns_views.return_verify, name="social_value_return_verify"),
    path(
        f"{R}<int:return_id>/evidence/<int:evidence_id>/",
        returns_views.council_evidence_download,
        name="social_value_return_evidence",
    ),
    # The provider's side (public pages: the person is checked against the agreement's provider)
    path(Y, returns_views.my_agreement, name="social_value_my_agreement"),
    path(f"{Y}returns/<int:period>/", returns_views.return_form, name="social_value_return_form"),
    path(
        f"{Y}returns/<int:period>/evidence/<int:evidence_id>/",
        returns_views.return_evidence_download,
        name="social_value_my_return_evidence",
    ),
    path(
        f"{Y}returns/<int:period>/evidence/<int:evidence_id>/remove/",
        returns_views.return_evidence_remove,
        name="social_value_my_return_evidence_remove",
    ),
    # Public: social value accounted for (verified figures only)
    path("social-value/accounted-for/", returns_views.accounted_for, name="social_value_accounted_for"),
    path("social-value/accounted-for.csv", returns_views.accounted_for_csv, name="social_value_accounted_for_csv"),
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
