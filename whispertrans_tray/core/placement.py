"""Whether a transcript can be placed in the window it claims to transcribe, and its repair.

A transcriber answers the words of a window with times relative to the window's start.  The
streaming core commits each stretch of speech once because it knows *where* in the window every
word was said: what is stable, what is still being spoken, what the next window repeats.  A word
whose times are not a place in the window (negative, past its end, NaN or infinite, huge, ending
before it starts, or starting well before the word before it: a doubled or reordered segment)
cannot be put anywhere.  Two uses, two functions:

* :func:`placeable` — where another recognizer can decode the window instead (a remote server
  with the local model as its fallback), such an answer is a *failed decode*: clipping it to
  the window's edge would pile its words up at the end, where they are committed twice or
  never;
* :func:`repair` — whatever answer still reaches the core is put right as far as it can be
  (and a word with no place at all is dropped), so the core never commits a word it cannot
  place.

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


def repair(transcript: Transcript, duration: float,
           tolerance: float = TOLERANCE_S) -> Transcript:
    """``transcript`` with what any recognizer may get wrong put right, so the streaming core
    can place every word it keeps (the invariant of :mod:`~whispertrans_tray.core.recognizer`
    rests on it):

    * words without text are dropped;
    * a word that ends before it starts has its two times swapped;
    * words without times (NaN or infinite) share the gap between their timed neighbours in
      the list evenly;
    * times are clipped to ``[0, duration]``; a word wholly outside the window (more than
      ``tolerance`` past it) has no place and is dropped;
    * words are put in time order (a stable sort: the list order breaks ties);
    * a word said again at the same place (a doubled segment: same text, overlapping an earlier
      copy by at least half) is dropped.

    A transcript that needs none of this is returned as it is.
    """
    words = [w for w in transcript.words if w.text.strip()]
    placed: list[Word] = []
    for word, (start, end) in zip(words, _times(words, duration)):
        if start > duration + tolerance or end < -tolerance:
            continue
        start = min(max(start, 0.0), duration)
        placed.append(Word(start, min(max(end, start), duration), word.text))
    placed.sort(key=lambda w: (w.start, w.end))
    kept: list[Word] = []
    for word in placed:
        if not any(_same_word(earlier, word) for earlier in kept[-_DOUBLED_WITHIN:]):
            kept.append(word)
    if kept == list(transcript.words):
        return transcript
    return Transcript(tuple(kept), transcript.language, transcript.language_probability,
                      transcript.rough_times)


_DOUBLED_WITHIN = 16
"""Words back a doubled copy is looked for (a segment of a server's answer)."""


def _times(words: list[Word], duration: float) -> list[tuple[float, float]]:
    """(start, end) of each word: its own (in order), or a share of the gap it sits in."""
    times: list[tuple[float, float] | None] = [
        (min(w.start, w.end), max(w.start, w.end))
        if math.isfinite(w.start) and math.isfinite(w.end) else None for w in words]
    i = 0
    while i < len(times):
        if times[i] is not None:
            i += 1
            continue
        j = i
        while j < len(times) and times[j] is None:
            j += 1
        before, after = times[i - 1] if i else None, times[j] if j < len(times) else None
        low = before[1] if before else 0.0
        high = max(after[0] if after else max(duration, low), low)
        share = (high - low) / (j - i)
        for k in range(i, j):
            times[k] = (low + share * (k - i), low + share * (k - i + 1))
        i = j
    return [t for t in times if t is not None]


def _same_word(earlier: Word, word: Word) -> bool:
    """``word`` repeats ``earlier`` in place: the same text, overlapping it by at least half
    of the shorter of the two (or both at the same instant)."""
    if earlier.text.strip().casefold() != word.text.strip().casefold():
        return False
    overlap = min(earlier.end, word.end) - max(earlier.start, word.start)
    shorter = min(earlier.end - earlier.start, word.end - word.start)
    return overlap >= shorter / 2 if shorter > 0 else earlier.start == word.start
