"""Helpers shared by the benchmark scripts: machine description and RESULTS.md appends."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores, {cpu}, " \
           f"Python {platform.python_version()}"


def command() -> str:
    return "python -m benchmarks." + Path(sys.argv[0]).stem + (
        " " + shlex.join(sys.argv[1:]) if sys.argv[1:] else "")


def append_results(title: str, table: str, notes: str = "") -> None:
    """Append a section with the command, machine and date to RESULTS.md."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = (f"\n## {title}\n\n- Command: `{command()}`\n- Machine: {machine()}\n"
               f"- Date: {stamp}\n\n{table}\n")
    if notes:
        section += f"\n{notes}\n"
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(section)


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(round(q * (len(ordered) - 1)), len(ordered) - 1)]


@contextlib.contextmanager
def llama_server(threads: int = 1) -> Iterator[str]:
    """The test suite's real server (llama.cpp via xllamacpp + SmolLM2-135M-Instruct) on
    127.0.0.1; yields its URL."""
    import tempfile

    from tests.servers.llama import run_server

    with tempfile.TemporaryDirectory() as tmp, run_server(Path(tmp) / "server.log",
                                                           threads) as url:
        yield url


@contextlib.contextmanager
def virtual_screen() -> Iterator[str]:
    """``$DISPLAY`` if set, else a private Xvfb for the duration; yields the display name."""

    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    from tests.desktop_env import start_xvfb

    proc, display = start_xvfb((1600, 900), die_with_parent=False)
    try:
        os.environ["DISPLAY"] = display
        yield display
    finally:
        os.environ.pop("DISPLAY", None)
        proc.terminate()
        proc.wait(10)
