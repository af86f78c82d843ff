"""Seal bid attachments' names, content types and sizes with the tender's key, like their content.

Existing rows are encrypted in place (the name, type and size of a document say as much as the
document), then the plain columns are dropped.
"""

import json

from cryptography.fernet import Fernet
from django.db import migrations, models


def _fernets(apps):
    from tenders.sealing import _key_encryption_keys

    kek = _key_encryption_keys()
    keys = apps.get_model("tenders", "TenderKey").objects.all()
    return {key.tender_id: Fernet(kek.decrypt(key.wrapped_key.encode())) for key in keys}


def seal_details(apps, schema_editor):
    from commissioning.tenancy import platform_scope

    BidAttachment = apps.get_model("tenders", "BidAttachment")
    with platform_scope():  # row-level security binds the migrating role too
        fernets = _fernets(apps)
        for attachment in BidAttachment.objects.select_related("bid").iterator():
            plain = {"filename": attachment.filename, "content_type": attachment.content_type, "size": attachment.size}
            text = json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
            attachment.details = fernets[attachment.bid.tender_id].encrypt(text).decode()
            attachment.save(update_fields=["details"])


def unseal_details(apps, schema_editor):
    from commissioning.tenancy import platform_scope

    BidAttachment = apps.get_model("tenders", "BidAttachment")
    with platform_scope():
        fernets = _fernets(apps)
        for attachment in BidAttachment.objects.select_related("bid").iterator():
            plain = json.loads(fernets[attachment.bid.tender_id].decrypt(attachment.details.encode()))
            attachment.filename = plain["filename"]
            attachment.content_type = plain["content_type"]
            attachment.size = plain["size"]
            attachment.save(update_fields=["filename", "content_type", "size"])


class Migration(migrations.Migration):
    dependencies = [("tenders", "0006_criterion_questions_for_bidders")]

    operations = [
        migrations.AddField(
            model_name="bidattachment",
            name="details",
            field=models.TextField(default="", help_text="Encrypted: the file's name, content type and size"),
            preserve_default=False,
        ),
        migrations.RunPython(seal_details, unseal_details),
        migrations.RemoveField(model_name="bidattachment", name="filename"),
        migrations.RemoveField(model_name="bidattachment", name="content_type"),
        migrations.RemoveField(model_name="bidattachment", name="size"),
    ]
