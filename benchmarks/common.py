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
    """The test suite's real server (llama.cpp + Gemma 3 270M) on 127.0.0.1; yields its URL."""
    import subprocess
    import time
    import urllib.request

    from tests.servers.llama import MODEL_ALIAS, free_port, gguf_path

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model",
                             str(gguf_path()), "--model_alias", MODEL_ALIAS, "--host",
                             "127.0.0.1", "--port", str(port), "--n_ctx", "2048",
                             "--n_threads", str(threads), "--verbose", "False"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            if proc.poll() is not None:
                raise RuntimeError("the llama.cpp server exited (scripts/setup_test_server.sh)")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/v1/chat/completions"
    finally:
        proc.terminate()
        proc.wait(10)


def free_display() -> str:
    """An X display name (``:N``) that no server uses."""
    number = next(n for n in range(120, 200) if not Path(f"/tmp/.X11-unix/X{n}").exists()
                  and not Path(f"/tmp/.X{n}-lock").exists())
    return f":{number}"


@contextlib.contextmanager
def virtual_screen() -> Iterator[str]:
    """``$DISPLAY`` if set, else a private Xvfb for the duration; yields the display name."""
    import subprocess
    import time

    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    display = free_display()
    number = display[1:]
    proc = subprocess.Popen(["Xvfb", display, "-screen", "0", "1600x900x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.05)
        os.environ["DISPLAY"] = display
        yield display
    finally:
        os.environ.pop("DISPLAY", None)
        proc.terminate()
        proc.wait(10)
