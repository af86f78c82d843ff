"""England and Wales bank holidays 2025 to 2028 and the thresholds in force in 2026, from tenders/data/.

Reads the JSON files as they are when the migration runs. Later updates (a new year's holidays,
new thresholds) are new JSON entries loaded by a new data migration, or edits in the platform admin.
"""

from django.db import migrations

from tenders.reference_data import load_bank_holidays, load_thresholds


def load(apps, schema_editor):
    load_bank_holidays(apps.get_model("tenders", "BankHoliday"))
    load_thresholds(apps.get_model("tenders", "ProcurementThreshold"))


class Migration(migrations.Migration):
    dependencies = [("tenders", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
