from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.links import site_url
from commissioning.models import Council, Invitation, Organisation, Role, User


class MeSerializer(serializers.ModelSerializer):
    mfa_enabled = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "name", "mfa_enabled"]

    def get_mfa_enabled(self, user: User) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class CouncilSerializer(serializers.ModelSerializer):
    """A council's public profile."""

    display_name = serializers.CharField(source="header_name")
    logo = serializers.SerializerMethodField()
    portal_url = serializers.SerializerMethodField()

    class Meta:
        model = Council
        fields = ["slug", "name", "display_name", "colour", "logo", "local_area", "portal_url"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_logo(self, council: Council) -> str | None:
        if not council.logo:
            return None
        return site_url(council.logo.url)

    @extend_schema_field(serializers.URLField())
    def get_portal_url(self, council: Council) -> str:
        return site_url(f"/c/{council.slug}/")


class MyCouncilSerializer(serializers.Serializer):
    slug = serializers.CharField(source="council.slug")
    name = serializers.CharField(source="council.header_name")
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))


class OrganisationSerializer(serializers.ModelSerializer):
    is_vcse = serializers.BooleanField(read_only=True)
    is_asset_locked = serializers.BooleanField(
        read_only=True, help_text="Profits locked in for the community: as recorded, or as the legal form says"
    )
    is_private_equity_backed = serializers.BooleanField(read_only=True)
    my_role = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            *Organisation.PROFILE_FIELDS,
            "is_vcse",
            "is_asset_locked",
            "is_private_equity_backed",
            "my_role",
        ]

    def get_my_role(self, organisation: Organisation) -> str:
        return getattr(organisation, "my_role", "")


class MemberSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(source="user.id")
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.name")
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    invited_by = serializers.EmailField(source="invited_by.email", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "status", "invited_by", "created_at", "expires_at"]
        read_only_fields = ["id", "status", "invited_by", "created_at", "expires_at"]
