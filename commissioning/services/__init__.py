"""Every write of the core app, by domain word: ``services.councils`` (councils, memberships,
invitations, organisations), and later modules beside it. Re-exported here so callers write
``from commissioning import services; services.invitation_create(...)``."""

from commissioning.services.councils import *  # noqa: F403
from commissioning.services.councils import __all__ as _councils

__all__ = [*_councils]
