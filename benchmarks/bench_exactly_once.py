"""Every sentence exactly once on a busy machine: 1× replays of a multi-sentence recording.

The recording of tests/oracle (four sentences, one said twice, pauses of 0.45–1.5 s, 37 s) is
replayed at 1× through the live pipeline (``live.run``, as ``listen --replay`` runs it) with the
bundled Whisper base model, ``--quiet`` times alone and ``--runs`` times beside ``--hogs``
CPU-bound processes, the two kinds of run interleaved.  Per run: sentences, sentences committed
twice or lost (runs of ≥ 4 words inserted or deleted against the reference), WER, speech end →
committed p50.  The loaded WER must stay within 1 point of the quiet one.

    python -m benchmarks.bench_exactly_once [--runs 10] [--quiet 4] [--hogs 1] [--record]
"""

from __future__ import annotations

import subprocess
import sys
from statistics import mean

from benchmarks.common import (
    arguments,
    error_rate,
    live_recognizer,
    load_model,
    percentile,
    publish,
    replay,
)


def _interleaved(quiet: int, loaded: int, hogs: int) -> list[tuple[str, int]]:
    """The runs in the order they are made: quiet ones spread evenly among the loaded ones."""
    order = [("loaded", hogs, (i + 0.5) / loaded) for i in range(loaded)]
    order += [("quiet", 0, (i + 0.5) / quiet) for i in range(quiet)]
    return [(label, count) for label, count, _ in sorted(order, key=lambda step: step[2])]


def main() -> None:
    parser = arguments(__doc__, "threads")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--quiet", type=int, default=4)
    parser.add_argument("--hogs", type=int, default=1)
    parser.set_defaults(language="en")
    args = parser.parse_args()

    from tests.oracle import recording
    from whispertrans_tray.app import live

    asr, model = load_model(args)
    audio = recording.build(live.read_audio)
    reference = recording.reference()
    rows: list[tuple[str, int, int, int, float, float]] = []
    # quiet and loaded runs alternate, so that whatever else the machine does meets both
    for label, hogs in _interleaved(args.quiet, args.runs, args.hogs):
        procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
                 for _ in range(hogs)]
        try:
            latencies, said, _ = replay(live_recognizer(asr, model), audio)
        finally:
            for proc in procs:
                proc.kill()
                proc.wait()
        text = " ".join(said)
        doubled, lost = recording.doubled_and_lost(reference, text)
        rows.append((label, len(said), len(doubled), len(lost), error_rate(reference, text),
                     percentile(latencies, 0.5)))
        print(*rows[-1], text, sep=" | ", flush=True)
    table = ["| runs | hogs | sentences (min–max) | doubled | lost | WER mean (max) | "
             "speech end → committed p50 |", "|---|---|---|---|---|---|---|"]
    wers: dict[str, float] = {}
    for label, hogs in (("quiet", 0), ("loaded", args.hogs)):
        mine = [r for r in rows if r[0] == label]
        if not mine:
            continue
        wers[label] = mean(r[4] for r in mine)
        table.append(
            f"| {len(mine)} {label} | {hogs} | {min(r[1] for r in mine)}–"
            f"{max(r[1] for r in mine)} | {sum(r[2] for r in mine)} | {sum(r[3] for r in mine)}"
            f" | {wers[label]:.3f} ({max(r[4] for r in mine):.3f}) | "
            f"{percentile([r[5] for r in mine], 0.5):.2f} s |")
    notes = ""
    if len(wers) == 2:
        notes = (f"Loaded − quiet WER: {100 * (wers['loaded'] - wers['quiet']):+.1f} points "
                 "(within 1 point is the target).")
    publish("\n".join(table), args.record,
            "Every sentence exactly once under CPU load (bench_exactly_once)", notes)


if __name__ == "__main__":
    main()
