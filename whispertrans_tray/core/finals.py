"""Finals decided early or repaired: speculative finals and speech a final skipped.

Pure bookkeeping for :class:`~whispertrans_tray.core.recognizer.StreamingRecognizer`: what a
speculative final must match to be committed.  Shared with
:class:`~whispertrans_tray.core.batch_recognizer.BatchRecognizer`: which stretches of an
utterance a final's words left out, and those stretches decoded on their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from whispertrans_tray.core.placement import repair
from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Transcriber, Word

SPECULATIVE_MARGIN_S = 0.06
"""A last word that ends closer than this to the end of the audio a speculative final heard
may have been cut: the final is then decoded again."""
GAP_S = 2.0
"""Speech at least this long before a final's first word or after its last is decoded on its
own (speech that ran from one language into another without a pause)."""


@dataclass(frozen=True)
class Speculation:
    """A final decoded at a dip in speech, before the VAD confirmed the end.

    Attributes:
        pause: Sample where the dip began.
        window_start: Start of the decoded window (sample).
        stop: End of the audio the decode heard (sample).
        language: Language of the decode.
        words: Its words, absolute times.
    """

    pause: int
    window_start: int
    stop: int
    language: str
    words: tuple[Word, ...]

    def confirmed_by(self, end_sample: int, pad: int, window_start: int) -> bool:
        """True if the utterance ended at this dip (``end_sample`` is the dip plus ``pad``), the
        window did not move since, and no word may run past what the decode heard."""
        if self.pause + pad != end_sample or self.window_start != window_start:
            return False
        last = self.words[-1].end * SAMPLE_RATE if self.words else 0.0
        return not self.words or self.stop - last >= SPECULATIVE_MARGIN_S * SAMPLE_RATE


def skipped_spans(words: list[Word], start: int, stop: int) -> list[tuple[int, int]]:
    """Stretches of ``[start, stop)`` (samples) of at least :data:`GAP_S` before the first
    word or after the last: speech a final decoded in one language left out."""
    if not words:
        return []
    gap = int(GAP_S * SAMPLE_RATE)
    first, last = int(words[0].start * SAMPLE_RATE), int(words[-1].end * SAMPLE_RATE)
    spans = []
    if first - start >= gap:
        spans.append((start, first))
    if stop - last >= gap:
        spans.append((last, stop))
    return spans


Run = tuple[str, list[Word]]
"""Words of one language: (language, words)."""


def with_skipped(words: list[Word], language: str, start: int, stop: int,
                 decode: Callable[[int, int], Run] | None) -> list[Run]:
    """A final decode of ``[start, stop)`` (samples) with the speech it skipped at either end
    decoded on its own by ``decode`` (None: not at all, the language was given): the runs in
    time order, empty ones left out."""
    runs = [(language, words)]
    if decode is not None:
        for span_start, span_stop in skipped_spans(words, start, stop):
            runs.insert(0 if span_start == start else len(runs), decode(span_start, span_stop))
    return [(run_language, run) for run_language, run in runs if run]


def decode_alone(transcriber: Transcriber, audio: Audio, start: int) -> Run:
    """``audio`` (starting at sample ``start``) decoded on its own, its language detected."""
    result = repair(transcriber.transcribe(audio, None, "", draft=False, prefer=None),
                    audio.size / SAMPLE_RATE)
    return result.language, absolute(result.words, start)


def absolute(words: tuple[Word, ...], start: int) -> list[Word]:
    """Words of a decode (times relative to its audio) in stream time; ``start`` in samples."""
    offset = start / SAMPLE_RATE
    return [Word(w.start + offset, w.end + offset, w.text) for w in words]
