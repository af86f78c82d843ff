"""``{% sensitivity_chart lot %}``: a lot's sensitivity to the social value weight as a server-drawn
SVG line chart plus the table of the same figures (readable without the chart).

Each bid's total is a straight line in the weight (``social_value.sensitivity``), so a line is
drawn from its total at 0% to its total at the maximum weight; the set weight and the council's
minimum are marked as vertical lines, and each exact tipping point as a ring on the winning lines.
Colour is never the only cue: every featured line carries its label at its end and its own dash.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django import template

register = template.Library()

# The chart's box, in SVG user units (it scales to the column's width).
WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 56, 170, 34, 48
# The GOV.UK colours for lines (blue, green, red, purple, orange, turquoise), then grey.
COLOURS = ("#1d70b8", "#00703c", "#d4351c", "#4c2c92", "#f47738", "#28a197")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 6")
OTHERS = "#b1b4b6"
FEATURED = len(COLOURS)


@dataclass(frozen=True)
class ChartLine:
    label: str
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    dash: str
    featured: bool
    eligible: bool
    label_y: float


@dataclass(frozen=True)
class Marker:
    x: float
    label: str
    dash: str


@dataclass(frozen=True)
class Ring:
    x: float
    y: float
    text: str


def _plain(value: Decimal | Fraction) -> str:
    number = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else value
    text = f"{number.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def chart_context(lot: Any) -> dict[str, Any]:
    """Everything the chart and its table need, from a ``LotResult`` with a sensitivity."""
    analysis = lot.sensitivity
    if analysis is None or not analysis.available or not analysis.lines:
        return {"available": False, "analysis": analysis, "lot": lot}
    labels = lot.labels or {}
    ranks = {bid.bid_id: bid.rank for bid in lot.ranked}
    # The featured bids: the best ranked at the set weight, and every bid that wins somewhere.
    winners = {point.winner for point in analysis.points if point.winner is not None}
    order = [bid.bid_id for bid in lot.ranked]
    featured_ids = [bid_id for bid_id in order if bid_id in winners]
    for bid_id in order:
        if len(featured_ids) >= FEATURED:
            break
        if bid_id not in featured_ids and ranks.get(bid_id) is not None:
            featured_ids.append(bid_id)
    featured_ids = featured_ids[:FEATURED]
    maximum = analysis.maximum_weight
    ends = [value for line in analysis.lines for value in (line.at_zero, line.at_maximum)]
    # The axis from the tens below the lowest total to the tens above the highest (Decimal's // truncates
    # toward zero, so floor and ceil here).
    low = Decimal(max(0, math.floor(min(ends) / 10) * 10))
    high = Decimal(min(100, math.ceil(max(ends) / 10) * 10))
    if high <= low:
        high = low + 10
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(weight: Decimal | Fraction) -> float:
        return round(LEFT + float(weight) / float(maximum) * plot_w, 2)

    def y(total: Decimal | Fraction) -> float:
        return round(TOP + (float(high) - float(total)) / float(high - low) * plot_h, 2)

    lines: list[ChartLine] = []
    by_id = {line.bid_id: line for line in analysis.lines}
    # Labels at the right end, pushed apart so they do not overlap.
    label_ys: dict[int, float] = {}
    previous = -100.0
    for bid_id in sorted(featured_ids, key=lambda i: -by_id[i].at_maximum):
        wanted = y(by_id[bid_id].at_maximum) + 4
        label_ys[bid_id] = max(wanted, previous + 14)
        previous = label_ys[bid_id]
    # The other bids' lines as one path each for the ranked and the not ranked (drawn under the
    # featured ones): a chart of 100 bids is then a few elements, not 100.
    others: dict[bool, list[str]] = {True: [], False: []}
    for line in analysis.lines:
        if line.bid_id not in featured_ids:
            others[line.eligible].append(f"M{x(0)} {y(line.at_zero)}L{x(maximum)} {y(line.at_maximum)}")
            continue
        index = featured_ids.index(line.bid_id)
        lines.append(
            ChartLine(
                label=labels.get(line.bid_id, str(line.bid_id)),
                x1=x(0),
                y1=y(line.at_zero),
                x2=x(maximum),
                y2=y(line.at_maximum),
                colour=COLOURS[index],
                dash=DASHES[index],
                featured=True,
                eligible=line.eligible,
                label_y=label_ys.get(line.bid_id, 0.0),
            )
        )
    minimum = analysis.minimum_weight
    if minimum is not None and minimum == analysis.set_weight:  # one line, one label (two would overprint)
        markers = [Marker(x(analysis.set_weight), f"Set and minimum {_plain(minimum)}%", "")]
    else:
        markers = [Marker(x(analysis.set_weight), f"Set {_plain(analysis.set_weight)}%", "")]
        if minimum is not None and minimum <= maximum:
            markers.append(Marker(x(minimum), f"Minimum {_plain(minimum)}%", "6 4"))
    rings = [
        Ring(
            x(tip.weight),
            y(by_id[tip.after].total_at(tip.weight)),
            f"{_plain(tip.weight)}%",
        )
        for tip in analysis.tipping_points
    ]
    ticks_x = [(x(point.weight), _plain(point.weight)) for i, point in enumerate(analysis.points) if i % 4 == 0]
    step = (high - low) / 5
    ticks_y = [(y(low + step * i), _plain(low + step * i)) for i in range(6)]
    name = lambda bid_id: labels.get(bid_id, str(bid_id))  # noqa: E731
    description = [
        f"Total score of each bid as the social value weight goes from 0% to {_plain(maximum)}%, "
        f"the other criteria rescaled in proportion. The set weight is {_plain(analysis.set_weight)}%."
    ]
    if analysis.tipping_points:
        description += [
            f"At {_plain(tip.weight)}% the winner changes from {name(tip.before)} to {name(tip.after)}."
            for tip in analysis.tipping_points
        ]
    else:
        winner = analysis.points[0].winner if analysis.points else None
        description.append(f"{name(winner)} wins at every weight." if winner is not None else "No bid can be ranked.")
    table_rows = [
        {
            "weight": point.weight,
            "winner": name(point.winner) if point.winner is not None else "None",
            "totals": [point.totals.get(bid_id) for bid_id in featured_ids],
            "is_set": point.weight == analysis.set_weight,
        }
        for point in analysis.points
    ]
    return {
        "available": True,
        "lot": lot,
        "analysis": analysis,
        "width": WIDTH,
        "height": HEIGHT,
        "plot": {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM},
        "label_x": WIDTH - RIGHT + 8,
        "lines": lines,
        "others_ranked": "".join(others[True]),
        "others_not_ranked": "".join(others[False]),
        "others_colour": OTHERS,
        "markers": markers,
        "rings": rings,
        "ticks_x": ticks_x,
        "ticks_y": ticks_y,
        "description": " ".join(description),
        "featured": [name(bid_id) for bid_id in featured_ids],
        "more": len(analysis.lines) - len(featured_ids),
        "table_rows": table_rows,
        "tips": [
            {
                "weight": _plain(tip.weight),
                "exact": tip.exact_text,
                "before": name(tip.before),
                "after": name(tip.after),
                "at": name(tip.at),
            }
            for tip in analysis.tipping_points
        ],
        "winner_at_minimum": name(analysis.winner_at_minimum) if analysis.winner_at_minimum is not None else None,
        "winner_at_set": name(analysis.winner_at_set) if analysis.winner_at_set is not None else None,
        "minimum": _plain(analysis.minimum_weight) if analysis.minimum_weight is not None else None,
        "set": _plain(analysis.set_weight),
        "maximum": _plain(maximum),
        "chart_id": f"sensitivity-{lot.lot_id or 'tender'}",
    }


@register.inclusion_tag("tenders/results/_sensitivity.html")
def sensitivity_chart(lot: Any) -> dict[str, Any]:
    return chart_context(lot)
