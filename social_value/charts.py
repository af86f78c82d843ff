"""Geometry of the market dashboard's bar charts, drawn as SVG by the template. No Django here.

Each chart is a list of horizontal bars, one per row, of a share from 0% to 100% (so the axis is
fixed and two charts read alike). The same figures are in the table next to the chart; the chart
is an image with a title and a description for screen readers (``role="img"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from social_value.market import percent

__all__ = ["Bar", "BarChart", "share_bars"]

LABEL_WIDTH = 230
PLOT_WIDTH = 380
VALUE_WIDTH = 70
BAR_HEIGHT = 22
GAP = 12
TOP = 10
AXIS = 28
# GOV.UK colours: blue bars; the row highlighted (a signal) in dark grey.
COLOUR = "#1d70b8"


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    text_y: int
    width: int
    value_x: int
    text: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bars: list[Bar]
    ticks: list[tuple[int, int]]  # (x, percent)
    description: str
    colour: str = COLOUR


def share_bars(rows: Sequence[tuple[str, Fraction | None]]) -> BarChart:
    """A chart of ``rows`` (label, share of 1; None shows as "no value"), one bar per row, in order."""
    bars = []
    words = []
    for index, (label, value) in enumerate(rows):
        y = TOP + index * (BAR_HEIGHT + GAP)
        shown = percent(value)
        width = 0 if value is None else round(PLOT_WIDTH * min(max(float(value), 0.0), 1.0))
        text = "no value" if shown is None else f"{shown}%"
        bars.append(
            Bar(
                label=label,
                y=y,
                text_y=y + BAR_HEIGHT // 2 + 4,
                width=width,
                value_x=LABEL_WIDTH + width + 6,
                text=text,
            )
        )
        words.append(f"{label}: {text}")
    bottom = TOP + len(rows) * (BAR_HEIGHT + GAP)
    ticks = [(LABEL_WIDTH + PLOT_WIDTH * p // 100, p) for p in (0, 25, 50, 75, 100)]
    return BarChart(
        width=LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH,
        height=bottom + AXIS,
        left=LABEL_WIDTH,
        right=LABEL_WIDTH + PLOT_WIDTH,
        top=TOP,
        bottom=bottom,
        bars=bars,
        ticks=ticks,
        description="; ".join(words) + "." if words else "No values.",
    )
