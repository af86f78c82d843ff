from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from commissioning import ownership as ownership_rules
from commissioning.postcodes import normalise_postcode, postcode_district

if TYPE_CHECKING:
    from commissioning.models.accounts import User


class LegalForm(models.TextChoices):
    CHARITY = "charity", "Charity"
    CIC = "cic", "Community interest company (CIC)"
    COOPERATIVE = "cooperative", "Co-operative"
    COMMUNITY_GROUP = "community_group", "Community group"
    SME = "sme", "Small or medium-sized business"
    LARGE_COMPANY = "large_company", "Large company"
    PUBLIC_BODY = "public_body", "Public body"
    OTHER = "other", "Other"


# Voluntary, community and social enterprise organisations.
VCSE_FORMS = frozenset({LegalForm.CHARITY, LegalForm.CIC, LegalForm.COOPERATIVE, LegalForm.COMMUNITY_GROUP})


class SizeBand(models.TextChoices):
    MICRO = "micro", "Micro (fewer than 10 staff)"
    SMALL = "small", "Small (10 to 49 staff)"
    MEDIUM = "medium", "Medium (50 to 249 staff)"
    LARGE = "large", "Large (250 staff or more)"


class OwnershipType(models.TextChoices):
    """Who owns the organisation (``commissioning.ownership`` holds the values and the rules)."""

    CHARITY = ownership_rules.CHARITY, "Charity"
    CIC = ownership_rules.CIC, "Community interest company with an asset lock (CIC)"
    COOPERATIVE = ownership_rules.COOPERATIVE, "Co-operative"
    EMPLOYEE_OWNED = ownership_rules.EMPLOYEE_OWNED, "Employee-owned"
    COMMUNITY_GROUP = ownership_rules.COMMUNITY_GROUP, "Community group"
    PRIVATE_COMPANY = ownership_rules.PRIVATE_COMPANY, "Private company"
    PRIVATE_EQUITY = ownership_rules.PRIVATE_EQUITY, "Backed by private equity"
    SUBSIDIARY = ownership_rules.SUBSIDIARY, "Subsidiary of a group"
    PUBLIC_BODY = ownership_rules.PUBLIC_BODY, "Public body"
    OTHER = ownership_rules.OTHER, "Other"


# Companies House: 8 digits, or a 2-letter prefix (SC, NI, OC, RS, ...) and 6 digits.
companies_house_validator = RegexValidator(
    r"^(\d{8}|[A-Z]{2}\d{6})$",
    "Enter a Companies House number of 8 characters, like 01234567 or SC123456",
)
# Charity Commission (England and Wales): 6 or 7 digits, optionally a subsidiary suffix like -1;
# OSCR (Scotland): SC0 and 5 digits; CCNI (Northern Ireland): NIC and 6 digits.
charity_number_validator = RegexValidator(
    r"^(\d{6,7}(-\d{1,2})?|SC0\d{5}|NIC\d{6})$",
    "Enter a charity number like 1123456, SC012345 or NIC100001",
)


def validate_postcode(value: str) -> None:
    try:
        normalise_postcode(value)
    except ValueError as error:
        raise ValidationError("Enter a real UK postcode, like L36 9YU") from error


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def of_user(self, user: User) -> OrganisationQuerySet:
        """The organisations ``user`` is a member of, in any role."""
        return self.filter(memberships__user=user)


class Organisation(models.Model):
    """A provider organisation. Global: it registers once and works with any council."""

    # What the organisation says about itself: the registration form and the API show these.
    PROFILE_FIELDS = (
        "name",
        "legal_form",
        "companies_house_number",
        "charity_number",
        "address_line_1",
        "address_line_2",
        "town",
        "postcode",
        "operating_postcode",
        "size_band",
        "ownership",
        "asset_locked",
        "parent_name",
        "parent_country",
    )

    name = models.CharField(max_length=200)
    legal_form = models.CharField(max_length=20, choices=LegalForm.choices)
    companies_house_number = models.CharField(
        "Companies House number", max_length=8, blank=True, validators=[companies_house_validator]
    )
    charity_number = models.CharField(
        "Charity number", max_length=10, blank=True, validators=[charity_number_validator]
    )
    address_line_1 = models.CharField("Address line 1", max_length=200)
    address_line_2 = models.CharField("Address line 2", max_length=200, blank=True)
    town = models.CharField("Town or city", max_length=100)
    postcode = models.CharField("Registered postcode", max_length=8, validators=[validate_postcode])
    operating_postcode = models.CharField(
        "Main operating postcode",
        max_length=8,
        blank=True,
        validators=[validate_postcode],
        help_text="Where the organisation mainly works, if different from its registered address",
    )
    size_band = models.CharField(max_length=10, choices=SizeBand.choices)
    # Ownership, for the councils' market figures (issue 11): empty answers are filled from the
    # legal form (commissioning.ownership), so every organisation has them.
    ownership = models.CharField(
        "Ownership", max_length=20, choices=OwnershipType.choices, blank=True, help_text="Who owns the organisation"
    )
    asset_locked = models.BooleanField(
        "Profits locked in for the community (asset lock)",
        null=True,
        blank=True,
        help_text="Whether the organisation's assets and profits are kept for its community purpose by an asset lock",
    )
    parent_name = models.CharField("Ultimate parent company", max_length=200, blank=True)
    parent_country = models.CharField("Country of the ultimate parent", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members: models.ManyToManyField[User, OrganisationMember] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OrganisationMember", related_name="organisations"
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.postcode:
            try:
                self.postcode = normalise_postcode(self.postcode)
            except ValueError:
                pass  # the field validator reports it
        if self.operating_postcode:
            try:
                self.operating_postcode = normalise_postcode(self.operating_postcode)
            except ValueError:
                pass
        if self.companies_house_number:
            self.companies_house_number = self.companies_house_number.strip().upper()
        if self.charity_number:
            self.charity_number = self.charity_number.strip().upper()
        if self.legal_form == LegalForm.CIC and not self.companies_house_number:
            errors["companies_house_number"] = "A community interest company has a Companies House number"
        if self.legal_form == LegalForm.LARGE_COMPANY and self.size_band != SizeBand.LARGE:
            errors["size_band"] = "A large company has 250 staff or more"
        self.parent_name, self.parent_country = self.parent_name.strip(), self.parent_country.strip()
        errors.update(
            ownership_rules.ownership_problems(
                legal_form=self.legal_form,
                ownership=self.ownership,
                asset_locked=self.asset_locked,
                parent_name=self.parent_name,
                parent_country=self.parent_country,
            )
        )
        if not errors:
            # The legal form fills what the members left unanswered.
            facts = self.ownership_facts
            self.ownership, self.asset_locked = facts.ownership, facts.asset_locked
        if errors:
            raise ValidationError(errors)

    @property
    def is_vcse(self) -> bool:
        """Voluntary, community or social enterprise: derived from the legal form, never set by hand."""
        return self.legal_form in VCSE_FORMS

    @property
    def ownership_facts(self) -> ownership_rules.Ownership:
        """Ownership and asset lock as recorded, the legal form filling any gap."""
        return ownership_rules.effective(self.legal_form, self.ownership, self.asset_locked)

    @property
    def is_asset_locked(self) -> bool:
        return self.ownership_facts.asset_locked

    @property
    def is_private_equity_backed(self) -> bool:
        return self.ownership_facts.private_equity

    @property
    def is_sme(self) -> bool:
        return self.size_band != SizeBand.LARGE

    @property
    def postcode_districts(self) -> set[str]:
        return {postcode_district(p) for p in (self.postcode, self.operating_postcode) if p}


class OrganisationRole(models.TextChoices):
    OWNER = "owner", "Owner"
    MEMBER = "member", "Member"


class OrganisationMemberQuerySet(models.QuerySet["OrganisationMember"]):
    """ "Is this person a member of this organisation": asked here, and through the
    ``is_organisation_member`` predicate (commissioning.rules) by pages and the API."""

    def of(self, *, user: User, organisation: Organisation | Any) -> OrganisationMemberQuerySet:
        """The person's membership of the organisation (none or one); ``organisation`` may be an ``OuterRef``."""
        return self.filter(user=user, organisation=organisation)

    def is_member(self, *, user: User, organisation: Organisation) -> bool:
        """Read now, in the caller's transaction: for services (the predicate caches per request)."""
        return self.of(user=user, organisation=organisation).exists()


class OrganisationMember(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    role = models.CharField(max_length=10, choices=OrganisationRole.choices, default=OrganisationRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationMemberQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="organisation_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.organisation}"
