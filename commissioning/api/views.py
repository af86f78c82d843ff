"""Core API: me, my councils, my organisations, council profiles, members and invitations."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from commissioning import selectors, services
from commissioning.api.permissions import CouncilMember
from commissioning.api.serializers import (
    CouncilSerializer,
    InvitationSerializer,
    MemberSerializer,
    MeSerializer,
    MyCouncilSerializer,
    OrganisationSerializer,
)
from commissioning.links import site_base_url
from commissioning.models import Council, Invitation, Membership, Organisation, OrganisationMember


class CouncilAPIView:
    """Base for endpoints under /councils/<council_slug>/: members of that council only."""

    permission_classes = [CouncilMember]
    council_permission: str | None = None

    @property
    def council(self) -> Council:
        return self.request._request.council  # type: ignore[attr-defined]


@extend_schema(responses={200: MeSerializer}, tags=["me"])
class MeView(generics.RetrieveAPIView):
    """The signed-in person."""

    serializer_class = MeSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self) -> Any:
        return self.request.user


@extend_schema(responses={200: MyCouncilSerializer(many=True)}, tags=["me"])
class MyCouncilsView(generics.ListAPIView):
    """The councils I belong to, with my roles in each."""

    serializer_class = MyCouncilSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return selectors.councils_for_user(user=self.request.user)


@extend_schema(responses={200: OrganisationSerializer(many=True)}, tags=["me"])
class MyOrganisationsView(generics.ListAPIView):
    """The provider organisations I belong to."""

    serializer_class = OrganisationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Organisation.objects.none()
        my_role = OrganisationMember.objects.of(user=self.request.user, organisation=OuterRef("pk"))
        return selectors.organisations_for_user(user=self.request.user).annotate(
            my_role=Subquery(my_role.values("role")[:1])
        )


@extend_schema(tags=["councils"])
class CouncilListView(generics.ListAPIView):
    """Every council on the platform (public profiles)."""

    serializer_class = CouncilSerializer
    permission_classes = [AllowAny]
    queryset = Council.objects.order_by("name")


@extend_schema(responses={200: CouncilSerializer}, tags=["councils"])
class CouncilDetailView(generics.RetrieveAPIView):
    """A council's public profile."""

    serializer_class = CouncilSerializer
    permission_classes = [AllowAny]
    council_public = True

    def get_object(self) -> Council:
        return self.request._request.council  # type: ignore[attr-defined]


@extend_schema(responses={200: MemberSerializer(many=True)}, tags=["councils"])
class MemberListView(CouncilAPIView, generics.ListAPIView):
    """Members of the council and their roles (council admins)."""

    serializer_class = MemberSerializer
    council_permission = "council.view_members"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        return [
            {"user": user, "roles": [m.role for m in memberships]}
            for user, memberships in selectors.council_members(council=self.council)
        ]


@extend_schema(tags=["councils"])
class InvitationListCreateView(CouncilAPIView, generics.ListCreateAPIView):
    """Invitations to join the council (council admins). POST invites someone by e-mail."""

    serializer_class = InvitationSerializer

    @property
    def council_permission(self) -> str:  # type: ignore[override]
        return "council.manage_members" if self.request.method == "POST" else "council.view_members"

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return selectors.council_invitations(council=self.council)

    @extend_schema(responses={200: InvitationSerializer(many=True)})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(responses={201: InvitationSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.invitation_create(
            council=self.council,
            invited_by=request.user,
            email=serializer.validated_data["email"],
            role=serializer.validated_data["role"],
            base_url=site_base_url(),
        )
        return Response(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)
