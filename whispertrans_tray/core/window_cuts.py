"""Where the streaming recognizer's window starts again once it is long: pure decisions.

:class:`~whispertrans_tray.core.recognizer.StreamingRecognizer` trims its window so decodes stay
short; these functions say where, from the committed words of the open sentence and the words
no decode has confirmed.  Neither ever moves the window past a word nobody committed, but for
:func:`empty_cut`, which is used once what a full window held has been committed.
"""

from __future__ import annotations

from collections.abc import Sequence

from whispertrans_tray.core.segmenter import ends_clause
from whispertrans_tray.core.types import SAMPLE_RATE, Word


def clause_cut(pending: Sequence[Word], window_start: int, long_window: bool) -> Word | None:
    """The committed word of the open sentence (``pending``) the window restarts at: the last
    clause end inside the window (from ``window_start``, samples), or, once the window is
    ``long_window``, the last committed word; None: no cut.

    The window restarts at the *start* of that word: word timestamps are rough, and a cut
    inside the next word would lose it.  The re-decoded word is already committed and is
    dropped again by LocalAgreement.
    """
    inside = [w for w in pending if w.start * SAMPLE_RATE > window_start]
    cut = next((w for w in reversed(inside) if ends_clause(w.text)), None)
    if cut is None and inside and long_window:
        cut = inside[-1]
    return cut


def empty_cut(now: int, window_start: int, max_window_s: float, tail: Sequence[Word]) -> int:
    """The new start of a full window from which nothing could be committed (no words, or one
    unconfirmed word in ``tail``): its newest half (from that last word, if it is in there),
    so it never grows past ``max_window_s`` (the token budget and the decode time both grow
    with it).  What is let go is audio in which Whisper found no word to commit (music,
    noise)."""
    cut = now - int(max_window_s / 2 * SAMPLE_RATE)
    if tail:
        cut = max(cut, int((tail[-1].start - 0.1) * SAMPLE_RATE))
    return max(window_start, min(cut, now))
