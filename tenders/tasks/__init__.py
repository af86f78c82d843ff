"""Background tasks of the tenders app, by stage (Celery's autodiscovery imports this package)."""

from tenders.tasks import bids, codesign, opening, publication

__all__ = ["bids", "codesign", "opening", "publication"]
