"""Data types and protocols shared by the streaming stages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

SAMPLE_RATE = 16_000
"""Every stage works on 16 kHz mono float32 audio."""

Audio = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Word:
    """A recognised word with absolute stream times in seconds.

    ``text`` keeps Whisper's leading space for space-separated languages (" ask"), and has
    none for Chinese or Japanese, so joining words is ``"".join(w.text for w in words)``.
    """

    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Transcript:
    """One decode of an audio window: its words (times relative to the window) and language.

    ``rough_times``: the words' times were spread over a segment (a server that gives segment
    times only), not each word's own: they say little about where a word begins.
    """

    words: tuple[Word, ...]
    language: str
    language_probability: float = 1.0
    rough_times: bool = False


@dataclass(frozen=True)
class Partial:
    """The line being spoken: committed words of the open sentence plus the unstable tail.

    It may change with every update; ``stable`` is the committed prefix that never will;
    ``speaker`` is the side that speaks it when two sources are heard (else empty).
    """

    text: str
    stable: str = ""
    speaker: str = ""


@dataclass(frozen=True)
class Sentence:
    """A committed sentence. Once emitted it never changes.

    Attributes:
        index: Position in the session, from 0.
        start: Stream time of the first word, in seconds.
        end: Stream time of the last word, in seconds.
        language: Whisper language code of the sentence (``en``, ``zh``, …).
        text: The sentence, Chinese converted to the user's script.
        committed_at: Seconds since the stream began, by the audio source's clock, when the
            sentence was committed (None until the live loop stamps it): ``committed_at - end``
            is how late it came.
        speaker: Who said it, when two sources are heard at once (the label of the side:
            對方/Them for the system audio, 我/Me for the microphone); empty with one source.
    """

    index: int
    start: float
    end: float
    language: str
    text: str
    committed_at: float | None = None
    speaker: str = ""


@dataclass(frozen=True)
class Speculative:
    """What the open utterance will commit if speech has ended at this dip: the final decoded
    while the VAD waits for the silence that confirms the end (live mode only).

    It is a forecast, not a commit: if the end is confirmed, the sentence committed next (index
    ``index``) is usually this text; if speech goes on, nothing comes of it.  A translator may
    start on it at once (``translation.at_dip``) and reuse that work when the sentence matches.

    Attributes:
        index: The index the next committed sentence will get.
        text: The open line as the speculative final heard it (committed words of the open
            sentence plus the decoded rest), Chinese converted to the user's script.
        language: Whisper language code of the decode.
        start: Stream time of its first word, in seconds.
        end: Stream time of its last word, in seconds.
    """

    index: int
    text: str
    language: str
    start: float
    end: float


Event = Partial | Sentence | Speculative


class Transcriber(Protocol):
    """A speech recognizer: decodes one window of audio.

    ``language`` None asks the recognizer to detect it, as part of the same decode: the
    returned :class:`Transcript` names the language used and its detected probability.  With
    ``prefer`` (the language spoken so far), that language is kept unless the detection
    clearly names another.  ``prompt`` is text that precedes the window, for continuity.  A
    ``draft`` decode (a partial) may be cheaper and rougher: no temperature fallback.
    """

    def transcribe(self, audio: Audio, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None) -> Transcript:
        ...


class BatchTranscriber(Transcriber, Protocol):
    """A recognizer that can also decode several windows (each at most 30 s) in one pass;
    ``language`` None detects each window's language on its own."""

    def transcribe_batch(self, chunks: Sequence[Audio],
                         language: str | None) -> list[Transcript]:
        ...


class SpeechProbability(Protocol):
    """A streaming voice activity model: speech probability of consecutive 512-sample windows.

    It keeps its own recurrent state between calls; ``reset()`` clears it.
    """

    window: int

    def __call__(self, windows: Audio) -> npt.NDArray[np.float32]:
        """``windows`` has shape (n, window); returns n probabilities."""
        ...

    def reset(self) -> None:
        ...


class TextTransform(Protocol):
    """Converts recognised text for display (e.g. Chinese script conversion)."""

    def __call__(self, text: str, language: str) -> str:
        ...
