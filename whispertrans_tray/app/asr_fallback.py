"""Remote recognition with a local fallback that loses nothing: :class:`FallbackTranscriber`.

The recognizer asks for one decode at a time; each goes to the remote server while it is
healthy and to the local model otherwise.  Either way the recognizer gets exactly one
transcript of the window it asked about, so a switch can neither lose nor repeat a sentence:
the streaming core does not know where a decode ran.

The policy, with local decoding timed as it happens (and once at start on the 1-s test clip):

* a remote error, or no answer within what a local decode of the window would take
  (× :data:`DEADLINE_FACTOR`, at least :data:`MIN_DEADLINE_S`, at most ``asr.remote_timeout_s``):
  the window is decoded locally at once, and recognition stays local;
* remote answers slower than local decoding :data:`SLOW_IN_A_ROW` times in a row: local;
* an empty transcript of at least a second of speech (the VAD heard speech): decoded locally
  too; if the local model hears words, the server is failing;
* while local, a probe thread sends the test clip to the server with backoff
  (:data:`FIRST_PROBE_S` doubling to :data:`MAX_PROBE_S`); once the server answers it with
  words and no slower than the local model did, recognition returns to the server.

Every switch is a status message in the UI language.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from whispertrans_tray.causes import host
from whispertrans_tray.core.types import (
    SAMPLE_RATE,
    Audio,
    BatchTranscriber,
    Transcriber,
    Transcript,
)
from whispertrans_tray.errors import RecognitionServerError
from whispertrans_tray.i18n import Phrase, tr
from whispertrans_tray.providers import asr_faster_whisper, model_manager
from whispertrans_tray.providers.asr_faster_whisper import LoadedModel
from whispertrans_tray.providers.asr_remote import TEST_CLIP, RemoteWhisper, read_wav
from whispertrans_tray.settings import AsrSettings, Settings

log = logging.getLogger(__name__)

DEADLINE_FACTOR = 1.25
MIN_DEADLINE_S = 0.5
SLOW_IN_A_ROW = 2
FIRST_PROBE_S = 1.0
MAX_PROBE_S = 30.0
ENCODER_PAD_S = 2.0  # local decode time grows with the window plus about this much
_EWMA = 0.3
PROBE_LANGUAGE = "en"
"""The language of the probe clip (JFK): a server that answers it in another is not back."""


class RemoteTranscriber(Transcriber, Protocol):
    """A remote recognizer (``providers.asr_remote.RemoteWhisper``)."""

    url: str

    def transcribe(self, audio: Audio, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None, *,
                   timeout_s: float | None = None) -> Transcript:
        ...

    def close(self) -> None: ...


class LocalTranscriber(BatchTranscriber, Protocol):
    """The local model, which says what was loaded (and decodes batches in file mode)."""

    @property
    def info(self) -> LoadedModel: ...


class FallbackTranscriber:
    """A :class:`Transcriber`: remote first, local while the remote fails or is slower.

    ``max_ratio`` is how much slower than local decoding the server may be before
    recognition goes local (1.0: not slower at all).  ``on_status`` hears each switch.
    """

    def __init__(self, remote: RemoteTranscriber, local: LocalTranscriber,
                 on_status: Callable[[str], None], ui_language: str, *,
                 probe_audio: Audio, timeout_s: float = 5.0, max_ratio: float = 1.0,
                 first_probe_s: float = FIRST_PROBE_S, max_probe_s: float = MAX_PROBE_S,
                 remote_name: str = "") -> None:
        self.remote = remote
        self.local = local
        self.on_status = on_status
        self.ui_language = ui_language
        self.probe_audio = probe_audio
        self.timeout_s = timeout_s
        self.max_ratio = max_ratio
        self.first_probe_s = first_probe_s
        self.max_probe_s = max_probe_s
        self.info = dataclasses.replace(
            local.info, name=f"{remote_name or 'remote'} @ {remote.url} "
            f"(local fallback: {local.info.name})")
        self.remote_decodes = 0
        self.local_decodes = 0
        self.switches: list[str] = []  # "local" / "remote", in order
        self._rate: float | None = None  # local seconds per (window + pad) second
        self._probe_local_s: float | None = None  # local time for the probe clip
        self._slow = 0
        self._lock = threading.Lock()
        self._remote_ok = True
        self._closed = threading.Event()
        self._prober: threading.Thread | None = None

    # -- state ----------------------------------------------------------------------------
    @property
    def using_remote(self) -> bool:
        with self._lock:
            return self._remote_ok

    def calibrate(self) -> float:
        """Time one local decode of the probe clip (the measure remote answers must beat)."""
        started = time.perf_counter()
        self.local.transcribe(self.probe_audio, None)
        took = time.perf_counter() - started
        self._probe_local_s = took
        self._learn(self.probe_audio.size, took)
        return took

    def local_estimate(self, samples: int) -> float | None:
        """Seconds a local decode of ``samples`` would take, once measured."""
        if self._rate is None:
            return None
        return self._rate * (samples / SAMPLE_RATE + ENCODER_PAD_S)

    def close(self) -> None:
        self._closed.set()
        if self._prober is not None:
            self._prober.join(2.0)
        self.remote.close()

    # -- decoding -------------------------------------------------------------------------
    def transcribe(self, audio: Audio, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None) -> Transcript:
        if not self.using_remote:
            return self._local(audio, language, prompt, draft, prefer)
        estimate = self.local_estimate(audio.size)
        deadline = self.timeout_s if estimate is None else min(
            self.timeout_s, max(MIN_DEADLINE_S, estimate * DEADLINE_FACTOR * self.max_ratio))
        started = time.perf_counter()
        try:
            result = self.remote.transcribe(audio, language, prompt, draft, prefer,
                                            timeout_s=deadline)
        except RecognitionServerError as exc:
            self._go_local(exc.message(self.ui_language))
            return self._local(audio, language, prompt, draft, prefer)
        took = time.perf_counter() - started
        self.remote_decodes += 1
        if not result.words and audio.size >= SAMPLE_RATE:
            local = self._local(audio, language, prompt, draft, prefer)
            if local.words:
                self._go_local(tr("asr.remote_bad_answer", self.ui_language,
                                  detail=Phrase.of("cause.empty_speech")))
            return local
        if estimate is not None and took > estimate * self.max_ratio:
            self._slow += 1
            if self._slow >= SLOW_IN_A_ROW:
                self._go_local(tr("asr.remote_slower", self.ui_language, host=host(self.remote.url),
                                  remote_ms=took * 1000, local_ms=estimate * 1000))
        else:
            self._slow = 0
        return result

    def transcribe_batch(self, chunks: Sequence[Audio],
                         language: str | None) -> list[Transcript]:
        """File mode: each chunk is one remote request while the server serves; what is left
        once it fails goes to the local model as one batch."""
        out: list[Transcript] = []
        for i, chunk in enumerate(chunks):
            if not self.using_remote:
                return out + self.local.transcribe_batch(chunks[i:], language)
            out.append(self.transcribe(chunk, language))
        return out

    def _local(self, audio: Audio, language: str | None, prompt: str, draft: bool,
               prefer: str | None) -> Transcript:
        started = time.perf_counter()
        result = self.local.transcribe(audio, language, prompt, draft, prefer)
        self._learn(audio.size, time.perf_counter() - started)
        self.local_decodes += 1
        return result

    def _learn(self, samples: int, seconds: float) -> None:
        rate = seconds / (samples / SAMPLE_RATE + ENCODER_PAD_S)
        self._rate = rate if self._rate is None else (1 - _EWMA) * self._rate + _EWMA * rate

    # -- switching ------------------------------------------------------------------------
    def _go_local(self, cause: str) -> None:
        with self._lock:
            if not self._remote_ok or self._closed.is_set():
                return
            self._remote_ok = False
            self._slow = 0
            self.switches.append("local")
        log.warning("Recognition falls back to the local model: %s", cause)
        self.on_status(tr("asr.fallback_local", self.ui_language, cause=cause))
        self._prober = threading.Thread(target=self._probe, name="asr-probe", daemon=True)
        self._prober.start()

    def _probe(self) -> None:
        """Probe the server with backoff until it is back (or the transcriber closes)."""
        wait = self.first_probe_s
        while not self._closed.wait(wait):
            wait = min(wait * 2, self.max_probe_s)
            started = time.perf_counter()
            try:
                result = self.remote.transcribe(self.probe_audio, PROBE_LANGUAGE,
                                                timeout_s=self.timeout_s)
            except RecognitionServerError as exc:
                log.info("Recognition server still failing: %s", exc.message("en"))
                continue
            took = time.perf_counter() - started
            local = self._probe_local_s
            if not result.words or (local is not None and took > local * self.max_ratio):
                log.info("Recognition server answered the probe in %.2f s (local %s): not yet",
                         took, local)
                continue
            with self._lock:
                if self._closed.is_set():
                    return
                self._remote_ok = True
                self.switches.append("remote")
            log.info("Recognition server is back (probe %.2f s)", took)
            self.on_status(tr("asr.back_to_remote", self.ui_language, host=host(self.remote.url),
                              ms=took * 1000))
            return


def with_fallback(asr: AsrSettings, local: LocalTranscriber, api_key: str | None,
                  terms: Sequence[str], on_status: Callable[[str], None],
                  ui_language: str) -> FallbackTranscriber:
    """The remote server ``asr`` names, backed by ``local``; local decoding is timed once
    now on the test clip (which also warms the local model up)."""
    remote = RemoteWhisper(asr.remote_url, asr.remote_model, api_key, asr.remote_timeout_s,
                           terms)
    fallback = FallbackTranscriber(remote, local, on_status, ui_language,
                                   probe_audio=read_wav(TEST_CLIP),
                                   timeout_s=asr.remote_timeout_s,
                                   remote_name=asr.remote_model)
    took = fallback.calibrate()
    log.info("Local decode of the 1-s test clip: %.2f s", took)
    return fallback


def load_transcriber(settings: Settings, on_status: Callable[[str], None],
                     api_key: str | None) -> LocalTranscriber:
    """The local model with the glossary's source terms as hotwords; with ``asr.backend``
    remote, the recognition server (key ``api_key``) in front of it as its fallback.  A
    server URL that is not valid is told (``on_status``) and the local model decodes alone."""
    terms = [source for source, _ in settings.translation.glossary]
    model_manager.clean_stale_downloads()
    local = asr_faster_whisper.load(settings.asr, terms)
    if settings.asr.backend != "remote":
        return local
    try:
        return with_fallback(settings.asr, local, api_key, terms, on_status,
                             settings.ui_language)
    except RecognitionServerError as exc:
        if exc.key != "asr.bad_url":
            raise
        log.info("Recognition server URL not usable: %s", exc)
        on_status(tr("asr.bad_url_local", settings.ui_language,
                     message=exc.message(settings.ui_language)))
        return local
