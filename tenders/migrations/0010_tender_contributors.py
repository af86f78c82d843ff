"""Who drafted each tender's specification, as data (``TenderContributor``), filled from the audit trail.

Until now four eyes read the audit trail: every ``specification.*`` event with an actor, on one of
the tender's sections or on the tender itself. Those events are not sealed (only bid events are,
and a sealed event's readable columns hold no actor and the action ``sealed``), so their actor
and time are readable here. Each person gets one row per tender, at the time of their first save.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DRAFTED = "drafted"


def fill_contributors(apps, schema_editor):
    from commissioning.tenancy import platform_scope

    AuditEvent = apps.get_model("commissioning", "AuditEvent")
    SpecificationSection = apps.get_model("tenders", "SpecificationSection")
    Tender = apps.get_model("tenders", "Tender")
    TenderContributor = apps.get_model("tenders", "TenderContributor")
    with platform_scope():  # row-level security binds the migrating role too
        section_tender = dict(SpecificationSection.objects.values_list("pk", "tender_id"))
        tender_council = dict(Tender.objects.values_list("pk", "council_id"))
        first: dict[tuple[int, int], object] = {}
        events = (
            AuditEvent.objects.filter(actor__isnull=False, action__startswith="specification.")
            .filter(object_type__in=["tenders.specificationsection", "tenders.tender"])
            .order_by("created_at", "pk")
            .values_list("actor_id", "object_type", "object_id", "created_at")
        )
        for actor_id, object_type, object_id, created_at in events.iterator():
            if not object_id.isdigit():
                continue
            if object_type == "tenders.specificationsection":
                tender_id = section_tender.get(int(object_id))
            else:
                tender_id = int(object_id) if int(object_id) in tender_council else None
            if tender_id is not None:
                first.setdefault((tender_id, actor_id), created_at)
        for (tender_id, user_id), first_at in first.items():
            row, _ = TenderContributor.objects.get_or_create(
                council_id=tender_council[tender_id], tender_id=tender_id, user_id=user_id, kind=DRAFTED
            )
            TenderContributor.objects.filter(pk=row.pk).update(first_at=first_at)


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0006_notification"),
        ("tenders", "0009_revision_changes_for_bidders"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TenderContributor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("drafted", "Drafted the specification")], max_length=20)),
                ("first_at", models.DateTimeField(auto_now_add=True)),
                (
                    "council",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="commissioning.council"
                    ),
                ),
                (
                    "tender",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="contributors", to="tenders.tender"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["tender", "first_at", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("tender", "user", "kind"), name="tender_contributor_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["drafted"])), name="tender_contributor_kind_known"
                    ),
                ],
            },
        ),
        migrations.RunPython(fill_contributors, migrations.RunPython.noop),
    ]
