"""Every write of the core app, by domain word: ``services.councils`` (councils, memberships,
invitations, organisations), ``services.commissions`` (commissions, the outcomes framework, the
options appraisal), ``services.accounts`` (a person's API tokens), and later modules beside them.
Re-exported here so callers write
``from commissioning import services; services.invitation_create(...)``."""

from commissioning.services.accounts import *  # noqa: F403
from commissioning.services.accounts import __all__ as _accounts
from commissioning.services.commissions import *  # noqa: F403
from commissioning.services.commissions import __all__ as _commissions
from commissioning.services.councils import *  # noqa: F403
from commissioning.services.councils import __all__ as _councils

__all__ = [*_councils, *_commissions, *_accounts]
