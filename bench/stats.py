"""The bench's arithmetic and its report: medians, ratios, goals, the table. No Django, no I/O.

Everything ``make bench`` concludes is decided here, from plain numbers, so it is unit-tested
(tests/bench) without seeding anything.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# --- The goals of issue 9 ------------------------------------------------------------------------
RATIO_GOAL = 0.8  # of the bare DRF list's throughput
P99_GOAL_MS = 300.0  # at 16 concurrent connections
QUERIES_GOAL = 15  # SQL queries per page, the same at every size
RSS_GOAL_MB = 250.0  # per worker
RUSH_P99_GOAL_MS = 500.0  # deadline rush, 1,000 submissions in the last 60 seconds

PASS, FAIL, NOT_BUILT, NOT_MEASURED = "PASS", "FAIL", "not built yet", "not measured"


def median(values: Iterable[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values: Sequence[float]) -> float | None:
    """How far the values stray from their median: (max - min) / median."""
    middle = median(values)
    if not values or not middle:
        return None
    return (max(values) - min(values)) / middle


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The nearest-rank percentile (``fraction`` 0.99 for p99): a value that was observed."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def ratio(value: float | None, floor: float | None) -> float | None:
    if value is None or not floor:
        return None
    return value / floor


@dataclass
class Goal:
    """One goal and the figure measured against it: ``kind`` is "min" (at least) or "max" (at most)."""

    subject: str
    measure: str
    value: float | int | None
    target: float | int | None
    kind: str = "min"
    unit: str = ""
    note: str = ""
    built: bool = True

    @property
    def verdict(self) -> str:
        if not self.built:
            return NOT_BUILT
        if self.value is None or self.target is None:
            return NOT_MEASURED
        ok = self.value >= self.target if self.kind == "min" else self.value <= self.target
        return PASS if ok else FAIL

    @property
    def goal_text(self) -> str:
        if self.target is None:
            return "-"
        sign = ">=" if self.kind == "min" else "<=" if self.kind == "max" else "="
        return f"{sign} {format_number(self.target)}{self.unit}"

    @property
    def value_text(self) -> str:
        if not self.built:
            return "-"
        return "-" if self.value is None else f"{format_number(self.value)}{self.unit}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "measure": self.measure,
            "value": self.value,
            "target": self.target,
            "kind": self.kind,
            "unit": self.unit,
            "verdict": self.verdict,
            "note": self.note,
        }


def format_number(value: float | int) -> str:
    if isinstance(value, int) or float(value).is_integer() and abs(value) >= 10:
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:.1f}"
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


@dataclass
class PageResult:
    """One page's figures in one run: throughput per round (requests per second), p99 per round (ms)."""

    name: str
    path: str
    rates: list[float] = field(default_factory=list)
    p99s_ms: list[float] = field(default_factory=list)
    errors: int = 0
    requests: int = 0  # completed under load, all rounds
    empty_windows: int = 0  # measurements in which no request completed
    queries_small: int | None = None
    queries_full: int | None = None
    bytes: int | None = None
    rss_peak_mb: float | None = None

    @property
    def rate(self) -> float | None:
        return median(self.rates)

    @property
    def p99_ms(self) -> float | None:
        return median(self.p99s_ms)


def page_goals(page: PageResult, floor_rate: float | None) -> list[Goal]:
    """The goals every key page and API list must meet, with this run's figures."""
    goals = [
        Goal(page.name, "throughput / floor", _round(ratio(page.rate, floor_rate), 3), RATIO_GOAL, "min"),
        Goal(page.name, "p99 latency", _round(page.p99_ms, 1), P99_GOAL_MS, "max", " ms"),
        Goal(page.name, "SQL queries (full scale)", page.queries_full, QUERIES_GOAL, "max"),
    ]
    same = None
    if page.queries_small is not None and page.queries_full is not None:
        same = int(page.queries_small == page.queries_full)
    goals.append(
        Goal(
            page.name,
            "same queries at every size",
            same,
            1,
            "min",
            note=f"small {page.queries_small}, full {page.queries_full}",
        )
    )
    if page.errors:
        goals.append(Goal(page.name, "non-2xx responses under load", page.errors, 0, "max"))
    if page.empty_windows:
        goals.append(Goal(page.name, "measurements with no request served", page.empty_windows, 0, "max"))
    return goals


@dataclass
class RushResult:
    """A deadline rush, counted from the client's answers and then from the database."""

    name: str
    sent: int = 0
    sent_in_time: int = 0
    accepted: int = 0  # 201 answers
    refused_late: int = 0  # 409 deadline answers
    refused_other: int = 0  # any other answer
    lost: int = 0  # no answer (connection error, timeout) or accepted without a row
    late_in_time: int = 0  # sent before the deadline, refused as late
    db_submissions: int = 0
    db_after_deadline: int = 0  # rows whose submission time is at or after the deadline
    db_duplicated: int = 0  # bids with more than one submission
    latencies_ms: list[float] = field(default_factory=list)
    duration_s: float | None = None

    @property
    def p99_ms(self) -> float | None:
        return percentile(self.latencies_ms, 0.99)

    @property
    def rate(self) -> float | None:
        if not self.duration_s:
            return None
        return self.accepted / self.duration_s

    def as_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "latencies_ms"}
        data["p99_ms"] = self.p99_ms
        data["p50_ms"] = percentile(self.latencies_ms, 0.5)
        data["accepted_per_second"] = self.rate
        return data


def rush_goals(rush: RushResult, *, spread: bool) -> list[Goal]:
    goals = []
    if spread:
        goals.append(Goal(rush.name, "p99 latency", _round(rush.p99_ms, 1), RUSH_P99_GOAL_MS, "max", " ms"))
    goals += [
        Goal(rush.name, "accepted (of sent in time)", rush.accepted, rush.sent_in_time, "min"),
        Goal(rush.name, "sent in time, refused as late", rush.late_in_time, 0, "max"),
        Goal(rush.name, "lost", rush.lost, 0, "max"),
        Goal(rush.name, "accepted late (database)", rush.db_after_deadline, 0, "max"),
        Goal(rush.name, "duplicated (database)", rush.db_duplicated, 0, "max"),
    ]
    return goals


def memory_goal(subject: str, peak_mb: float | None) -> Goal:
    return Goal(subject, "worker RSS, peak", _round(peak_mb, 1), RSS_GOAL_MB, "max", " MB")


# The computations later issues name: in the table, never with made-up figures.
LATER_COMPUTATIONS = (
    ("sortition (citizen panel draw)", "issue: citizen panels"),
    ("award report (PDF)", "issue: award reports"),
    ("grant budget allocation", "issue: grants"),
)


# Issue 10: totals, ranking and a 21-point sweep with exact tipping points, 1,000 bids × 20
# criteria × 5 evaluators, in-process (bench.scoring).
SCORING_GOAL_MS = 30.0


def scoring_goal(times_ms: Sequence[float]) -> Goal:
    """The median of the scoring runs against its goal, with how far the runs strayed."""
    middle = median(times_ms)
    straying = spread(times_ms)
    note = f"median of {len(times_ms)} runs"
    if straying is not None:
        note += f", {straying:.0%} spread"
    return Goal(
        "scoring: totals, ranking, 21-point sweep, exact tipping points",
        "1,000 bids x 20 criteria x 5 evaluators, computation",
        None if middle is None else round(middle, 1),
        SCORING_GOAL_MS,
        "max",
        " ms",
        note=note,
    )


def later_goals() -> list[Goal]:
    return [Goal(name, "time at full scale", None, None, built=False, note=where) for name, where in LATER_COMPUTATIONS]


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# --- The report ----------------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table, columns as wide as their widest cell; numbers right-aligned."""
    cells = [[str(h) for h in headers], *[["" if c is None else str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        parts = []
        for i, cell in enumerate(row):
            numeric = bool(cell) and cell.replace(",", "").replace(".", "").replace(" ms", "").lstrip("-").isdigit()
            parts.append(cell.rjust(widths[i]) if numeric else cell.ljust(widths[i]))
        return "| " + " | ".join(parts) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *[line(row) for row in cells[1:]]])


def pages_table(pages: Sequence[PageResult], floor: PageResult) -> str:
    rows = []
    for page in [floor, *pages]:
        r = ratio(page.rate, floor.rate)
        rows.append(
            [
                page.name,
                "-" if page.rate is None else format_number(round(page.rate, 1)),
                "-" if r is None else f"{r:.3f}",
                "-" if page.p99_ms is None else f"{page.p99_ms:.0f} ms",
                "-" if page.queries_small is None else page.queries_small,
                "-" if page.queries_full is None else page.queries_full,
                "-" if page.bytes is None else format_number(page.bytes),
                "-" if page.rss_peak_mb is None else f"{page.rss_peak_mb:.0f}",
                page.requests,
                page.errors,
            ]
        )
    headers = ["page", "req/s", "ratio", "p99", "SQL small", "SQL full", "bytes", "RSS MB", "requests", "errors"]
    return table(headers, rows)


def goals_table(goals: Sequence[Goal]) -> str:
    return table(
        ["subject", "measure", "figure", "goal", "verdict"],
        [[g.subject, g.measure, g.value_text, g.goal_text, g.verdict] for g in goals],
    )


def failing(goals: Sequence[Goal]) -> list[Goal]:
    return [g for g in goals if g.verdict == FAIL]


def summary(goals: Sequence[Goal]) -> str:
    failed = failing(goals)
    passed = sum(1 for g in goals if g.verdict == PASS)
    not_built = sum(1 for g in goals if g.verdict == NOT_BUILT)
    lines = [f"{passed} goals pass, {len(failed)} fail, {not_built} not built yet."]
    if failed:
        lines.append("Failing goals:")
        lines += [f"  - {g.subject}: {g.measure} {g.value_text} (goal {g.goal_text})" for g in failed]
    return "\n".join(lines)
