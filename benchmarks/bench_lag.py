"""Lag under load: a long replay of the shared clips at 1×, lag sampled at every step.

Lag is how much audio had arrived but was not yet fed to the recognizer (what a user sees as
subtitles running late).  It must stay flat: the mean lag of the last third of the run is
compared with the first third.  ``--cores 1 --threads 1`` forces overload (taskset pins the
process to one core), where the pipeline must degrade and stay current.

    python -m benchmarks.bench_lag [--minutes 10] [--cores 2] [--threads 2] [--record]
"""

from __future__ import annotations

import os
import statistics
from pathlib import Path

import numpy as np

from benchmarks.common import CLIPS, DATA, arguments, publish, replay


def long_audio(minutes: float) -> np.ndarray:
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import SAMPLE_RATE

    pieces = [live.read_audio(DATA / name) for name in CLIPS]
    gap = np.zeros(8000, dtype=np.float32)
    one = np.concatenate([x for p in pieces for x in (p, gap)])
    reps = max(1, int(np.ceil(minutes * 60 * SAMPLE_RATE / one.size)))
    return np.tile(one, reps)[: int(minutes * 60 * SAMPLE_RATE)]


def main() -> None:
    parser = arguments(__doc__, "threads")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--cores", type=int, default=0, help="pin to this many cores")
    parser.add_argument("--plot", type=Path, default=None)
    args = parser.parse_args()
    if args.plot:
        import importlib.util

        if importlib.util.find_spec("matplotlib") is None:
            parser.error("--plot needs matplotlib: .venv/bin/pip install -e '.[bench]'")
    if args.cores and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(range(args.cores)))

    from whispertrans_tray.__main__ import build_recognizer
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings

    asr = AsrSettings(device="cpu", cpu_threads=args.threads)
    model = asr_faster_whisper.load(asr)
    audio = long_audio(args.minutes)
    recognizer = build_recognizer(asr, model, live=True)
    _, sentences, stats = replay(recognizer, audio)
    lags = [lag for _, lag in stats.lag]
    third = max(len(lags) // 3, 1)
    first, last = statistics.mean(lags[:third]), statistics.mean(lags[-third:])
    p = np.percentile(lags, [50, 90, 99])
    table = "\n".join([
        f"{args.minutes:g} min replay, {args.cores or os.cpu_count()} cores, "
        f"{args.threads} decode threads: {len(sentences)} sentences, "
        f"decodes final/partial {recognizer.decodes['final']}/{recognizer.decodes['partial']}.",
        "",
        "| lag p50 s | p90 s | p99 s | max s | mean, first third s | mean, last third s |",
        "|---|---|---|---|---|---|",
        f"| {p[0]:.2f} | {p[1]:.2f} | {p[2]:.2f} | {stats.max_lag_seconds:.2f} | "
        f"{first:.2f} | {last:.2f} |",
    ])
    publish(table, args.record, "Lag under load (1× replay of concatenated clips)",
            f"Plot: `{args.plot}`." if args.plot else "")
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        xs, ys = zip(*stats.lag, strict=True)
        fig, ax = plt.subplots(figsize=(8, 3))
        ax.plot(np.array(xs) / 60, ys, linewidth=0.6)
        ax.set_xlabel("stream time (min)")
        ax.set_ylabel("lag (s)")
        ax.set_title(f"Lag at 1x, {args.cores or os.cpu_count()} cores")
        fig.tight_layout()
        fig.savefig(args.plot, dpi=100)


if __name__ == "__main__":
    main()
