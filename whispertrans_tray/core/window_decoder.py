"""The streaming recognizer's decodes: the prompt, the language and the count of decodes.

:class:`~whispertrans_tray.core.recognizer.StreamingRecognizer` decides *when* to decode which
stretch of the stream (partials, speculative finals, finals); :class:`WindowDecoder` runs the
decode.  The transcriber detects the language on the decode's own encoder pass (no extra
cost), so every decode checks it: the utterance's language is kept unless a decode clearly
hears another one (speech that runs from one language into the next).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from whispertrans_tray.core.audio_buffer import AudioBuffer
from whispertrans_tray.core.finals import Run, absolute, decode_alone
from whispertrans_tray.core.placement import repair
from whispertrans_tray.core.segmenter import join_words
from whispertrans_tray.core.types import SAMPLE_RATE, Transcriber, Transcript, Word

PROMPT_CHARS = 120
MIN_LANGUAGE_PROBABILITY = 0.5


@dataclass(frozen=True)
class Decoded:
    """A decode's words (stream time), where it started, and the language it heard."""

    words: list[Word]
    start: int
    language: str
    rough_times: bool = False  # the words' times were spread over a segment (Transcript)


class WindowDecoder:
    """Decodes stretches of ``audio`` with ``transcriber``; ``language`` None: detected."""

    def __init__(self, transcriber: Transcriber, audio: AudioBuffer,
                 language: str | None) -> None:
        self._transcriber = transcriber
        self._audio = audio
        self._fixed = language
        self._preferred = language  # the language a detection leans to (the last one heard)
        self.prompt = ""  # the sentences committed last (Whisper's prompt)
        self.decodes = {"final": 0, "partial": 0, "speculative": 0, "speculative_used": 0}

    def committed(self, text: str) -> None:
        """A sentence was committed: it becomes the end of the prompt."""
        self.prompt = (self.prompt + " " + text)[-PROMPT_CHARS:]

    def decode(self, start: int, stop: int, kind: str, utterance_start: int, spoken: str,
               pending: Sequence[Word]) -> Decoded:
        """Decode ``[start, stop)``; ``kind`` is ``final``, ``partial`` or ``speculative``.

        A window that starts before the utterance (the previous sentence as context) is
        decoded again from ``utterance_start`` if it does not sound like ``spoken``, the
        language of that sentence: that sentence is no context then, and the new speech is
        decoded (and its language heard) alone; :attr:`Decoded.start` says so.
        """
        result = self._transcribe(start, stop, kind, utterance_start, pending)
        if (self._fixed is None and start < utterance_start
                and (result.language != spoken
                     or result.language_probability < MIN_LANGUAGE_PROBABILITY)):
            start = utterance_start
            result = self._transcribe(start, stop, kind, utterance_start, pending)
        if self._fixed is None and result.language_probability >= MIN_LANGUAGE_PROBABILITY:
            self._preferred = result.language
        return Decoded(absolute(result.words, start), start, result.language,
                       result.rough_times)

    def decode_gap(self, start: int, stop: int) -> Run:
        """Speech a final skipped, decoded on its own (counted as a final)."""
        run = decode_alone(self._transcriber, self._audio.slice(start, stop), start)
        self.decodes["final"] += 1
        return run

    def _transcribe(self, start: int, stop: int, kind: str, utterance_start: int,
                    pending: Sequence[Word]) -> Transcript:
        audio = self._audio.slice(start, stop)
        prompt = ""
        if start > utterance_start:  # the window starts inside this utterance
            # Only text said before the window: words inside it must be decoded again.
            before = join_words([w for w in pending if w.end * SAMPLE_RATE <= start])
            prompt = (self.prompt + " " + before)[-PROMPT_CHARS:].strip()
        self.decodes[kind] += 1
        if self._fixed is not None:
            result = self._transcriber.transcribe(audio, self._fixed, prompt,
                                                  draft=kind == "partial")
        else:
            result = self._transcriber.transcribe(audio, None, prompt, draft=kind == "partial",
                                                  prefer=self._preferred)
        return repair(result, audio.size / SAMPLE_RATE)
