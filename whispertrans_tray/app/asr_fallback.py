"""Remote recognition with a local fallback that loses nothing: :class:`FallbackTranscriber`.

The recognizer asks for one decode at a time; each goes to the remote server while it keeps
the subtitles in time and to the local model otherwise.  Either way the recognizer gets exactly
one transcript of the window it asked about, so a switch can neither lose nor repeat a
sentence: the streaming core does not know where a decode ran.

Users point the app at a server for its accuracy (a large model on a GPU box), not its speed:
a server slower than the local model is used as long as the audio keeps flowing.  The policy,
with the lag budget ``lag_budget_s`` (:data:`LAG_BUDGET_S`):

* a remote error, or no answer within a deadline set by real time: the window's new audio
  (since the previous decode started, at most the window) plus the lag budget, at least
  :data:`MIN_DEADLINE_S`, at most ``asr.remote_timeout_s``: the window is decoded locally at
  once, and recognition stays local;
* live, the lag past the budget :data:`LAG_IN_A_ROW` remote decodes in a row: local.  The lag
  of a decode is how late its caller was when it asked (``caller_lag``, the recognizer's
  ``behind``), or the decode's own time if that is longer;
* an empty transcript of at least a second of speech (the VAD heard speech): decoded locally
  too; if the local model hears words, the server is failing;
* while local, a probe thread sends the test clip to the server with backoff
  (:data:`FIRST_PROBE_S` doubling to :data:`MAX_PROBE_S`); once the server answers it with
  words within the lag budget, recognition returns to the server.

Being slower than the local model is not a failure.  The model's ``info.notice`` says which
recognizer is in use and when the app leaves it; every switch is a status message naming why,
in the UI language.
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

LAG_BUDGET_S = 3.0
"""How far the subtitles may trail the speech while the server decodes."""
MIN_DEADLINE_S = 0.5
LAG_IN_A_ROW = 2
FIRST_PROBE_S = 1.0
MAX_PROBE_S = 30.0
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
    """A :class:`Transcriber`: remote first, local while the remote fails or falls behind.

    ``lag_budget_s`` is how far the subtitles may trail the speech on the server's account.
    ``on_status`` hears each switch.  ``caller_lag`` (set by a live caller, e.g.
    ``lambda: recognizer.behind``) says how late the caller is; without it (file mode) there
    is no lag rule, only the deadline.
    """

    def __init__(self, remote: RemoteTranscriber, local: LocalTranscriber,
                 on_status: Callable[[str], None], ui_language: str, *,
                 probe_audio: Audio, timeout_s: float = 5.0,
                 lag_budget_s: float = LAG_BUDGET_S,
                 first_probe_s: float = FIRST_PROBE_S, max_probe_s: float = MAX_PROBE_S,
                 remote_name: str = "") -> None:
        self.remote = remote
        self.local = local
        self.on_status = on_status
        self.ui_language = ui_language
        self.probe_audio = probe_audio
        self.timeout_s = timeout_s
        self.lag_budget_s = lag_budget_s
        self.first_probe_s = first_probe_s
        self.max_probe_s = max_probe_s
        self.caller_lag: Callable[[], float] | None = None
        name = remote_name or "remote"
        in_use = Phrase.of("asr.remote_in_use", model=name, host=host(remote.url),
                           budget=lag_budget_s, local=local.info.name)
        self.info = dataclasses.replace(
            local.info, name=f"{name} @ {remote.url} (local fallback: {local.info.name})",
            notice=in_use if local.info.notice is None else Phrase.of(
                "notice.pair", first=local.info.notice, second=in_use))
        self.remote_decodes = 0
        self.local_decodes = 0
        self.switches: list[str] = []  # "local" / "remote", in order
        self.lags: list[float] = []  # the lag of every remote decode, seconds
        self._late = 0
        self._last_start: float | None = None
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
        """Decode the probe clip locally once (the local model is warm before it is needed);
        the seconds it took."""
        started = time.perf_counter()
        self.local.transcribe(self.probe_audio, None)
        return time.perf_counter() - started

    def deadline(self, samples: int, new_audio_s: float | None = None) -> float:
        """How long a remote decode of a ``samples`` window may take: its new audio (given,
        or the wall time since the previous decode started, at most the window) plus the lag
        budget, within [:data:`MIN_DEADLINE_S`, ``timeout_s``]."""
        window = samples / SAMPLE_RATE
        if new_audio_s is None:
            since = (None if self._last_start is None
                     else time.perf_counter() - self._last_start)
            new_audio_s = window if since is None else min(window, since)
        return min(self.timeout_s, max(MIN_DEADLINE_S, new_audio_s + self.lag_budget_s))

    def close(self) -> None:
        self._closed.set()
        if self._prober is not None:
            self._prober.join(2.0)
        self.remote.close()

    # -- decoding -------------------------------------------------------------------------
    def transcribe(self, audio: Audio, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None) -> Transcript:
        return self._decode(audio, language, prompt, draft, prefer, None)

    def transcribe_batch(self, chunks: Sequence[Audio],
                         language: str | None) -> list[Transcript]:
        """File mode: each chunk is one remote request while the server serves (within the
        chunk's length plus the lag budget); what is left once it fails goes to the local
        model as one batch."""
        out: list[Transcript] = []
        for i, chunk in enumerate(chunks):
            if not self.using_remote:
                return out + self.local.transcribe_batch(chunks[i:], language)
            out.append(self._decode(chunk, language, "", False, None,
                                    chunk.size / SAMPLE_RATE))
        return out

    def _decode(self, audio: Audio, language: str | None, prompt: str, draft: bool,
                prefer: str | None, new_audio_s: float | None) -> Transcript:
        deadline = self.deadline(audio.size, new_audio_s)
        started = time.perf_counter()
        self._last_start = started
        if not self.using_remote:
            return self._local(audio, language, prompt, draft, prefer)
        waited = self.caller_lag() if self.caller_lag is not None else None
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
        if waited is not None:
            self._keep_pace(max(waited, took))
        return result

    def _keep_pace(self, lag: float) -> None:
        """Live: the lag past the budget :data:`LAG_IN_A_ROW` decodes in a row goes local."""
        self.lags.append(lag)
        self._late = self._late + 1 if lag > self.lag_budget_s else 0
        if self._late >= LAG_IN_A_ROW:
            self._go_local(tr("asr.remote_behind", self.ui_language,
                              host=host(self.remote.url), lag=lag, budget=self.lag_budget_s))

    def _local(self, audio: Audio, language: str | None, prompt: str, draft: bool,
               prefer: str | None) -> Transcript:
        result = self.local.transcribe(audio, language, prompt, draft, prefer)
        self.local_decodes += 1
        return result

    # -- switching ------------------------------------------------------------------------
    def _go_local(self, cause: str) -> None:
        with self._lock:
            if not self._remote_ok or self._closed.is_set():
                return
            self._remote_ok = False
            self._late = 0
            self.switches.append("local")
        log.warning("Recognition falls back to the local model: %s", cause)
        self.on_status(tr("asr.fallback_local", self.ui_language, cause=cause))
        self._prober = threading.Thread(target=self._probe, name="asr-probe", daemon=True)
        self._prober.start()

    def _probe(self) -> None:
        """Probe the server with backoff until it answers in time (or the transcriber
        closes)."""
        wait = self.first_probe_s
        while not self._closed.wait(wait):
            wait = min(wait * 2, self.max_probe_s)
            started = time.perf_counter()
            try:
                result = self.remote.transcribe(
                    self.probe_audio, PROBE_LANGUAGE,
                    timeout_s=self.deadline(self.probe_audio.size,
                                            self.probe_audio.size / SAMPLE_RATE))
            except RecognitionServerError as exc:
                log.info("Recognition server still failing: %s", exc.message("en"))
                continue
            took = time.perf_counter() - started
            if not result.words or took > self.lag_budget_s:
                log.info("Recognition server answered the probe in %.2f s (budget %.1f s, "
                         "%d words): not yet", took, self.lag_budget_s, len(result.words))
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
    """The remote server ``asr`` names, backed by ``local``; the local model decodes the
    test clip once now (warm before it is needed)."""
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
