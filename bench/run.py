"""``make bench``: seed, serve, measure, report. Run as ``python -m bench [options]``.

1. Seeds a small database (``--small-scale``) and counts each page's SQL queries there.
2. Seeds the scale (``--scale``, 1.0 = the issue's) and times it.
3. Serves it with gunicorn (production settings, ``--workers`` sync workers, ``--max-requests``
   with jitter) on loopback and measures in interleaved rounds (floor, page A, floor, page B, ...)
   with wrk at ``--connections``; medians of ``--rounds`` rounds; SQL queries per page again;
   the workers' RSS throughout.
4. The deadline rush, twice: ``--rush`` submissions spread over the last 60 s before a deadline,
   and as many sent at once 30 s before another; then the database is counted.
5. Prints the figures and the goals (PASS/FAIL), writes var/bench/<timestamp>.json, and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import load, scoring, stats

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"


def _database(prefix: str, scale: float) -> str:
    return "bench_full" if prefix == "full" and scale == 1.0 else f"bench_{prefix}_{str(scale).replace('.', '_')}"


class Runner:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.python = sys.executable
        OUT.mkdir(parents=True, exist_ok=True)
        self.stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.report: dict[str, Any] = {"started": self.stamp, "config": vars(args)}

    # --- steps run as Django processes ---------------------------------------------------------

    def env(self, database: str) -> dict[str, str]:
        return {
            **os.environ,
            "BENCH_DB": database,
            "BENCH_PORT": str(self.args.port),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
        }

    def task(self, database: str, *argv: str) -> None:
        subprocess.run([self.python, "-m", "bench.tasks", *argv], env=self.env(database), cwd=ROOT, check=True)  # noqa: S603

    def seeded(self, database: str, scale: float, rush: int) -> dict[str, Any]:
        manifest = OUT / f"{database}.json"
        if self.args.reuse and manifest.exists():
            print(f"Reusing {database} (seeded earlier; --reuse)")
            data = json.loads(manifest.read_text())
            data["reused"] = True
            return data
        print(f"Seeding {database} at scale {scale}...", flush=True)
        started = time.monotonic()
        self.task(database, "seed", str(manifest), f"--scale={scale}", f"--rush={rush}")
        data = json.loads(manifest.read_text())
        data["seconds"]["wall"] = round(time.monotonic() - started, 1)
        manifest.write_text(json.dumps(data, indent=2))
        print(f"  seeded in {data['seconds']['wall']:.0f} s: {data['rows']}", flush=True)
        return data

    def pages(self, database: str, manifest: dict[str, Any]) -> list[dict[str, Any]]:
        source, out = OUT / f"{database}.json", OUT / f"{database}-pages.json"
        self.task(database, "prepare", str(source), str(out))
        return json.loads(out.read_text())["pages"]

    def server(self, database: str) -> load.Server:
        return load.Server(
            python=self.python,
            env=self.env(database),
            port=self.args.port,
            workers=self.args.workers,
            max_requests=self.args.max_requests,
            max_requests_jitter=self.args.max_requests_jitter,
            log=OUT / f"gunicorn-{self.stamp}.log",
        )

    # --- measurements ----------------------------------------------------------------------------

    def count_queries(self, pages: list[dict[str, Any]]) -> dict[str, tuple[int, int, int | None]]:
        counts = {}
        for page in pages:
            load.get(self.args.port, page["path"], page["headers"])  # warm: first-request caches
            counts[page["name"]] = load.get(self.args.port, page["path"], page["headers"], count_queries=True)
        return counts

    def small_scale_queries(self) -> dict[str, int | None]:
        scale = self.args.small_scale
        if scale >= self.args.scale:
            return {}
        database = _database("small", scale)
        manifest = self.seeded(database, scale, 0)
        pages = self.pages(database, manifest)
        server = self.server(database)
        server.start()
        try:
            counts = self.count_queries(pages)
        finally:
            server.stop()
        self.report["small"] = {"database": database, "rows": manifest.get("rows")}
        return {name: queries for name, (_, _, queries) in counts.items()}

    def measure(self, pages: list[dict[str, Any]], small: dict[str, int | None]) -> list[stats.PageResult]:
        args = self.args
        results = {p["name"]: stats.PageResult(p["name"], p["path"]) for p in pages}
        counts = self.count_queries(pages)
        for page in pages:
            status, size, queries = counts[page["name"]]
            result = results[page["name"]]
            result.bytes, result.queries_full = size, queries
            result.queries_small = small.get(page["name"], queries if not small else None)
            if status != 200:
                raise SystemExit(f"{page['name']} answers {status}, not 200: nothing to measure")
        floor, others = pages[0], pages[1:]
        drained: dict[str, list[float]] = {}
        self.report["drained_seconds"] = drained
        for round_number in range(1, args.rounds + 1):
            for page in others:
                for target in (floor, page):
                    self.sampler.label = target["name"]
                    figures = load.wrk(
                        args.port,
                        target["path"],
                        target["headers"],
                        connections=args.connections,
                        seconds=args.duration,
                    )
                    result = results[target["name"]]
                    if "rate" in figures:
                        result.rates.append(figures["rate"])
                    if "p99_ms" in figures:
                        result.p99s_ms.append(figures["p99_ms"])
                    result.errors += int(figures["errors"])
                    result.requests += int(figures.get("requests", 0))
                    result.empty_windows += not figures.get("requests")
                    self.sampler.label = "between"
                    waited = load.drain(args.port)
                    if waited > 1:
                        drained.setdefault(target["name"], []).append(round(waited, 1))
                line = results[page["name"]]
                p99 = f"{line.p99s_ms[-1]:.0f} ms" if line.p99s_ms else "-"
                print(
                    f"  round {round_number}/{args.rounds} {page['name']}: {line.rates[-1]:.1f} req/s, "
                    f"p99 {p99} (floor {results[floor['name']].rates[-1]:.1f} req/s)",
                    flush=True,
                )
        for name, result in results.items():
            result.rss_peak_mb = self.sampler.peaks.get(name)
        return list(results.values())

    def rush(self, database: str, kind: str) -> stats.RushResult:
        args = self.args
        lead = 72.0 if kind == "spread" else 40.0
        path = OUT / f"{database}-rush-{kind}.json"
        self.task(
            database,
            "rush-prepare",
            str(OUT / f"{database}.json"),
            str(path),
            f"--kind={kind}",
            f"--count={args.rush}",
            f"--deadline-in={lead}",
        )
        prepared = json.loads(path.read_text())
        deadline, bids = prepared["deadline"], prepared["bids"]
        if kind == "spread":
            times = load.spread_times(len(bids), deadline)
            name = f"deadline rush: {len(bids):,} over the last 60 s"
        else:
            times = [deadline - 30.0] * len(bids)
            name = f"deadline rush: burst of {len(bids):,}, 30 s before"
        if times[0] < time.time():
            raise SystemExit("The rush's preparation ran past its start: raise the lead time")
        print(f"  {name}: deadline in {deadline - time.time():.0f} s", flush=True)
        self.sampler.label = name
        answers = load.Rush(args.port, bids, times).run()
        self.sampler.label = "between"
        check_path = OUT / f"{database}-rush-{kind}-check.json"
        # Wait for the deadline, so the database is counted once nothing more can come in.
        time.sleep(max(0.0, deadline - time.time() + 1))
        self.task(database, "rush-check", str(path), str(check_path))
        db = json.loads(check_path.read_text())
        return tally(name, answers, deadline, db)

    def collect_static(self) -> None:
        """The production settings serve hashed, compressed static files: collect them unless
        var/bench/static is newer than every source (compressing takes a minute on a busy machine)."""
        manifest = OUT / "static" / "staticfiles.json"
        sources = [p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file()]
        if manifest.exists() and manifest.stat().st_mtime > max(sources, default=0):
            return
        print("Collecting static files for the production settings...", flush=True)
        subprocess.run(  # noqa: S603
            [self.python, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            env=self.env(_database("full", self.args.scale)),
            cwd=ROOT,
            check=True,
        )

    # --- the whole run ---------------------------------------------------------------------------

    def run(self) -> int:
        args = self.args
        self.collect_static()
        self.report["load_average_at_start"] = load_average()
        # First, on the machine before the bench loads it, in a process of its own.
        self.scoring = scoring.measure_in_own_process(self.python, OUT / f"scoring-{self.stamp}.json")
        small = self.small_scale_queries()
        database = _database("full", args.scale)
        manifest = self.seeded(database, args.scale, args.rush)
        self.report["seeding"] = {k: manifest.get(k) for k in ("rows", "seconds", "reused", "database")}
        pages = self.pages(database, manifest)
        server = self.server(database)
        server.start()
        self.sampler = load.MemorySampler(server)
        idle = self.sampler.sample()
        self.sampler.start()
        rushes: list[stats.RushResult] = []
        try:
            results = self.measure(pages, small)
            after_pages = self.sampler.sample()
            if args.rush:
                rushes.append(self.rush(database, "spread"))
                rushes.append(self.rush(database, "burst"))
        finally:
            self.sampler.stop()
            server.stop()
            if args.rush:
                self.task(database, "purge")
        self.report["load_average_at_end"] = load_average()
        memory = {
            "idle_mb": [round(v, 1) for v in idle],
            "after_pages_mb": [round(v, 1) for v in after_pages],
            "peaks_mb": {k: round(v, 1) for k, v in self.sampler.peaks.items()},
            "workers_started_by_recycling": self.sampler.recycled,
        }
        return self.finish(results, rushes, memory, manifest)

    def finish(
        self,
        results: list[stats.PageResult],
        rushes: list[stats.RushResult],
        memory: dict[str, Any],
        manifest: dict[str, Any],
    ) -> int:
        floor, pages = results[0], results[1:]
        goals: list[stats.Goal] = []
        seconds = (manifest.get("seconds") or {}).get("wall")
        reused = " (seeded by an earlier run)" if manifest.get("reused") else ""
        goals.append(stats.Goal("seeding" + reused, "time to seed the scale", seconds, 300, "max", " s"))
        for page in pages:
            goals += stats.page_goals(page, floor.rate)
        for rush in rushes:
            goals += stats.rush_goals(rush, spread="over the last" in rush.name)
        peak = max(memory["peaks_mb"].values(), default=None)
        goals.append(stats.memory_goal("every worker, whole run", peak))
        goals.append(self.scoring)
        goals += stats.later_goals()

        rows = manifest.get("rows") or {}
        print()
        print(
            f"make bench at scale {self.args.scale}: {rows.get('councils')} councils, {rows.get('tenders'):,} tenders "
            f"({rows.get('published'):,} published), {rows.get('bids'):,} bids, {rows.get('organisations'):,} "
            f"organisations; gunicorn {self.args.workers} sync workers, {self.args.connections} connections, "
            f"{self.args.rounds} rounds of {self.args.duration:g} s"
        )
        if seconds is not None:
            print(f"Seeding: {seconds:.0f} s" + (" (reused)" if manifest.get("reused") else ""))
        print(
            f"Machine: {os.cpu_count()} cores; load average {self.report['load_average_at_start']} at the start, "
            f"{self.report['load_average_at_end']} at the end (other work on the machine lowers every figure "
            "alike; the ratios to the floor, measured between the pages, are what compare)"
        )
        spread = stats.spread(floor.rates)
        if spread is not None:
            print(f"Floor: {len(floor.rates)} measurements, {spread:.0%} spread around its median")
        if self.report.get("drained_seconds"):
            print(
                "Waited for the server to finish requests queued by a slow page before the next measurement "
                f"(seconds): {self.report['drained_seconds']}. wrk counts only the requests completed in its window, "
                "so a slow page's p99 is a lower bound: see its requests column."
            )
        print()
        print(stats.pages_table(pages, floor))
        if rushes:
            print()
            print(
                stats.table(
                    [
                        "rush",
                        "sent",
                        "in time",
                        "accepted",
                        "late",
                        "late, sent in time",
                        "other",
                        "lost",
                        "p99",
                        "acc/s",
                    ],
                    [
                        [
                            r.name,
                            r.sent,
                            r.sent_in_time,
                            r.accepted,
                            r.refused_late,
                            r.late_in_time,
                            r.refused_other,
                            r.lost,
                            "-" if r.p99_ms is None else f"{r.p99_ms:.0f} ms",
                            "-" if r.rate is None else f"{r.rate:.1f}",
                        ]
                        for r in rushes
                    ],
                )
            )
        print()
        print(
            f"Worker RSS: idle {memory['idle_mb']} MB, after the pages {memory['after_pages_mb']} MB, "
            f"peak {peak if peak is not None else '-'} MB; {memory['workers_started_by_recycling']} workers "
            f"started by --max-requests recycling"
        )
        print()
        print(stats.goals_table(goals))
        print()
        print(stats.summary(goals))
        self.report.update(
            {
                "scale": {k: manifest.get(k) for k in ("scale", "councils", "tenders", "bids", "organisations")},
                "pages": [
                    {
                        "name": r.name,
                        "path": r.path,
                        "rate": r.rate,
                        "rates": r.rates,
                        "ratio": stats.ratio(r.rate, floor.rate),
                        "p99_ms": r.p99_ms,
                        "p99s_ms": r.p99s_ms,
                        "queries_small": r.queries_small,
                        "queries_full": r.queries_full,
                        "bytes": r.bytes,
                        "rss_peak_mb": r.rss_peak_mb,
                        "errors": r.errors,
                        "requests": r.requests,
                        "empty_windows": r.empty_windows,
                    }
                    for r in results
                ],
                "rushes": [r.as_dict() for r in rushes],
                "memory": memory,
                "goals": [g.as_dict() for g in goals],
                "failing": [f"{g.subject}: {g.measure}" for g in stats.failing(goals)],
            }
        )
        path = OUT / f"{self.stamp}.json"
        path.write_text(json.dumps(self.report, indent=2, default=str))
        print(f"\nJSON: {path.relative_to(ROOT)}")
        return 0  # the bench reports; it does not fail the build


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def tally(name: str, answers: list[load.Answer], deadline: float, db: dict[str, Any]) -> stats.RushResult:
    """The client's answers and the database's rows, counted."""
    result = stats.RushResult(name=name, sent=len(answers))
    submitted = set(db["submitted_bids"])
    for answer in answers:
        in_time = answer.sent_at < deadline
        result.sent_in_time += in_time
        if answer.status in (200, 201):
            result.accepted += 1
            result.latencies_ms.append(answer.latency_ms or 0.0)
            if answer.bid not in submitted:
                result.lost += 1  # answered "accepted" without a row: lost
        elif answer.status is None:
            result.lost += 1
        elif answer.status == 409 and answer.code == "deadline":
            result.refused_late += 1
            result.late_in_time += in_time
            result.latencies_ms.append(answer.latency_ms or 0.0)
        else:
            result.refused_other += 1
            result.latencies_ms.append(answer.latency_ms or 0.0)
    result.db_submissions = db["submissions"]
    result.db_after_deadline = db["after_deadline"]
    result.db_duplicated = db["duplicated"]
    sent = [a.sent_at for a in answers if a.sent_at]
    ends = [a.sent_at + (a.latency_ms or 0) / 1000 for a in answers if a.status in (200, 201)]
    if sent and ends:
        result.duration_s = round(max(ends) - min(sent), 2)
    return result


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    p.add_argument("--scale", type=float, default=1.0, help="1.0: 50 councils, 10,000 tenders, 100,000 bids")
    p.add_argument("--small-scale", type=float, default=0.01, help="where SQL queries are counted for comparison")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds per page (medians)")
    p.add_argument("--duration", type=float, default=5.0, help="seconds per measurement")
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    p.add_argument("--max-requests", type=int, default=1000, help="gunicorn recycles a worker after this many")
    p.add_argument("--max-requests-jitter", type=int, default=100)
    p.add_argument("--rush", type=int, default=1000, help="submissions per deadline rush (0: no rush)")
    p.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8765")))
    p.add_argument("--reuse", action="store_true", help="measure the databases seeded by an earlier run")
    return p


def main(argv: list[str] | None = None) -> int:
    return Runner(parser().parse_args(argv)).run()
