"""Re-encrypt every authenticator's secrets with the first of COMMISSIONING_MFA_KEYS (after adding a new key)."""

from django.core.management.base import BaseCommand

from commissioning.mfa import reencrypt_all


class Command(BaseCommand):
    help = "Re-encrypt every TOTP secret and recovery-code seed with the first key of COMMISSIONING_MFA_KEYS."

    def handle(self, *args: object, **options: object) -> None:
        count = reencrypt_all()
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {count} authenticator{'s' if count != 1 else ''}."))
