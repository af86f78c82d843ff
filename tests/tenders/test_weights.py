"""The evaluation model's weights (tenders/weights.py): absolute percentages that add up."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tenders.weights import Criterion, Kind, validate_weights

D = Decimal
CENT = D("0.01")
TEN = D(10)


def _split(draw: st.DrawFn, total_cents: int, parts: int) -> list[int]:
    """``parts`` whole numbers of cents from 0 that add up to ``total_cents``."""
    cuts = sorted(draw(st.lists(st.integers(0, total_cents), min_size=parts - 1, max_size=parts - 1)))
    edges = [0, *cuts, total_cents]
    return [b - a for a, b in zip(edges, edges[1:], strict=False)]


@st.composite
def models(draw: st.DrawFn, minimum: Decimal = TEN) -> list[Criterion]:
    """A valid model: social value at or above the minimum, one price, quality with parts, maybe a panel."""
    with_panel = draw(st.booleans())
    social_cents = draw(st.integers(int(minimum * 100), 6000))
    rest = _split(draw, 10000 - social_cents, 3 if with_panel else 2)
    quality_cents, price_cents = rest[0], rest[1]
    parts = _split(draw, quality_cents, draw(st.integers(1, 4)))
    sv_parts = _split(draw, social_cents, draw(st.integers(1, 3)))
    tree = [
        Criterion(
            "Quality",
            Kind.QUALITY,
            D(quality_cents) * CENT,
            tuple(Criterion(f"Question {i + 1}", Kind.QUALITY, D(c) * CENT) for i, c in enumerate(parts)),
        ),
        Criterion("Price", Kind.PRICE, D(price_cents) * CENT),
        Criterion(
            "Social value",
            Kind.SOCIAL_VALUE,
            D(social_cents) * CENT,
            tuple(Criterion(f"Measure {i + 1}", Kind.SOCIAL_VALUE, D(c) * CENT) for i, c in enumerate(sv_parts)),
        ),
    ]
    if with_panel:
        tree.append(Criterion("Citizen panel", Kind.CITIZEN_PANEL, D(rest[2]) * CENT))
    return tree


def _paths(tree: list[Criterion]) -> list[tuple[int, ...]]:
    paths: list[tuple[int, ...]] = []
    for i, criterion in enumerate(tree):
        paths.append((i,))
        paths += [(i, j) for j in range(len(criterion.children))]
    return paths


def _perturbed(tree: list[Criterion], path: tuple[int, ...], delta: Decimal) -> list[Criterion]:
    top = tree[path[0]]
    if len(path) == 1:
        changed = Criterion(top.name, top.kind, top.weight + delta, top.children)
    else:
        children = list(top.children)
        child = children[path[1]]
        children[path[1]] = Criterion(child.name, child.kind, child.weight + delta)
        changed = Criterion(top.name, top.kind, top.weight, tuple(children))
    return [changed if i == path[0] else c for i, c in enumerate(tree)]


@given(models())
def test_any_model_that_adds_up_with_enough_social_value_validates(tree: list[Criterion]) -> None:
    assert validate_weights(tree, D(10)) == []


@given(models(), st.data())
def test_changing_any_one_weight_breaks_it(tree: list[Criterion], data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(_paths(tree)))
    delta = data.draw(st.sampled_from([D("0.01"), D("-0.01"), D(1), D(-5), D("0.5")]))
    assert validate_weights(_perturbed(tree, path, delta), D(0)) != []


@given(models(minimum=D(10)), st.decimals(min_value=D("60.01"), max_value=100, places=2))
def test_a_minimum_above_the_social_value_weight_is_refused(tree: list[Criterion], minimum: Decimal) -> None:
    messages = validate_weights(tree, minimum)
    assert any(m.startswith("Social value has") for m in messages)


def test_the_messages_say_what_to_fix() -> None:
    tree = [
        Criterion(
            "Quality",
            Kind.QUALITY,
            D(60),
            (Criterion("Method", Kind.QUALITY, D(30)), Criterion("Jobs", Kind.SOCIAL_VALUE, D(25))),
        ),
        Criterion("Price", Kind.PRICE, D(35)),
        Criterion("Price again", Kind.PRICE, D(0)),
        Criterion("Social value", Kind.SOCIAL_VALUE, D(5)),
    ]
    assert validate_weights(tree, D(10)) == [
        "The parts of “Quality” add up to 55%, but “Quality” has 60%: they must add up to the same",
        "“Jobs” is social value, but it is part of “Quality”, which is quality: a part must be of the same kind",
        "There are 2 price criteria: have at most one",
        "Social value has 5% of the weight: the council's minimum is 10%",
    ]


def test_weights_must_add_up_to_100_and_not_be_negative() -> None:
    tree = [
        Criterion("Quality", Kind.QUALITY, D(95)),
        Criterion("Price", Kind.PRICE, D(-5)),
        Criterion("Social value", Kind.SOCIAL_VALUE, D("10.005")),
    ]
    assert validate_weights(tree, D(10)) == [
        "“Price” has a negative weight: weights must be 0% or more",
        "“Social value”: give the weight to at most 2 decimal places, like 12.5%",
        "The weights add up to 100.005%: they must add up to exactly 100%",
    ]
    assert validate_weights([], D(10)) == ["Add at least one criterion"]


def test_a_citizen_panel_may_weigh_nothing_and_is_advice() -> None:
    tree = [
        Criterion("Quality", Kind.QUALITY, D(60)),
        Criterion("Price", Kind.PRICE, D(30)),
        Criterion("Social value", Kind.SOCIAL_VALUE, D(10)),
        Criterion("Citizen panel", Kind.CITIZEN_PANEL, D(0)),
    ]
    assert validate_weights(tree, D(10)) == []
