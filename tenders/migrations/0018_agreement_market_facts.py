# The market facts of each contract's ledger agreement entered before they were kept at award
# (issue 11, "Market shaping"): the provider's type from its profile as it is now (the nearest we
# have to its type at award) and the spend policy band the tender fell in when it was published,
# with an approved eligibility override's local reservation. Frozen here, not imported: a later
# change of the rules must not change what this migration wrote. Once only: the facts of an
# agreement recorded at award are never rewritten.

from django.db import migrations

VCSE_FORMS = {"charity", "cic", "cooperative", "community_group"}
BY_LEGAL_FORM = {
    "charity": ("charity", True),
    "cic": ("cic", True),
    "cooperative": ("cooperative", False),
    "community_group": ("community_group", False),
    "sme": ("private_company", False),
    "large_company": ("private_company", False),
    "public_body": ("public_body", False),
    "other": ("other", False),
}


def _district(postcode):
    return postcode.strip().upper().split(" ")[0] if postcode and postcode.strip() else ""


def _money(amount):
    return f"£{int(amount):,}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def _band_name(band):
    if band.label:
        return band.label
    if band.upper_bound is None:
        return f"{_money(band.lower_bound)} or more"
    if band.lower_bound == 0:
        return f"Below {_money(band.upper_bound)}"
    return f"{_money(band.lower_bound)} to under {_money(band.upper_bound)}"


def fill(apps, schema_editor):
    Agreement = apps.get_model("social_value", "Agreement")
    Contract = apps.get_model("tenders", "Contract")
    SpendPolicyBand = apps.get_model("tenders", "SpendPolicyBand")
    EligibilityOverride = apps.get_model("tenders", "EligibilityOverride")
    agreements = Agreement.objects.filter(kind="contract", band_label="", band_lower__isnull=True)
    for agreement in agreements.select_related("provider", "council").iterator():
        contract = (
            Contract.objects.filter(council_id=agreement.council_id, pk=agreement.source_id)
            .select_related("tender")
            .first()
        )
        provider, council = agreement.provider, agreement.council
        area = set(council.local_area or [])
        implied = BY_LEGAL_FORM.get(provider.legal_form, ("other", False))
        ownership = provider.ownership or implied[0]
        locked = implied[1] or bool(provider.asset_locked)
        agreement.provider_local = bool({_district(provider.postcode), _district(provider.operating_postcode)} & area)
        agreement.provider_vcse = provider.legal_form in VCSE_FORMS
        agreement.provider_sme = provider.size_band != "large"
        agreement.provider_asset_locked = locked
        agreement.provider_private_equity = ownership == "private_equity"
        agreement.provider_ownership = ownership
        if contract is not None and contract.tender.published_at is not None:
            tender = contract.tender
            on = tender.published_at.date()
            bands = SpendPolicyBand.objects.filter(council_id=agreement.council_id, effective_from__lte=on)
            latest = bands.order_by("-effective_from").values_list("effective_from", flat=True).first()
            band = None
            if latest is not None:
                for candidate in bands.filter(effective_from=latest).order_by("position"):
                    upper = candidate.upper_bound
                    if candidate.lower_bound <= tender.estimated_value and (
                        upper is None or tender.estimated_value < upper
                    ):
                        band = candidate
                        break
            override = (
                EligibilityOverride.objects.filter(
                    council_id=agreement.council_id, tender_id=tender.pk, decision="approved"
                )
                .order_by("-decided_at", "-pk")
                .first()
            )
            if band is not None:
                agreement.band_label = _band_name(band)[:150]
                agreement.band_lower = band.lower_bound
                agreement.band_reserved_for_local = band.reserved_for_local
            if override is not None:
                agreement.band_reserved_for_local = override.reserved_for_local
        agreement.save()


class Migration(migrations.Migration):
    dependencies = [
        ("tenders", "0017_contract_agreements"),
        ("social_value", "0006_market_facts"),
        ("commissioning", "0008_organisation_ownership"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
