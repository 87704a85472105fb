"""Both sides of a call at 1×: two streams, two recognizers, one model, one loop.

The other side ("Them") and you ("Me") talk in turn: two tracks of the same length, each
holding the English clips where the other track is silent, replayed at 1× as two captures
would deliver them, through :func:`whispertrans_tray.app.both`'s timeline (one decode at a
time).  The baseline, in the same run: the same "Them" track with the microphone silent.

Per side: sentence lag (commit wall time − end of its last word, stream time) p50/p99, the
feed lag (audio arrived but not yet fed) p99 and its mean over the first and last third of
the run (flat or growing), and nothing lost: every turn (one clip) must come out on its own
side with WER ≤ 0.5, and no turn's words on the other side.

    python -m benchmarks.bench_both [--minutes 10] [--baseline-minutes 10] [--record]
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmarks.common import DATA, arguments, error_rate, live_recognizer, percentile, publish

CLIPS = ("jfk.flac", "en_librispeech.wav")
GAP_S = 1.5


@dataclass
class Turn:
    side: str
    start: float
    end: float
    reference: str


@dataclass
class Side:
    name: str
    track: Any
    lags: list[float] = field(default_factory=list)
    sentences: list[Any] = field(default_factory=list)
    stats: Any = None


def tracks(minutes: float) -> tuple[Any, Any, list[Turn]]:
    """The two tracks (Them, Me) talking in turn, and the turns."""
    from benchmarks.bench_file_mode import references
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import SAMPLE_RATE

    known = references()
    clips = [(live.read_audio(DATA / name), known[name][1]) for name in CLIPS]
    them: list[np.ndarray] = []
    me: list[np.ndarray] = []
    turns: list[Turn] = []
    at, n = 0, 0
    gap = np.zeros(int(GAP_S * SAMPLE_RATE), np.float32)
    while at < minutes * 60 * SAMPLE_RATE:
        audio, text = clips[(n // 2 + n) % len(clips)]  # each side says each clip in turn
        side = "Them" if n % 2 == 0 else "Me"
        piece = np.concatenate([audio, gap])
        silent = np.zeros_like(piece)
        them.append(piece if side == "Them" else silent)
        me.append(piece if side == "Me" else silent)
        turns.append(Turn(side, at / SAMPLE_RATE, (at + audio.size) / SAMPLE_RATE, text))
        at += piece.size
        n += 1
    return np.concatenate(them), np.concatenate(me), turns


def run(sides: list[Side], asr: Any, model: Any) -> float:
    """Replay ``sides`` at 1× through one timeline; the wall seconds."""
    from whispertrans_tray.app import live
    from whispertrans_tray.app.timeline import Stream, timeline
    from whispertrans_tray.core.types import Sentence

    started = time.perf_counter()
    streams, by_name = [], {}
    for side in sides:
        side.stats = live.RunStats()
        recognizer = live_recognizer(asr, model)
        chunks = live.file_chunks(side.track, True, side.stats)
        streams.append(Stream(chunks, recognizer, lambda: time.perf_counter() - started,
                              side.name, talking=lambda r=recognizer: r.window_seconds > 0))
        by_name[side.name] = side
    for event in timeline(streams):
        if isinstance(event, Sentence):
            side = by_name[event.speaker]
            side.lags.append(time.perf_counter() - started - event.end)
            side.sentences.append(event)
    return time.perf_counter() - started


def lost(side: Side, others: list[Side], turns: list[Turn]) -> tuple[int, int, float]:
    """(turns lost, turns heard on the wrong side, WER of the side's turns)."""
    missing, wrong, errors = 0, 0, []
    for turn in (t for t in turns if t.side == side.name):
        def said(s: Side, turn: Turn = turn) -> str:
            return " ".join(x.text for x in s.sentences
                            if turn.start - 1 <= (x.start + x.end) / 2 <= turn.end + 1)
        rate = error_rate(turn.reference, said(side))
        errors.append(rate)
        missing += rate > 0.5
        wrong += any(said(o).strip() for o in others)
    return missing, wrong, statistics.mean(errors) if errors else float("nan")


def row(label: str, side: Side, turns: list[Turn], others: list[Side]) -> str:
    feed = [lag for _, lag in side.stats.lag]
    third = max(len(feed) // 3, 1)
    missing, wrong, wer = lost(side, others, turns)
    n_turns = sum(t.side == side.name for t in turns)
    return (f"| {label} | {side.name} | {len(side.sentences)} | "
            f"{percentile(side.lags, 0.5):.2f} | {percentile(side.lags, 0.99):.2f} | "
            f"{max(side.lags, default=float('nan')):.2f} | {percentile(feed, 0.99):.2f} | "
            f"{statistics.mean(feed[:third]):.2f} / {statistics.mean(feed[-third:]):.2f} | "
            f"{missing}/{n_turns} | {wrong} | {wer:.3f} |")


def main() -> None:
    parser = arguments(__doc__, "threads")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--baseline-minutes", type=float, default=None,
                        help="length of the one-side baseline (default: --minutes)")
    args = parser.parse_args()
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings

    asr = AsrSettings(device="cpu", cpu_threads=args.threads, language="en")
    model = asr_faster_whisper.load(asr)
    base_minutes = args.baseline_minutes or args.minutes
    them, _, base_turns = tracks(base_minutes)
    base = [Side("Them", them), Side("Me", np.zeros_like(them))]
    base_turns = [t for t in base_turns if t.side == "Them"]
    run(base, asr, model)
    them, me, turns = tracks(args.minutes)
    call = [Side("Them", them), Side("Me", me)]
    wall = run(call, asr, model)
    ratio = percentile(call[0].lags, 0.99) / percentile(base[0].lags, 0.99)
    table = "\n".join([
        f"{args.minutes:g} min of both sides in turn ({len(turns)} turns of {', '.join(CLIPS)}"
        f", {GAP_S:g} s apart), {args.threads} decode threads, one model, wall {wall:.0f} s; "
        f"baseline: {base_minutes:g} min of the same Them track, microphone silent.",
        "",
        "| run | side | sentences | lag p50 s | lag p99 s | lag max s | feed lag p99 s | "
        "feed lag mean first / last third s | turns lost | turns on the wrong side | "
        "mean WER |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        row("baseline (Me silent)", base[0], base_turns, base[1:]),
        row("both in turn", call[0], turns, call[1:]),
        row("both in turn", call[1], turns, call[:1]),
        "",
        f"Them's lag p99, both / baseline: {ratio:.2f}×.",
    ])
    publish(table, args.record, "Both sides of a call (system audio + microphone, 1×)")


if __name__ == "__main__":
    main()
