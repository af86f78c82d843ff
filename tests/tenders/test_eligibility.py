"""Bands and eligibility: the pure rules of the local spend policy (tenders/eligibility.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenders.eligibility import (
    SME,
    VCSE,
    Band,
    OrganisationFacts,
    band_for,
    band_problems,
    eligibility,
    notice,
    reservation_problems,
    validate_bands,
)

D = Decimal
KNOWSLEY_AREA = ["L26", "L27", "L28", "L32", "L33", "L34", "L35", "L36"]
KNOWSLEY = [
    Band(D(0), D(5000), reserved_for_local=True, label="Low value"),
    Band(D(5000), D(181000), reserved_for_local=True, welcome=frozenset({VCSE, SME}), label="Intermediate value"),
    Band(D(181000), label="Higher value"),
]
INNOVATE = OrganisationFacts.from_postcodes(registered_postcode="L36 9UJ", is_vcse=True, is_sme=True)
MERSEYSIDE_DIGITAL = OrganisationFacts.from_postcodes(registered_postcode="L2 2HF", is_vcse=False, is_sme=True)
NATIONWIDE = OrganisationFacts.from_postcodes(registered_postcode="EC2N 4AG", is_vcse=False, is_sme=False)

# --- Strategies --------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
kinds = st.frozensets(st.sampled_from([VCSE, SME]))


@st.composite
def valid_bands(draw: st.DrawFn) -> list[Band]:
    """Contiguous bands from £0, the last open-ended: what a council admin may save."""
    cuts = sorted(draw(st.sets(st.integers(min_value=1, max_value=1_000_000_00), max_size=5)))
    bounds = [D(0)] + [D(c) / 100 for c in cuts]
    uppers = [*bounds[1:], None]
    return [
        Band(
            lower,
            upper,
            reserved_for_local=draw(st.booleans()),
            reserved_for=draw(kinds),
            welcome=draw(kinds),
        )
        for lower, upper in zip(bounds, uppers, strict=True)
    ]


districts = st.sampled_from(["L2", "L26", "L36", "SE15", "EC2N", "M1"])
facts = st.builds(
    OrganisationFacts,
    postcode_districts=st.frozensets(districts, max_size=2),
    is_vcse=st.booleans(),
    is_sme=st.booleans(),
)


# --- Properties --------------------------------------------------------------------------------


@given(valid_bands(), money)
def test_valid_bands_put_every_value_in_exactly_one_band(bands: list[Band], value: Decimal) -> None:
    assert validate_bands(bands) == []
    containing = [b for b in bands if b.contains(value)]
    assert len(containing) == 1
    assert band_for(value, bands) is containing[0]


@given(valid_bands(), st.data())
def test_a_band_starts_at_its_lower_bound_and_ends_just_before_its_upper(
    bands: list[Band], data: st.DataObject
) -> None:
    band = data.draw(st.sampled_from(bands))
    assert band_for(band.lower, bands) is band
    if band.upper is not None:
        assert band_for(band.upper, bands) is not band
        assert band_for(band.upper - D("0.01"), bands) is band


@given(valid_bands(), st.data())
def test_moving_a_boundary_makes_a_gap_or_an_overlap_that_is_reported(bands: list[Band], data: st.DataObject) -> None:
    if len(bands) < 2:
        return
    index = data.draw(st.integers(min_value=1, max_value=len(bands) - 1))
    shift = data.draw(st.sampled_from([D("-0.01"), D("0.01"), D(1), D(-1)]))
    moved = list(bands)
    moved[index] = Band(bands[index].lower + shift, bands[index].upper)
    problems = band_problems(moved)
    assert problems
    assert any(p.index in (index, index - 1) for p in problems)


@given(valid_bands(), facts)
def test_eligibility_follows_the_rules_of_the_band(bands: list[Band], organisation: OrganisationFacts) -> None:
    area = ["L26", "L36"]
    for band in bands:
        answer = eligibility(band, organisation, area, "Knowsley Council", all_bands=bands)
        local = bool(organisation.postcode_districts & set(area))
        right_kind = not band.reserved_for or any(organisation.is_kind(k) for k in band.reserved_for)
        assert answer.eligible == ((local or not band.reserved_for_local) and right_kind)
        # A refusal always says why and what would help; an acceptance has nothing to explain.
        assert bool(answer.reasons) == (not answer.eligible)
        assert bool(answer.how_to_become_eligible) == (not answer.eligible)
        # "Welcome" never decides anything.
        unwelcoming = Band(band.lower, band.upper, band.reserved_for_local, band.reserved_for, frozenset())
        assert eligibility(unwelcoming, organisation, area, "Knowsley Council").eligible == answer.eligible


@given(valid_bands())
def test_an_open_band_takes_everyone(bands: list[Band]) -> None:
    for band in bands:
        if band.is_open:
            assert eligibility(band, NATIONWIDE, KNOWSLEY_AREA, "Knowsley Council").eligible


# --- Examples ----------------------------------------------------------------------------------


def test_knowsleys_bands() -> None:
    assert band_for(D(0), KNOWSLEY).label == "Low value"
    assert band_for(D("4999.99"), KNOWSLEY).label == "Low value"
    assert band_for(D(5000), KNOWSLEY).label == "Intermediate value"
    assert band_for(D(180999), KNOWSLEY).label == "Intermediate value"
    assert band_for(D(181000), KNOWSLEY).label == "Higher value"
    with pytest.raises(ValueError, match="negative"):
        band_for(D(-1), KNOWSLEY)


def test_the_notices() -> None:
    low, middle, high = (notice(b, local_area=KNOWSLEY_AREA, council_name="Knowsley Council") for b in KNOWSLEY)
    assert low == (
        "This opportunity is reserved for organisations based in Knowsley "
        "(postcode districts L26, L27, L28, L32, L33, L34, L35, L36)."
    )
    assert middle.endswith("VCSE organisations and SMEs are welcome.")
    assert high == "Open to all organisations."
    vcse_only = Band(D(0), None, reserved_for=frozenset({VCSE}))
    assert notice(vcse_only, local_area=[], council_name="Knowsley Council") == (
        "This opportunity is reserved for VCSE organisations."
    )


def test_a_local_cic_may_bid_for_the_community_navigation_service() -> None:
    answer = eligibility(band_for(D(150000), KNOWSLEY), INNOVATE, KNOWSLEY_AREA, "Knowsley Council")
    assert answer.eligible and answer.reasons == []


def test_a_liverpool_company_is_told_why_not_and_what_would_help() -> None:
    answer = eligibility(
        band_for(D(150000), KNOWSLEY), MERSEYSIDE_DIGITAL, KNOWSLEY_AREA, "Knowsley Council", all_bands=KNOWSLEY
    )
    assert not answer.eligible
    assert answer.reasons == [
        "Your organisation's registered postcode L2 2HF is not in Knowsley Council's local area "
        "(L26, L27, L28, L32, L33, L34, L35, L36)"
    ]
    assert "operate from" in answer.how_to_become_eligible[0]
    assert answer.how_to_become_eligible[-1] == (
        "As it is, your organisation can bid for opportunities worth £181,000 or more."
    )


def test_an_operating_address_in_the_area_makes_an_organisation_local() -> None:
    branch = OrganisationFacts.from_postcodes(
        registered_postcode="L2 2HF", operating_postcode="L36 9YU", is_vcse=False, is_sme=True
    )
    assert eligibility(KNOWSLEY[0], branch, KNOWSLEY_AREA, "Knowsley Council").eligible


def test_a_band_reserved_for_vcse_refuses_a_large_company_with_the_reason() -> None:
    band = Band(D(0), None, reserved_for=frozenset({VCSE, SME}))
    answer = eligibility(band, NATIONWIDE, KNOWSLEY_AREA, "Knowsley Council")
    assert answer.reasons == [
        "Opportunities worth £0 or more are reserved for VCSE organisations and SMEs, and your organisation "
        "is not a VCSE organisation or an SME"
    ]
    assert answer.how_to_become_eligible[0].startswith("Bid as a VCSE organisation or an SME")


def test_without_a_local_area_nobody_is_local_and_the_reason_says_so() -> None:
    answer = eligibility(KNOWSLEY[0], INNOVATE, [], "Knowsley Council")
    assert not answer.eligible
    assert answer.reasons == ["Knowsley Council has not yet said which postcode districts are its local area"]


def test_band_problems_name_the_band_and_the_field() -> None:
    problems = band_problems([Band(D(0), D(5000)), Band(D(4000), D(10000)), Band(D(12000), D(20000))])
    assert [(p.index, p.field) for p in problems] == [(1, "lower"), (2, "lower"), (2, "upper")]
    assert problems[0].message == "Band 2 overlaps band 1: start band 2 at £5,000, where band 1 ends"
    assert problems[1].message.startswith("Band 3: there is a gap between £10,000 and £12,000")
    assert validate_bands([]) == ["Add at least one band"]
    assert validate_bands([Band(D(100), None)]) == ["Band 1 must start at £0, so that every value has a band"]
    assert band_problems([Band(D(0), None), Band(D(10), None)], numbers=[1, 3])[0].message.startswith(
        "Band 1: only the last band can have no upper bound; give it one, or remove band 3"
    )


@given(valid_bands(), money)
def test_only_reserving_bands_that_reach_above_the_threshold_are_reported(bands: list[Band], ceiling: Decimal) -> None:
    problems = reservation_problems(bands, ceiling=ceiling, ceiling_name="council contracts")
    reported = {int(p.split()[1]) for p in problems}
    expected = {
        n
        for n, band in enumerate(bands, start=1)
        if (band.reserved_for_local or band.reserved_for) and (band.upper is None or band.upper > ceiling)
    }
    assert reported == expected


def test_a_local_band_above_the_threshold_is_explained() -> None:
    bands = [Band(D(0), D(250000), reserved_for_local=True), Band(D(250000))]
    assert reservation_problems(bands, ceiling=D(207720), ceiling_name="council contracts") == [
        "Band 1 reserves contracts but ends at £250,000: a band that reserves contracts must end at or below "
        "£207,720, the threshold for council contracts. Above it, every supplier may bid"
    ]
    assert reservation_problems(KNOWSLEY, ceiling=D(207720), ceiling_name="council contracts") == []
