"""Every write of the tenders app, one module per domain word: ``policy`` (the local spend policy and
the tender policy), ``tender`` (a tender, its lots and timetable), ``evaluation_model`` (criteria and
weights), ``specification`` (sections, versions and the clause library), ``codesign``,
``publication``, ``clarifications``, ``bids`` (the provider side) and ``opening`` (the council side
after the deadline) and ``evaluation`` (evaluators, conflicts, individual scores).
Re-exported here so callers write ``from tenders import services;
services.tender_create(...)``; a name exported by two modules is refused (:mod:`tenders.exports`)."""

from tenders.exports import exported_names
from tenders.services import (
    award,
    bids,
    clarifications,
    codesign,
    evaluation,
    evaluation_model,
    moderation,
    opening,
    policy,
    prices,
    publication,
    specification,
    tender,
)
from tenders.services.award import *  # noqa: F403
from tenders.services.bids import *  # noqa: F403
from tenders.services.clarifications import *  # noqa: F403
from tenders.services.codesign import *  # noqa: F403
from tenders.services.evaluation import *  # noqa: F403
from tenders.services.evaluation_model import *  # noqa: F403
from tenders.services.moderation import *  # noqa: F403
from tenders.services.opening import *  # noqa: F403
from tenders.services.policy import *  # noqa: F403
from tenders.services.prices import *  # noqa: F403
from tenders.services.publication import *  # noqa: F403
from tenders.services.specification import *  # noqa: F403
from tenders.services.tender import *  # noqa: F403

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
    # Moderation and prices (evaluation)
    moderation,
    prices,
    award,
)
