"""The live loop: audio chunks in, recognizer events out.

:func:`events` is the one loop that drives a recognizer; the tray app (live capture), the
terminal (capture or a 1× replay) and file mode all run it, each with its own chunk source:

* :func:`file_chunks` — a file decoded piece by piece (:func:`stream_audio`, so memory does not
  grow with its length), as fast as the recognizer takes it or replayed at 1× the way a
  capture device delivers audio: whatever arrived while a decode ran is fed at once, so
  decodes never queue up;
* :func:`capture_chunks` — a running :class:`AudioSource` until a stop event is set.

When the chunks end, the recognizer is finished, so the sentence being spoken is not lost.
Each committed sentence is stamped with ``committed_at``, the source's clock at that moment;
:class:`StreamClock` lets other threads read that clock (the translation's time stamps).
``Speculative`` events (the final decoded at a dip) pass through for the translation.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from whispertrans_tray import causes
from whispertrans_tray.core.recognizer import RecognizerConfig
from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Event, Sentence
from whispertrans_tray.core.vad import VadConfig
from whispertrans_tray.errors import AudioFileError
from whispertrans_tray.i18n import Phrase
from whispertrans_tray.settings import AsrSettings

log = logging.getLogger(__name__)

FILE_CHUNK_S = 1.0
LIVE_CHUNK_S = 0.1
FILE_MIN_SILENCE_MS = 1000
READ_TIMEOUT_S = 0.1
# At a stop the capture thread hands over what the audio server delivered and nobody read yet:
# seconds of audio when a busy machine starved it, and the last words spoken.  It is waited for
# this long (a thread stuck on a vanished server is not waited for forever).
CAPTURE_STOP_TIMEOUT_S = 10.0


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


@dataclass(frozen=True)
class AudioFile:
    """An audio or video file with a sound track, checked before any work starts."""

    path: Path
    duration: float | None
    """Seconds, from the container (None if it does not say)."""


def open_audio(path: Path) -> AudioFile:
    """Check that ``path`` is a readable file with a sound track; raises :class:`AudioFileError`
    naming the cause."""
    if path.is_dir():
        raise AudioFileError("audio.file_is_folder", path=path)
    if path.exists() and not path.is_file():  # /dev/null, a FIFO, a socket: no audio file
        raise AudioFileError("audio.file_not_regular", path=path)
    if not path.is_file():
        raise AudioFileError("audio.file_missing", path=path)
    import av  # PyAV, which faster-whisper decodes with

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            streams = container.streams.audio
            if not streams:  # a video without a sound track
                raise AudioFileError("audio.no_audio_stream", path=path)
            duration = None
            if container.duration is not None:
                duration = container.duration / av.time_base
            elif streams[0].duration is not None and streams[0].time_base is not None:
                duration = float(streams[0].duration * streams[0].time_base)
    except AudioFileError:
        raise
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    return AudioFile(path, duration)


def _unreadable(path: Path, exc: BaseException) -> AudioFileError:
    """The file could not be decoded: the cause in words; the decoder's own text is logged."""
    log.info("Cannot decode %s: %r", path, exc)
    cause = causes.os_error(exc) if isinstance(exc, PermissionError | IsADirectoryError) \
        else Phrase.of("cause.bad_media")
    return AudioFileError("audio.file_unreadable", path=path, detail=cause)


def stream_audio(path: Path, chunk_s: float = FILE_CHUNK_S) -> Iterator[Audio]:
    """Decode ``path`` to 16 kHz mono float32 piece by piece (``chunk_s`` each, the last one
    shorter): memory stays bounded whatever the file's length.  The samples are the ones
    faster-whisper's ``decode_audio`` gives (PyAV, resampled to 16-bit, then scaled)."""
    open_audio(path)
    import av

    step = int(chunk_s * SAMPLE_RATE)
    pending: list[np.ndarray] = []
    size = 0
    produced = 0
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in _frames(container, av):
                for out in resampler.resample(frame):
                    pending.append(out.to_ndarray().reshape(-1))
                    size += pending[-1].size
                while size >= step:
                    data = np.concatenate(pending)
                    pending, size = [data[step:]], data.size - step
                    produced += step
                    yield _to_float(data[:step])
            del resampler
    except AudioFileError:
        raise
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    if size:
        produced += size
        yield _to_float(np.concatenate(pending))
    if produced == 0:
        raise AudioFileError("audio.file_unreadable", path=path,
                             detail=Phrase.of("cause.no_audio"))


def _frames(container: Any, av: Any) -> Iterator[Any]:
    """The sound track's frames, then None (flushes the resampler); undecodable frames are
    skipped, as faster-whisper does."""
    frames = container.decode(audio=0)
    while True:
        try:
            frame = next(frames)
        except StopIteration:
            break
        except av.error.InvalidDataError:
            continue
        frame.pts = None  # faster-whisper ignores timestamps too
        yield frame
    yield None


def _to_float(samples: np.ndarray) -> Audio:
    audio: Audio = samples.astype(np.float32) / np.float32(32768.0)
    return audio


def read_audio(path: Path) -> Audio:
    """A whole (short) file as one array: see :func:`stream_audio` for long ones."""
    return np.concatenate(list(stream_audio(path)))


def file_batch_size(device: str) -> int:
    """Utterances decoded together in file mode: 8 on a GPU; one at a time on a CPU, where a
    batch of 8 was no faster and held about 290 MB more (benchmarks/RESULTS.md, "File mode")."""
    return 8 if device == "cuda" else 1


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


class Recognizer(Protocol):
    """Audio in, events out: the :class:`StreamingRecognizer` (live), or the
    :class:`~whispertrans_tray.core.batch_recognizer.BatchRecognizer` (file mode)."""

    def feed(self, audio: Audio) -> list[Event]: ...

    def finish(self) -> list[Event]: ...


def events(chunks: Iterable[Audio], recognizer: Recognizer,
           on_fed: Callable[[Audio], None] | None = None,
           clock: Callable[[], float] | None = None) -> Iterator[Event]:
    """Every event of ``recognizer`` fed ``chunks``; ``on_fed`` sees each chunk once fed.

    When ``chunks`` ends, :meth:`Recognizer.finish` commits what is pending.  Each sentence
    gets ``committed_at`` from ``clock`` (seconds since the stream began by the source's
    clock: audio captured, or wall time of a replay); without one, the audio the chunks
    delivered so far (file mode: the audio decoded so far).
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


class StreamClock:
    """The running stream's clock (seconds since it began, by the source's clock, as
    ``committed_at``), readable from any thread: the translation stamps its answers with it.
    None while no stream runs."""

    def __init__(self) -> None:
        self._read: Callable[[], float] | None = None

    def use(self, read: Callable[[], float] | None) -> None:
        """Read the clock with ``read`` from now on (None: no stream)."""
        self._read = read

    def __call__(self) -> float | None:
        read = self._read
        return None if read is None else round(read(), 3)


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
        capture.stop(CAPTURE_STOP_TIMEOUT_S)
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


def file_chunks(audio: Audio | Iterable[Audio], realtime: bool,
                stats: RunStats) -> Iterator[Audio]:
    """Pieces of ``audio`` (an array, or the pieces :func:`stream_audio` decodes) as a source
    would deliver them; ``stats.audio_seconds`` counts what was delivered.

    ``realtime`` replays at 1×: each piece is all the audio that has "arrived" by now, so a slow
    consumer gets bigger pieces, never a queue of small ones.  ``stats.max_lag_seconds`` records
    how far behind the arrival of audio the consumer fell.  The file is decoded only as far as
    the replay has reached.
    """
    if not realtime:
        for piece in _pieces(audio):
            stats.audio_seconds += piece.size / SAMPLE_RATE
            yield piece
        return
    pieces = _pieces(audio)
    step = int(LIVE_CHUNK_S * SAMPLE_RATE)
    buffered: list[Audio] = []
    available = 0  # samples decoded and not yet delivered
    exhausted = False
    t0 = time.perf_counter()
    fed = 0
    while True:
        arrived = int((time.perf_counter() - t0) * SAMPLE_RATE)
        while not exhausted and available < arrived - fed + step:
            more = next(pieces, None)
            if more is None:
                exhausted = True
            else:
                buffered.append(more)
                available += more.size
        if exhausted and available == 0:
            return
        arrived = min(arrived, fed + available)
        if arrived - fed < step and not (exhausted and arrived == fed + available):
            time.sleep((fed + step - arrived) / SAMPLE_RATE)
            continue
        lag = (arrived - fed) / SAMPLE_RATE
        stats.max_lag_seconds = max(stats.max_lag_seconds, lag)
        stats.lag.append((arrived / SAMPLE_RATE, lag))
        data = np.concatenate(buffered) if len(buffered) > 1 else buffered[0]
        take = arrived - fed
        buffered = [data[take:]] if take < data.size else []
        available -= take
        stats.audio_seconds += take / SAMPLE_RATE
        yield data[:take]
        fed = arrived


def _pieces(audio: Audio | Iterable[Audio]) -> Iterator[Audio]:
    if isinstance(audio, np.ndarray):
        step = int(FILE_CHUNK_S * SAMPLE_RATE)
        return (audio[i: i + step] for i in range(0, audio.size, step))
    return iter(audio)


def run(
    audio: Audio | Iterable[Audio],
    recognizer: Recognizer,
    on_event: Callable[[Event], None],
    realtime: bool = False,
    on_progress: Callable[[float], None] | None = None,
    stop: Stop | None = None,
    stream_clock: StreamClock | None = None,
) -> RunStats:
    """Feed ``audio`` (an array or :func:`stream_audio`) through ``recognizer`` with
    :func:`events`; each event to ``on_event``, the seconds fed to ``on_progress``.  Setting
    ``stop`` ends the run early (:func:`until`); a replay's clock is the wall time since it
    started.  ``stream_clock``
    reads the run's clock meanwhile (a replay's, or file mode's: the audio fed so far)."""
    stats = RunStats()
    started = time.perf_counter()
    fed = None if on_progress is None else (
        lambda chunk: on_progress(chunk.size / SAMPLE_RATE))
    chunks = file_chunks(audio, realtime, stats)
    clock = (lambda: time.perf_counter() - started) if realtime else None
    if stream_clock is not None:
        stream_clock.use(clock or (lambda: stats.audio_seconds))
    if stop is not None:
        chunks = until(chunks, stop, None if not realtime else (
            lambda: (stop.at or time.perf_counter()) - started))
    for event in events(chunks, recognizer, fed, clock):
        on_event(event)
    stats.wall_seconds = time.perf_counter() - started
    return stats
