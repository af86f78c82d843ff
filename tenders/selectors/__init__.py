"""Every read of the tenders app, always given the council (or, for a provider, the organisation),
one module per domain word like :mod:`tenders.services`. Re-exported here; a name exported by two
modules is refused (:mod:`tenders.exports`)."""

from tenders.exports import exported_names
from tenders.selectors import (
    award,
    bids,
    clarifications,
    codesign,
    evaluation,
    evaluation_model,
    market,
    moderation,
    opening,
    policy,
    prices,
    publication,
    results,
    specification,
    tender,
)
from tenders.selectors.award import *  # noqa: F403
from tenders.selectors.bids import *  # noqa: F403
from tenders.selectors.clarifications import *  # noqa: F403
from tenders.selectors.codesign import *  # noqa: F403
from tenders.selectors.evaluation import *  # noqa: F403
from tenders.selectors.evaluation_model import *  # noqa: F403
from tenders.selectors.market import *  # noqa: F403
from tenders.selectors.moderation import *  # noqa: F403
from tenders.selectors.opening import *  # noqa: F403
from tenders.selectors.policy import *  # noqa: F403
from tenders.selectors.prices import *  # noqa: F403
from tenders.selectors.publication import *  # noqa: F403
from tenders.selectors.results import *  # noqa: F403
from tenders.selectors.specification import *  # noqa: F403
from tenders.selectors.tender import *  # noqa: F403

__all__ = exported_names(
    __name__,
    policy,
    tender,
    evaluation_model,
    specification,
    codesign,
    publication,
    clarifications,
    bids,
    opening,
    evaluation,
    # stage 6 of issue 10: totals, ranking and sensitivity
    results,
    # Moderation and prices (evaluation)
    moderation,
    prices,
    # Award, standstill and contract
    award,
    # Market shaping (issue 11): the facts kept at award, bids by provider type
    market,
)
