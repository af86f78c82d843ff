"""API endpoints of the social value app, under /api/v1/ (included by commissioning.api.urls)."""

from django.urls import path

from social_value import api, returns_api
from social_value import framework_comment_api as comments

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
    # Agreements, delivery returns and the accounts
    path(f"{S}agreements/", returns_api.AgreementListView.as_view(), name="api_social_value_agreements"),
    path(
        f"{S}agreements/<int:agreement_id>/",
        returns_api.AgreementDetailView.as_view(),
        name="api_social_value_agreement",
    ),
    path(f"{S}returns/", returns_api.ReturnQueueView.as_view(), name="api_social_value_returns"),
    path(f"{S}returns/<int:return_id>/", returns_api.ReturnDetailView.as_view(), name="api_social_value_return"),
    path(
        f"{S}returns/<int:return_id>/verify/",
        returns_api.ReturnVerifyView.as_view(),
        name="api_social_value_return_verify",
    ),
    path(f"{S}accounts/", returns_api.AccountsView.as_view(), name="api_social_value_accounts"),
    path("me/agreements/", returns_api.MyAgreementListView.as_view(), name="api_my_agreements"),
    path("me/agreements/<int:agreement_id>/", returns_api.MyAgreementDetailView.as_view(), name="api_my_agreement"),
    path(
        "me/agreements/<int:agreement_id>/returns/<int:period>/",
        returns_api.MyReturnView.as_view(),
        name="api_my_return",
    ),
    path(
        "me/agreements/<int:agreement_id>/returns/<int:period>/evidence/",
        returns_api.MyReturnEvidenceView.as_view(),
        name="api_my_return_evidence",
    ),
    path(
        "me/agreements/<int:agreement_id>/returns/<int:period>/submit/",
        returns_api.MyReturnSubmitView.as_view(),
        name="api_my_return_submit",
    ),
    # The framework opened for comment (social_value.framework_comment_api).
    path(
        f"{S}framework/comment-rounds/", comments.CommentRoundListView.as_view(), name="api_social_value_comment_rounds"
    ),
    path(
        f"{S}framework/comment-rounds/<int:round_id>/comments/",
        comments.RoundCommentsView.as_view(),
        name="api_social_value_round_comments",
    ),
    path(
        f"{S}framework/comment-rounds/<int:round_id>/my-comments/",
        comments.MyCommentsView.as_view(),
        name="api_social_value_my_comments",
    ),
    path(
        f"{S}framework/comment-rounds/<int:round_id>/comments/<int:comment_id>/reply/",
        comments.CommentReplyView.as_view(),
        name="api_social_value_comment_reply",
    ),
]
