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

import time
from typing import Any

from benchmarks.common import (
    CLIPS,
    DATA,
    arguments,
    decode_seconds,
    load_model,
    offline_multilingual,
    percentile,
    publish,
    scored,
)


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
    parser = arguments(__doc__, "threads", "language")
    parser.add_argument("--pads", default="full,4,2,1",
                        help="encoder padding after the audio, in seconds ('full': 30-s window)")
    args = parser.parse_args()

    from tests.conftest import reference
    from whispertrans_tray.__main__ import build_recognizer
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import SAMPLE_RATE, Sentence
    from whispertrans_tray.providers.asr_faster_whisper import FasterWhisper

    asr, loaded = load_model(args)
    audio = {name: live.read_audio(DATA / name) for name in CLIPS}
    offline_ml = offline_multilingual(loaded, audio["multilingual.mp3"])
    rows = []
    for pad in args.pads.split(","):
        model = FasterWhisper(loaded.model, loaded.info, loaded.beam_size,
                              None if pad == "full" else float(pad))
        two = audio["jfk.flac"][: 2 * SAMPLE_RATE]
        model.transcribe(two, "en")
        runs = [decode_seconds(model, two) for _ in range(3)]
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
            if name == "multilingual.mp3":
                scores.append(scored(offline_ml, text))
            else:
                scores.append(scored(reference(name), text, name == "zh_aishell.wav"))
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
    publish(table, args.record, "Encoder context: accuracy and time",
            "multilingual.mp3 is scored against the offline full-context transcript of the same "
            "model (faster-whisper, language detected per 30-s segment: streaming vs offline); "
            "the others against their references (zh: CER after Traditional → Simplified).")


if __name__ == "__main__":
    main()
