"""Figures of the market dashboard that only another app has: who bids for what (issue 11, "Market shaping").

This app imports only the core, so it cannot read tenders' bids. An app that runs competitions
(tenders; grants later) registers a :class:`BidFiguresSource` here from its ``AppConfig.ready()``;
the dashboard and the API ask every registered source for a council and a range of years. A source
counts only competitions whose submission deadline has passed (bids are sealed before it: not even
who bid may be learned), answers with database aggregates in a constant number of queries, and
reads only the council's own rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from commissioning.models import Council

__all__ = [
    "BidsInYear",
    "RepeatSingleBidder",
    "BidFigures",
    "BidFiguresSource",
    "register_bid_figures",
    "bid_figures",
    "bid_figure_sources",
]

# At most this many repeat single bidders are listed (the most repeated first).
REPEAT_SINGLE_LISTED = 10


@dataclass(frozen=True)
class BidsInYear:
    """Competitions closed in one year and the bids they received, by provider type (as OCDS's bid
    statistics count them: ``bids``, ``smeBids``, and the local, VCSE and large counts the council asks for)."""

    year: int
    competitions: int
    bids: int
    local_bids: int
    vcse_bids: int
    sme_bids: int
    large_bids: int
    single_bid_competitions: int
    no_bid_competitions: int

    @property
    def non_local_bids(self) -> int:
        return self.bids - self.local_bids

    @property
    def bids_per_competition(self) -> float:
        return self.bids / self.competitions if self.competitions else 0.0


@dataclass(frozen=True)
class RepeatSingleBidder:
    """A provider that was the only bidder for two or more of the council's competitions in the years."""

    organisation: str
    competitions: int


@dataclass(frozen=True)
class BidFigures:
    """One source's answer: ``noun`` names its competitions ("tenders"), for the page's words."""

    key: str
    title: str
    noun: str
    years: list[BidsInYear] = field(default_factory=list)
    repeat_single_bidders: list[RepeatSingleBidder] = field(default_factory=list)


@dataclass(frozen=True)
class BidFiguresSource:
    """``figures(council, first_year, last_year, now)``: the source's figures for those calendar years."""

    key: str
    figures: Callable[[Council, int, int, datetime], BidFigures]
    position: int = 100


_sources: dict[str, BidFiguresSource] = {}


def register_bid_figures(source: BidFiguresSource) -> BidFiguresSource:
    """Register a source (idempotent by key)."""
    _sources[source.key] = source
    return source


def bid_figure_sources() -> list[BidFiguresSource]:
    return sorted(_sources.values(), key=lambda s: (s.position, s.key))


def bid_figures(*, council: Council, first_year: int, last_year: int, now: datetime) -> list[BidFigures]:
    """Every registered source's figures for the council, in order."""
    return [source.figures(council, first_year, last_year, now) for source in bid_figure_sources()]
