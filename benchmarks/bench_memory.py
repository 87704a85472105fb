"""Where a live session's memory goes: RSS, glibc's heap and the Python heap against the audio
heard, for allocator settings side by side.

Each variant is its own process (allocator settings are read when a process starts), which
feeds the same long replay of the shared clips (``bench_lag.long_audio``) through the live
recognizer in 0.1-s pieces as fast as it decodes (the decodes a live session makes: a partial
per second of speech, finals at the pauses), and puts each sentence into the subtitle model
and the session history as the app does.  Every ``--every`` seconds of audio it samples:

* RSS;
* glibc ``mallinfo2``: bytes in use (``uordblks`` + ``hblkhd``) and bytes free but kept in
  the arenas (``fordblks``), summed over every arena;
* with ``--tracemalloc``, the Python heap (``tracemalloc``: Python objects and numpy arrays),
  and at the end the allocation sites that grew most since the first sample.

The time spent in decodes is measured too (a setting that saves memory must not slow them).

    python -m benchmarks.bench_memory [--minutes 20] [--variants default,arena2,...]
        [--tracemalloc] [--record]
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

VARIANTS: dict[str, dict[str, str]] = {
    "default": {},
    "onednn1024": {"ONEDNN_PRIMITIVE_CACHE_CAPACITY": "1024"},  # oneDNN's own default
    "onednn0": {"ONEDNN_PRIMITIVE_CACHE_CAPACITY": "0"},
    "arena2": {"MALLOC_ARENA_MAX": "2"},
    "mmap128k": {"MALLOC_MMAP_THRESHOLD_": "131072", "MALLOC_TRIM_THRESHOLD_": "131072"},
    "mkl_nofastmm": {"MKL_DISABLE_FAST_MM": "1"},
    "arena2_mkl": {"MALLOC_ARENA_MAX": "2", "MKL_DISABLE_FAST_MM": "1"},
}
"""Environment of each variant's process, on top of one without allocator settings (MALLOC_*,
MKL_*, ONEDNN_*, DNNL_*): ``default`` is what the product sets for itself
(``asr_faster_whisper.KERNEL_CACHE``); ``onednn1024`` is oneDNN's own default, the product
before it set one."""


class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def mallinfo() -> dict[str, float]:
    """glibc's heap over all arenas, MiB: in use and free but kept in the arenas, and the
    big blocks malloc mmapped on their own (virtual: their untouched pages are not in RSS)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = MallInfo2
        info = libc.mallinfo2()
    except (OSError, AttributeError):
        return {}
    mib = 2.0 ** 20
    return {"in_use": info.uordblks / mib, "free_kept": info.fordblks / mib,
            "mmapped": info.hblkhd / mib}


def rss_mib() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


class Timed:
    """The transcriber, with the seconds spent in its decodes added up."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.count = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def transcribe(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.inner.transcribe(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def child(args: argparse.Namespace) -> dict[str, Any]:
    """One variant: feed the replay, sample memory; the result as a dict."""
    import tracemalloc

    from benchmarks.bench_lag import long_audio
    from whispertrans_tray.__main__ import build_recognizer
    from whispertrans_tray.app import history
    from whispertrans_tray.core.subtitles import SubtitleModel
    from whispertrans_tray.core.types import SAMPLE_RATE, Sentence
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings

    asr = AsrSettings(device="cpu", cpu_threads=args.threads)
    model = Timed(asr_faster_whisper.load(asr))
    audio = long_audio(args.minutes)
    recognizer = build_recognizer(asr, model, live=True)
    subtitles = SubtitleModel()
    samples: list[dict[str, float]] = []
    sentences = 0
    step = SAMPLE_RATE // 10
    every = int(args.every * SAMPLE_RATE)
    first_snapshot = None
    with tempfile.TemporaryDirectory() as folder:
        writer = history.SessionWriter(Path(folder))

        def sample(fed: int) -> None:
            row = {"audio_min": fed / SAMPLE_RATE / 60, "rss": rss_mib(),
                   "decode_s": model.seconds, "decodes": model.count,
                   "sentences": sentences, **mallinfo()}
            if args.tracemalloc:
                row["python"] = tracemalloc.get_traced_memory()[0] / 2**20
            samples.append(row)

        if args.tracemalloc:
            tracemalloc.start(8)
        started = time.perf_counter()
        sample(0)
        for fed in range(0, audio.size, step):
            for event in recognizer.feed(audio[fed:fed + step]):
                if isinstance(event, Sentence):
                    sentences += 1
                    writer.sentence(event)
                subtitles.apply(event)
            if (fed + step) % every < step:
                sample(fed + step)
                if args.tracemalloc and first_snapshot is None:
                    first_snapshot = tracemalloc.take_snapshot()
        for event in recognizer.finish():
            subtitles.apply(event)
        sample(audio.size)
        wall = time.perf_counter() - started
        writer.close()
    growth: list[str] = []
    if args.tracemalloc and first_snapshot is not None:
        stats = tracemalloc.take_snapshot().compare_to(first_snapshot, "traceback")
        for stat in stats[:6]:
            where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}"
                                for f in reversed(stat.traceback[-3:]))
            growth.append(f"{stat.size_diff / 1024:+.0f} KiB in {stat.count_diff:+d} blocks "
                          f"at {where}")
    return {"samples": samples, "wall_s": wall, "sentences": sentences,
            "lines": len(subtitles.lines), "growth": growth,
            "decode_ms_per_audio_s": 1000 * model.seconds / (audio.size / SAMPLE_RATE),
            "decode_ms_mean": 1000 * model.seconds / max(model.count, 1)}


def run_variant(name: str, args: argparse.Namespace) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MALLOC_", "MKL_", "ONEDNN_", "DNNL_"))}
    env.update(VARIANTS[name], PYTHONPATH=str(ROOT))
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [sys.executable, "-m", "benchmarks.bench_memory", "--child", name,
                   "--minutes", str(args.minutes), "--every", str(args.every),
                   "--threads", str(args.threads), "--out", out.name]
        if args.tracemalloc:
            command.append("--tracemalloc")
        subprocess.run(command, env=env, check=True, cwd=ROOT)
        result: dict[str, Any] = json.loads(Path(out.name).read_text("utf-8"))
    return result


def plateau(samples: list[dict[str, float]], key: str) -> tuple[float, float, float]:
    """(value after the first sample, the mean of the middle third, the mean of the last
    third) of ``key``."""
    values = [s[key] for s in samples[1:]]
    third = max(len(values) // 3, 1)
    return values[0], statistics.mean(values[third:2 * third] or values), \
        statistics.mean(values[-third:])


def table(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    rows = [
        f"{args.minutes:g} min of audio per variant (the shared clips repeated), fed in 0.1-s "
        f"pieces as fast as decoded, live recognizer ({args.threads} decode threads); memory "
        f"sampled every {args.every:g} s of audio.",
        "",
        "| variant | sentences | decode s per s of audio | RSS first MiB | RSS middle third "
        "MiB | RSS last third MiB | RSS end MiB | heap in use, last third MiB | heap free "
        "but kept, last third MiB |" + (" Python heap first → end MiB |" if args.tracemalloc
                                         else ""),
        "|---|---|---|---|---|---|---|---|---|" + ("---|" if args.tracemalloc else ""),
    ]
    for name, result in results.items():
        samples = result["samples"]
        first, middle, last = plateau(samples, "rss")
        in_use = plateau(samples, "in_use")[2] if "in_use" in samples[0] else float("nan")
        kept = plateau(samples, "free_kept")[2] if "free_kept" in samples[0] else float("nan")
        row = (f"| {name} | {result['sentences']} | {result['decode_ms_per_audio_s'] / 1000:.2f} | "
               f"{first:.0f} | {middle:.0f} | {last:.0f} | {samples[-1]['rss']:.0f} | "
               f"{in_use:.0f} | {kept:.0f} |")
        if args.tracemalloc:
            row += f" {samples[1]['python']:.1f} → {samples[-1]['python']:.1f} |"
        rows.append(row)
    return "\n".join(rows)


def curves(results: dict[str, dict[str, Any]]) -> str:
    out = []
    for name, result in results.items():
        out.append(f"{name}: RSS MiB at each sample: " + " ".join(
            f"{s['rss']:.0f}" for s in result["samples"]))
        if "in_use" in result["samples"][0]:
            out.append(f"{name}: glibc heap in use / free kept / mmapped MiB: " + " ".join(
                f"{s['in_use']:.0f}/{s['free_kept']:.0f}/{s['mmapped']:.0f}"
                for s in result["samples"]))
        for line in result["growth"]:
            out.append(f"    {line}")
    return "\n\n".join(out)


def main() -> int:
    from benchmarks.common import arguments

    parser = arguments(__doc__)
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--every", type=float, default=60.0, help="seconds of audio")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--variants", default="onednn1024,default,onednn0")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        Path(args.out).write_text(json.dumps(child(args)), "utf-8")
        return 0
    names = [n.strip() for n in args.variants.split(",") if n.strip()]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        parser.error(f"unknown variants {unknown}; known: {', '.join(VARIANTS)}")
    results = {name: run_variant(name, args) for name in names}
    text = table(results, args)
    notes = curves(results)
    print(text)
    print()
    print(notes)
    if args.record:
        from benchmarks.common import append_results

        append_results("Memory over a live session: RSS, glibc heap, Python heap", text, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
