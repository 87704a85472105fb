"""The audio a recognizer still needs, addressed by absolute sample position in the stream.

Shared by :class:`~whispertrans_tray.core.recognizer.StreamingRecognizer` (which keeps the open
window, or the context a next utterance may be decoded with) and
:class:`~whispertrans_tray.core.batch_recognizer.BatchRecognizer` (which keeps the speech not yet
cut into a piece): each says from where it still needs the audio, and the rest is let go, so
memory does not grow with the length of the stream.
"""

from __future__ import annotations

import numpy as np

from whispertrans_tray.core.types import Audio


class AudioBuffer:
    """16 kHz mono float32 samples from :attr:`start` to :attr:`end` (absolute positions)."""

    def __init__(self) -> None:
        self.samples: Audio = np.zeros(0, dtype=np.float32)
        self.start = 0  # the absolute position of samples[0]

    @property
    def end(self) -> int:
        """The absolute position after the last sample fed."""
        return self.start + self.samples.size

    def append(self, audio: Audio) -> Audio:
        """Add the next piece of audio (any shape); returns it as flat float32."""
        audio = np.asarray(audio, dtype=np.float32).reshape(-1)
        self.samples = np.concatenate([self.samples, audio]) if self.samples.size else audio
        return audio

    def slice(self, start: int, stop: int) -> Audio:
        """The audio of ``[start, stop)`` (absolute positions; a view, not a copy)."""
        return self.samples[start - self.start: stop - self.start]

    def keep_from(self, position: int) -> None:
        """Let go of the audio before ``position`` (nothing if it is already gone)."""
        drop = position - self.start
        if drop > 0:
            self.samples = self.samples[drop:].copy()
            self.start = position
