import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from commissioning.postcodes import normalise_district
from commissioning.tenancy import CouncilOwned


class Role(models.TextChoices):
    ADMIN = "admin", "Council admin"
    COMMISSIONER = "commissioner", "Commissioner"
    EVALUATOR = "evaluator", "Evaluator"
    OFFICER = "officer", "Officer"
    CITIZEN = "citizen", "Citizen Commissioner"


# Roles that handle procurement decisions or personal data: they must use MFA.
MFA_ROLES = frozenset({Role.ADMIN, Role.COMMISSIONER, Role.EVALUATOR, Role.OFFICER})

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as a hex code, like #1d70b8")


def validate_local_area(value: object) -> None:
    if not isinstance(value, list):
        raise ValidationError("The local area must be a list of postcode districts")
    for item in value:
        try:
            normalise_district(str(item))
        except ValueError as error:
            raise ValidationError(str(error)) from error


class Council(models.Model):
    """The tenant. Everything a council owns carries a foreign key to it."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    display_name = models.CharField(max_length=200, blank=True, help_text="Shown in the header; defaults to the name")
    logo = models.ImageField(upload_to="council-logos/", blank=True)
    colour = models.CharField(max_length=7, default="#1d70b8", validators=[colour_validator])
    local_area = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_local_area],
        help_text="Postcode districts of the local area, e.g. L34, L35, L36",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def header_name(self) -> str:
        return self.display_name or self.name


class Membership(CouncilOwned):
    """A person's role in a council. A person may hold several roles in one council."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["council", "user", "role"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.council}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.COMMISSIONING_INVITATION_DAYS)


class Invitation(CouncilOwned):
    """An invitation by email to join a council in a role; accepted by signing up or logging in."""

    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} as {self.get_role_display()}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @property
    def is_open(self) -> bool:
        return self.status == "pending"
