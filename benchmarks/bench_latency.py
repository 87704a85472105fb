"""Speech end → committed sentence latency, replaying the shared clips at 1× speed.

Each clip is replayed in real time through the live pipeline (partials on, as in the tray app).
For every committed sentence the latency is the wall time at which it was committed minus the
stream time at which its last word ended (speech end).  Lag is how far the consumer fell behind
the arrival of audio at worst.  p50/p90 over all sentences.

    python -m benchmarks.bench_latency [--clips jfk.flac,...] [--language auto|given|en|...]
                                       [--no-speculative] [--no-early-commit] [--record]

``--language given`` gives each clip its own language from tests/data/MANIFEST.tsv (as a
user who set the speaker's language would); a clip in two languages (multilingual.mp3) is left
to detection.  Ratios to one decode (of 2 s of audio, measured in the same run) are what
compare across machines.
"""

from __future__ import annotations

import dataclasses
import statistics

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
    parser.add_argument("--no-speculative", action="store_true",
                        help="switch speculative finals off (the previous behaviour)")
    parser.add_argument("--no-early-commit", action="store_true",
                        help="wait for the VAD's silence even after a whole sentence")
    args = parser.parse_args()

    from benchmarks.bench_encoder_context import Timed
    from benchmarks.bench_file_mode import references
    from whispertrans_tray.app import live

    asr, model = load_model(args)
    one_decode = decode_seconds(model, live.read_audio(DATA / "jfk.flac")[:32000])
    rows = []
    latencies: list[float] = []
    worst_lag = 0.0
    finals: list[float] = []  # durations of the final and speculative decodes
    by_clip: dict[str, list[float]] = {}
    for name in args.clips.split(","):
        audio = live.read_audio(DATA / name)
        clip_asr = dataclasses.replace(asr, language=clip_language(args.language, name))
        language = None if clip_asr.language == "auto" else clip_asr.language
        timed = Timed(model)
        recognizer = live_recognizer(clip_asr, timed,
                                     speculative_finals=not args.no_speculative,
                                     commit_sentence_at_dip=not args.no_early_commit)
        clip_latencies, texts, stats = replay(recognizer, audio)
        finals += timed.finals
        by_clip[name] = clip_latencies
        latencies += clip_latencies
        if name == "multilingual.mp3":
            ref, offline = offline_multilingual(model, audio), None
        else:
            ref, offline = references()[name][1], model.transcribe_offline(audio, language)[0]
        chinese = name.startswith("zh")
        errors = [error_rate(ref, text, chinese)
                  for text in (" ".join(texts), offline) if text is not None]
        worst_lag = max(worst_lag, stats.max_lag_seconds)
        rows.append(f"| {name} | {len(clip_latencies)} | {percentile(clip_latencies, 0.5):.2f} | "
                    f"{percentile(clip_latencies, 0.9):.2f} | {stats.max_lag_seconds:.2f} | "
                    f"{recognizer.decodes['final']} / {recognizer.decodes['partial']} / "
                    f"{recognizer.decodes['speculative']} ({recognizer.decodes['speculative_used']}"
                    " used) | " + " / ".join(f"{e:.3f}" for e in errors) + " |")
    vad_wait = asr.min_silence_ms / 1000
    table = "\n".join([
        f"One decode of 2 s of audio: {one_decode:.2f} s; VAD end-of-speech wait "
        f"{vad_wait:.1f} s; target p50 ≤ wait + 1.3 × decode = "
        f"{vad_wait + 1.3 * one_decode:.2f} s.",
        "",
        f"Language: {args.language}"
        + (" (" + ", ".join(f"{n} {clip_language('given', n)}" for n in args.clips.split(","))
           + ")" if args.language == "given" else "") + "; speculative finals: "
        f"{'off' if args.no_speculative else 'on'}; commit a whole sentence at a dip: "
        f"{'off' if args.no_early_commit else 'on'}.",
        "",
        "| clip | sentences | p50 s | p90 s | max lag s | decodes final / partial / "
        "speculative | WER (CER zh) streamed / offline |",
        "|---|---|---|---|---|---|---|",
        *rows,
        f"| **all** | {len(latencies)} | {percentile(latencies, 0.5):.2f} | "
        f"{percentile(latencies, 0.9):.2f} | {worst_lag:.2f} | | |",
        "",
        f"mean {statistics.mean(latencies):.2f} s; p50 = "
        f"{percentile(latencies, 0.5) / one_decode:.2f} × decode, p90 = "
        f"{percentile(latencies, 0.9) / one_decode:.2f} × decode",
        "",
        f"Final and speculative decodes in this run: {len(finals)}, median "
        f"{percentile(finals, 0.5):.2f} s; p50 = "
        f"{percentile(latencies, 0.5) / percentile(finals, 0.5):.2f} × that, p90 = "
        f"{percentile(latencies, 0.9) / percentile(finals, 0.5):.2f} × that"
        + "".join(f"; {n} p50 = {percentile(v, 0.5) / one_decode:.2f} × decode"
                  for n, v in by_clip.items() if n == "multilingual.mp3"),
    ])
    publish(table, args.record, "Speech end → committed sentence (live pipeline, 1× replay)",
            "Latency = wall time of the commit − stream time of the sentence's last word. "
            "Sentences split at punctuation inside an utterance during speech commit before "
            "speech ends, which lowers p50.")


def clip_language(option: str, clip: str) -> str:
    """The language ``clip`` is recognized in: ``option`` (auto, or a code for every clip), or
    with ``given`` the clip's own from the manifest (auto for a clip in two languages)."""
    if option != "given":
        return option
    from benchmarks.bench_file_mode import references

    own = references()[clip][0]
    return "auto" if "+" in own else own


if __name__ == "__main__":
    main()
