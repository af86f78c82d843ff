"""API endpoints of the social value app, under /api/v1/ (included by commissioning.api.urls)."""

from django.urls import path

from social_value import api
from social_value import framework_comment_api as comments

S = "councils/<slug:council_slug>/social-value/"

urlpatterns = [
    path(f"{S}framework/", api.FrameworkView.as_view(), name="api_social_value_framework"),
    path(f"{S}framework/versions/", api.FrameworkPublishView.as_view(), name="api_social_value_publish"),
    path(f"{S}measures/", api.MeasureListCreateView.as_view(), name="api_social_value_measures"),
    path(f"{S}measures/<int:measure_id>/", api.MeasureDetailView.as_view(), name="api_social_value_measure"),
    path(
        f"{S}measures/<int:measure_id>/retire/", api.MeasureRetireView.as_view(), name="api_social_value_measure_retire"
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
