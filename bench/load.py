"""The server under test and the load on it: gunicorn, worker memory, wrk, and the deadline rush.

Load generators, both in processes other than the server's:

- Throughput and p99 per page: ``wrk`` (Debian's package; ``make system-deps`` installs it). It is
  written in C with an event loop, so its 16 keep-alive connections cost the two cores a small
  fraction of what 16 Python client threads would, and the server's share of the CPU, which is
  what we measure, stays close to what it would have on its own machine.
- The deadline rush: a Python client (threads with ``http.client``, one connection per
  submission, as separate bidders), because each submission has its own token, bid and
  idempotency key, and its own send time (spread over the last minute, or all at once).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
# gunicorn's settings as production has them: preloaded, warmed, workers recycled.
GUNICORN_CONF = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"
IDLE_PATH = "/accessibility/"  # a plain page: /health/ waits seconds for a Celery worker the bench does not run
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}  # as the load balancer sends (SECURE_PROXY_SSL_HEADER)


# --- gunicorn --------------------------------------------------------------------------------------


@dataclass
class Server:
    """gunicorn serving the production settings (plus the bench's floor) on loopback."""

    python: str
    env: dict[str, str]
    port: int
    workers: int = 2
    max_requests: int = 1000
    max_requests_jitter: int = 100
    log: Path | None = None
    process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        gunicorn = str(Path(self.python).with_name("gunicorn"))
        command = [
            gunicorn,
            f"--config={GUNICORN_CONF}",
            "commissioning.wsgi:application",
            f"--bind={HOST}:{self.port}",
            f"--workers={self.workers}",
            "--worker-class=sync",
            f"--max-requests={self.max_requests}",
            f"--max-requests-jitter={self.max_requests_jitter}",
            "--backlog=2048",
            "--no-control-socket",
        ]
        log = open(self.log or os.devnull, "ab")  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)  # noqa: S603
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: see {self.log}")
            try:
                status, _, _ = get(self.port, IDLE_PATH, {})
                if status and len(self.worker_pids()) >= self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def worker_pids(self) -> list[int]:
        if not self.process:
            return []
        try:
            text = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class MemorySampler(threading.Thread):
    """The RSS of every worker, twice a second; the peak per label (the page being measured)."""

    def __init__(self, server: Server, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.server, self.interval = server, interval
        self.label = "idle"
        self.peaks: dict[str, float] = {}
        self.recycled = 0
        self._seen: set[int] = set()
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(self.interval)

    def sample(self) -> list[float]:
        pids = self.server.worker_pids()
        new = set(pids) - self._seen
        if self._seen and new:
            self.recycled += len(new)
        self._seen |= set(pids)
        values = [v for v in (rss_mb(pid) for pid in pids) if v is not None]
        if values:
            self.peaks[self.label] = max(self.peaks.get(self.label, 0.0), *values)
        return values

    def stop(self) -> None:
        self._stop.set()


# --- Single requests -------------------------------------------------------------------------------


def get(port: int, path: str, headers: dict[str, str], *, count_queries: bool = False) -> tuple[int, int, int | None]:
    """(status, bytes, SQL queries if asked) of one GET."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    sent = {**PROXY_HEADERS, **headers}
    if count_queries:
        sent["X-Bench-Queries"] = "1"
    try:
        connection.request("GET", path, headers=sent)
        response = connection.getresponse()
        body = response.read()
        queries = response.getheader("X-Bench-Queries")
        return response.status, len(body), int(queries) if queries else None
    finally:
        connection.close()


# --- wrk -------------------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output: str) -> dict[str, float]:
    """Requests per second, p99 latency (ms) and errors from ``wrk --latency``'s report."""
    result: dict[str, float] = {"errors": 0}
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rate"] = float(match.group(1))
    if match := re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE):
        result["p99_ms"] = float(match.group(1)) * _UNITS[match.group(2)]
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        result["errors"] += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        result["errors"] += sum(int(g) for g in match.groups())
    if match := re.search(r"(\d+) requests in", output):
        result["requests"] = float(match.group(1))
    if not result.get("requests"):
        result.pop("p99_ms", None)  # no request completed: wrk's "0us" is no latency
    return result


def drain(port: int, *, quick_ms: float = 250.0, limit: float = 180.0) -> float:
    """Wait until the server is idle again: a slow page leaves up to one queued request per
    connection behind when wrk stops, which would otherwise land on the next measurement.
    Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        begun = time.monotonic()
        try:
            get(port, IDLE_PATH, {})
        except OSError:
            pass
        if (time.monotonic() - begun) * 1000 < quick_ms:
            break
    return time.monotonic() - started


def wrk(port: int, path: str, headers: dict[str, str], *, connections: int, seconds: float, threads: int = 2) -> dict:
    command = [
        "wrk",
        f"--threads={min(threads, connections)}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=60s",
        "--latency",
    ]
    for name, value in {**PROXY_HEADERS, **headers}.items():
        command += ["--header", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    return parse_wrk(output)


# --- The deadline rush -----------------------------------------------------------------------------


@dataclass
class Answer:
    bid: int
    sent_at: float  # epoch seconds
    status: int | None = None
    code: str = ""
    latency_ms: float | None = None
    error: str = ""


@dataclass
class Rush:
    port: int
    bids: Sequence[dict[str, Any]]
    send_times: Sequence[float]  # epoch seconds, one per bid
    answers: list[Answer] = field(default_factory=list)

    def run(self) -> list[Answer]:
        self.answers = [Answer(bid=b["id"], sent_at=0.0) for b in self.bids]
        threads = [threading.Thread(target=self._submit, args=(i,), daemon=True) for i in range(len(self.bids))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return self.answers

    def _submit(self, index: int) -> None:
        bid, answer = self.bids[index], self.answers[index]
        pause = self.send_times[index] - time.time()
        if pause > 0:
            time.sleep(pause)
        body = json.dumps({"idempotency_key": str(uuid.uuid4())})
        headers = {
            **PROXY_HEADERS,
            "Authorization": f"Token {bid['token']}",
            "Content-Type": "application/json",
            "Host": HOST,
        }
        connection = http.client.HTTPConnection(HOST, self.port, timeout=180)
        answer.sent_at = time.time()
        started = time.monotonic()
        try:
            connection.request("POST", f"/api/v1/me/bids/{bid['id']}/submit/", body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            answer.status = response.status
            answer.latency_ms = (time.monotonic() - started) * 1000
            try:
                answer.code = json.loads(data).get("error", {}).get("code", "")
            except ValueError:
                answer.code = ""
        except OSError as error:
            answer.error = f"{type(error).__name__}: {error}"
        finally:
            connection.close()


def spread_times(count: int, deadline: float, *, window: float = 60.0, margin: float = 1.0) -> list[float]:
    """``count`` send times evenly over the ``window`` seconds before the deadline (less ``margin``)."""
    start = deadline - window
    step = (window - margin) / max(1, count - 1) if count > 1 else 0
    return [start + i * step for i in range(count)]
