"""A fast smoke run of benchmarks/bench_feed.py (no timing assertions: the numbers live in
benchmarks/RESULTS.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_feed_runs_and_every_reader_gets_every_event() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_feed", "--events", "40", "--clients", "5",
         "--paces", "5"], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| 5 ms")]
    assert [row.split("|")[2].strip() for row in rows] == [
        "no sink", "feed, no client", "feed, 1 client", "feed, 5 clients"]
    assert "only" not in result.stdout  # every event reached every reader
    assert rows[-1].rstrip(" |").endswith("| 0")  # nobody dropped
