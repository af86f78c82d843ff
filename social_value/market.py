"""The arithmetic of the market-shaping dashboard (issue 11, "Market shaping"). No Django here.

A council that shapes its market asks where its money goes: how much of the value it awards goes
to local providers, to voluntary, community and social enterprise (VCSE) organisations, to SMEs
and to large providers, to providers whose profits are locked in for the community; how much of
the value of the bands its local spend policy reserves for local providers was in fact awarded
locally; how concentrated its spend is; and what signals **extractive** supply (value going to
large, non-local or private-equity-backed providers).

Concentration is measured as competition authorities do:

- the **top-five share**: the share of the value awarded to the five providers awarded most;
- the **Herfindahl–Hirschman index** (HHI): the sum of the squares of every provider's share in
  percent, from 10,000 ÷ n for n providers with equal shares up to 10,000 for one provider.
  The UK's Competition and Markets Authority (CMA) reads a market below 1,500 as unconcentrated,
  1,500 to 2,500 as moderately concentrated, and above 2,500 as highly concentrated
  (:func:`concentration_reading`).

Shares are exact fractions (:class:`~fractions.Fraction`, never floating point) so they add up to
exactly 1; :func:`percent` rounds one for a page. The database sums the values (the dashboard's
selector); these functions only divide and compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = [
    "TOP",
    "UNCONCENTRATED_BELOW",
    "HIGHLY_CONCENTRATED_ABOVE",
    "Concentration",
    "ConcentrationReading",
    "TypeTotals",
    "TypeShares",
    "BandTotals",
    "ExtractiveSignals",
    "share",
    "shares",
    "hhi",
    "hhi_from_sums",
    "top_share",
    "concentration",
    "concentration_from_sums",
    "concentration_reading",
    "type_shares",
    "reserved_local_share",
    "extractive_signals",
    "percent",
]

Number = int | Decimal | Fraction

# The number of largest providers whose combined share is reported.
TOP = 5
# The CMA's thresholds of the HHI (Merger Assessment Guidelines, CMA129, 2021).
UNCONCENTRATED_BELOW = 1500
HIGHLY_CONCENTRATED_ABOVE = 2500
_FULL = 10_000


def _fraction(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def share(part: Number, whole: Number) -> Fraction:
    """``part`` as a share of ``whole``, 0 when there is nothing to share."""
    whole_f = _fraction(whole)
    return _fraction(part) / whole_f if whole_f > 0 else Fraction(0)


def shares(values: Iterable[Number]) -> list[Fraction]:
    """Each value's share of their total, in the same order; they add up to exactly 1 (none when the total is 0)."""
    numbers = [_fraction(v) for v in values]
    total = sum(numbers, Fraction(0))
    return [share(v, total) for v in numbers]


def hhi(values: Iterable[Number]) -> Fraction:
    """The Herfindahl–Hirschman index of providers awarded ``values``: the sum of their squared shares
    in percent, 0 to 10,000 (0 only when nothing was awarded). Providers awarded nothing add nothing."""
    return sum(((100 * s) ** 2 for s in shares(values)), Fraction(0))


def hhi_from_sums(*, sum_of_squares: Number, total: Number) -> Fraction:
    """The same index from what the database sums: Σ valueᵢ² and Σ valueᵢ over providers."""
    total_f = _fraction(total)
    if total_f <= 0:
        return Fraction(0)
    return _FULL * _fraction(sum_of_squares) / (total_f * total_f)


def top_share(values: Iterable[Number], top: int = TOP) -> Fraction:
    """The share of the total awarded to the ``top`` providers awarded most."""
    numbers = sorted((_fraction(v) for v in values), reverse=True)
    return share(sum(numbers[:top], Fraction(0)), sum(numbers, Fraction(0)))


@dataclass(frozen=True)
class ConcentrationReading:
    level: str  # "none", "unconcentrated", "moderate" or "high"
    words: str

    @property
    def label(self) -> str:
        return _LABELS[self.level]


_LABELS = {
    "none": "Nothing awarded",
    "unconcentrated": "Unconcentrated",
    "moderate": "Moderately concentrated",
    "high": "Highly concentrated",
}


def concentration_reading(index: Number, *, providers: int | None = None) -> ConcentrationReading:
    """The HHI in plain English, on the CMA's thresholds."""
    value = _fraction(index)
    if providers == 0 or value == 0:
        return ConcentrationReading("none", "Nothing was awarded, so there is no concentration to measure.")
    if value < UNCONCENTRATED_BELOW:
        return ConcentrationReading(
            "unconcentrated",
            "Unconcentrated (below 1,500): the council's spend is spread across many providers.",
        )
    if value <= HIGHLY_CONCENTRATED_ABOVE:
        return ConcentrationReading(
            "moderate",
            "Moderately concentrated (1,500 to 2,500): a few providers receive much of the council's spend.",
        )
    return ConcentrationReading(
        "high",
        "Highly concentrated (above 2,500): one or very few providers receive most of the council's spend.",
    )


@dataclass(frozen=True)
class Concentration:
    providers: int
    top_share: Fraction
    hhi: Fraction

    @property
    def reading(self) -> ConcentrationReading:
        return concentration_reading(self.hhi, providers=self.providers)

    @property
    def hhi_rounded(self) -> int:
        return round(self.hhi)


def concentration(values: Sequence[Number], top: int = TOP) -> Concentration:
    """Top-``top`` share and HHI of the providers awarded ``values`` (one value per provider)."""
    awarded = [v for v in values if _fraction(v) > 0]
    return Concentration(providers=len(awarded), top_share=top_share(awarded, top), hhi=hhi(awarded))


def concentration_from_sums(
    *, providers: int, total: Number, sum_of_squares: Number, top_total: Number
) -> Concentration:
    """The same from the database's sums over providers: their number, Σ valueᵢ, Σ valueᵢ² and the top ones' sum."""
    return Concentration(
        providers=providers,
        top_share=share(top_total, total),
        hhi=hhi_from_sums(sum_of_squares=sum_of_squares, total=total),
    )


@dataclass(frozen=True)
class TypeTotals:
    """Value awarded in a period, in all and to each provider type (types overlap: a local VCSE counts in both)."""

    value: Decimal
    agreements: int = 0
    local: Decimal = Decimal(0)
    vcse: Decimal = Decimal(0)
    sme: Decimal = Decimal(0)
    asset_locked: Decimal = Decimal(0)
    private_equity: Decimal = Decimal(0)

    @property
    def large(self) -> Decimal:
        return self.value - self.sme

    @property
    def non_local(self) -> Decimal:
        return self.value - self.local


@dataclass(frozen=True)
class TypeShares:
    local: Fraction
    non_local: Fraction
    vcse: Fraction
    sme: Fraction
    large: Fraction
    asset_locked: Fraction
    not_asset_locked: Fraction
    private_equity: Fraction


def type_shares(totals: TypeTotals) -> TypeShares:
    """Each provider type's share of the value awarded; each pair (local and not, SME and large,
    asset-locked and not) adds up to 1 when anything was awarded."""
    v = totals.value
    return TypeShares(
        local=share(totals.local, v),
        non_local=share(totals.non_local, v),
        vcse=share(totals.vcse, v),
        sme=share(totals.sme, v),
        large=share(totals.large, v),
        asset_locked=share(totals.asset_locked, v),
        not_asset_locked=share(v - totals.asset_locked, v),
        private_equity=share(totals.private_equity, v),
    )


@dataclass(frozen=True)
class BandTotals:
    """Value awarded in one spend policy band: in all and to local providers."""

    label: str
    reserved_for_local: bool
    value: Decimal
    local: Decimal = Decimal(0)
    agreements: int = 0

    @property
    def local_share(self) -> Fraction:
        return share(self.local, self.value)


def reserved_local_share(bands: Iterable[BandTotals]) -> Fraction | None:
    """The share of the value of the bands reserved for local providers that was awarded to local
    providers; None when nothing was awarded in a reserved band. Below 1 means local reservations
    were waived (an approved override) or providers were judged local by an address that later changed."""
    reserved = [b for b in bands if b.reserved_for_local]
    value = sum((b.value for b in reserved), Decimal(0))
    if value <= 0:
        return None
    return share(sum((b.local for b in reserved), Decimal(0)), value)


@dataclass(frozen=True)
class ExtractiveSignals:
    """Shares of the value going where wealth tends to leave the area: large providers, providers
    outside the local area, and providers backed by private equity."""

    large: Fraction
    non_local: Fraction
    private_equity: Fraction


def extractive_signals(totals: TypeTotals) -> ExtractiveSignals:
    s = type_shares(totals)
    return ExtractiveSignals(large=s.large, non_local=s.non_local, private_equity=s.private_equity)


def percent(value: Fraction | None, places: int = 1) -> Decimal | None:
    """A share as a percentage rounded half up to ``places`` (12.5 for 1/8), None stays None."""
    if value is None:
        return None
    exact = Decimal(value.numerator * 100) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
