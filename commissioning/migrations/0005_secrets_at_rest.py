"""Secrets at rest: API tokens only as hashes, TOTP secrets encrypted.

- DRF's own tokens (``authtoken_token``) were stored in plain text. They are revoked: the table is
  dropped (knox's hashed tokens replace it) and people create a new token on their API token page.
- Every authenticator's secrets (TOTP keys, recovery-code seeds) are encrypted with
  ``COMMISSIONING_MFA_KEYS`` (see ``commissioning.mfa``); authenticator apps keep working.
"""

from django.db import migrations


def encrypt_authenticators(apps, schema_editor):
    from commissioning.mfa import reencrypt_data

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all():
        data = reencrypt_data(authenticator.type, authenticator.data, encrypt_plain=True)
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def decrypt_authenticators(apps, schema_editor):
    from commissioning.mfa import SECRET_FIELDS, SECRET_LIST_FIELDS, decrypt_secret, is_encrypted

    def plain(value):
        return decrypt_secret(value) if is_encrypted(value) else value

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.all():
        data = dict(authenticator.data)
        for name in SECRET_FIELDS.get(authenticator.type, ()):
            if isinstance(data.get(name), str):
                data[name] = plain(data[name])
        for name in SECRET_LIST_FIELDS.get(authenticator.type, ()):
            if isinstance(data.get(name), list):
                data[name] = [plain(value) for value in data[name]]
        Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0004_audit_chain_key_id"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunSQL(
            [
                "DROP TABLE IF EXISTS authtoken_token",
                "DELETE FROM django_migrations WHERE app = 'authtoken'",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RunPython(encrypt_authenticators, decrypt_authenticators),
    ]
