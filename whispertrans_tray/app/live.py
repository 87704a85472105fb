"""The live loop: audio chunks in, recognizer events out.

:func:`events` is the one loop that drives a :class:`StreamingRecognizer`; the tray app (live
capture), the terminal (capture or a 1× replay) and file mode all run it, each with its own
chunk source:

* :func:`file_chunks` — a decoded file, as fast as the recognizer takes it (no partial
  decodes: nobody watches them) or replayed at 1× the way a capture device delivers audio:
  whatever arrived while a decode ran is fed at once, so decodes never queue up;
* :func:`capture_chunks` — a running :class:`AudioSource` until a stop event is set.

When the chunks end, the recognizer is finished, so the sentence being spoken is not lost.
Each committed sentence is stamped with ``committed_at``, the source's clock at that moment.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from whispertrans_tray.core.recognizer import RecognizerConfig, StreamingRecognizer
from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Event, Sentence
from whispertrans_tray.core.vad import VadConfig
from whispertrans_tray.errors import AudioFileError
from whispertrans_tray.settings import AsrSettings

FILE_CHUNK_S = 1.0
LIVE_CHUNK_S = 0.1
FILE_MIN_SILENCE_MS = 1000
READ_TIMEOUT_S = 0.1


class AudioSource(Protocol):
    """A capture device delivering 16 kHz mono chunks (``desktop.audio.AudioCapture``)."""

    @property
    def dropped_seconds(self) -> float:
        """Audio dropped so far because the consumer fell behind."""
        ...

    @property
    def captured_seconds(self) -> float:
        """Audio captured since the start, read or not (the source's clock)."""
        ...

    def start(self) -> None: ...

    def stop(self, timeout: float = 2.0) -> None: ...

    def read(self, timeout: float = 0.1) -> Audio | None:
        """Everything captured since the last read, or None after ``timeout``."""
        ...


def read_audio(path: Path) -> Audio:
    """Decode any audio or video file to 16 kHz mono float32 (PyAV, from faster-whisper)."""
    if not path.is_file():
        raise AudioFileError("audio.file_missing", path=path)
    import av  # PyAV, which faster-whisper decodes with
    from faster_whisper.audio import decode_audio

    try:
        with av.open(str(path)) as container:
            has_audio = bool(container.streams.audio)
    except Exception as exc:
        raise AudioFileError("audio.file_unreadable", path=path,
                             detail=f"{type(exc).__name__}: {exc}") from exc
    if not has_audio:  # a video without a sound track (faster-whisper: IndexError)
        raise AudioFileError("audio.no_audio_stream", path=path)
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


def events(chunks: Iterable[Audio], recognizer: StreamingRecognizer,
           on_fed: Callable[[Audio], None] | None = None,
           clock: Callable[[], float] | None = None) -> Iterator[Event]:
    """Every event of ``recognizer`` fed ``chunks``; ``on_fed`` sees each chunk once fed.

    When ``chunks`` ends, :meth:`StreamingRecognizer.finish` commits what is pending.  Each
    sentence gets ``committed_at`` from ``clock`` (seconds since the stream began by the
    source's clock: audio captured, or wall time of a replay); without one, the audio the
    chunks delivered so far (file mode: the audio decoded so far).
    """
    delivered = 0

    def stamp(batch: list[Event]) -> Iterator[Event]:
        now = clock() if clock is not None else delivered / SAMPLE_RATE
        for event in batch:
            yield dataclasses.replace(event, committed_at=round(now, 3)) \
                if isinstance(event, Sentence) else event

    for chunk in chunks:
        delivered += chunk.size
        yield from stamp(recognizer.feed(chunk))
        if on_fed is not None:
            on_fed(chunk)
    yield from stamp(recognizer.finish())


class Stop(threading.Event):
    """A stop request that remembers when it came (``at``, ``time.perf_counter()``)."""

    at: float | None = None

    def set(self) -> None:
        if self.at is None:
            self.at = time.perf_counter()
        super().set()


def until(chunks: Iterator[Audio], stop: threading.Event,
          arrived_at_stop: Callable[[], float] | None = None) -> Iterator[Audio]:
    """``chunks`` until ``stop`` is set, then one last chunk so the sentence being spoken is
    finished: the audio that had arrived when the stop came (``arrived_at_stop``, in seconds
    of stream; without it, the whole next chunk)."""
    delivered = 0
    for chunk in chunks:
        yield chunk
        delivered += chunk.size
        if stop.is_set():
            last = next(chunks, None)
            if last is not None and arrived_at_stop is not None:
                last = last[:max(int(arrived_at_stop() * SAMPLE_RATE) - delivered, 0)]
            if last is not None and last.size:
                yield last
            return


def capture_chunks(capture: AudioSource, stop: threading.Event,
                   on_dropped: Callable[[float], None] | None = None) \
        -> Generator[Audio, None, None]:
    """Chunks from ``capture`` (started here) until ``stop`` is set, then the audio captured
    before the stop.  ``on_dropped`` hears the total dropped seconds each time it grows.
    Closing the generator early stops the capture."""
    capture.start()
    dropped = 0.0
    try:
        while not stop.is_set():
            chunk = capture.read(READ_TIMEOUT_S)
            if chunk is None:
                continue
            if on_dropped is not None and capture.dropped_seconds > dropped:
                dropped = capture.dropped_seconds  # the loop fell behind the audio
                on_dropped(dropped)
            yield chunk
    finally:
        capture.stop(1.0)
    rest = capture.read(0)  # audio captured before the stop is still transcribed
    if rest is not None:
        yield rest


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


def file_chunks(audio: Audio, realtime: bool, stats: RunStats) -> Iterator[Audio]:
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
    stop: Stop | None = None,
) -> RunStats:
    """Feed ``audio`` through ``recognizer`` with :func:`events`; each event to ``on_event``,
    the seconds fed to ``on_progress``.  Setting ``stop`` ends the run early (:func:`until`);
    a replay's clock is the wall time since it started."""
    stats = RunStats(audio_seconds=audio.size / SAMPLE_RATE)
    started = time.perf_counter()
    fed = None if on_progress is None else (
        lambda chunk: on_progress(chunk.size / SAMPLE_RATE))
    chunks = file_chunks(audio, realtime, stats)
    clock = (lambda: time.perf_counter() - started) if realtime else None
    if stop is not None:
        chunks = until(chunks, stop, None if not realtime else (
            lambda: (stop.at or time.perf_counter()) - started))
    for event in events(chunks, recognizer, fed, clock):
        on_event(event)
    stats.wall_seconds = time.perf_counter() - started
    return stats
