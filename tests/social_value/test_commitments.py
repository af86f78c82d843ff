"""social_value.commitments (pure): a bid's commitments as a table, totals per measure that never mix
units, and indicative proxy values (quantity × £ per unit) that add up exactly, whatever the order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from social_value.commitments import MeasureFacts, commitment_table, quantity_of, totals

FACTS = {
    1: MeasureFacts("Local jobs", "jobs", "Jobs", "More local jobs", Decimal("1200.50"), "Council study", 2025),
    2: MeasureFacts("Volunteering", "hours", "Communities", "Stronger communities", Decimal("17.25"), "ONS", 2024),
    3: MeasureFacts("Training", "hours", "Skills", "Better skills"),  # no proxy value
}


def test_framework_rows_take_the_measure_and_unit_from_the_framework_and_old_rows_are_other() -> None:
    table = commitment_table(
        [
            {"measure_version": 1, "measure": "typed over", "unit": "typed", "quantity": "3", "by": "2027-03-31"},
            {"measure": "Trees planted", "quantity": "40", "unit": "trees", "by": "2027-06-30"},  # an old draft
            {"measure_version": "999", "measure": "Unknown", "unit": "things", "quantity": "1", "local": True},
        ],
        FACTS,
    )
    first, old, unknown = table.rows
    assert (first.measure, first.unit, first.theme, first.other, first.local) == (
        "Local jobs",
        "jobs",
        "Jobs",
        False,
        None,
    )
    assert (old.measure, old.unit, old.other) == ("Trees planted", "trees", True)
    assert (unknown.measure, unknown.other, unknown.local) == ("Unknown", True, True)
    assert first.proxy == Decimal("3601.50") and table.proxy_total == Decimal("3601.50")
    assert table.proxy_sources == ("Council study (2025)",)
    assert table.any_other


def test_the_same_measure_is_totalled_but_different_units_never_are() -> None:
    table = commitment_table(
        [
            {"measure_version": 2, "quantity": "10"},
            {"measure_version": 2, "quantity": "5.5"},
            {"measure": "Mentoring", "unit": "hours", "quantity": "4"},
            {"measure": " mentoring ", "unit": "Hours", "quantity": "6"},
            {"measure": "Mentoring", "unit": "people", "quantity": "2"},
            {"measure_version": 3, "quantity": "several"},
        ],
        FACTS,
    )
    found = {(t.measure, t.unit): (t.quantity, t.commitments, t.proxy_total) for t in table.totals}
    assert found == {
        ("Volunteering", "hours"): (Decimal("15.5"), 2, Decimal("267.375")),
        ("Mentoring", "hours"): (Decimal(10), 2, None),
        ("Mentoring", "people"): (Decimal(2), 1, None),
        ("Training", "hours"): (Decimal(0), 1, None),
    }
    assert table.has_totals and table.proxy_total == Decimal("267.375")


def test_quantities_are_numbers_of_zero_or_more() -> None:
    assert [quantity_of(v) for v in ("1,200", "2.5", "", "-1", "NaN", "Infinity", "lots", None)] == [
        Decimal(1200),
        Decimal("2.5"),
        None,
        None,
        None,
        None,
        None,
        None,
    ]


quantities = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False)
commitment_dicts = st.one_of(
    st.builds(
        lambda v, q, local: {"measure_version": v, "quantity": str(q), "local": local},
        st.sampled_from([1, 2, 3]),
        quantities,
        st.booleans(),
    ),
    st.builds(
        lambda m, u, q: {"measure": m, "unit": u, "quantity": str(q)},
        st.sampled_from(["Mentoring", "mentoring", "Trees"]),
        st.sampled_from(["hours", "people", "trees", "Hours"]),
        quantities,
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(commitment_dicts, max_size=30))
def test_totals_never_mix_units_and_keep_every_quantity(rows: list[dict[str, Any]]) -> None:
    table = commitment_table(rows, FACTS)
    for total in table.totals:
        members = [
            r
            for r in table.rows
            if (r.measure_version, " ".join(r.measure.split()).casefold(), r.unit.casefold())
            == (total.measure_version, " ".join(total.measure.split()).casefold(), total.unit.casefold())
        ]
        assert {r.unit.casefold() for r in members} == {total.unit.casefold()}
        assert total.quantity == sum((r.quantity or 0 for r in members), Decimal(0))
        assert total.commitments == len(members)
    assert sum(t.commitments for t in table.totals) == len(table.rows)


@settings(max_examples=200, deadline=None)
@given(st.lists(commitment_dicts, max_size=30))
def test_the_proxy_total_is_the_sum_of_quantity_times_proxy(rows: list[dict[str, Any]]) -> None:
    table = commitment_table(rows, FACTS)
    expected = [r.quantity * r.proxy_value for r in table.rows if r.quantity is not None and r.proxy_value is not None]
    assert table.proxy_total == (sum(expected, Decimal(0)) if expected else None)


@settings(max_examples=200, deadline=None)
@given(st.lists(commitment_dicts, max_size=30), st.randoms(use_true_random=False))
def test_the_totals_do_not_depend_on_the_order_of_the_commitments(rows: list[dict[str, Any]], random: Any) -> None:
    shuffled = list(rows)
    random.shuffle(shuffled)
    before, after = commitment_table(rows, FACTS), commitment_table(shuffled, FACTS)
    assert before.totals == after.totals
    assert before.proxy_total == after.proxy_total
    assert totals(before.rows) == totals(reversed(before.rows))
