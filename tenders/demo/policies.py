"""Demo data: each demo council's local spend policy and tender policy."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.utils import timezone

from commissioning.models import Council
from commissioning.tenancy import council_scope
from tenders import services
from tenders.demo import knowsley
from tenders.eligibility import SME, VCSE, Band
from tenders.models import SpendPolicyBand, TenderPolicy

# Southwark: below the £30,000 publication threshold, local; then open, with VCSEs and SMEs invited.
SOUTHWARK_BANDS = (
    Band(lower=Decimal(0), upper=Decimal(30000), reserved_for_local=True, label="Below £30,000"),
    Band(lower=Decimal(30000), upper=Decimal(207720), welcome=frozenset({VCSE, SME}), label="Below threshold"),
    Band(lower=Decimal(207720), label="Above threshold"),
)
DEMO_BANDS = {"knowsley": knowsley.SPEND_BANDS, "southwark": SOUTHWARK_BANDS}
# The demo policies have been in force since the start of 2025 (Knowsley's awarded navigation
# contract was published under them in the summer of 2025 and has a year of delivery behind it).
DEMO_EFFECTIVE_FROM = date(2025, 1, 1)


def seed_spend_policies(councils: Mapping[str, Council]) -> None:
    effective_from = min(DEMO_EFFECTIVE_FROM, timezone.localdate())
    for slug, council in councils.items():
        with council_scope(council):
            if slug in DEMO_BANDS and not SpendPolicyBand.objects.filter(council=council).exists():
                services.spend_policy_replace(
                    council=council,
                    actor=None,
                    bands=DEMO_BANDS[slug],
                    effective_from=effective_from,
                    today=effective_from,  # a policy already in force, loaded as it was set
                )
            TenderPolicy.objects.get_or_create(council=council)
