"""TenderRevision.evaluation_settings: the evaluation model's settings as published.

Existing revisions are filled from their tender, whose settings could not change once published
(``evaluation_settings_update`` refuses), so they are the published ones."""

from typing import Any

from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    from commissioning.tenancy import platform_scope

    Tender = apps.get_model("tenders", "Tender")
    TenderRevision = apps.get_model("tenders", "TenderRevision")
    with platform_scope():  # row-level security binds the migrating role too
        settings = {
            pk: {"blind_evaluation": blind, "price_formula": formula, "tie_break": tie_break}
            for pk, blind, formula, tie_break in Tender.objects.values_list(
                "pk", "blind_evaluation", "price_formula", "tie_break"
            )
        }
        for pk, tender_id in TenderRevision.objects.filter(evaluation_settings={}).values_list("pk", "tender_id"):
            TenderRevision.objects.filter(pk=pk).update(evaluation_settings=settings[tender_id])


class Migration(migrations.Migration):
    dependencies = [
        ("tenders", "0014_conflict_declaration_from_evaluation"),
    ]

    operations = [
        migrations.AddField(
            model_name="tenderrevision",
            name="evaluation_settings",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
