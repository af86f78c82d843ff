"""Every write of the tenders app, by stage: ``drafting`` (spend and tender policy, tenders, lots,
evaluation model, specification, clauses), ``codesign``, ``publication``, ``bids``. Re-exported
here so callers write ``from tenders import services; services.tender_create(...)``."""

from tenders.services.drafting import *  # noqa: F403
from tenders.services.drafting import __all__ as _drafting

__all__ = [*_drafting]
