"""Indexes the finder and the council lists need at 10,000 tenders (issue 9).

- published tenders by (submission deadline, id), across councils: the finder's keyset pages;
- the same per council: the portal, the opportunities API and the finder's council filter;
- the council's tenders newest first: the council tender list and tenders API.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenders", "0011_opening_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="tender",
            index=models.Index(
                condition=models.Q(("published_at__isnull", False)),
                fields=["submission_deadline", "id"],
                name="tender_published_deadline",
            ),
        ),
        migrations.AddIndex(
            model_name="tender",
            index=models.Index(
                condition=models.Q(("published_at__isnull", False)),
                fields=["council", "submission_deadline", "id"],
                name="tender_council_deadline",
            ),
        ),
        migrations.AddIndex(
            model_name="tender",
            index=models.Index(fields=["council", "-created_at", "-id"], name="tender_council_newest"),
        ),
    ]
