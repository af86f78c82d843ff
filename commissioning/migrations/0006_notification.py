"""E-mail sent once per key (commissioning.notifications), for every task that sends e-mail.

Invitations already e-mailed (``emailed_at``) get their key as sent, so a task delivered again
after the upgrade does not e-mail them a second time. Co-design kept its keys in the cache, which
is not carried over: those tasks finished long ago.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def invitation_key(invitation_id):
    # The key commissioning.tasks.send_invitation_email sends under.
    return f"invitations:{invitation_id}"


def mark_emailed_invitations(apps, schema_editor):
    from commissioning.tenancy import platform_scope

    Invitation = apps.get_model("commissioning", "Invitation")
    Notification = apps.get_model("commissioning", "Notification")
    with platform_scope():  # row-level security binds the migrating role too
        sent = Invitation.objects.filter(emailed_at__isnull=False).values_list("pk", "council_id", "emailed_at")
        Notification.objects.bulk_create(
            [
                Notification(council_id=council_id, key=invitation_key(pk), claimed_at=emailed_at, sent_at=emailed_at)
                for pk, council_id, emailed_at in sent.iterator()
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0005_secrets_at_rest"),
    ]

    operations = [
        migrations.CreateModel(
            name="Notification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=200)),
                ("claimed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "council",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="commissioning.council"
                    ),
                ),
            ],
            options={
                "ordering": ["council", "claimed_at", "pk"],
                "constraints": [models.UniqueConstraint(fields=("council", "key"), name="notification_key_unique")],
            },
        ),
        migrations.RunPython(mark_emailed_invitations, migrations.RunPython.noop),
    ]
