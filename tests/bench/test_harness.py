"""The bench harness's own arithmetic and report (bench.stats, bench.load's parsers): no seeding, no server."""

from __future__ import annotations

import json
from pathlib import Path

from bench import load, stats
from bench.run import tally

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8765/bench/floor/bench-1/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   210.12ms   40.00ms 900.00ms   80.00%
  Latency Distribution
     50%  200.00ms
     75%  230.00ms
     90%  260.00ms
     99%    1.20s
  380 requests in 5.01s, 11.2MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:     75.85
Transfer/sec:      2.24MB
"""


def test_median_and_percentile() -> None:
    assert stats.median([3.0, 1.0, 2.0]) == 2.0
    assert stats.median([1.0, 2.0, 3.0, 4.0]) == 2.5
    assert stats.median([]) is None
    values = [float(n) for n in range(1, 101)]
    assert stats.percentile(values, 0.99) == 99.0
    assert stats.percentile(values, 0.5) == 50.0
    assert stats.percentile([7.0], 0.99) == 7.0
    assert stats.percentile([], 0.99) is None


def test_ratio_and_spread() -> None:
    assert stats.ratio(40.0, 50.0) == 0.8
    assert stats.ratio(None, 50.0) is None
    assert stats.ratio(40.0, 0.0) is None
    assert stats.spread([9.0, 10.0, 11.0]) == 0.2


def test_goal_verdicts() -> None:
    assert stats.Goal("page", "ratio", 0.8, 0.8, "min").verdict == stats.PASS
    assert stats.Goal("page", "ratio", 0.79, 0.8, "min").verdict == stats.FAIL
    assert stats.Goal("page", "p99", 300.0, 300.0, "max").verdict == stats.PASS
    assert stats.Goal("page", "p99", 301.0, 300.0, "max").verdict == stats.FAIL
    assert stats.Goal("page", "p99", None, 300.0, "max").verdict == stats.NOT_MEASURED
    later = stats.later_goals()
    assert later and all(g.verdict == stats.NOT_BUILT and g.value is None for g in later)


def test_page_goals_compare_with_the_floor_and_both_scales() -> None:
    page = stats.PageResult("finder", "/opportunities/", rates=[10.0, 30.0, 20.0], p99s_ms=[250.0, 400.0, 350.0])
    page.queries_small, page.queries_full = 11, 12
    goals = {g.measure: g for g in stats.page_goals(page, floor_rate=50.0)}
    assert goals["throughput / floor"].value == 0.4 and goals["throughput / floor"].verdict == stats.FAIL
    assert goals["p99 latency"].value == 350.0 and goals["p99 latency"].verdict == stats.FAIL
    assert goals["SQL queries (full scale)"].verdict == stats.PASS
    assert goals["same queries at every size"].verdict == stats.FAIL
    page.errors = 3
    assert any(g.measure.startswith("non-2xx") and g.verdict == stats.FAIL for g in stats.page_goals(page, 50.0))


def test_tables_and_summary() -> None:
    floor = stats.PageResult("floor", "/f/", rates=[100.0], p99s_ms=[50.0], queries_full=6, queries_small=6)
    page = stats.PageResult("portal", "/c/x/", rates=[90.0], p99s_ms=[120.0], queries_full=8, queries_small=8)
    text = stats.pages_table([page], floor)
    lines = text.splitlines()
    assert lines[0].startswith("| page") and "0.900" in lines[3] and "1.000" in lines[2]
    assert len({len(line) for line in lines}) == 1  # every line as wide as the others
    goals = [*stats.page_goals(page, floor.rate), stats.Goal("x", "ratio", 0.1, 0.8), *stats.later_goals()]
    table = stats.goals_table(goals)
    assert "FAIL" in table and "not built yet" in table
    summary = stats.summary(goals)
    assert "1 fail" in summary and "x: ratio 0.1 (goal >= 0.8)" in summary


def test_wrk_report_is_parsed() -> None:
    figures = load.parse_wrk(WRK_OUTPUT)
    assert figures["rate"] == 75.85
    assert figures["p99_ms"] == 1200.0
    assert figures["errors"] == 7
    assert figures["requests"] == 380


def test_rush_is_tallied_from_answers_and_database() -> None:
    deadline = 1000.0
    answers = [
        load.Answer(bid=1, sent_at=990.0, status=201, latency_ms=100.0),
        load.Answer(bid=2, sent_at=995.0, status=409, code="deadline", latency_ms=6000.0),  # in time, served late
        load.Answer(bid=3, sent_at=996.0, error="ConnectionResetError"),  # lost
        load.Answer(bid=4, sent_at=997.0, status=201, latency_ms=200.0),  # accepted, but no row: lost
    ]
    db = {"submissions": 1, "after_deadline": 0, "duplicated": 0, "submitted_bids": [1]}
    result = tally("rush", answers, deadline, db)
    assert (result.sent, result.sent_in_time, result.accepted) == (4, 4, 2)
    assert (result.refused_late, result.late_in_time, result.lost) == (1, 1, 2)
    verdicts = {g.measure: g.verdict for g in stats.rush_goals(result, spread=True)}
    assert verdicts["lost"] == stats.FAIL and verdicts["sent in time, refused as late"] == stats.FAIL
    assert verdicts["accepted late (database)"] == stats.PASS


def test_spread_send_times_end_before_the_deadline() -> None:
    times = load.spread_times(1000, 100.0)
    assert times[0] == 40.0 and times[-1] == 99.0 and times == sorted(times)


def test_a_window_with_no_request_served_has_no_latency() -> None:
    empty = "  0 requests in 5.00s, 0.00B read\n  Latency Distribution\n     99%    0.00us\nRequests/sec:      0.00\n"
    figures = load.parse_wrk(empty)
    assert figures["rate"] == 0.0 and "p99_ms" not in figures
    page = stats.PageResult("finder", "/opportunities/", rates=[0.0], empty_windows=1)
    verdicts = {g.measure: g.verdict for g in stats.page_goals(page, 100.0)}
    assert verdicts["p99 latency"] == stats.NOT_MEASURED
    assert verdicts["measurements with no request served"] == stats.FAIL


def test_the_scoring_goal_is_the_median_against_30_ms() -> None:
    goal = stats.scoring_goal([12.0, 40.0, 20.0])
    assert goal.value == 20.0 and goal.target == stats.SCORING_GOAL_MS == 30.0
    assert goal.kind == "max" and goal.verdict == stats.PASS
    assert goal.note == "median of 3 runs, 140% spread"  # (40 - 12) / 20
    assert stats.scoring_goal([31.0, 35.0, 33.0]).verdict == stats.FAIL
    assert stats.scoring_goal([]).verdict == stats.NOT_MEASURED
    assert "scoring and sensitivity analysis" not in [g.subject for g in stats.later_goals()]


def test_the_scoring_runs_are_timed_after_a_warm_up() -> None:
    from bench.scoring import timed_ms

    ticks = iter([0.0, 0.010, 1.0, 1.025])  # two runs: 10 ms and 25 ms
    calls: list[int] = []
    times = timed_ms(lambda: calls.append(1), runs=2, clock=lambda: next(ticks))
    assert [round(t, 6) for t in times] == [10.0, 25.0]
    assert len(calls) == 3  # the warm-up run is not timed


def test_the_scoring_world_is_the_size_the_goal_names() -> None:
    from bench import scoring

    world = scoring.scoring_world()
    assert len(world.criteria) == scoring.CRITERIA == 20
    assert sum(c.weight for c in world.criteria) == 100
    assert len(world.moderated) == scoring.BIDS * (scoring.CRITERIA - 1)  # every scored criterion; price apart
    assert len(world.prices) == scoring.BIDS
    winner = scoring.compute(world)
    assert winner is not None and winner.rank == 1


def test_the_scoring_is_measured_in_a_process_of_its_own(tmp_path: Path) -> None:
    """As a worker computes it, not inside the bench's runner (whose heap is in the figure)."""
    import sys

    from bench import scoring

    goal = scoring.measure_in_own_process(sys.executable, tmp_path / "times.json", runs=3)
    assert len(json.loads((tmp_path / "times.json").read_text())) == 3
    assert goal.value is not None and goal.value > 0 and goal.note.startswith("median of 3 runs")
