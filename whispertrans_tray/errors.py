"""The exception tree of WhisperTrans Tray.

Every error a user can meet is a :class:`WhisperTransError`.  It carries a message key from
:mod:`whispertrans_tray.i18n` and its parameters, so the same error can be shown in 繁體中文 or
English (``err.message("en")``) and always names the cause and the fix.  Loop edges (the CLI,
the pipeline worker, the tray) catch ``WhisperTransError``; anything else is a bug and is logged
with its traceback, but never stops the daemon.

::

    WhisperTransError
    ├── SettingsError
    ├── ModelError
    │   ├── ModelMissingError        bundled model packages not installed
    │   ├── ModelChecksumError       joined model.bin does not match its sha256
    │   ├── ModelDownloadError       a named model could not be downloaded (offline, …)
    │   ├── ModelDownloadCancelledError  the user cancelled a download
    │   └── ModelLoadError           CTranslate2 could not load the model
    ├── AudioError
    │   ├── AudioFileError           input file missing or undecodable
    │   └── NoAudioDeviceError       no audio server / device, chosen device gone
    ├── RecognitionServerError       the remote recognition server failed (``asr.remote_*``
    │                                keys: unreachable, timeout, key, 413, HTML, bad answer);
    │                                the decode falls back to the local model
    ├── HotkeyError                  a global hotkey could not be registered
    ├── AutostartError               the start-on-login entry could not be changed
    ├── OutputError                  unknown output format, unwritable output file
    │   └── LiveFileError            the live text file: someone else's file, unwritable
    ├── ObsError                     OBS Studio (obs-websocket 5) does not take the subtitles;
    │   │                            the subtitles go on, the app reconnects with backoff
    │   ├── ObsUnreachableError      OBS not running, WebSocket server off, wrong port
    │   ├── ObsAuthError             wrong or missing WebSocket password
    │   ├── ObsSourceError           no input of that name, or it is not a text source
    │   └── ObsProtocolError         the URL does not speak obs-websocket 5, or a bad answer
    └── TranslationError             the source line stays; ``transient`` ones are retried once
        ├── BadURLError              not an http(s) URL with a host
        ├── ServerUnreachableError   refused, DNS, unreachable (server down, firewall, port)
        ├── TranslationTimeoutError  no answer in time
        ├── AuthenticationError      401/403: wrong or missing API key
        ├── ModelNotFoundError       the server does not serve that model (lists those it has)
        ├── TLSError                 certificate or TLS handshake failure
        ├── NotCompatibleError       the URL does not speak the OpenAI chat API
        ├── RateLimitedError         429: too many requests (waited out within the deadline)
        ├── ServerError              5xx from the server
        ├── AnswerTooLongError       max_tokens ran out before any translation (thinking)
        └── StreamBrokenError        the answer stream was malformed or cut off
            └── CutOffError          the stream ended before the server said it had finished
"""

from __future__ import annotations

from whispertrans_tray.i18n import DEFAULT_UI_LANGUAGE, tr
from whispertrans_tray.logs import redact


class WhisperTransError(Exception):
    """Base class: an error with a translatable, user-facing message."""

    key: str = ""

    def __init__(self, key: str | None = None, /, **params: object) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, language: str = DEFAULT_UI_LANGUAGE) -> str:
        """The message in the UI ``language`` (``zh-TW`` or ``en``).

        Secrets are masked (registered API keys, ``sk-…``, ``Bearer …``): a server may echo the
        key in its error text, and messages go to the screen, notifications, stderr, the
        session history and subtitle files, not only to the log.
        """
        return redact(tr(self.key, language, **self.params))


class SettingsError(WhisperTransError):
    """The settings file could not be read or written."""


class ModelError(WhisperTransError):
    """The speech model could not be found, verified, downloaded or loaded."""


class ModelMissingError(ModelError):
    key = "model.bundled_missing"


class ModelChecksumError(ModelError):
    key = "model.checksum"


class ModelDownloadError(ModelError):
    key = "model.download_failed"


class ModelDownloadCancelledError(ModelError):
    key = "model.download_cancelled"


class ModelLoadError(ModelError):
    key = "model.load_failed"


class AudioError(WhisperTransError):
    """Audio could not be read or captured."""


class AudioFileError(AudioError):
    """An input audio file is missing or cannot be decoded."""


class NoAudioDeviceError(AudioError):
    """No audio server, no device of the kind needed, or the chosen device is gone."""


class RecognitionServerError(WhisperTransError):
    """The remote recognition server (``asr.backend`` remote) could not decode a window:
    the key (``asr.remote_*``) names the cause and the fix.  The window is decoded locally."""


class HotkeyError(WhisperTransError):
    """A global hotkey could not be registered."""

    key = "hotkey.failed"


class AutostartError(WhisperTransError):
    """The start-on-login entry (Run key, XDG autostart file) could not be written or removed."""

    key = "autostart.failed"


class OutputError(WhisperTransError):
    """A subtitle file could not be written."""


class LiveFileError(OutputError):
    """The live text file (``output.live_file``) cannot be used: it is a file the app did not
    write (never overwritten), or its folder cannot be written."""


class ObsError(WhisperTransError):
    """OBS Studio did not take the subtitles (``obs.*`` keys name the cause and the fix).

    The subtitles on screen go on; the OBS output retries with backoff."""


class ObsUnreachableError(ObsError):
    key = "obs.unreachable"


class ObsAuthError(ObsError):
    key = "obs.auth_failed"


class ObsSourceError(ObsError):
    key = "obs.source_missing"


class ObsProtocolError(ObsError):
    key = "obs.not_obs"


class TranslationError(WhisperTransError):
    """Translation failed; the source sentence is kept.

    ``transient`` errors (server down, timeout, 5xx, a broken stream) are worth one retry.
    ``partial`` is set when the failure came after part of the answer had arrived: such a
    request is not retried (the subtitle line already shows text).
    """

    transient = False
    brief_key = "translate.brief.failed"
    """Key of the one short status line shown on the subtitles while this lasts."""

    def __init__(self, key: str | None = None, /, **params: object) -> None:
        super().__init__(key, **params)
        self.partial = False

    def brief(self, language: str = DEFAULT_UI_LANGUAGE) -> str:
        """One short line for the subtitles (no URL, no exception text, no checklist)."""
        return tr(self.brief_key, language)


class BadURLError(TranslationError):
    key = "translate.bad_url"


class ServerUnreachableError(TranslationError):
    key = "translate.unreachable"
    brief_key = "translate.brief.unreachable"
    transient = True


class TranslationTimeoutError(TranslationError):
    key = "translate.timeout"
    brief_key = "translate.brief.timeout"
    transient = True


class AuthenticationError(TranslationError):
    key = "translate.auth"
    brief_key = "translate.brief.auth"


class ModelNotFoundError(TranslationError):
    key = "translate.model_missing"
    brief_key = "translate.brief.model"


class TLSError(TranslationError):
    key = "translate.tls"


class NotCompatibleError(TranslationError):
    key = "translate.not_compatible"


class ContextTooLargeError(TranslationError):
    """The request (the glossary, the context sentences and the sentence) is larger than the
    context the server's model was started with: every request will be, until the glossary
    shrinks or the server's context grows."""

    key = "translate.context_too_large"
    brief_key = "translate.brief.context"


class RateLimitedError(TranslationError):
    """429 Too Many Requests; ``retry_after`` is the wait the server asked for (seconds)."""

    key = "translate.rate_limited"
    transient = True

    def __init__(self, key: str | None = None, /, **params: object) -> None:
        super().__init__(key, **params)
        seconds = params.get("seconds")
        self.retry_after = float(seconds) if isinstance(seconds, (int, float)) else None


def rate_limited(retry_after: float | None) -> RateLimitedError:
    """The 429 error, saying how long the server asked to wait when it did."""
    if retry_after is None:
        return RateLimitedError()
    return RateLimitedError("translate.rate_limited_wait", seconds=round(retry_after, 1))


class ServerError(TranslationError):
    key = "translate.server_error"
    transient = True


class AnswerTooLongError(TranslationError):
    """The server stopped at ``max_tokens`` (``finish_reason: "length"``) before any text of
    the translation: the model spent every token thinking.  Asking again would do the same."""

    key = "translate.length_thinking"


class StreamBrokenError(TranslationError):
    key = "translate.stream_broken"
    transient = True


class CutOffError(StreamBrokenError):
    """The connection ended without ``[DONE]`` and without a ``finish_reason`` (or broke
    mid-answer): a fragment, never a translation."""

    key = "translate.cut_off"
