"""The bids page and API read a tender's submitted bids a page at a time in id order: an index on
(tender, status, id) serves that and the count, and replaces the index on (tender, status)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenders", "0010_tender_contributors"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="bid",
            index=models.Index(fields=["tender", "status", "id"], name="bid_tender_status_id"),
        ),
        migrations.RemoveIndex(
            model_name="bid",
            name="bid_tender_status",
        ),
    ]
