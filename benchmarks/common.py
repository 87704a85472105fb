"""Helpers shared by the benchmark scripts: their common options, the 1× replay that times
speech end → committed sentence, scoring, and the machine description and the RESULTS.md
record (``--record``: the benchmark's own section rewritten, the one before kept in
HISTORY.md; benchmarks/results_file.py)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import os
import platform
import shlex
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("RESULTS.md")
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CLIPS = ("jfk.flac", "en_librispeech.wav", "zh_aishell.wav", "multilingual.mp3")
"""The shared test clips (tests/data), the continuous-speech one last."""

_OPTIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "clips": ("--clips", {"default": ",".join(CLIPS)}),
    "threads": ("--threads", {"type": int, "default": 2}),
    "language": ("--language", {"default": "auto",
                                "help": "auto (detect), a Whisper code given to every clip, or "
                                "given (bench_latency: each clip's own)"}),
}


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
    """Record a section with the command, machine and date as this benchmark's current one in
    RESULTS.md (its marked section, named after the script); the one it replaces moves to
    HISTORY.md."""
    from benchmarks import results_file

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = (f"## {title}\n\n- Command: `{command()}`\n- Machine: {machine()}\n"
               f"- Date: {stamp}\n\n{table}\n")
    if notes:
        section += f"\n{notes}\n"
    results_file.record(Path(sys.argv[0]).stem, section, RESULTS)


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(round(q * (len(ordered) - 1)), len(ordered) - 1)]


def arguments(description: str | None, *shared: str,
              **parser_options: Any) -> argparse.ArgumentParser:
    """A benchmark's options: ``--record`` (its section of RESULTS.md rewritten) and the
    ``shared`` ones, as bench_latency has them: ``clips`` (comma-separated, default :data:`CLIPS`),
    ``threads`` (decode threads, 2) and ``language`` (auto)."""
    parser = argparse.ArgumentParser(description=description, **parser_options)
    for name in shared:
        flag, options = _OPTIONS[name]
        parser.add_argument(flag, **options)
    parser.add_argument("--record", action="store_true",
                        help="rewrite this benchmark's section of benchmarks/RESULTS.md (the "
                        "one before goes to benchmarks/HISTORY.md)")
    return parser


def publish(table: str, record: bool, title: str, notes: str = "") -> None:
    """Print ``table``; with ``record`` (``--record``), make it this benchmark's section of
    RESULTS.md too."""
    print(table)
    if record:
        append_results(title, table, notes)


def load_model(args: argparse.Namespace) -> tuple[Any, Any]:
    """The recognition settings (CPU, ``--threads``, ``--language``) and the bundled model."""
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings

    language = "auto" if args.language == "given" else args.language  # given: set per clip
    asr = AsrSettings(device="cpu", cpu_threads=args.threads, language=language)
    return asr, asr_faster_whisper.load(asr)


def live_recognizer(asr: Any, transcriber: Any, **changes: Any) -> Any:
    """The live pipeline's recognizer on ``transcriber`` (as the tray app builds it), with
    ``changes`` to its configuration (e.g. ``speculative_finals=False``)."""
    import dataclasses

    from whispertrans_tray.app import live
    from whispertrans_tray.core.recognizer import StreamingRecognizer
    from whispertrans_tray.providers.chinese_script import ChineseScript
    from whispertrans_tray.providers.vad_silero import SileroVad

    config = dataclasses.replace(live.recognizer_config(asr, live=True), **changes)
    return StreamingRecognizer(transcriber, SileroVad(), config,
                               ChineseScript(asr.chinese_script))


def replay(recognizer: Any, audio: Any) -> tuple[list[float], list[str], Any]:
    """``audio`` through ``recognizer`` at 1× (the live pipeline's clock): each committed
    sentence's latency (wall time of the commit − stream time of its last word's end) and
    text, and the run's :class:`~whispertrans_tray.app.live.RunStats`."""
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import Event, Sentence

    latencies: list[float] = []
    texts: list[str] = []
    started = time.perf_counter()

    def on_event(event: Event) -> None:
        if isinstance(event, Sentence):
            latencies.append(time.perf_counter() - started - event.end)
            texts.append(event.text)

    stats = live.run(audio, recognizer, on_event, realtime=True)
    return latencies, texts, stats


def decode_seconds(model: Any, audio: Any, language: str = "en") -> float:
    """Wall seconds of one decode of ``audio`` by ``model`` (a Transcriber)."""
    started = time.perf_counter()
    model.transcribe(audio, language)
    return time.perf_counter() - started


def offline_multilingual(model: Any, audio: Any) -> str:
    """faster-whisper's own offline transcript of ``audio``, the language detected per 30-s
    segment: what multilingual.mp3 (no reference of its own) is scored against."""
    segments, _ = model.model.transcribe(audio, multilingual=True, beam_size=model.beam_size,
                                         vad_filter=True, condition_on_previous_text=False)
    return " ".join(s.text for s in segments)


def error_rate(reference: str, text: str, chinese: bool = False) -> float:
    """WER of ``text``; for Chinese, CER after Traditional → Simplified (the references are
    Simplified)."""
    from tests.textnorm import cer, wer

    return cer(reference, _to_simplified().convert(text)) if chinese else wer(reference, text)


def scored(reference: str, text: str, chinese: bool = False) -> str:
    """``WER 0.123`` (``CER …`` for Chinese): :func:`error_rate` as a table cell."""
    return f"{'CER' if chinese else 'WER'} {error_rate(reference, text, chinese):.3f}"


@functools.cache
def _to_simplified() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


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
