# Each contract entered before the social value ledger had agreements gets its ledger agreement,
# and its KPIs (then keyed by kind and id) are linked to it. Runs before social_value 0004 drops
# the kind-and-id columns, so no KPI is left without its agreement.

from django.db import migrations


def link(apps, schema_editor):
    Contract = apps.get_model("tenders", "Contract")
    Agreement = apps.get_model("social_value", "Agreement")
    KPI = apps.get_model("social_value", "SocialValueKPI")
    for contract in Contract.objects.all().iterator():
        agreement, _ = Agreement.objects.get_or_create(
            council_id=contract.council_id,
            kind="contract",
            source_id=contract.pk,
            defaults={
                "provider_id": contract.organisation_id,
                "title": contract.title,
                "value": contract.value,
                "awarded_on": contract.entered_at.date(),
                "starts_on": contract.start_date,
                "ends_on": contract.end_date,
            },
        )
        KPI.objects.filter(council_id=contract.council_id, agreement_kind="contract", agreement_id=contract.pk).update(
            ledger_agreement=agreement
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tenders", "0016_assignment_reason"),
        ("social_value", "0003_agreements"),
    ]
    run_before = [("social_value", "0004_kpi_agreement")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
