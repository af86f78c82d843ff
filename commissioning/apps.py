from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Councils, people and audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from commissioning import database, signals  # noqa: F401

        # After every migrate, every council-owned table gets its row-level security policy, so
        # models added by later apps are covered without anyone remembering to do it.
        post_migrate.connect(database.install_database_walls, dispatch_uid="commissioning_database_walls")
