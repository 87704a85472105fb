"""A multi-sentence recording with known word times, for the exactly-once tests.

The recording is the test clips joined with pauses of different lengths (a short dip, a pause
that confirms an end, a long one), about 25 s of four English sentences like the recording the
fault was found with.  Its word times were computed once with faster-whisper (the bundled
Whisper base model, ``word_timestamps=True``) on the whole recording and are stored in
``word_times.json`` beside this file; ``python -m tests.oracle.recording`` computes them again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np

from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Word

HERE = Path(__file__).parent
DATA = HERE.parent / "data"
WORD_TIMES = HERE / "word_times.json"

PIECES: tuple[tuple[str, float], ...] = (
    # (clip, seconds of silence after it)
    ("jfk.flac", 0.45),  # a dip shorter than the VAD's end-of-speech wait
    ("en_librispeech.wav", 1.2),
    ("kubernetes_espeak.wav", 0.7),
    ("jfk.flac", 1.5),  # the same words again: real repeats must be committed twice
)
DITHER = 1e-4
"""Quiet deterministic noise added everywhere, so that every stretch of the recording (the
silences too) is unique and a transcriber handed a slice of it can tell where it lies."""


def build(load: Callable[[Path], Audio]) -> Audio:
    """The recording, from the clips in tests/data read by ``load``."""
    parts: list[Audio] = []
    for name, pause in PIECES:
        parts.append(load(DATA / name))
        parts.append(np.zeros(int(pause * SAMPLE_RATE), dtype=np.float32))
    audio = np.concatenate(parts)
    noise = np.random.default_rng(20).standard_normal(audio.size).astype(np.float32)
    return (audio + DITHER * noise).astype(np.float32)


def word_times() -> list[Word]:
    """The stored word times of :func:`build`'s recording (seconds)."""
    rows = json.loads(WORD_TIMES.read_text(encoding="utf-8"))["words"]
    return [Word(float(r["start"]), float(r["end"]), str(r["text"])) for r in rows]


def voiced(audio: Audio, start: float, end: float, frame_s: float = 0.01) -> tuple[float, float]:
    """The part of ``[start, end]`` where there is sound: Whisper's word times include the
    silence before a word (a word after a pause can start a second early) and may take in
    the end of the word before: the word is its longest stretch of sound."""
    frame = int(frame_s * SAMPLE_RATE)
    loud = 0.03 * float(np.sqrt(np.mean(audio ** 2))) * 10
    first, last = int(start * SAMPLE_RATE), int(end * SAMPLE_RATE)
    loud_frames = [i for i in range(first, max(last - frame, first) + 1, frame)
                   if float(np.sqrt(np.mean(audio[i:i + frame] ** 2))) > loud]
    runs: list[list[int]] = []  # runs of loud frames, gaps under 50 ms bridged
    for i in loud_frames:
        if runs and i - runs[-1][-1] <= 5 * frame:
            runs[-1].append(i)
        else:
            runs.append([i])
    if not runs:
        return start, end
    longest = max(runs, key=lambda run: run[-1] - run[0])  # the word, not a neighbour's edge
    return longest[0] / SAMPLE_RATE, min((longest[-1] + frame) / SAMPLE_RATE, end)


def _compute() -> None:  # pragma: no cover - run by hand when PIECES change
    from faster_whisper import WhisperModel

    from whispertrans_tray.app.live import read_audio
    from whispertrans_tray.providers import model_store

    audio = build(read_audio)
    model = WhisperModel(str(model_store.bundled_base()), device="cpu", compute_type="int8")
    segments, _ = model.transcribe(audio, language="en", word_timestamps=True, beam_size=5,
                                   condition_on_previous_text=False)
    words = [{"start": round(start, 3), "end": round(end, 3), "text": w.word}
             for s in segments for w in (s.words or [])
             for start, end in [voiced(audio, w.start, w.end)]]
    WORD_TIMES.write_text(json.dumps({
        "recording": [list(p) for p in PIECES], "dither": DITHER,
        "model": "Whisper base (bundled), int8, beam 5, language en, word_timestamps",
        "seconds": round(audio.size / SAMPLE_RATE, 3), "words": words,
    }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(words)} words, {audio.size / SAMPLE_RATE:.2f} s -> {WORD_TIMES}")


if __name__ == "__main__":  # pragma: no cover
    _compute()


def reference() -> str:
    """The recording's reference transcript: its clips' references (tests/data/MANIFEST.tsv)
    in order."""
    from tests.conftest import reference as clip_reference

    return " ".join(clip_reference(name) for name, _ in PIECES)


RUN_WORDS = 4
"""Consecutive words inserted or deleted (against the reference) that make a sentence doubled
or lost, not a model's slip."""


def doubled_and_lost(reference_text: str, hypothesis: str) -> tuple[list[str], list[str]]:
    """Runs of at least :data:`RUN_WORDS` words ``hypothesis`` has more than the reference
    (a sentence committed twice) and less (a sentence never committed), aligned word by word
    without case or punctuation; substitutions (the model's own errors) count as neither."""
    import jiwer

    from tests.textnorm import words

    ref, hyp = words(reference_text), words(hypothesis)
    out = jiwer.process_words(ref, hyp)
    ref_words, hyp_words = ref.split(), hyp.split()
    doubled, lost = [], []
    for chunk in out.alignments[0]:
        if chunk.type == "insert" and chunk.hyp_end_idx - chunk.hyp_start_idx >= RUN_WORDS:
            doubled.append(" ".join(hyp_words[chunk.hyp_start_idx:chunk.hyp_end_idx]))
        if chunk.type == "delete" and chunk.ref_end_idx - chunk.ref_start_idx >= RUN_WORDS:
            lost.append(" ".join(ref_words[chunk.ref_start_idx:chunk.ref_end_idx]))
    return doubled, lost
