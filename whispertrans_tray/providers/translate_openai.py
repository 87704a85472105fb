"""Sentence translation through any OpenAI-compatible chat API, with the ``openai`` SDK.

Any provider (the presets live in :mod:`whispertrans_tray.settings`): vLLM, OpenAI, Ollama, or
a custom endpoint (LM Studio, llama.cpp server…); the API key is handed in.  The URL may be the
full ``…/v1/chat/completions`` the seed shows or its ``…/v1`` base; it is normalised once.
Requests stream (the subtitle fills as tokens arrive), always send temperature and max_tokens,
ask thinking models not to think (vLLM ``chat_template_kwargs``, Ollama ``think``) and strip
any ``<think>…</think>`` that still arrives.  Every failure becomes a
:class:`~whispertrans_tray.errors.TranslationError` that names the cause and the fix.

An answer counts only when the server said it was finished (``data: [DONE]`` or a
``finish_reason``, see :mod:`~whispertrans_tray.providers.chat_stream`): a connection that ends
with neither is cut off, and its fragment is never returned as a translation.  An answer the
server stopped at ``max_tokens`` (``finish_reason: "length"``) is kept, ending in
:data:`TRUNCATED_MARK` (``Result.truncated``); one with no text at all (the model spent every
token thinking) is an :class:`~whispertrans_tray.errors.AnswerTooLongError` naming the fix.
A 429 is waited out (``Retry-After``, else a growing pause) as long as the request's deadline
allows.
An answer far longer than ``max_tokens`` allows (a server that ignores it) is cut at
:data:`CHARS_PER_TOKEN` × ``max_tokens`` characters and the rest is not read.

The stream is read by :mod:`~whispertrans_tray.providers.translate_stream`; failures are
explained by :mod:`~whispertrans_tray.providers.translate_errors`.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from whispertrans_tray import causes, errors, logs
from whispertrans_tray.causes import Phrase
from whispertrans_tray.providers import _urls
from whispertrans_tray.providers.chat_stream import ChatStream
from whispertrans_tray.providers.prompt import Pair, build_messages
from whispertrans_tray.providers.translate_errors import map_error, retry_after_s, unknown_model
from whispertrans_tray.providers.translate_stream import StreamReader, Watchdog
from whispertrans_tray.settings import TranslationSettings

if TYPE_CHECKING:
    import httpx2

__all__ = ["CHARS_PER_TOKEN", "TRUNCATED_MARK", "OpenAITranslator", "Result", "base_url",
           "is_local", "map_error", "plain_http_warning", "retry_after_s", "unknown_model"]

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 3.0
MIN_RETRY_BUDGET_S = 1.0  # a retry needs at least this much of the request's time left
RETRY_PAUSE_S = 0.2
RATE_LIMIT_PAUSE_S = 0.5  # first pause after a 429 without Retry-After; doubles each time
CHARS_PER_TOKEN = 8  # generous for any script: more than this per max_tokens is not an answer
TRUNCATED_MARK = "…"  # ends an answer the server stopped at max_tokens


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


def plain_http_warning(url: str, api_key: str | None, once: bool = True) -> Phrase | None:
    """A warning (to be worded in the UI language) when a key goes over plain http to a host
    that is not this PC; ``once``: only the first time for each host (測試連線 passes False:
    it always says so)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # a malformed URL: base_url names it where it is used
        return None
    if not api_key or parts.scheme != "http" or is_local(host) or (once and host in _warned_hosts):
        return None
    _warned_hosts.add(host)
    return Phrase.of("translate.plain_http_key", host=host)


@dataclass(frozen=True)
class Result:
    """A finished translation with its timing."""

    text: str
    first_token_s: float
    total_s: float
    chunks: int
    cancelled: bool = False
    capped: bool = False  # the answer ran far past max_tokens and was cut (the rest unread)
    truncated: bool = False  # the server stopped at max_tokens (finish_reason "length")


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
        watchdog = Watchdog(deadline, cancelled)
        cap = self.settings.max_tokens * CHARS_PER_TOKEN
        reader = StreamReader(cap, on_text, cancelled, started)
        stream = ChatStream(())
        try:
            # The SSE is read here, not by the SDK's Stream, which swallows [DONE]
            with self._client.chat.completions.with_streaming_response.create(
                model=self.settings.model, messages=messages, stream=True,
                temperature=self.settings.temperature, max_tokens=self.settings.max_tokens,
                extra_body=self._extra_body(),
                timeout=openai.Timeout(budget, connect=min(CONNECT_TIMEOUT_S, budget)),
            ) as response:
                watchdog.watch(response.http_response)
                stream = ChatStream(response.iter_lines())
                reader.read(stream)
            reader.end()
        except Exception as exc:
            if watchdog.reason == "cancelled":
                return Result(reader.text.strip(), reader.first, time.perf_counter() - started,
                              reader.chunks, True)
            error = self._failure(exc, watchdog.reason)
            if reader.text:
                error.partial = True
            raise error from exc
        finally:
            watchdog.stop()
        timing = (reader.first, time.perf_counter() - started, reader.chunks)
        if cancelled():
            return Result(reader.text.strip(), *timing, True)
        return self._ended(stream, reader, timing)

    def _failure(self, exc: Exception, reason: str) -> errors.TranslationError:
        """The error for a request or stream that raised ``exc`` (``reason``: the watchdog's)."""
        import httpx2

        if reason == "timeout" or isinstance(exc, httpx2.TimeoutException):
            return errors.TranslationTimeoutError(host=causes.host(self.url),
                                                  seconds=self.settings.timeout_s)
        if isinstance(exc, httpx2.TransportError):
            # The answer had started (the SDK raises its own errors before that): the
            # connection broke mid-answer, so the answer is cut off (and asked again).
            log.info("The answer from %s broke off: %r", self.url, exc)
            return errors.StreamBrokenError(detail=Phrase.of("cause.dropped"))
        error = map_error(exc, self.url, self.settings.timeout_s, self.settings.model)
        return self._model_missing() if isinstance(error, errors.ModelNotFoundError) else error

    def _ended(self, stream: ChatStream, reader: StreamReader,
               timing: tuple[float, float, int]) -> Result:
        """The result of a stream that ended: complete only with [DONE] or a finish_reason."""
        text = reader.text.strip()
        if reader.capped:
            log.warning("The answer ran past max_tokens (%d); kept its first %d characters",
                        self.settings.max_tokens, reader.cap)
            return Result(text, *timing, capped=True)
        if not stream.events and not text:
            raise errors.NotCompatibleError(host=causes.host(self.url),
                                            detail=Phrase.of("cause.no_stream"))
        if not stream.complete:  # the connection ended, but the server never said it finished
            cut = errors.CutOffError(chars=len(text))
            cut.partial = bool(text)
            raise cut
        if stream.finish == "length":
            if not text:  # every token went into thinking (reasoning or <think>)
                raise errors.AnswerTooLongError(
                    "translate.length_thinking" if reader.received else "translate.length_empty",
                    max_tokens=self.settings.max_tokens)
            log.warning("The server stopped the answer at max_tokens (%d): kept as cut",
                        self.settings.max_tokens)
            return Result(text + TRUNCATED_MARK, *timing, truncated=True)
        if not text:
            raise errors.StreamBrokenError(detail=Phrase.of("cause.empty_answer"))
        return Result(text, *timing)

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
