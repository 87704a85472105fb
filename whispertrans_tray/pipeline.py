"""Running the streaming pipeline over an audio source: files now, live capture later.

File mode goes through the same :class:`StreamingRecognizer` as live audio.  Without
``realtime`` the file is fed as fast as the recognizer takes it (no partial decodes: nobody
watches them); with ``realtime`` it is replayed at 1× speed, the way a capture device delivers
audio: whatever arrived while a decode ran is fed at once, so decodes never queue up.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from whispertrans_tray.core.recognizer import RecognizerConfig, StreamingRecognizer
from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Event, Transcriber
from whispertrans_tray.core.vad import VadConfig
from whispertrans_tray.errors import AudioFileError
from whispertrans_tray.settings import AsrSettings

FILE_CHUNK_S = 1.0
LIVE_CHUNK_S = 0.1
FILE_MIN_SILENCE_MS = 1000


def read_audio(path: Path) -> Audio:
    """Decode any audio or video file to 16 kHz mono float32 (PyAV, from faster-whisper)."""
    if not path.is_file():
        raise AudioFileError("audio.file_missing", path=path)
    from faster_whisper.audio import decode_audio

    try:
        audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    except Exception as exc:
        raise AudioFileError("audio.file_unreadable", path=path,
                             detail=f"{type(exc).__name__}: {exc}") from exc
    if audio.size == 0:
        raise AudioFileError("audio.file_unreadable", path=path, detail="no audio stream")
    return np.asarray(audio, dtype=np.float32)


def recognizer_config(asr: AsrSettings, live: bool) -> RecognizerConfig:
    """The recognizer configuration for ``asr`` settings, live or file mode."""
    return RecognizerConfig(
        language=None if asr.language == "auto" else asr.language,
        partial_interval_s=1.0 if live else None,
        max_sentence_width=asr.max_sentence_chars,
        # File mode has no one waiting for a final: longer pauses give Whisper whole
        # utterances to decode, fewer and better decodes.
        vad=VadConfig(threshold=asr.vad_threshold,
                      min_silence_ms=asr.min_silence_ms if live else max(asr.min_silence_ms,
                                                                          FILE_MIN_SILENCE_MS)),
    )


def build_recognizer(asr: AsrSettings, transcriber: Transcriber, live: bool) -> StreamingRecognizer:
    from whispertrans_tray.providers.chinese_script import ChineseScript
    from whispertrans_tray.providers.vad_silero import SileroVad

    return StreamingRecognizer(transcriber, SileroVad(), recognizer_config(asr, live),
                               ChineseScript(asr.chinese_script))


@dataclass
class RunStats:
    """What a run measured: audio length, wall time, and the worst lag seen."""

    audio_seconds: float = 0.0
    wall_seconds: float = 0.0
    max_lag_seconds: float = 0.0
    lag: list[tuple[float, float]] = field(default_factory=list)
    """(stream time, lag in seconds) at every step of a real-time replay."""

    @property
    def real_time_factor(self) -> float:
        return self.wall_seconds / self.audio_seconds if self.audio_seconds else 0.0


def chunks(audio: Audio, realtime: bool, stats: RunStats) -> Iterator[Audio]:
    """Pieces of ``audio`` as a source would deliver them.

    ``realtime`` replays at 1×: each piece is all the audio that has "arrived" by now, so a slow
    consumer gets bigger pieces, never a queue of small ones.  ``stats.max_lag_seconds`` records
    how far behind the arrival of audio the consumer fell.
    """
    if not realtime:
        step = int(FILE_CHUNK_S * SAMPLE_RATE)
        for i in range(0, audio.size, step):
            yield audio[i: i + step]
        return
    step = int(LIVE_CHUNK_S * SAMPLE_RATE)
    t0 = time.perf_counter()
    fed = 0
    while fed < audio.size:
        arrived = min(int((time.perf_counter() - t0) * SAMPLE_RATE), audio.size)
        if arrived - fed < step and arrived < audio.size:
            time.sleep((fed + step - arrived) / SAMPLE_RATE)
            continue
        lag = (arrived - fed) / SAMPLE_RATE
        stats.max_lag_seconds = max(stats.max_lag_seconds, lag)
        stats.lag.append((arrived / SAMPLE_RATE, lag))
        yield audio[fed:arrived]
        fed = arrived


def run(
    audio: Audio,
    recognizer: StreamingRecognizer,
    on_event: Callable[[Event], None],
    realtime: bool = False,
    on_progress: Callable[[float], None] | None = None,
) -> RunStats:
    """Feed ``audio`` through ``recognizer``; every event goes to ``on_event``."""
    stats = RunStats(audio_seconds=audio.size / SAMPLE_RATE)
    started = time.perf_counter()
    for piece in chunks(audio, realtime, stats):
        for event in recognizer.feed(piece):
            on_event(event)
        if on_progress:
            on_progress(piece.size / SAMPLE_RATE)
    for event in recognizer.finish():
        on_event(event)
    stats.wall_seconds = time.perf_counter() - started
    return stats
