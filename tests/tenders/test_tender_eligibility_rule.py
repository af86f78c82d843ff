"""A tender's eligibility, with an approved override: the one pure rule (tenders/eligibility.py
``tender_rule`` and ``tender_eligibility``) behind the notice, the finder, the bid pages, submission
and the table of bids."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tenders.eligibility import (
    OPEN_TO_ALL,
    OVERRIDE_NOTE,
    SME,
    Band,
    Override,
    band_for,
    eligibility,
    may_bid,
    notice,
    tender_eligibility,
    tender_rule,
)
from tests.tenders.test_eligibility import (
    INNOVATE,
    KNOWSLEY,
    KNOWSLEY_AREA,
    NATIONWIDE,
    facts,
    kinds,
    money,
    valid_bands,
)

D = Decimal
overrides = st.builds(Override, reserved_for_local=st.booleans(), reserved_for=kinds)
AREA, NAME = KNOWSLEY_AREA, "Knowsley Council"


@given(valid_bands(), money, facts)
def test_without_an_override_the_tender_follows_its_value_band(bands: list[Band], value: Decimal, organisation) -> None:
    rule = tender_rule(value, bands, override=None, local_area=AREA, council_name=NAME)
    band = band_for(value, bands)
    assert rule.band == band
    assert rule.notice == notice(band, local_area=AREA, council_name=NAME)
    assert band not in rule.other_bands and len(rule.other_bands) == len(bands) - 1
    expected = eligibility(band, organisation, AREA, NAME, all_bands=bands)
    assert tender_eligibility(rule, organisation, AREA, NAME) == expected


@given(st.lists(valid_bands(), max_size=1).map(lambda found: found[0] if found else []), money, overrides, facts)
def test_an_override_replaces_the_reservations_keeps_the_values_and_says_so(
    bands: list[Band], value: Decimal, override: Override, organisation
) -> None:
    rule = tender_rule(value, bands, override=override, local_area=AREA, council_name=NAME)
    assert rule.band is not None
    assert rule.band.reserved_for_local == override.reserved_for_local
    assert rule.band.reserved_for == override.reserved_for
    assert rule.band.contains(value)
    assert rule.notice.endswith(f" {OVERRIDE_NOTE}")
    answer = tender_eligibility(rule, organisation, AREA, NAME)
    assert answer.notice == rule.notice
    local_ok = not override.reserved_for_local or bool(organisation.postcode_districts & set(AREA))
    kind_ok = not override.reserved_for or any(organisation.is_kind(k) for k in override.reserved_for)
    assert answer.eligible == (local_ok and kind_ok)
    # The remedy never points to the tender's own values, whatever the override says.
    if bands:
        own = band_for(value, bands)
        assert own not in rule.other_bands
        assert not any(own.value_phrase in remedy for remedy in answer.how_to_become_eligible if "As it is" in remedy)


@given(facts)
def test_without_bands_or_override_everyone_may_bid(organisation) -> None:
    rule = tender_rule(D(60000), [], override=None, local_area=AREA, council_name=NAME)
    assert rule.band is None and rule.notice == OPEN_TO_ALL
    answer = tender_eligibility(rule, organisation, AREA, NAME)
    assert answer.eligible and answer.notice == OPEN_TO_ALL and not answer.reasons


def test_an_override_applies_even_where_the_council_has_no_bands() -> None:
    rule = tender_rule(D(60000), [], override=Override(reserved_for_local=True), local_area=AREA, council_name=NAME)
    assert rule.notice.startswith("This opportunity is reserved for organisations based in Knowsley")
    assert not tender_eligibility(rule, NATIONWIDE, AREA, NAME).eligible
    assert tender_eligibility(rule, INNOVATE, AREA, NAME).eligible


def test_knowsleys_60000_tender_reserved_for_smes_instead_of_local_organisations() -> None:
    rule = tender_rule(
        D(60000), KNOWSLEY, override=Override(reserved_for=frozenset({SME})), local_area=AREA, council_name=NAME
    )
    assert rule.notice.startswith("This opportunity is reserved for SMEs.")
    assert rule.other_bands == (KNOWSLEY[0], KNOWSLEY[2])
    assert not tender_eligibility(rule, NATIONWIDE, AREA, NAME).eligible  # a large company
    answer = tender_eligibility(rule, NATIONWIDE, AREA, NAME)
    assert answer.how_to_become_eligible[-1] == (
        "As it is, your organisation can bid for opportunities worth £181,000 or more."
    )


@given(
    st.lists(valid_bands(), max_size=1).map(lambda found: found[0] if found else []),
    money,
    st.one_of(st.none(), overrides),
    facts,
    st.sampled_from([AREA, frozenset()]),
)
def test_may_bid_answers_as_the_full_eligibility_does(
    bands: list[Band], value: Decimal, override: Override | None, organisation, area
) -> None:
    # The finder asks only may_bid (no reasons): it must never disagree with what the bid page says.
    rule = tender_rule(value, bands, override=override, local_area=area, council_name=NAME)
    assert may_bid(rule, organisation, frozenset(area)) == tender_eligibility(rule, organisation, area, NAME).eligible
