"""Every read of the tenders app, always given the council (or, for a provider, the organisation),
by stage like :mod:`tenders.services`. Re-exported here."""

from tenders.selectors.bids import *  # noqa: F403
from tenders.selectors.bids import __all__ as _bids
from tenders.selectors.codesign import *  # noqa: F403
from tenders.selectors.codesign import __all__ as _codesign
from tenders.selectors.drafting import *  # noqa: F403
from tenders.selectors.drafting import __all__ as _drafting
from tenders.selectors.opening import *  # noqa: F403
from tenders.selectors.opening import __all__ as _opening
from tenders.selectors.publication import *  # noqa: F403
from tenders.selectors.publication import __all__ as _publication

__all__ = [*_drafting, *_codesign, *_publication, *_bids, *_opening]
