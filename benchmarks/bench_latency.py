"""Speech end → committed sentence latency, replaying the shared clips at 1× speed.

Each clip is replayed in real time through the live pipeline (partials on, as in the tray app).
For every committed sentence the latency is the wall time at which it was committed minus the
stream time at which its last word ended (speech end).  Lag is how far the consumer fell behind
the arrival of audio at worst.  p50/p90 over all sentences.

    python -m benchmarks.bench_latency [--clips jfk.flac,...] [--language auto|en|...]
                                       [--no-speculative] [--no-early-commit] [--record]

Ratios to one decode (of 2 s of audio, measured in the same run) are what compare across
machines.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time
from pathlib import Path

from benchmarks.common import percentile

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CLIPS = "jfk.flac,en_librispeech.wav,zh_aishell.wav,multilingual.mp3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clips", default=CLIPS)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--language", default="auto",
                        help="auto (detect), or a Whisper code given to every clip")
    parser.add_argument("--no-speculative", action="store_true",
                        help="switch speculative finals off (the previous behaviour)")
    parser.add_argument("--no-early-commit", action="store_true",
                        help="wait for the VAD's silence even after a whole sentence")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    from opencc import OpenCC

    from benchmarks.bench_encoder_context import Timed
    from benchmarks.bench_file_mode import references
    from tests.textnorm import cer, wer
    from whispertrans_tray.app import live
    from whispertrans_tray.core.recognizer import StreamingRecognizer
    from whispertrans_tray.core.types import Event, Sentence
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.providers.chinese_script import ChineseScript
    from whispertrans_tray.providers.vad_silero import SileroVad
    from whispertrans_tray.settings import AsrSettings

    asr = AsrSettings(device="cpu", cpu_threads=args.threads, language=args.language)
    model = asr_faster_whisper.load(asr)
    t = time.perf_counter()
    model.transcribe(live.read_audio(DATA / "jfk.flac")[:32000], "en")
    one_decode = time.perf_counter() - t
    rows = []
    latencies: list[float] = []
    worst_lag = 0.0
    finals: list[float] = []  # durations of the final and speculative decodes
    by_clip: dict[str, list[float]] = {}
    language = None if args.language == "auto" else args.language
    to_simplified = OpenCC("t2s")
    for name in args.clips.split(","):
        audio = live.read_audio(DATA / name)
        config = dataclasses.replace(live.recognizer_config(asr, live=True),
                                     speculative_finals=not args.no_speculative,
                                     commit_sentence_at_dip=not args.no_early_commit)
        timed = Timed(model)
        recognizer = StreamingRecognizer(timed, SileroVad(), config,
                                         ChineseScript(asr.chinese_script))
        clip_latencies: list[float] = []
        texts: list[str] = []
        started = time.perf_counter()

        def on_event(event: Event, out: list[float] = clip_latencies, t0: float = started,
                     said: list[str] = texts) -> None:
            if isinstance(event, Sentence):
                out.append(time.perf_counter() - t0 - event.end)
                said.append(event.text)

        stats = live.run(audio, recognizer, on_event, realtime=True)
        finals += timed.finals
        by_clip[name] = clip_latencies
        latencies += clip_latencies
        if name == "multilingual.mp3":
            segments, _ = model.model.transcribe(audio, multilingual=True,
                                                 beam_size=model.beam_size, vad_filter=True,
                                                 condition_on_previous_text=False)
            ref, offline = " ".join(s.text for s in segments), None
        else:
            ref, offline = references()[name][1], model.transcribe_offline(audio, language)[0]
        if name.startswith("zh"):
            errors = [cer(ref, to_simplified.convert(" ".join(texts)))] + (
                [cer(ref, to_simplified.convert(offline))] if offline is not None else [])
        else:
            errors = [wer(ref, " ".join(texts))] + (
                [wer(ref, offline)] if offline is not None else [])
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
        f"Language: {args.language}; speculative finals: "
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
    print(table)
    if args.record:
        from benchmarks.common import append_results

        append_results("Speech end → committed sentence (live pipeline, 1× replay)", table,
                       "Latency = wall time of the commit − stream time of the sentence's last "
                       "word. Sentences split at punctuation inside an utterance during speech "
                       "commit before speech ends, which lowers p50.")


if __name__ == "__main__":
    main()
