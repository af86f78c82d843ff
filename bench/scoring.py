"""The scoring measurement of ``make bench``: totals, ranking and the 21-point sweep with exact
tipping points for 1,000 bids × 20 criteria × 5 evaluators, in-process (the computation is pure).

The data is what ``tenders.selectors.results`` fetches, as rows of only the needed columns: the
moderated score of every bid on every scored criterion (20,000 rows; moderation reduced the
100,000 individual scores of the 5 evaluators to these, and only they count), and a price per bid.
Timed from those rows to the published ranking and its sensitivity: grouping the rows by bid, the
price formula, the weighted totals with pass marks, the ranking with the tie-break and the sweep.
Fetching them is the database's part (PITFALLS: about 50 ms for 100,000 rows from PostgreSQL, hence
one query of three columns), measured by the results page's query count, not here.

``python -m bench.scoring`` runs only this measurement.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bench import stats
from commissioning import scoring
from social_value.sensitivity import sensitivity
from tenders.price import RELATIVE_TO_LOWEST, price_scores

BIDS, CRITERIA, EVALUATORS = 1000, 20, 5
RUNS = 15


@dataclass(frozen=True)
class ScoringWorld:
    criteria: list[scoring.CriterionWeight]
    moderated: list[tuple[int, int, Decimal]]  # (bid, criterion, score): the one query's rows
    prices: list[tuple[int, Decimal]]
    social_value_weight: Decimal


def scoring_world(seed: int = 2026) -> ScoringWorld:
    """19 scored criteria (14 quality at 4%, 5 social value at 3%, on 0 to 5, with minimums) and the
    price at 29%: 20 criteria adding up to 100%; scores in halves, mostly above the minimums."""
    rnd = random.Random(seed)
    criteria = [
        scoring.CriterionWeight(i, scoring.QUALITY, Decimal(4), Decimal(5), minimum=Decimal(1), title=f"Q{i}")
        for i in range(1, 15)
    ]
    criteria += [
        scoring.CriterionWeight(i, scoring.SOCIAL_VALUE, Decimal(3), Decimal(5), minimum=Decimal(1), title=f"S{i}")
        for i in range(15, 20)
    ]
    criteria.append(scoring.CriterionWeight(20, scoring.PRICE, Decimal(29), Decimal(1), title="Price"))
    moderated = [
        (bid, criterion.id, Decimal(rnd.choice((3, 4, 5, 6, 7, 8, 9, 10)) if rnd.random() > 0.001 else 1) / 2)
        for bid in range(1, BIDS + 1)
        for criterion in criteria[:-1]
    ]
    prices = [(bid, Decimal(rnd.randint(60_000, 140_000))) for bid in range(1, BIDS + 1)]
    return ScoringWorld(criteria, moderated, prices, Decimal(15))


def compute(world: ScoringWorld) -> scoring.Ranked | None:
    """From the fetched rows to the ranking and its sensitivity, as the results selector does."""
    by_bid: dict[int, dict[int, Decimal]] = {}
    for bid, criterion, score in world.moderated:
        by_bid.setdefault(bid, {})[criterion] = score
    amounts = dict(world.prices)
    fractions = price_scores(amounts, formula=RELATIVE_TO_LOWEST)
    price_id = world.criteria[-1].id
    bids = [
        scoring.BidScores(bid, {**scores, price_id: fractions[bid]}, price=amounts[bid])
        for bid, scores in by_bid.items()
    ]
    totals = scoring.bid_totals(world.criteria, bids)
    ranking = scoring.rank(totals, tie_break=scoring.TieBreak.QUALITY_SOCIAL_VALUE_PRICE)
    sensitivity(
        totals,
        social_value_weight=world.social_value_weight,
        tie_break=scoring.TieBreak.QUALITY_SOCIAL_VALUE_PRICE,
        minimum_weight=Decimal(10),
    )
    return ranking[0] if ranking else None


def timed_ms(
    run: Callable[[], object], runs: int = RUNS, clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    """How long ``run`` takes, in milliseconds, ``runs`` times (after one warm-up run)."""
    run()
    times = []
    for _ in range(runs):
        start = clock()
        run()
        times.append((clock() - start) * 1000)
    return times


def measure(runs: int = RUNS) -> stats.Goal:
    world = scoring_world()
    return stats.scoring_goal(timed_ms(lambda: compute(world), runs))


def measure_in_own_process(python: str, out: Path, runs: int = RUNS) -> stats.Goal:
    """:func:`measure` in a fresh Python process, as a worker computes it: not in the bench's own
    process, whose heap (a thousand rush threads' answers) and timing would be in the figure."""
    command = [python, "-m", "bench.scoring", "--times", str(out), f"--runs={runs}"]
    subprocess.run(command, check=True, cwd=Path(__file__).resolve().parent.parent)  # noqa: S603
    return stats.scoring_goal(json.loads(out.read_text()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scoring", description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=Path, help="write each run's milliseconds here (JSON) instead of a table")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)
    world = scoring_world()
    times = timed_ms(lambda: compute(world), args.runs)
    if args.times:
        args.times.write_text(json.dumps(times))
    else:
        print(stats.goals_table([stats.scoring_goal(times)]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
