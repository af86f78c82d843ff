"""Every write of the tenders app, by stage: ``drafting`` (spend and tender policy, tenders, lots,
evaluation model, specification, clauses), ``codesign``, ``publication``, ``bids`` (the provider
side) and ``opening`` (the council side after the deadline). Re-exported here so callers write
``from tenders import services; services.tender_create(...)``."""

from tenders.services.bids import *  # noqa: F403
from tenders.services.bids import __all__ as _bids
from tenders.services.codesign import *  # noqa: F403
from tenders.services.codesign import __all__ as _codesign
from tenders.services.drafting import *  # noqa: F403
from tenders.services.drafting import __all__ as _drafting
from tenders.services.opening import *  # noqa: F403
from tenders.services.opening import __all__ as _opening
from tenders.services.publication import *  # noqa: F403
from tenders.services.publication import __all__ as _publication

__all__ = [*_drafting, *_codesign, *_publication, *_bids, *_opening]
