"""A transcriber that knows the truth: the recording's words in any window it is handed.

:class:`Oracle` answers each decode with the stored words (``tests/oracle/word_times.json``)
whose middle lies inside the window, times relative to the window, as a perfect Whisper
would.  :class:`Adversary` wraps it: each decode costs a drawn amount of (virtual) time, and
its answer may be mangled the ways real recognizers and servers mangle theirs.  The
exactly-once test compares what a recognizer commits with the oracle's words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Transcript, Word

PROBE = 32
"""Samples compared to find where a window lies in the recording (the recording is dithered,
so a run of this many samples occurs once)."""


class Oracle:
    """A :class:`~whispertrans_tray.core.types.BatchTranscriber` answering the true words."""

    def __init__(self, recording: Audio, words: Sequence[Word], language: str = "en") -> None:
        self.recording = recording
        self.words = list(words)
        self.language = language
        self.windows: list[tuple[float, float]] = []  # every window decoded (seconds)

    def locate(self, audio: Audio) -> int:
        """The sample at which ``audio`` starts in the recording."""
        head = audio[:PROBE]
        for at in np.flatnonzero(self.recording == head[0]):
            if np.array_equal(self.recording[at:at + head.size], head):
                return int(at)
        raise AssertionError("the recognizer decoded audio that is not in the recording")

    def parts(self, audio: Audio) -> list[tuple[int, int, int]]:
        """Where the stretches of ``audio`` lie in the recording: (position in ``audio``,
        position in the recording, length) of each; file mode decodes pieces of speech joined
        without the pauses between them."""
        found: list[tuple[int, int, int]] = []
        at = 0
        while at < audio.size:
            start = self.locate(audio[at:])
            size = min(audio.size - at, self.recording.size - start)
            differ = np.flatnonzero(self.recording[start:start + size] != audio[at:at + size])
            length = int(differ[0]) if differ.size else size
            found.append((at, start, length))
            at += length
        return found

    def truth(self, audio: Audio) -> tuple[Word, ...]:
        """The words whose middle lies in ``audio``, times relative to its start."""
        words: list[Word] = []
        for at, start, length in self.parts(audio):
            begin, shift = start / SAMPLE_RATE, (at - start) / SAMPLE_RATE
            end = begin + length / SAMPLE_RATE
            self.windows.append((begin, end))
            words += [Word(max(w.start, begin) + shift, min(w.end, end) + shift, w.text)
                      for w in self.words if begin <= (w.start + w.end) / 2 < end]
        return tuple(words)

    def transcribe(self, audio: Audio, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None) -> Transcript:
        return Transcript(self.truth(audio), language or self.language, 0.99)

    def transcribe_batch(self, chunks: Sequence[Audio],
                         language: str | None) -> list[Transcript]:
        return [self.transcribe(chunk, language) for chunk in chunks]


Mangle = Callable[[tuple[Word, ...], float], tuple[Word, ...]]


def jitter(amount: float) -> Mangle:
    """Times off by up to ``amount`` seconds, in order as a model's are: one offset for the
    whole decode (from its length) plus a little per word."""
    def apply(words: tuple[Word, ...], duration: float) -> tuple[Word, ...]:
        offset = amount * math.sin(13.7 * duration)
        out: list[Word] = []
        for i, w in enumerate(words):
            shift = offset + amount / 3 * math.sin(7.3 * i + 1.1 * len(w.text))
            start = min(max(w.start + shift, out[-1].start if out else 0.0, 0.0), duration)
            out.append(Word(start, min(max(w.end + shift, start), duration), w.text))
        return tuple(out)
    return apply


def shuffled(words: tuple[Word, ...], duration: float) -> tuple[Word, ...]:
    """Words out of order (times kept): a server listing segments in another order."""
    return tuple(words[i] for i in sorted(range(len(words)), key=lambda i: (i * 7919) % 13))


def reversed_times(words: tuple[Word, ...], duration: float) -> tuple[Word, ...]:
    """Start and end swapped."""
    return tuple(Word(w.end, w.start, w.text) for w in words)


def doubled(words: tuple[Word, ...], duration: float) -> tuple[Word, ...]:
    """Every segment-sized run of words said twice (a server repeating a segment)."""
    out: list[Word] = []
    for i in range(0, len(words), 4):
        out.extend(words[i:i + 4] * 2)
    return tuple(out)


def empty_words(words: tuple[Word, ...], duration: float) -> tuple[Word, ...]:
    """Empty and blank words between the real ones."""
    out: list[Word] = []
    for w in words:
        out += [w, Word(w.end, w.end, ""), Word(w.end, w.end, "  ")]
    return tuple(out)


def untimed(words: tuple[Word, ...], duration: float) -> tuple[Word, ...]:
    """Every other word without times (NaN)."""
    return tuple(Word(math.nan, math.nan, w.text) if i % 2 else w for i, w in enumerate(words))


def echo(words: tuple[Word, ...], duration: float) -> tuple[Word, ...]:
    """Whisper's hallucination in a window that ends in silence: its first sentence (the
    context sentence a window starts with, or what was just said) said again, squeezed into
    the window's last 0.1 s (at least three words: a word or two said again cannot be told
    from speech, "no, no")."""
    said = list(words)
    end = next((i for i, w in enumerate(said) if w.text.rstrip().endswith((".", "?", "!"))),
               len(said) - 1)
    said = said[:end + 1]
    if len(said) < 3:  # one or two words said again are speech ("no, no"), not an echo
        return words
    step = min(0.1, duration) / len(said)
    start = duration - step * len(said)
    return words + tuple(Word(start + i * step, start + (i + 1) * step, w.text)
                         for i, w in enumerate(said))


REPAIRABLE: dict[str, Mangle] = {
    "jitter": jitter(0.15), "shuffled": shuffled, "reversed": reversed_times,
    "doubled": doubled, "empty": empty_words, "untimed": untimed,
}
"""What a recognizer must repair by itself: every word is still there."""
WHISPER = ("echo", "draft_drops_last")
"""What Whisper itself does wrong, decided per decode (see :meth:`Adversary.transcribe`)."""


def past_end(words: tuple[Word, ...], duration: float) -> tuple[Word, ...]:
    return tuple(Word(w.start + duration + 3.0, w.end + duration + 3.0, w.text) for w in words)


def negative(words: tuple[Word, ...], duration: float) -> tuple[Word, ...]:
    return tuple(Word(w.start - 40.0, w.end - 40.0, w.text) for w in words)


def huge(words: tuple[Word, ...], duration: float) -> tuple[Word, ...]:
    return tuple(Word(w.start * 1e9 + 1e9, w.end * 1e9 + 1e9, w.text) for w in words)


UNPLACEABLE: dict[str, Mangle] = {"past_end": past_end, "negative": negative, "huge": huge}
"""Answers nobody can place in the window: a failed decode."""


@dataclass
class Adversary:
    """:class:`Oracle`'s answers, each decode costing ``costs[i]`` seconds of virtual time and
    mangled by ``mangles[i]`` (both cycled; a mangle name of ``""`` leaves it alone)."""

    oracle: Oracle
    costs: Sequence[float]
    mangles: Sequence[str]
    table: dict[str, Mangle] = field(default_factory=lambda: dict(REPAIRABLE))
    spent: float = 0.0
    calls: int = 0

    def transcribe(self, audio: Audio, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None) -> Transcript:
        answer = self.oracle.transcribe(audio, language, prompt, draft, prefer)
        i, self.calls = self.calls, self.calls + 1
        self.spent += self.costs[i % len(self.costs)] if self.costs else 0.0
        name = self.mangles[i % len(self.mangles)] if self.mangles else ""
        duration = audio.size / SAMPLE_RATE
        if name == "echo":  # only where it happens: after the last word, in silence
            last = answer.words[-1].end if answer.words else 0.0
            if duration - last > 0.6:
                answer = replace(answer, words=echo(answer.words, duration))
        elif name == "draft_drops_last":  # a draft that misses the word being cut
            if draft:
                answer = replace(answer, words=answer.words[:-1])
        elif name:
            answer = replace(answer, words=self.table[name](answer.words, duration))
        return answer

    def transcribe_batch(self, chunks: Sequence[Audio],
                         language: str | None) -> list[Transcript]:
        return [self.transcribe(chunk, language) for chunk in chunks]
