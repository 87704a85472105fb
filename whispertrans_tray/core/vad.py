"""The VAD gate: turns a stream of audio into speech-start and speech-end events.

It runs a :class:`~whispertrans_tray.core.types.SpeechProbability` model on consecutive
512-sample windows and applies Silero's hysteresis: speech starts when a window's probability
reaches ``threshold`` and ends after ``min_silence_ms`` below ``threshold - 0.15``.  Times are
absolute sample positions in the stream.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Event, SpeechProbability

HISTORY_WINDOWS = 1024
"""Windows of probabilities remembered for :meth:`VadGate.quietest` (about 33 s)."""


@dataclass(frozen=True)
class VadConfig:
    """VAD gate parameters.

    Attributes:
        threshold: Probability at or above which a window is speech.
        min_silence_ms: Silence that must follow speech before it ends.
        speech_pad_ms: Audio kept on both sides of speech.
    """

    threshold: float = 0.5
    min_silence_ms: int = 500
    speech_pad_ms: int = 200

    @property
    def neg_threshold(self) -> float:
        return max(self.threshold - 0.15, 0.01)


@dataclass(frozen=True)
class SpeechStart:
    """Speech began at ``sample`` (padding already subtracted, never below 0)."""

    sample: int


@dataclass(frozen=True)
class SpeechEnd:
    """Speech ended at ``sample`` (padding added); ``speech_samples`` is its unpadded length."""

    sample: int
    speech_samples: int


VadEvent = SpeechStart | SpeechEnd


class VadGate:
    """Feed audio of any length; get the speech boundaries it completes."""

    def __init__(self, model: SpeechProbability, config: VadConfig | None = None) -> None:
        self._model = model
        self.config = config or VadConfig()
        self._pad = self.config.speech_pad_ms * SAMPLE_RATE // 1000
        self._min_silence = self.config.min_silence_ms * SAMPLE_RATE // 1000
        self._rest = np.zeros(0, dtype=np.float32)
        self._position = 0  # samples handed to the model so far
        self._speech_start: int | None = None  # unpadded start of the open speech
        self._silence_start: int | None = None
        self.last_probability = 0.0
        # (window start, probability) of the latest windows: where to cut long speech
        self._recent: deque[tuple[int, float]] = deque(maxlen=HISTORY_WINDOWS)

    @property
    def in_speech(self) -> bool:
        return self._speech_start is not None

    @property
    def pause_start(self) -> int | None:
        """Where the current dip in open speech began (the sample a :class:`SpeechEnd` will
        name, less the padding, if the silence lasts), or None while speech goes on."""
        return self._silence_start if self._speech_start is not None else None

    def quietest(self, since: int) -> int | None:
        """Start of the least speech-like recent window at or after sample ``since`` (the
        best place to cut speech that goes on too long), or None if none is remembered."""
        best: tuple[float, int] | None = None
        for at, prob in self._recent:
            if at >= since and (best is None or prob < best[0]):
                best = (prob, at)
        return None if best is None else best[1]

    def feed(self, audio: Audio) -> list[VadEvent]:
        """Run the model on all complete windows now available."""
        window = self._model.window
        data = np.concatenate([self._rest, audio]) if self._rest.size else audio
        n = data.size // window
        self._rest = data[n * window:].copy()
        if n == 0:
            return []
        probs = self._model(data[: n * window].reshape(n, window))
        events: list[VadEvent] = []
        for i, prob in enumerate(probs):
            at = self._position + i * window
            self._recent.append((at, float(prob)))
            self._step(float(prob), at, window, events)
        self._position += n * window
        self.last_probability = float(probs[-1])
        return events

    def _step(self, prob: float, at: int, window: int, events: list[VadEvent]) -> None:
        if self._speech_start is None:
            if prob >= self.config.threshold:
                self._speech_start = at
                self._silence_start = None
                events.append(SpeechStart(max(at - self._pad, 0)))
            return
        if prob >= self.config.threshold:
            self._silence_start = None
        elif prob < self.config.neg_threshold and self._silence_start is None:
            self._silence_start = at
        if self._silence_start is not None and at + window - self._silence_start >= (
            self._min_silence
        ):
            self._end(self._silence_start, events)

    def _end(self, at: int, events: list[VadEvent]) -> None:
        assert self._speech_start is not None
        events.append(SpeechEnd(at + self._pad, at - self._speech_start))
        self._speech_start = None
        self._silence_start = None

    def finish(self) -> list[VadEvent]:
        """End of stream: close open speech where it dipped (if the stream ended in that dip),
        else at the last sample fed."""
        events: list[VadEvent] = []
        end = self._position + self._rest.size
        if self._speech_start is not None:
            if self._silence_start is not None:
                self._end(self._silence_start, events)
            else:
                events.append(SpeechEnd(end, end - self._speech_start))
            self._speech_start = None
        self._rest = np.zeros(0, dtype=np.float32)
        return events


def finish_speech(gate: VadGate, close: Callable[[SpeechEnd], list[Event]]) -> list[Event]:
    """End of stream: the speech still open at ``gate`` ends, and ``close`` turns that end into
    events (a recognizer's ``finish``, before it commits what it still holds)."""
    events: list[Event] = []
    for vad_event in gate.finish():
        if isinstance(vad_event, SpeechEnd):
            events.extend(close(vad_event))
    return events
