"""A/B: commit a speculative final that ends a sentence at the dip, or wait for the VAD.

Same replay as bench_latency (1×, live pipeline), with ``commit_sentence_at_dip`` on and off
run one after the other on each clip, ``--repeat`` times, so both variants see the same load
on a shared machine.  Per variant: speech end → committed p50/p90 (seconds and × one decode of
2 s, measured before every pair), the continuous-speech clip's p50, and WER (CER zh) against
the references (multilingual.mp3: against faster-whisper's offline transcript).

    python -m benchmarks.bench_early_commit [--language auto|en] [--repeat 2] [--record]
"""

from __future__ import annotations

from benchmarks.common import (
    DATA,
    arguments,
    decode_seconds,
    error_rate,
    live_recognizer,
    load_model,
    offline_multilingual,
    percentile,
    publish,
    replay,
)


def main() -> None:
    parser = arguments(__doc__, "clips", "threads", "language")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    from benchmarks.bench_file_mode import references
    from whispertrans_tray.app import live

    asr, model = load_model(args)
    refs = {name: ref for name, (_, ref) in references().items()}
    two = live.read_audio(DATA / "jfk.flac")[:32000]
    decodes: list[float] = []
    variants = {"on": True, "off": False}
    lat: dict[str, dict[str, list[float]]] = {v: {} for v in variants}
    errors: dict[str, dict[str, list[float]]] = {v: {} for v in variants}
    for name in args.clips.split(","):
        audio = live.read_audio(DATA / name)
        if name == "multilingual.mp3":
            refs[name] = offline_multilingual(model, audio)
        for _ in range(args.repeat):
            decodes.append(decode_seconds(model, two))
            for variant, early in variants.items():
                recognizer = live_recognizer(asr, model, commit_sentence_at_dip=early)
                latencies, said, _ = replay(recognizer, audio)
                lat[variant].setdefault(name, []).extend(latencies)
                errors[variant].setdefault(name, []).append(
                    error_rate(refs[name], " ".join(said), name.startswith("zh")))
    decode = percentile(decodes, 0.5)
    rows = []
    for variant in variants:
        every = [x for values in lat[variant].values() for x in values]
        cont = lat[variant].get("multilingual.mp3", [])
        p50, p90, c50 = (percentile(every, 0.5), percentile(every, 0.9),
                         percentile(cont, 0.5))
        scores = " / ".join(f"{sum(e) / len(e):.3f}" for e in errors[variant].values())
        rows.append(f"| {variant} | {len(every)} | {p50:.2f} ({p50 / decode:.2f}×) | "
                    f"{p90:.2f} ({p90 / decode:.2f}×) | {c50:.2f} ({c50 / decode:.2f}×) | "
                    f"{scores} |")
        print(rows[-1], flush=True)
    table = "\n".join([
        f"Language: {args.language}; {args.repeat} replays of each clip per variant, "
        f"alternating; one decode of 2 s of audio: median {decode:.2f} s "
        f"(min {min(decodes):.2f}, max {max(decodes):.2f}).",
        "",
        "| commit at dip | sentences | p50 s | p90 s | multilingual.mp3 p50 s | "
        "mean WER (CER zh) " + " / ".join(args.clips.split(",")) + " |",
        "|---|---|---|---|---|---|",
        *rows,
    ])
    publish(table, args.record, "Commit a whole sentence at the dip: on vs off (A/B)",
            "The 2-core machine was shared with other helpers' test runs: only the two rows of "
            "one run compare.")


if __name__ == "__main__":
    main()
