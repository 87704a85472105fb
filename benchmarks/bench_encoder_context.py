"""What a shorter encoder context costs in accuracy and saves in time (bundled Whisper base).

Whisper's encoder always sees a 30-s window (the audio padded with silence); CTranslate2 also
encodes shorter inputs, as whisper.cpp's ``audio_ctx`` does. For each setting the shared clips
are streamed through the live recognizer (0.5-s pieces, as fast as it takes them, so the run is
compute-bound and comparable under load), and we report the decode time per second of audio,
one decode of 2 s, and WER/CER against the references (multilingual.mp3: against the offline
full-context transcript of the same model, language detected per 30-s segment).

    python -m benchmarks.bench_encoder_context [--pads full,4,2,1] [--language auto] [--record]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from benchmarks.common import percentile

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CLIPS = ("jfk.flac", "en_librispeech.wav", "zh_aishell.wav", "multilingual.mp3")


class Timed:
    """A transcriber that adds up the time its decodes take."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seconds = 0.0
        self.calls = 0
        self.finals: list[float] = []  # durations of the non-draft decodes

    def transcribe(self, audio: Any, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None) -> Any:
        started = time.perf_counter()
        try:
            return self.inner.transcribe(audio, language, prompt, draft, prefer)
        finally:
            self.seconds += time.perf_counter() - started
            self.calls += 1
            if not draft:
                self.finals.append(time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pads", default="full,4,2,1",
                        help="encoder padding after the audio, in seconds ('full': 30-s window)")
    parser.add_argument("--language", default="auto")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()

    from opencc import OpenCC

    from tests.conftest import reference
    from tests.textnorm import cer, wer
    from whispertrans_tray.__main__ import build_recognizer
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import SAMPLE_RATE, Sentence
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.providers.asr_faster_whisper import FasterWhisper
    from whispertrans_tray.settings import AsrSettings

    asr = AsrSettings(device="cpu", cpu_threads=args.threads, language=args.language)
    loaded = asr_faster_whisper.load(asr)
    audio = {name: live.read_audio(DATA / name) for name in CLIPS}
    # faster-whisper's own offline transcription, language detected per 30-s segment
    segments, _ = loaded.model.transcribe(audio["multilingual.mp3"], multilingual=True,
                                          beam_size=loaded.beam_size, vad_filter=True,
                                          condition_on_previous_text=False)
    offline_ml = " ".join(s.text for s in segments)
    to_simplified = OpenCC("t2s")
    rows = []
    for pad in args.pads.split(","):
        model = FasterWhisper(loaded.model, loaded.info, loaded.beam_size,
                              None if pad == "full" else float(pad))
        two = audio["jfk.flac"][: 2 * SAMPLE_RATE]
        model.transcribe(two, "en")
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            model.transcribe(two, "en")
            runs.append(time.perf_counter() - started)
        timed = Timed(model)
        scores = []
        seconds = 0.0
        for name in CLIPS:
            recognizer = build_recognizer(asr, timed, live=True)
            clip = audio[name]
            seconds += clip.size / SAMPLE_RATE
            events = []
            step = SAMPLE_RATE // 2
            for i in range(0, clip.size, step):
                events.extend(recognizer.feed(clip[i:i + step]))
            events.extend(recognizer.finish())
            text = " ".join(e.text for e in events if isinstance(e, Sentence))
            if name == "zh_aishell.wav":
                scores.append(f"CER {cer(reference(name), to_simplified.convert(text)):.3f}")
            elif name == "multilingual.mp3":
                scores.append(f"WER {wer(offline_ml, text):.3f}")
            else:
                scores.append(f"WER {wer(reference(name), text):.3f}")
        rows.append(f"| {pad} | {percentile(runs, 0.5):.2f} | {timed.seconds / seconds:.3f} | "
                    f"{timed.calls} | " + " | ".join(scores) + " |")
        print(rows[-1], flush=True)
    table = "\n".join([
        f"Language: {args.language}; live recognizer, 0.5-s pieces fed as fast as taken.",
        "",
        "| encoder pad s | one 2-s decode s | decode s per audio s | decodes | "
        + " | ".join(CLIPS) + " |",
        "|---|---|---|---|" + "---|" * len(CLIPS),
        *rows,
    ])
    print(table)
    if args.record:
        from benchmarks.common import append_results

        append_results("Encoder context: accuracy and time", table,
                       "multilingual.mp3 is scored against the offline full-context transcript "
                       "of the same model (faster-whisper, language detected per 30-s segment: "
                       "streaming vs offline); the others against their "
                       "references (zh: CER after Traditional → Simplified).")


if __name__ == "__main__":
    main()
