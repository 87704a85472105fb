"""Audio capture with ``soundcard``: system loopback (what the speakers play) or a microphone.

Loopback is the WASAPI loopback of a speaker on Windows and the PulseAudio/PipeWire monitor
on Linux; macOS has none (a virtual device such as BlackHole is needed).  Audio is recorded
with the device's channels (Linux, macOS: at 48 kHz; Windows: at the device's mix rate, in the
format Windows guarantees, see :mod:`whispertrans_tray.desktop.audio.wasapi`), mixed to mono and
resampled to 16 kHz with soxr.

A capture thread never blocks on the consumer: it appends to a bounded buffer, and when the
consumer falls behind the *oldest* unprocessed audio is dropped and counted.  Device faults
(unplugged, default device changed, audio server restarted, no device at all) end in a status
message and a reconnect with backoff; :meth:`AudioCapture.stop` returns within about a second.

On Linux ``soundcard`` talks to PulseAudio/PipeWire through one connection made when it is
imported; when the audio server dies that connection is dead for good, and the next query on it
makes libpulse abort the whole process.  :func:`_soundcard` checks the connection before every
use and makes a new one (or says the audio service is not running), so a restarted audio server
is a reconnect, not a crash.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from whispertrans_tray.core.types import SAMPLE_RATE, Audio
from whispertrans_tray.errors import AudioError, NoAudioDeviceError
from whispertrans_tray.i18n import Phrase, tr

log = logging.getLogger(__name__)

DEVICE_RATE = 48_000
BLOCK_S = 0.1
MAX_BACKOFF_S = 5.0


@dataclass(frozen=True)
class DeviceInfo:
    """A capture source as the user sees it."""

    name: str
    kind: str  # "loopback" (a speaker's output) or "mic"
    is_default: bool


_revive_lock = threading.Lock()


def _no_server() -> NoAudioDeviceError:
    return NoAudioDeviceError("audio.no_server", detail=Phrase.of("cause.no_audio_service"))


def _soundcard() -> Any:
    try:
        import soundcard
    except Exception as exc:  # soundcard raises odd errors without an audio server
        log.info("soundcard cannot be used: %r", exc)
        raise _no_server() from exc
    _keep_pulse_connected()
    return soundcard


def _pulse_backend() -> Any:
    """soundcard's PulseAudio back end (its module: ``_pa`` the library, ``_pulse`` the one
    connection), or None: another OS, not imported yet, or not soundcard 0.4.6's layout
    (pinned), which is then left alone."""
    backend = sys.modules.get("soundcard.pulseaudio")
    if backend is None or getattr(backend, "_pa", None) is None \
            or getattr(backend, "_pulse", None) is None:
        return None
    return backend


def _keep_pulse_connected() -> None:
    """Replace soundcard's PulseAudio connection if the server closed it (it died or was
    restarted): queries on a dead connection abort the process inside libpulse."""
    with _revive_lock:
        backend = _pulse_backend()
        if backend is None:
            return
        pa, pulse = backend._pa, backend._pulse
        state = pulse._pa_context_get_state(pulse.context)
        if state == pa.PA_CONTEXT_READY:
            return
        log.info("The PulseAudio connection was closed (state %s): connecting again", state)
        fresh = backend._PulseAudio.__new__(backend._PulseAudio)
        try:
            backend._PulseAudio.__init__(fresh)
        except AssertionError as exc:  # the server is not (yet) back
            _dispose(pa, fresh)
            raise _no_server() from exc
        backend._pulse = fresh
        # the dead one's thread is stopped; its memory is left to the process (streams that
        # were open on it may still be closing on other threads)
        pa.pa_threaded_mainloop_stop(pulse.mainloop)


def _dispose(pa: Any, pulse: Any) -> None:
    """Free a connection that never became ready (its thread included)."""
    pa.pa_threaded_mainloop_stop(pulse.mainloop)
    pa.pa_context_disconnect(pulse.context)
    pa.pa_context_unref(pulse.context)
    pa.pa_threaded_mainloop_free(pulse.mainloop)


def list_devices() -> list[DeviceInfo]:
    """Speakers (for loopback) and microphones, by name."""
    sc = _soundcard()
    out: list[DeviceInfo] = []
    try:
        default_speaker = sc.default_speaker().name
    except Exception:
        default_speaker = ""
    try:
        default_mic = sc.default_microphone().name
    except Exception:
        default_mic = ""
    if sys.platform != "darwin":
        for speaker in sc.all_speakers():
            out.append(DeviceInfo(speaker.name, "loopback", speaker.name == default_speaker))
    for mic in sc.all_microphones(include_loopback=False):
        out.append(DeviceInfo(mic.name, "mic", mic.name == default_mic))
    return out


def _find(source: str, device: str) -> tuple[Any, str]:
    """The soundcard microphone object to record from, and the device name it stands for."""
    sc = _soundcard()
    if source == "loopback":
        if sys.platform == "darwin":
            raise NoAudioDeviceError("audio.no_loopback_macos")
        speaker = _lookup(sc.get_speaker, sc.default_speaker, device, "audio.no_speaker")
        return sc.get_microphone(id=loopback_id(speaker.id), include_loopback=True), speaker.name
    mic = _lookup(sc.get_microphone, sc.default_microphone, device, "audio.no_microphone")
    return mic, mic.name


def loopback_id(speaker_id: str) -> str:
    """The id of the capture source that records the speaker ``speaker_id``: the same endpoint
    id on Windows (WASAPI loopback), the sink's monitor source on PulseAudio/PipeWire.  Looked
    up by id, never by name: a speaker and a microphone may share a name (a Bluetooth headset;
    under Wine both defaults are "PulseAudio"), and a name lookup then records the microphone."""
    return str(speaker_id) if sys.platform == "win32" else f"{speaker_id}.monitor"


def open_recorder(mic: Any, block_s: float = BLOCK_S) -> tuple[Any, int]:
    """A soundcard recorder on ``mic`` (a context manager) and the sample rate its audio
    comes at; ``block_s``: the blocks PulseAudio delivers (WASAPI: see wasapi)."""
    if sys.platform == "win32":
        from whispertrans_tray.desktop.audio import wasapi

        recorder, rate, _channels = wasapi.open_recorder(mic)
        return recorder, rate
    return mic.recorder(samplerate=DEVICE_RATE, channels=mic.channels,
                        blocksize=int(DEVICE_RATE * block_s)), DEVICE_RATE


def _lookup(by_name: Callable[[str], Any], default: Callable[[], Any], device: str,
            none_key: str) -> Any:
    """The named device, or the default one; a clear error when there is none."""
    try:
        found = by_name(device) if device else default()
    except Exception as exc:
        if device:
            raise NoAudioDeviceError("audio.device_missing", name=device) from exc
        raise NoAudioDeviceError(none_key) from exc
    if found is None:
        raise NoAudioDeviceError(none_key)
    return found


def check_source(source: str, device: str) -> str:
    """Resolve the source now (raises :class:`NoAudioDeviceError` naming the fix)."""
    return str(_find(source, device)[1])


def unread(recorder: Any, limit: int) -> Iterator[np.ndarray]:
    """What the audio server has delivered to an open soundcard ``recorder`` and was not read
    yet, up to about ``limit`` frames, without waiting: the recorder's own remainder and, on
    PulseAudio/PipeWire, the stream's client-side queue (filled by libpulse's thread however
    far behind the reader is)."""
    yield recorder.flush()
    backend = _pulse_backend()
    stream = getattr(recorder, "stream", None)
    if backend is None or stream is None:
        return
    frames = 0
    while frames < limit and backend._pulse._pa_stream_readable_size(stream) > 0:
        data = recorder.record(numframes=None)
        frames += data.shape[0]
        yield data


class AudioCapture:
    """Records on a thread; :meth:`read` returns all audio captured since the last call."""

    def __init__(self, source: str = "loopback", device: str = "",
                 on_status: Callable[[str], None] | None = None, ui_language: str = "zh-TW",
                 max_buffer_s: float = 30.0) -> None:
        self.source = source
        self.device = device
        self.ui_language = ui_language
        self._on_status = on_status or (lambda message: None)
        self._max = int(max_buffer_s * SAMPLE_RATE)
        self._chunks: deque[tuple[float, Audio]] = deque()
        self._size = 0
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.dropped_seconds = 0.0
        self._captured = 0  # samples captured since start(), read or not
        self.first_audio_at: float | None = None
        """``time.monotonic()`` when the first sample captured since :meth:`start` was heard
        (its arrival less its length): two captures' clocks are aligned by it."""
        self.connected_device = ""
        self.reconnects = 0
        self.cpu_seconds = 0.0  # CPU time the capture thread used
        self.last_wait_s = 0.0  # how long the oldest audio of the last read() waited
        self.device_frames = 0  # frames the device delivered (at its rate), all connections

    @property
    def captured_seconds(self) -> float:
        """Audio captured since :meth:`start`, read or still waiting (the stream's clock)."""
        return self._captured / SAMPLE_RATE

    def start(self) -> None:
        self._stop.clear()
        self._captured = 0
        self.first_audio_at = None
        self._thread = threading.Thread(target=self._run, name="audio-capture", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def read(self, timeout: float = 0.1) -> Audio | None:
        """Everything captured so far (mono 16 kHz), or None if nothing came in time."""
        with self._cond:
            if not self._chunks:
                self._cond.wait(timeout)
            if not self._chunks:
                return None
            self.last_wait_s = time.monotonic() - self._chunks[0][0]
            audio = np.concatenate([chunk for _, chunk in self._chunks])
            self._chunks.clear()
            self._size = 0
        return audio

    def _push(self, audio: Audio) -> None:
        with self._cond:
            if self.first_audio_at is None:
                self.first_audio_at = time.monotonic() - audio.size / SAMPLE_RATE
            self._chunks.append((time.monotonic(), audio))
            self._size += audio.size
            self._captured += audio.size
            while self._size > self._max and len(self._chunks) > 1:
                _, old = self._chunks.popleft()  # the consumer is behind: drop the oldest
                self._size -= old.size
                self.dropped_seconds += old.size / SAMPLE_RATE
                log.warning("Audio consumer behind: dropped %.1f s (total %.1f s)",
                            old.size / SAMPLE_RATE, self.dropped_seconds)
            self._cond.notify_all()

    def _status(self, message: str) -> None:
        log.info("%s", message)
        try:
            self._on_status(message)
        except Exception:
            log.exception("status callback failed")

    def _run(self) -> None:
        try:
            self._reconnecting()
        finally:
            self.cpu_seconds = time.thread_time()

    def _reconnecting(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                self._record_until_fault()
                backoff = 0.5
            except AudioError as exc:
                self._status(exc.message(self.ui_language))
            except Exception as exc:  # the device vanished under us
                log.info("Capture from %s stopped: %r", self.connected_device or self.device
                            or self.source, exc)
                self._status(tr("audio.device_lost", self.ui_language,
                                name=self.connected_device or self.device or self.source,
                                detail=Phrase.of("cause.device_gone")))
            if self._stop.wait(backoff):
                return
            backoff = min(backoff * 2, MAX_BACKOFF_S)
            self.reconnects += 1

    def _record_until_fault(self) -> None:
        import soxr

        try:
            mic, name = _find(self.source, self.device)
        except NoAudioDeviceError:
            if not self.device:
                raise
            # the chosen device is gone: fall back to the default, and say so
            self._status(tr("audio.fallback_default", self.ui_language, name=self.device))
            mic, name = _find(self.source, "")
        opened, rate = open_recorder(mic)
        resampler = soxr.ResampleStream(rate, SAMPLE_RATE, 1, dtype="float32")
        block = int(rate * BLOCK_S)
        follow_default = not self.device
        with opened as recorder:
            self.connected_device = name
            self._status(tr("audio.connected", self.ui_language, name=name))
            checked = time.monotonic()
            while not self._stop.is_set():
                data = recorder.record(numframes=block)
                if data.size:
                    self._push_resampled(resampler, data)
                self.cpu_seconds = time.thread_time()
                if follow_default and time.monotonic() - checked > 2.0:
                    checked = time.monotonic()
                    if _find(self.source, "")[1] != name:  # the default device changed
                        self._status(tr("audio.default_changed", self.ui_language))
                        return
            # stopped: what the audio server delivered and nobody read yet (a starved thread
            # can be seconds behind) and what the resampler holds are the last words spoken
            for data in unread(recorder, 3 * self._max):
                self._push_resampled(resampler, data)
            self._push_resampled(resampler, np.zeros((0, 1), np.float32), last=True)

    def _push_resampled(self, resampler: Any, data: np.ndarray, last: bool = False) -> None:
        """``data`` (frames × channels at the device's rate) as mono 16 kHz, into the buffer."""
        self.device_frames += data.shape[0]
        mono = data.mean(axis=1) if data.ndim == 2 else data
        out = resampler.resample_chunk(np.ascontiguousarray(mono, dtype=np.float32), last=last)
        if out.size:
            self._push(np.asarray(out, dtype=np.float32))
