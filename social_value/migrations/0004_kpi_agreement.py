# The KPIs now belong to a ledger agreement (tenders' migration 0017 linked the KPIs of existing
# contracts before this runs): the kind-and-id columns go, and the link is required.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("social_value", "0003_agreements"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="socialvaluekpi", name="sv_kpi_agreement"),
        migrations.RemoveConstraint(model_name="socialvaluekpi", name="sv_kpi_agreement_known"),
        migrations.RemoveField(model_name="socialvaluekpi", name="agreement_kind"),
        migrations.RemoveField(model_name="socialvaluekpi", name="agreement_id"),
        migrations.RenameField(model_name="socialvaluekpi", old_name="ledger_agreement", new_name="agreement"),
        migrations.AlterField(
            model_name="socialvaluekpi",
            name="agreement",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="kpis", to="social_value.agreement"
            ),
        ),
        migrations.AlterModelOptions(
            name="socialvaluekpi",
            options={"ordering": ["agreement", "position", "pk"], "verbose_name": "social value KPI"},
        ),
    ]
