"""Every read of the tenders app, always given the council (or, for a provider, the organisation),
by stage like :mod:`tenders.services`. Re-exported here."""

from tenders.selectors.drafting import *  # noqa: F403
from tenders.selectors.drafting import __all__ as _drafting

__all__ = [*_drafting]
