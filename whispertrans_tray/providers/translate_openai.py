"""Sentence translation through any OpenAI-compatible chat API, with the ``openai`` SDK.

Any provider (the presets live in :mod:`whispertrans_tray.settings`): vLLM, OpenAI, Ollama, or
a custom endpoint (LM Studio, llama.cpp server…); the API key is handed in.  The URL may be the
full ``…/v1/chat/completions`` the seed shows or its ``…/v1`` base; it is normalised once.
Requests stream (the subtitle fills as tokens arrive), always send temperature and max_tokens,
ask thinking models not to think (vLLM ``chat_template_kwargs``, Ollama ``think``) and strip
any ``<think>…</think>`` that still arrives.  Every failure becomes a
:class:`~whispertrans_tray.errors.TranslationError` that names the cause and the fix.

An answer counts only when the server said it was finished (a ``finish_reason``): a stream
that just stops is cut off, and its fragment is never returned as a translation.  A 429 is
waited out (``Retry-After``, else a growing pause) as long as the request's deadline allows.
An answer far longer than ``max_tokens`` allows (a server that ignores it) is cut at
:data:`CHARS_PER_TOKEN` × ``max_tokens`` characters and the rest is not read.
"""

from __future__ import annotations

import contextlib
import email.utils
import ipaddress
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from whispertrans_tray import causes, errors, logs
from whispertrans_tray.i18n import Phrase, tr
from whispertrans_tray.providers import _urls
from whispertrans_tray.providers.prompt import Pair, ThinkFilter, build_messages
from whispertrans_tray.settings import TranslationSettings

if TYPE_CHECKING:
    import httpx2

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 3.0
MIN_RETRY_BUDGET_S = 1.0  # a retry needs at least this much of the request's time left
RETRY_PAUSE_S = 0.2
RATE_LIMIT_PAUSE_S = 0.5  # first pause after a 429 without Retry-After; doubles each time
CHARS_PER_TOKEN = 8  # generous for any script: more than this per max_tokens is not an answer


def base_url(url: str) -> str:
    """``http://host:8000/v1/chat/completions`` or ``…/v1`` → ``http://host:8000/v1``."""
    try:
        return _urls.base_url(url, ("/chat/completions", "/completions", "/models"))
    except _urls.InvalidURLError as exc:
        raise errors.BadURLError(url=url, detail=exc.cause) from exc


def is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_warned_hosts: set[str] = set()


def plain_http_warning(url: str, api_key: str | None, ui_language: str,
                       once: bool = True) -> str | None:
    """A warning when a key goes over plain http to a host that is not this PC; ``once``:
    only the first time for each host (測試連線 passes False: it always says so)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not api_key or parts.scheme != "http" or is_local(host) or (once and host in _warned_hosts):
        return None
    _warned_hosts.add(host)
    return tr("translate.plain_http_key", ui_language, host=host)


def retry_after_s(value: str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0) if text.replace(".", "", 1).isdigit() else max(
            email.utils.parsedate_to_datetime(text).timestamp()
            - (time.time() if now is None else now), 0.0)
    except (TypeError, ValueError, OverflowError):
        return None


def map_error(exc: BaseException, url: str, timeout_s: float, model: str = "") -> \
        errors.TranslationError:
    """The :class:`TranslationError` that explains ``exc`` (an openai or network error).

    The message names the server by its host and the cause in words; ``exc`` itself (its
    repr, the URL) goes to the log only.
    """
    import httpx2
    import openai

    if isinstance(exc, errors.TranslationError):
        return exc
    log.info("Translation request to %s failed: %r", url, exc)
    host = causes.host(url)
    if isinstance(exc, openai.APITimeoutError):
        return errors.TranslationTimeoutError(host=host, seconds=timeout_s)
    if isinstance(exc, openai.APIConnectionError):
        # Classified by the httpx/ssl exceptions it was raised from, not by their text.
        chain = list(causes.chain(exc))
        if any(isinstance(e, ssl.SSLError) for e in chain):
            return errors.TLSError(host=host, detail=causes.network(exc))
        if any(isinstance(e, httpx2.TimeoutException) for e in chain):
            return errors.TranslationTimeoutError(host=host, seconds=timeout_s)
        if any(isinstance(e, httpx2.RemoteProtocolError) for e in chain):
            return errors.StreamBrokenError(detail=Phrase.of("cause.dropped"))
        return errors.ServerUnreachableError(host=host, detail=causes.network(exc))
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        said = causes.server_message(exc.body)
        if status in (401, 403):
            return errors.AuthenticationError(status=status)
        if status == 429:
            return errors.rate_limited(retry_after_s(exc.response.headers.get("retry-after")))
        if status == 404 and "model" in f"{said} {exc.body}".lower():
            # Servers say "unknown model" only in the text of the 404 (vLLM: "The model `x`
            # does not exist.", OpenAI: code model_not_found), so the text decides here.
            return errors.ModelNotFoundError(model=model, available="?")
        if status >= 500:
            return errors.ServerError(status=status, detail=Phrase.of(
                "cause.server_said", said=said) if said else Phrase.of("cause.server_silent"))
        return errors.NotCompatibleError(host=host, detail=Phrase.of(
            "cause.http_status_said", status=status, said=said) if said
            else Phrase.of("cause.http_status", status=status))
    if isinstance(exc, (openai.APIResponseValidationError, ValueError, KeyError, TypeError,
                        AttributeError)):
        return errors.StreamBrokenError(detail=Phrase.of("cause.unreadable_answer"))
    if isinstance(exc, openai.OpenAIError):
        return errors.NotCompatibleError(host=host, detail=Phrase.of("cause.unreadable_answer"))
    return errors.StreamBrokenError(detail=Phrase.of("cause.unreadable_answer"))


class _Watchdog:
    """Aborts a streaming response at its deadline or when it is cancelled.

    Closing an HTTP response from another thread does not wake a blocking read, so the
    watchdog shuts the socket down, which does; the reader then sees a connection error and
    :attr:`reason` says why.
    """

    def __init__(self, deadline: float, cancelled: Callable[[], bool]) -> None:
        self.deadline = deadline
        self.cancelled = cancelled
        self.reason = ""  # "timeout" or "cancelled" once it fired
        self._response: Any = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="translate-watchdog",
                                        daemon=True)

    def watch(self, response: Any) -> None:
        self._response = response
        self._thread.start()

    def stop(self) -> None:
        self._done.set()

    def _run(self) -> None:
        while not self._done.wait(0.05):
            if self.cancelled():
                self.reason = "cancelled"
            elif time.monotonic() >= self.deadline:
                self.reason = "timeout"
            else:
                continue
            _abort(self._response)
            return


def _abort(response: Any) -> None:
    """Shut down the socket under an httpx response (or at least close the response)."""
    try:
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            sock.shutdown(socket.SHUT_RDWR)
            return
    except (AttributeError, OSError) as exc:
        log.debug("Could not shut the stream's socket down: %s", exc)
    with contextlib.suppress(Exception):
        response.close()


@dataclass(frozen=True)
class Result:
    """A finished translation with its timing."""

    text: str
    first_token_s: float
    total_s: float
    chunks: int
    cancelled: bool = False
    capped: bool = False  # the answer ran far past max_tokens and was cut (the rest unread)


class OpenAITranslator:
    """Translates one sentence at a time; thread-compatible (one request at a time).

    Each request has a connect timeout of :data:`CONNECT_TIMEOUT_S` and a total deadline of
    ``settings.timeout_s`` (enforced while tokens stream, so a server that trickles tokens
    forever cannot hold a sentence up).  ``cancelled()`` is polled while the answer streams; a
    cancelled request returns what it has with ``Result.cancelled`` set.
    """

    def __init__(self, settings: TranslationSettings, api_key: str | None = None,
                 retry: bool = True, http_client: httpx2.Client | None = None) -> None:
        """``http_client`` replaces the SDK's own HTTP client (httpx2), e.g. one whose
        ``httpx2.MockTransport`` answers in-process; None talks to the network."""
        import openai

        if api_key:
            logs.register_secret(api_key)  # the key is never logged, whatever logs it
        self.settings = settings
        self.retry = retry
        self.url = base_url(settings.url)
        self._provider = settings.provider
        self._client: Any = openai.OpenAI(
            base_url=self.url,
            api_key=api_key or "EMPTY",  # vLLM without --api-key accepts any key
            timeout=openai.Timeout(settings.timeout_s, connect=CONNECT_TIMEOUT_S),
            max_retries=0,  # one retry of our own, only for transient failures
            http_client=http_client,
        )
        self._stop = False

    def close(self) -> None:
        self._stop = True
        self._client.close()

    def _extra_body(self) -> dict[str, Any]:
        if self._provider == "vllm":
            return {"chat_template_kwargs": {"enable_thinking": False}}
        if self._provider == "ollama":
            return {"think": False}
        return {}

    def translate(
        self,
        sentence: str,
        target: str,
        context: Sequence[Pair] = (),
        on_text: Callable[[str], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        instruction: str = "",
    ) -> Result:
        """Translate ``sentence`` into ``target``; ``on_text`` gets the text so far.

        One retry on a transient failure, within the same total deadline
        (``settings.timeout_s``): a timed-out request is not retried. A stream cut off after
        some text is asked again too (its fragment was never final; ``on_text`` then gets the
        new answer from its start); other failures after text are not. A 429 is waited out
        as ``Retry-After`` asks while the deadline allows.
        """
        messages = build_messages(sentence, target, context, self.settings.glossary,
                                  instruction)
        deadline = time.monotonic() + self.settings.timeout_s
        started = time.perf_counter()
        retried = False
        pause = RATE_LIMIT_PAUSE_S
        while True:
            try:
                return self._stream(messages, on_text, cancelled, deadline)
            except errors.RateLimitedError as exc:
                # Wait as long as the server asks (else a growing pause) while the deadline
                # leaves time for one more request after the wait.
                wait = exc.retry_after if exc.retry_after is not None else pause
                pause = min(pause * 2, 8.0)
                if (not self.retry or self._stop or cancelled()
                        or deadline - time.monotonic() < wait + MIN_RETRY_BUDGET_S):
                    raise
                log.info("Rate-limited (HTTP 429); waiting %.1f s before asking again", wait)
            except errors.TranslationError as exc:
                # A cut-off answer was never shown as final: asking again is safe.
                if (retried or not self.retry or not exc.transient or self._stop
                        or cancelled()
                        or (exc.partial and not isinstance(exc, errors.StreamBrokenError))
                        or deadline - time.monotonic() < MIN_RETRY_BUDGET_S):
                    raise
                retried = True
                wait = RETRY_PAUSE_S
                log.info("Translation failed (%s); retrying once", type(exc).__name__)
            if self._wait(wait, cancelled):
                return Result("", 0.0, time.perf_counter() - started, 0, cancelled=True)

    def _wait(self, seconds: float, cancelled: Callable[[], bool]) -> bool:
        """Sleep ``seconds``; True if cancelled (or closed) meanwhile."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if self._stop or cancelled():
                return True
            time.sleep(min(left, 0.05))
        return self._stop or cancelled()

    def _stream(self, messages: list[dict[str, str]], on_text: Callable[[str], None] | None,
                cancelled: Callable[[], bool], deadline: float) -> Result:
        import openai

        started = time.perf_counter()
        budget = max(deadline - time.monotonic(), 0.1)
        watchdog = _Watchdog(deadline, cancelled)
        first = 0.0
        text = ""
        chunks = 0
        events = 0
        received = 0  # characters of content, thinking included
        cap = self.settings.max_tokens * CHARS_PER_TOKEN
        capped = False
        finish: str | None = None
        think = ThinkFilter()
        try:
            stream = self._client.chat.completions.create(
                model=self.settings.model, messages=messages, stream=True,
                temperature=self.settings.temperature, max_tokens=self.settings.max_tokens,
                extra_body=self._extra_body(),
                timeout=openai.Timeout(budget, connect=min(CONNECT_TIMEOUT_S, budget)),
            )
            with stream:
                watchdog.watch(stream.response)
                for chunk in stream:
                    events += 1
                    if cancelled():
                        break
                    if getattr(chunk, "error", None):
                        said = causes.server_message({"error": chunk.error})
                        raise errors.ServerError(status=500, detail=Phrase.of(
                            "cause.server_said", said=said) if said
                            else Phrase.of("cause.server_silent"))
                    if not chunk.choices:
                        continue
                    finish = chunk.choices[0].finish_reason or finish
                    delta = chunk.choices[0].delta.content or ""
                    if received + len(delta) > cap:  # far past max_tokens: stop reading
                        delta = delta[:max(cap - received, 0)]
                        capped = True
                    received += len(delta)
                    visible = think.feed(delta)
                    if delta and not first:
                        first = time.perf_counter() - started
                    chunks += 1 if delta else 0
                    if visible:
                        text += visible
                        if on_text:
                            on_text(text.strip())
                    if capped:
                        break
            text += think.finish()
        except Exception as exc:
            if watchdog.reason == "cancelled":
                return Result(text.strip(), first, time.perf_counter() - started, chunks, True)
            if watchdog.reason == "timeout":
                error: errors.TranslationError = errors.TranslationTimeoutError(
                    host=causes.host(self.url), seconds=self.settings.timeout_s)
            else:
                error = map_error(exc, self.url, self.settings.timeout_s, self.settings.model)
            if isinstance(error, errors.ModelNotFoundError):
                error = self._model_missing()
            if text:
                error.partial = True
            raise error from exc
        finally:
            watchdog.stop()
        if cancelled():
            return Result(text.strip(), first, time.perf_counter() - started, chunks, True)
        if not text.strip():
            if not events:
                raise errors.NotCompatibleError(host=causes.host(self.url),
                                                detail=Phrase.of("cause.no_stream"))
            if finish is not None:
                raise errors.StreamBrokenError(detail=Phrase.of("cause.empty_answer"))
        if capped:
            log.warning("The answer ran past max_tokens (%d); kept its first %d characters",
                        self.settings.max_tokens, cap)
        elif finish is None:  # the stream ended, but the server never said it had finished
            cut = errors.CutOffError(chars=len(text.strip()))
            cut.partial = bool(text.strip())
            raise cut
        return Result(text.strip(), first, time.perf_counter() - started, chunks,
                      capped=capped)

    def _model_missing(self) -> errors.ModelNotFoundError:
        try:
            available = ", ".join(self.list_models()) or "-"
        except errors.TranslationError:
            available = "?"
        return errors.ModelNotFoundError(model=self.settings.model, available=available)

    def list_models(self) -> list[str]:
        """Model ids the server serves (GET /v1/models)."""
        try:
            page = self._client.models.list()
            return sorted(str(m.id) for m in page.data)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.info("GET %s/models: unreadable answer: %r", self.url, exc)
            raise errors.NotCompatibleError(host=causes.host(self.url), detail=Phrase.of(
                "cause.models_unreadable")) from exc
        except Exception as exc:
            raise map_error(exc, self.url, self.settings.timeout_s) from exc
