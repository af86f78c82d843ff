"""The council's social value figures that everyone reads, kept between requests (commissioning.kept).

The public "Social value accounted for" page and its CSV sum every accepted figure of the council,
and the market dashboard sums every agreement: with 50,000 returns that is most of the page's time,
and the answer is the same for every reader until the ledger changes. So the answers are kept on
one shelf, with a version per council, renewed by every save or deletion of the council's
agreements, KPIs, returns, their figures and measure versions (:func:`connect`), and by the writes that send no
signal (``bulk_create`` of KPIs at award, the demo's returns), which call :func:`renew_on_commit`.
Nothing here is time-dependent, so an answer lives until such a write, or
:data:`commissioning.kept.Shelf.max_age` seconds at most (a change made outside the application).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.utils import timezone

from commissioning.kept import Shelf

__all__ = ["SHELF", "connect", "kept", "renew_on_commit"]

T = TypeVar("T")

SHELF = Shelf("social_value:ledger")


def kept(council_id: int, parts: tuple[object, ...], work_out: Callable[[], T]) -> T:
    """The council's answer for ``parts``, kept or worked out."""
    return SHELF.kept(parts, timezone.now(), work_out, scope=council_id)


def renew_on_commit(council_id: int) -> None:
    SHELF.renew_on_commit(council_id)


def connect() -> None:
    from social_value.models import Agreement, DeliveryReturn, MeasureVersion, ReturnFigure, SocialValueKPI

    # A measure version is frozen once published, but its proxy is read into the accounts: watched
    # too, so that a correction made in the admin is not hidden.
    for model in (Agreement, SocialValueKPI, DeliveryReturn, ReturnFigure, MeasureVersion):
        SHELF.watch(model, scope_of=lambda row: row.council_id)
    # The market dashboard names the providers awarded most: a provider's new name renews every council's.
    from commissioning.models import Organisation

    SHELF.watch(Organisation)
