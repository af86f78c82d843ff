"""Local spend policy: which value band a tender falls in, and who may bid for it. No Django here.

The rules, as a council admin sets them and as the notice and the bid page apply them:

- A council's policy is a list of **bands** of estimated contract value. A band runs from its
  lower bound (included) up to its upper bound (not included); the last band has no upper bound.
  Bands start at £0, follow one another without gaps or overlaps, and are listed in order, so every
  value of £0 or more falls in exactly one band (:func:`validate_bands` says what is wrong if not).
- A band may be **reserved for local organisations**: the organisation's registered or main
  operating postcode district must be in the council's local area.
- A band may be **reserved for** VCSE organisations and/or SMEs: the organisation must be at least
  one of the kinds listed (an empty set means any kind may bid).
- A band may say VCSE organisations and/or SMEs are **welcome**. That is only a message on the
  notice: it excludes nobody. "Reserved" excludes; "welcome" invites.

:func:`eligibility` gives the answer for one organisation with the reasons, in plain English, and
what would make it eligible: the bid page refuses a bid with these words.

For a tender, :func:`tender_rule` gives the band its estimated value falls in, with an approved
eligibility **override** (:class:`Override`) in place of the band's reservations, and the notice;
:func:`tender_eligibility` answers for one organisation under that rule. Every reader of a
tender's eligibility (the notice, the finder's "open to me", the bid pages, submission, the table
of bids) goes through these two.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from commissioning.postcodes import normalise_postcode, postcode_district

VCSE = "vcse"
SME = "sme"
KINDS = (VCSE, SME)
KIND_NAMES = {VCSE: "VCSE organisations", SME: "SMEs"}
KIND_SINGULAR = {VCSE: "a VCSE organisation", SME: "an SME"}
KIND_MEANING = {
    VCSE: "a charity, community interest company, co-operative or community group is a VCSE organisation",
    SME: "an organisation with fewer than 250 staff is an SME",
}


def money(amount: Decimal, currency: str = "GBP") -> str:
    """£5,000 or £5,000.50: pence only when there are some."""
    symbol = "£" if currency == "GBP" else f"{currency} "
    if amount == amount.to_integral_value():
        return f"{symbol}{int(amount):,}"
    return f"{symbol}{amount:,.2f}"


def _and(items: Sequence[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


@dataclass(frozen=True)
class Band:
    """One value band of a council's local spend policy.

    ``lower`` is included and ``upper`` is not: a band from £5,000 to £181,000 covers £5,000 and
    £180,999.99, and £181,000 is in the next band. ``upper=None`` means no upper limit.
    """

    lower: Decimal
    upper: Decimal | None = None
    reserved_for_local: bool = False
    reserved_for: frozenset[str] = frozenset()
    welcome: frozenset[str] = frozenset()
    label: str = ""
    currency: str = "GBP"

    def contains(self, value: Decimal) -> bool:
        return self.lower <= value and (self.upper is None or value < self.upper)

    @property
    def value_range(self) -> str:
        """The band's values in words: "Below £5,000", "£5,000 to under £181,000", "£181,000 or more"."""
        if self.upper is None:
            return f"{money(self.lower, self.currency)} or more"
        if self.lower == 0:
            return f"Below {money(self.upper, self.currency)}"
        return f"{money(self.lower, self.currency)} to under {money(self.upper, self.currency)}"

    @property
    def value_phrase(self) -> str:
        """The values inside a sentence: "less than £5,000", "£5,000 to under £181,000", "£181,000 or more"."""
        if self.upper is not None and self.lower == 0:
            return f"less than {money(self.upper, self.currency)}"
        return self.value_range

    @property
    def is_open(self) -> bool:
        return not self.reserved_for_local and not self.reserved_for

    @property
    def name(self) -> str:
        return self.label or self.value_range


@dataclass(frozen=True)
class BandProblem:
    """A problem with one band (``index`` from 0, ``field`` names the bound) or with the whole list."""

    message: str
    index: int | None = None
    field: str | None = None


def band_problems(bands: Sequence[Band], *, numbers: Sequence[int] | None = None) -> list[BandProblem]:
    """Everything wrong with a list of bands, each problem pinned to a band and a field where it can be.

    Valid bands start at 0, run in order without gaps or overlaps, and only the last has no upper
    bound; reserved and welcome kinds are VCSE and SME only. Messages call the bands "Band 1",
    "Band 2"...; ``numbers`` gives other numbers (a form that shows a removed band keeps its number).
    """
    if not bands:
        return [BandProblem("Add at least one band")]
    number = list(numbers) if numbers is not None else list(range(1, len(bands) + 1))
    problems: list[BandProblem] = []
    for index, band in enumerate(bands):
        n = number[index]
        if band.lower < 0:
            problems.append(BandProblem(f"Band {n}: the lower bound must be £0 or more", index, "lower"))
        if band.upper is not None and band.upper <= band.lower:
            problems.append(BandProblem(f"Band {n}: the upper bound must be more than the lower bound", index, "upper"))
        unknown = (band.reserved_for | band.welcome) - set(KINDS)
        if unknown:
            problems.append(BandProblem(f"Band {n}: unknown kinds of organisation {sorted(unknown)}", index))
    if bands[0].lower != 0:
        problems.append(BandProblem(f"Band {number[0]} must start at £0, so that every value has a band", 0, "lower"))
    for index in range(1, len(bands)):
        previous, band = bands[index - 1], bands[index]
        n, before = number[index], number[index - 1]
        if previous.upper is None:
            problems.append(
                BandProblem(
                    f"Band {before}: only the last band can have no upper bound; give it one, or remove band {n}",
                    index - 1,
                    "upper",
                )
            )
        elif band.lower > previous.upper:
            problems.append(
                BandProblem(
                    f"Band {n}: there is a gap between {money(previous.upper)} and {money(band.lower)}; "
                    f"start band {n} at {money(previous.upper)}, where band {before} ends",
                    index,
                    "lower",
                )
            )
        elif band.lower < previous.upper:
            problems.append(
                BandProblem(
                    f"Band {n} overlaps band {before}: start band {n} at {money(previous.upper)}, where band "
                    f"{before} ends",
                    index,
                    "lower",
                )
            )
    if bands[-1].upper is not None:
        problems.append(
            BandProblem(
                f"Band {number[-1]}: leave the last band's upper bound empty, so that every value has a band",
                len(bands) - 1,
                "upper",
            )
        )
    return problems


def validate_bands(bands: Sequence[Band]) -> list[str]:
    """What is wrong with the bands, as messages for people; empty when they are valid."""
    return [problem.message for problem in band_problems(bands)]


def reservation_problems(bands: Sequence[Band], *, ceiling: Decimal, ceiling_name: str) -> list[str]:
    """Bands that reserve contracts (for local organisations, VCSEs or SMEs) above ``ceiling``.

    The Procurement Act 2023 lets a council reserve only below-threshold contracts (section 87's
    regime); above the threshold every supplier may take part. So a reserving band must end at or
    below the threshold. ``ceiling_name`` says which threshold, for the message.
    """
    problems = []
    for number, band in enumerate(bands, start=1):
        if not (band.reserved_for_local or band.reserved_for):
            continue
        if band.upper is None or band.upper > ceiling:
            end = "has no upper limit" if band.upper is None else f"ends at {money(band.upper, band.currency)}"
            problems.append(
                f"Band {number} reserves contracts but {end}: a band that reserves contracts must end at or below "
                f"{money(ceiling, band.currency)}, the threshold for {ceiling_name}. Above it, every supplier may bid"
            )
    return problems


def band_for(value: Decimal, bands: Sequence[Band]) -> Band:
    """The band an estimated value falls in. Raises ValueError for a negative value or when none fits."""
    if value < 0:
        raise ValueError("An estimated value cannot be negative")
    for band in bands:
        if band.contains(value):
            return band
    raise ValueError(f"No band covers {money(value)}")


@dataclass(frozen=True)
class OrganisationFacts:
    """What eligibility needs to know about an organisation.

    ``postcode_districts`` are the districts of its registered and main operating postcodes; the
    postcodes themselves, when known, make the reasons more specific.
    """

    postcode_districts: frozenset[str]
    is_vcse: bool
    is_sme: bool
    registered_postcode: str = ""
    operating_postcode: str = ""
    name: str = ""

    @classmethod
    def from_postcodes(
        cls, *, registered_postcode: str, operating_postcode: str = "", is_vcse: bool, is_sme: bool, name: str = ""
    ) -> OrganisationFacts:
        postcodes = [normalise_postcode(p) for p in (registered_postcode, operating_postcode) if p]
        return cls(
            postcode_districts=frozenset(postcode_district(p) for p in postcodes),
            is_vcse=is_vcse,
            is_sme=is_sme,
            registered_postcode=normalise_postcode(registered_postcode) if registered_postcode else "",
            operating_postcode=normalise_postcode(operating_postcode) if operating_postcode else "",
            name=name,
        )

    def is_kind(self, kind: str) -> bool:
        return {VCSE: self.is_vcse, SME: self.is_sme}[kind]


@dataclass(frozen=True)
class Eligibility:
    """The answer for one organisation and one band: shown on the bid page and used to refuse a bid."""

    eligible: bool
    reasons: list[str] = field(default_factory=list)
    how_to_become_eligible: list[str] = field(default_factory=list)
    notice: str = ""


def area_name_of(council_name: str) -> str:
    """ "Knowsley Council" -> "Knowsley": the place, for "organisations based in Knowsley"."""
    name = council_name.strip()
    for suffix in (" Metropolitan Borough Council", " Borough Council", " City Council", " Council"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    for prefix in ("London Borough of ", "Royal Borough of "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _districts_text(local_area: Iterable[str]) -> str:
    return ", ".join(sorted(set(local_area), key=_district_sort_key))


def _district_sort_key(district: str) -> tuple[str, int, str]:
    # L5 before L26, and SE1 before SE15: by area letters, then district number.
    match = re.match(r"^([A-Z]+)(\d+)(.*)$", district)
    return (match.group(1), int(match.group(2)), match.group(3)) if match else (district, 0, "")


def notice(band: Band, *, local_area: Iterable[str], council_name: str) -> str:
    """The sentence on the opportunity's notice, e.g.

    "This opportunity is reserved for organisations based in Knowsley (postcode districts L26, L27).
    VCSE organisations and SMEs are welcome."
    """
    return _notice(band, frozenset(local_area), council_name)


@lru_cache(maxsize=1024)
def _notice(band: Band, local_area: frozenset[str], council_name: str) -> str:
    # A page of 50 opportunities shares a few bands: the sentence is made once per band and area.
    area = area_name_of(council_name)
    kinds = [KIND_NAMES[k] for k in KINDS if k in band.reserved_for]
    who = _and(kinds, "and") if kinds else "organisations"
    districts = _districts_text(local_area)
    if band.reserved_for_local:
        sentence = f"This opportunity is reserved for {who} based in {area}"
        sentence += f" (postcode districts {districts})." if districts else "."
    elif kinds:
        sentence = f"This opportunity is reserved for {who}."
    else:
        sentence = "Open to all organisations."
    welcome = [KIND_NAMES[k] for k in KINDS if k in band.welcome and k not in band.reserved_for]
    if welcome:
        verb = "is" if len(welcome) == 1 else "are"
        sentence += f" {_and(welcome)} {verb} welcome."
    return sentence


def _local_reason(facts: OrganisationFacts, council_name: str, districts: str) -> str:
    where = f"{council_name}'s local area ({districts})"
    if facts.registered_postcode and facts.operating_postcode:
        return (
            f"Neither your organisation's registered postcode {facts.registered_postcode} nor its operating "
            f"postcode {facts.operating_postcode} is in {where}"
        )
    if facts.registered_postcode:
        return f"Your organisation's registered postcode {facts.registered_postcode} is not in {where}"
    if facts.postcode_districts:
        return f"Your organisation's postcode district {_and(sorted(facts.postcode_districts), 'or')} is not in {where}"
    return f"Your organisation has no postcode in {where}"


def _eligible_in(band: Band, facts: OrganisationFacts, local_area: frozenset[str]) -> bool:
    local_ok = not band.reserved_for_local or bool(facts.postcode_districts & local_area)
    kind_ok = not band.reserved_for or any(facts.is_kind(k) for k in band.reserved_for)
    return local_ok and kind_ok


def eligibility(
    band: Band,
    organisation: OrganisationFacts,
    local_area: Iterable[str],
    council_name: str,
    *,
    all_bands: Sequence[Band] = (),
) -> Eligibility:
    """May this organisation bid for an opportunity in this band? With the reasons and the remedy.

    Given ``all_bands`` (the council's whole policy), the remedy also points to the bands the
    organisation could bid in as it is.
    """
    area = frozenset(local_area)
    districts = _districts_text(area)
    reasons: list[str] = []
    remedies: list[str] = []
    if band.reserved_for_local and not area:
        reasons.append(f"{council_name} has not yet said which postcode districts are its local area")
        remedies.append(f"Ask {council_name} to publish its local area.")
    elif band.reserved_for_local and not (organisation.postcode_districts & area):
        reasons.append(_local_reason(organisation, council_name, districts))
        remedies.append(
            f"Be registered in, or operate from, {council_name}'s local area (postcode districts {districts}). "
            "If your organisation already works there, add that address as its main operating postcode."
        )
    if band.reserved_for and not any(organisation.is_kind(k) for k in band.reserved_for):
        kinds = [k for k in KINDS if k in band.reserved_for]
        reasons.append(
            f"Opportunities worth {band.value_phrase} are reserved for "
            f"{_and([KIND_NAMES[k] for k in kinds], 'and')}, and your organisation is not "
            f"{_and([KIND_SINGULAR[k] for k in kinds], 'or')}"
        )
        remedies.append(
            f"Bid as {_and([KIND_SINGULAR[k] for k in kinds], 'or')}: {_and([KIND_MEANING[k] for k in kinds])}."
        )
    eligible = not reasons
    if not eligible and all_bands:
        open_to_you = [b for b in all_bands if b != band and _eligible_in(b, organisation, area)]
        if open_to_you:
            ranges = [b.value_phrase for b in open_to_you]
            remedies.append(f"As it is, your organisation can bid for opportunities worth {_and(ranges, 'or')}.")
    return Eligibility(
        eligible=eligible,
        reasons=reasons,
        how_to_become_eligible=remedies,
        notice=notice(band, local_area=area, council_name=council_name),
    )


# The notice of an opportunity when the council has set no value bands (and no override applies).
OPEN_TO_ALL = "Open to all organisations."

# Added to the notice when an officer approved eligibility other than the value band's.
OVERRIDE_NOTE = (
    "The council set this eligibility in place of its usual rule for this value band, with an officer's approval."
)


@dataclass(frozen=True)
class Override:
    """The reservations an officer approved for one tender in place of its value band's."""

    reserved_for_local: bool = False
    reserved_for: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TenderRule:
    """Who may bid for one tender: its band (``None`` when the council has no bands and no override
    applies), the sentence on its notice, and the council's other bands (for the remedy)."""

    band: Band | None
    notice: str
    other_bands: tuple[Band, ...] = ()


def tender_rule(
    estimated_value: Decimal,
    bands: Sequence[Band],
    *,
    override: Override | None,
    local_area: Iterable[str],
    council_name: str,
) -> TenderRule:
    """The rule of a tender worth ``estimated_value`` under the council's ``bands`` (those in force
    when it was published).

    An approved override replaces the band's reservations (local, VCSE, SME), keeping its values,
    and the notice says so. With no bands the opportunity is open to all, unless an override
    reserves it. The other bands are every band but the one the tender's value falls in, so the
    remedy never suggests the tender's own values. Raises ValueError as :func:`band_for` does.
    """
    area = frozenset(local_area)
    if not bands and override is None:
        return TenderRule(band=None, notice=OPEN_TO_ALL)
    base = band_for(estimated_value, bands) if bands else Band(lower=Decimal(0))
    others = tuple(b for b in bands if b != base)
    if override is None:
        return TenderRule(base, notice(base, local_area=area, council_name=council_name), others)
    band = replace(base, reserved_for_local=override.reserved_for_local, reserved_for=override.reserved_for)
    return TenderRule(band, f"{notice(band, local_area=area, council_name=council_name)} {OVERRIDE_NOTE}", others)


def may_bid(rule: TenderRule, organisation: OrganisationFacts, local_area: frozenset[str]) -> bool:
    """Whether the organisation may bid for the tender whose rule this is: the answer of
    :func:`tender_eligibility` without its reasons and remedies (the finder asks it for every
    opportunity on a page and every organisation of the person looking)."""
    return rule.band is None or _eligible_in(rule.band, organisation, local_area)


def tender_eligibility(
    rule: TenderRule, organisation: OrganisationFacts, local_area: Iterable[str], council_name: str
) -> Eligibility:
    """May this organisation bid for the tender whose rule this is? The notice is the tender's."""
    if rule.band is None:
        return Eligibility(eligible=True, notice=rule.notice)
    answer = eligibility(rule.band, organisation, local_area, council_name, all_bands=rule.other_bands)
    return replace(answer, notice=rule.notice)
