"""A/B: commit a speculative final that ends a sentence at the dip, or wait for the VAD.

Same replay as bench_latency (1×, live pipeline), with ``commit_sentence_at_dip`` on and off
run one after the other on each clip, ``--repeat`` times, so both variants see the same load
on a shared machine.  Per variant: speech end → committed p50/p90 (seconds and × one decode of
2 s, measured before every pair), the continuous-speech clip's p50, and WER (CER zh) against
the references (multilingual.mp3: against faster-whisper's offline transcript).

    python -m benchmarks.bench_early_commit [--language auto|en] [--repeat 2] [--record]
"""

from __future__ import annotations

import argparse
import dataclasses
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
    parser.add_argument("--language", default="auto")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()

    from opencc import OpenCC

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
    refs = {name: ref for name, (_, ref) in references().items()}
    to_simplified = OpenCC("t2s")
    two = live.read_audio(DATA / "jfk.flac")[:32000]
    decodes: list[float] = []
    variants = {"on": True, "off": False}
    lat: dict[str, dict[str, list[float]]] = {v: {} for v in variants}
    errors: dict[str, dict[str, list[float]]] = {v: {} for v in variants}
    for name in args.clips.split(","):
        audio = live.read_audio(DATA / name)
        if name == "multilingual.mp3":
            segments, _ = model.model.transcribe(audio, multilingual=True,
                                                  beam_size=model.beam_size, vad_filter=True,
                                                  condition_on_previous_text=False)
            refs[name] = " ".join(s.text for s in segments)
        for _ in range(args.repeat):
            t = time.perf_counter()
            model.transcribe(two, "en")
            decodes.append(time.perf_counter() - t)
            for variant, early in variants.items():
                config = dataclasses.replace(live.recognizer_config(asr, live=True),
                                             commit_sentence_at_dip=early)
                recognizer = StreamingRecognizer(model, SileroVad(), config,
                                                 ChineseScript(asr.chinese_script))
                out = lat[variant].setdefault(name, [])
                said: list[str] = []
                started = time.perf_counter()

                def on_event(event: Event, out: list[float] = out, t0: float = started,
                             said: list[str] = said) -> None:
                    if isinstance(event, Sentence):
                        out.append(time.perf_counter() - t0 - event.end)
                        said.append(event.text)

                live.run(audio, recognizer, on_event, realtime=True)
                text = " ".join(said)
                error = (cer(refs[name], to_simplified.convert(text)) if name.startswith("zh")
                         else wer(refs[name], text))
                errors[variant].setdefault(name, []).append(error)
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
    print(table)
    if args.record:
        from benchmarks.common import append_results

        append_results("Commit a whole sentence at the dip: on vs off (A/B)", table,
                       "The 2-core machine was shared with other helpers' test runs: only the "
                       "two rows of one run compare.")


if __name__ == "__main__":
    main()
