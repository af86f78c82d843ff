"""API of the social value framework opened for comment, under
/api/v1/councils/<slug>/social-value/framework/comment-rounds/.

Council admins list the rounds and their comments (paged) and reply to a comment; commenters (the
council's citizens when a round is open to them, members of invited voluntary groups, who need not
be council members) read their own comments with the replies and post a comment. Serializers
validate; ``social_value.framework_comments`` acts; errors have the one shape
(``commissioning.api.errors``): 400 for bad input, 403 for a commenter who may not, 404 for outsiders.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from commissioning.api.codesign import CommentSerializer
from commissioning.api.fields import StrictCharField, StrictIntegerField
from commissioning.api.parsers import JSONParser
from commissioning.api.views import CouncilAPIView
from commissioning.codesign import COMMENT_MAX_LENGTH, REPLY_MAX_LENGTH, round_closed_reason
from social_value import framework_comment_selectors as selectors
from social_value.framework_comments import framework_comment_add, framework_comment_resolve
from social_value.models import FrameworkComment, FrameworkCommentRound

__all__ = [
    "CommentReplyView",
    "CommentRoundListView",
    "MyCommentsView",
    "RoundCommentsView",
]

MAX_ID = 2**63 - 1
MANAGE = "social_value.manage_framework"


class FrameworkCommentSerializer(CommentSerializer):
    """A comment on a theme, outcome or measure, with the admin's reply."""

    section = serializers.CharField(
        source="section_key", read_only=True, help_text="theme:<id>, outcome:<id> or measure:<id>"
    )

    class Meta(CommentSerializer.Meta):
        model = FrameworkComment


class FrameworkCommentRoundSerializer(serializers.ModelSerializer):
    """A round in which the framework is (or was) open for comment."""

    is_open = serializers.SerializerMethodField()
    closed_reason = serializers.SerializerMethodField()
    organisations = serializers.SerializerMethodField()
    comment_count = serializers.IntegerField(read_only=True)
    unresolved_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = FrameworkCommentRound
        fields = [
            "id",
            "is_open",
            "open_to_citizens",
            "organisations",
            "message",
            "opened_at",
            "closes_at",
            "closed_at",
            "closed_reason",
            "comment_count",
            "unresolved_count",
        ]
        read_only_fields = fields

    def get_is_open(self, comment_round: FrameworkCommentRound) -> bool:
        return comment_round.is_open()

    def get_closed_reason(self, comment_round: FrameworkCommentRound) -> str:
        return round_closed_reason(comment_round)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_organisations(self, comment_round: FrameworkCommentRound) -> list[Any]:
        return [invitation.organisation.name for invitation in comment_round.invitations.all()]


class CommentCreateSerializer(serializers.Serializer):
    section = StrictCharField(
        max_length=40, help_text="What the comment is on: theme:<id>, outcome:<id> or measure:<id> of the framework"
    )
    body = StrictCharField(max_length=COMMENT_MAX_LENGTH)
    organisation_id = StrictIntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        default=None,
        help_text="An invited organisation you comment for; leave it out to comment as a resident",
    )

    def validate_section(self, value: str) -> str:
        if not selectors.SECTION_KEY_PATTERN.match(value):
            raise serializers.ValidationError("Use theme:<id>, outcome:<id> or measure:<id>")
        return value


class ReplySerializer(serializers.Serializer):
    reply = StrictCharField(max_length=REPLY_MAX_LENGTH)


class JSONOnly:
    parser_classes = [JSONParser]


@extend_schema(tags=["social value"])
class CommentRoundListView(CouncilAPIView, generics.ListAPIView):
    """The rounds of comments on the council's framework, newest first, with their counts (admins)."""

    serializer_class = FrameworkCommentRoundSerializer
    council_permission = MANAGE

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return FrameworkCommentRound.objects.none()
        return selectors.comment_rounds(council=self.council)


@extend_schema(
    tags=["social value"],
    parameters=[
        OpenApiParameter(
            "on", OpenApiTypes.STR, description="Only the comments on this part: theme:<id>, outcome:<id>, measure:<id>"
        )
    ],
)
class RoundCommentsView(CouncilAPIView, generics.ListAPIView):
    """The round's comments, oldest first, each with its reply (admins)."""

    serializer_class = FrameworkCommentSerializer
    council_permission = MANAGE

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return FrameworkComment.objects.none()
        comment_round = selectors.comment_round_get(council=self.council, round_id=self.kwargs["round_id"])
        on = self.request.query_params.get("on", "")
        if on and not selectors.SECTION_KEY_PATTERN.match(on):
            raise serializers.ValidationError({"on": ["Use theme:<id>, outcome:<id> or measure:<id>"]})
        return selectors.comments_queryset(comment_round=comment_round, section_key=on)


@extend_schema(tags=["social value"])
class MyCommentsView(JSONOnly, generics.ListCreateAPIView):
    """My comments in the round, with the council's replies; POST comments on a theme, outcome or
    measure while the round is open. For the people invited: the council's citizens when the round
    is open to them, members of invited voluntary groups (404 for everyone else)."""

    serializer_class = FrameworkCommentSerializer
    permission_classes = [IsAuthenticated]
    council_public = True

    @property
    def council(self) -> Any:
        return self.request._request.council  # type: ignore[attr-defined]

    def _found(self) -> selectors.FrameworkConsultation:
        return selectors.framework_consultation_get(
            council=self.council, user=self.request.user, round_id=self.kwargs["round_id"]
        )

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return FrameworkComment.objects.none()
        found = self._found()
        return selectors.comments_queryset(comment_round=found.round, author=self.request.user)

    @extend_schema(request=CommentCreateSerializer, responses={201: FrameworkCommentSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        found = self._found()
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = None
        organisation_id = serializer.validated_data["organisation_id"]
        if organisation_id is not None:
            organisation = next((o for o in found.capacities.organisations if o.pk == organisation_id), None)
            if organisation is None:
                raise serializers.ValidationError(
                    {"organisation_id": ["Choose an organisation of yours invited to this round"]}
                )
        comment = framework_comment_add(
            round=found.round,
            section_key=serializer.validated_data["section"],
            author=request.user,
            organisation=organisation,
            body=serializer.validated_data["body"],
        )
        comment = selectors.comments_queryset(comment_round=found.round).get(pk=comment.pk)
        return Response(FrameworkCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["social value"], request=ReplySerializer, responses={200: FrameworkCommentSerializer})
class CommentReplyView(JSONOnly, CouncilAPIView, generics.GenericAPIView):
    """Reply to a comment, which resolves it (admins). A reply may be changed later."""

    serializer_class = ReplySerializer
    council_permission = MANAGE

    def post(self, request: Request, council_slug: str, round_id: int, comment_id: int) -> Response:
        comment_round = selectors.comment_round_get(council=self.council, round_id=round_id)
        comment = selectors.comments_queryset(comment_round=comment_round).filter(pk=comment_id).first()
        if comment is None:
            raise Http404("No such comment")
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        framework_comment_resolve(comment=comment, actor=request.user, reply=serializer.validated_data["reply"])
        comment = selectors.comments_queryset(comment_round=comment_round).get(pk=comment_id)
        return Response(FrameworkCommentSerializer(comment).data)
