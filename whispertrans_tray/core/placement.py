"""Whether a transcript can be placed in the window it claims to transcribe.

A transcriber answers the words of a window with times relative to the window's start.  The
streaming core commits each stretch of speech once because it knows *where* in the window every
word was said: what is stable, what is still being spoken, what the next window repeats.  A word
whose times are not a place in the window (negative, past its end, NaN or infinite, huge, ending
before it starts, or starting well before the word before it: a doubled or reordered segment)
cannot be put anywhere.  Clipping it to the window's edge piles words up at the end, where they
are committed twice or never; so such a transcript is a *failed decode*: the caller decodes the
window another way (the remote recognizer's local fallback), it never clips it into place.

``tolerance`` allows the rounding real recognizers show (Whisper times are 20 ms steps and a
last word may end a little after the audio does).  Pure logic, no I/O.
"""

from __future__ import annotations

import math

from whispertrans_tray.core.types import Transcript, Word

TOLERANCE_S = 0.5
"""How far outside ``[0, duration]`` (and before the previous word's start) a time may be."""


def misplaced(transcript: Transcript, duration: float,
              tolerance: float = TOLERANCE_S) -> Word | None:
    """The first word of ``transcript`` that cannot be placed in a window of ``duration``
    seconds, or None when every word can (see the module's description)."""
    previous = -math.inf
    for word in transcript.words:
        if not (math.isfinite(word.start) and math.isfinite(word.end)):
            return word
        if (word.start < -tolerance or word.end > duration + tolerance or word.end < word.start
                or word.start < previous - tolerance):
            return word
        previous = max(previous, word.start)
    return None


def placeable(transcript: Transcript, duration: float, tolerance: float = TOLERANCE_S) -> bool:
    """True when every word of ``transcript`` has a place in a window of ``duration`` seconds:
    finite times, ``-tolerance <= start <= end <= duration + tolerance``, and no word starting
    more than ``tolerance`` before the one before it.  An empty transcript is placeable."""
    return misplaced(transcript, duration, tolerance) is None
