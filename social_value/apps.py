from django.apps import AppConfig


class SocialValueConfig(AppConfig):
    name = "social_value"
    verbose_name = "Social value"

    def ready(self) -> None:
        from social_value import extensions, kept

        # Permissions, audit words, the demo and the URLs (commissioning.extensions).
        extensions.register()
        # Renew the kept accounts and market figures on every write to the ledger (social_value.kept).
        kept.connect()
