"""``migrate`` as the tables' owner, so the application's own role never owns them.

With ``MIGRATION_DATABASE_URL`` set (PostgreSQL), migrations, the post-migrate walls (row-level
security, the audit and bid-deadline triggers) and the grants run as the owner; the application
then connects as ``DATABASE_URL``'s role, which owns nothing and so cannot switch the walls off.
Without it, this is Django's own ``migrate``.
"""

from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrateCommand

from commissioning.database import database_owner


class Command(DjangoMigrateCommand):
    help = DjangoMigrateCommand.help + " Runs as MIGRATION_DATABASE_URL's role (the owner) when set."

    def handle(self, *args: Any, **options: Any) -> None:
        with database_owner(options["database"]):
            super().handle(*args, **options)
