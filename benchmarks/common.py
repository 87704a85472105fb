"""Helpers shared by the benchmark scripts: machine description and RESULTS.md appends."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shlex
import sys
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
