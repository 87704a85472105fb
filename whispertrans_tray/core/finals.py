"""Finals decided early or repaired: speculative finals and speech a final skipped.

Pure bookkeeping for :class:`~whispertrans_tray.core.recognizer.StreamingRecognizer`: what a
speculative final must match to be committed, and which stretches of an utterance a final's
words left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from whispertrans_tray.core.types import SAMPLE_RATE, Word

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
