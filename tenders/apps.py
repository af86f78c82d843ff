from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TendersConfig(AppConfig):
    name = "tenders"
    verbose_name = "Tenders, specifications and bids"

    def ready(self) -> None:
        from tenders import database, extensions, kept, public_cache, sealing, work_queues

        # The core's audit readers and admin ask these hooks whether a bid's seal is open.
        sealing.register_hooks()

        # On PostgreSQL, refuse a bid submission whose transaction commits after the deadline.
        post_migrate.connect(database.install_bid_deadline_trigger, dispatch_uid="tenders_bid_deadline_trigger")
        # Writes to what the public reads are made of renew the public tenders cache.
        public_cache.connect()
        # Writes to what a tender's results and a council's bid figures are read from renew them (tenders.kept).
        kept.connect()
        # The council dashboard's work queues for officers and commissioners (commissioning.extensions).
        work_queues.register()
        # Permissions, audit words, dashboard panels, the portal's opportunities, a commission's
        # tenders, the demo and the URLs (commissioning.extensions).
        extensions.register()
