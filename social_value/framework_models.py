"""A council's social value framework: themes → outcomes → measures, with published versions.

**The working framework** is the rows a council admin edits: :class:`Theme`, :class:`FrameworkOutcome`
and :class:`Measure` (a measure's name, unit, description, how it is evidenced, and optionally a
proxy value in £ per unit with its source and year). A measure may contribute to outcomes of the
core's outcomes framework (``commissioning.Outcome``, through :class:`MeasureContribution`).

**Versions** freeze definitions, so a KPI keeps the definition it was agreed under:

- :class:`MeasureVersion` is one frozen definition of one measure (number 1, 2, …), never changed
  once written. Publishing the framework writes a new one for each measure whose working
  definition differs from its latest version (or that has none yet): a definition that changes
  after a version is published becomes the measure's next version at the next publication; the
  earlier one stays as it was.
- :class:`FrameworkVersion` (number, published_at, published_by) lists, through
  :class:`FrameworkVersionEntry`, the measure version each measure in use had when it was published.
  Later work (commitments, KPIs) points at a ``MeasureVersion``.

**Retiring** a measure keeps it (and its versions) for history and leaves it out of the next
published version; a measure with versions cannot be deleted (``PROTECT``). Nothing here is ever
deleted by the app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from commissioning.tenancy import CouncilOwned

__all__ = [
    "DEFINITION_FIELDS",
    "FrameworkOutcome",
    "FrameworkVersion",
    "FrameworkVersionEntry",
    "Measure",
    "MeasureContribution",
    "MeasureVersion",
    "SocialValueFramework",
    "Theme",
]

# What a measure's definition is: a change to any of these after a publication makes a new version.
DEFINITION_FIELDS = (
    "name",
    "unit",
    "description",
    "evidence",
    "proxy_value",
    "proxy_source",
    "proxy_year",
)
PROXY_YEAR_MIN = 1990
PROXY_YEAR_MAX = 2100


class SocialValueFramework(CouncilOwned):
    """The council's framework: its name, and where it came from (the licence attribution shown on
    its page when it was seeded from public sector information)."""

    name = models.CharField(max_length=200, default="Social value framework")
    source = models.CharField(max_length=300, blank=True, help_text="Where the framework's text comes from")
    attribution = models.TextField(blank=True, help_text="The licence attribution shown with the framework")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["council"], name="sv_framework_one_per_council")]

    def __str__(self) -> str:
        return self.name


class Theme(CouncilOwned):
    """A theme of the framework (in the Social Value Model, a mission)."""

    framework = models.ForeignKey(SocialValueFramework, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]
        constraints = [models.UniqueConstraint(fields=["framework", "title"], name="sv_theme_title_unique")]

    def __str__(self) -> str:
        return self.title


class FrameworkOutcome(CouncilOwned):
    """A policy outcome under a theme (not to be confused with the core's ``commissioning.Outcome``,
    which a measure can contribute to)."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="outcomes")
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]
        constraints = [models.UniqueConstraint(fields=["theme", "title"], name="sv_outcome_title_unique")]

    def __str__(self) -> str:
        return self.title


class Measure(CouncilOwned):
    """A reporting measure: what a commitment counts, in which unit, and how it is evidenced.

    ``code`` is the council's stable reference (the CSV import matches rows on it). ``version`` is
    the number of its latest :class:`MeasureVersion` (0: never published)."""

    outcome = models.ForeignKey(FrameworkOutcome, on_delete=models.PROTECT, related_name="measures")
    code = models.CharField(max_length=30, help_text="A short reference, unique in the framework, for example SV-1.1")
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=100, help_text="What one of it is, for example ‘hours’ or ‘people’")
    description = models.TextField(blank=True)
    evidence = models.TextField("How it is evidenced", blank=True)
    proxy_value = models.DecimalField(
        "Proxy value (£ per unit)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    proxy_source = models.CharField("Source of the proxy value", max_length=300, blank=True)
    proxy_year = models.PositiveSmallIntegerField(
        "Year of the proxy value",
        null=True,
        blank=True,
        validators=[MinValueValidator(PROXY_YEAR_MIN), MaxValueValidator(PROXY_YEAR_MAX)],
    )
    contributes_to: models.ManyToManyField = models.ManyToManyField(
        "commissioning.Outcome", through="MeasureContribution", related_name="+", blank=True
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="sv_measure_code_unique"),
            models.CheckConstraint(
                condition=Q(proxy_value__isnull=True) | Q(proxy_value__gte=0), name="sv_measure_proxy_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def definition(self) -> dict[str, object]:
        return {field: getattr(self, field) for field in DEFINITION_FIELDS}


class MeasureContribution(CouncilOwned):
    """A measure contributes to an outcome of the core's outcomes framework."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="contributions")
    outcome = models.ForeignKey("commissioning.Outcome", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["measure", "outcome"], name="sv_contribution_unique")]


class MeasureVersion(CouncilOwned):
    """One frozen definition of a measure, written when a framework version is published. Never changed."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    evidence = models.TextField(blank=True)
    proxy_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    proxy_source = models.CharField(max_length=300, blank=True)
    proxy_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Where it sat when frozen, as words (a theme or outcome renamed later does not rewrite history).
    theme_title = models.CharField(max_length=200)
    outcome_title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measure", "number"]
        constraints = [models.UniqueConstraint(fields=["measure", "number"], name="sv_measure_version_unique")]

    def __str__(self) -> str:
        return f"{self.name} (version {self.number})"

    def definition(self) -> dict[str, object]:
        return {field: getattr(self, field) for field in DEFINITION_FIELDS}


class FrameworkVersion(CouncilOwned):
    """A published version of the framework: the measure versions in use when it was published."""

    framework = models.ForeignKey(SocialValueFramework, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    note = models.CharField(max_length=500, blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    measure_versions: models.ManyToManyField = models.ManyToManyField(
        MeasureVersion, through="FrameworkVersionEntry", related_name="framework_versions"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="sv_framework_version_unique")]

    def __str__(self) -> str:
        return f"Version {self.number}"


class FrameworkVersionEntry(CouncilOwned):
    framework_version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="entries")
    measure_version = models.ForeignKey(MeasureVersion, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework_version", "measure_version"], name="sv_version_entry_unique")
        ]
