"""How an OpenAI-compatible chat server's failures become :class:`TranslationError`\\ s.

Each error names the cause and the fix (:mod:`whispertrans_tray.errors`): network errors are
told apart by the httpx/ssl exceptions they were raised from, never by their text; HTTP
statuses by their number (a 400 or 404 by its text: servers say "unknown model" or "exceeds
the context" only there); a 429 carries the wait its ``retry-after-ms`` or ``Retry-After`` asks for.
"""

from __future__ import annotations

import email.utils
import logging
import re
import ssl
import time

from whispertrans_tray import causes, errors
from whispertrans_tray.causes import Phrase

log = logging.getLogger(__name__)


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


_UNKNOWN_MODEL = re.compile(
    r"model_not_found|(invalid|unknown|no such) model|no 'model_name'"
    r"|model\b.{0,120}\b(does not exist|not found|not exist)", re.IGNORECASE | re.DOTALL)


def unknown_model(text: str, status: int) -> bool:
    """Does an HTTP ``status`` error with this text say the model is unknown?

    Servers say so only in the text, and not with the same status: vLLM 404 "The model `x`
    does not exist.", OpenAI 404 code ``model_not_found``, Ollama 404 'model "x" not found,
    try pulling it first', LiteLLM proxy 400 "Invalid model name passed in model=x".  A 400
    that only mentions a model (vLLM's "This model's maximum context length is …") is not.
    """
    if status == 404 and "model" in text.lower():
        return True
    return bool(_UNKNOWN_MODEL.search(text))


_CONTEXT_EXCEEDED = re.compile(
    r"exceeds? the (available )?context|exceed_context_size|context_length_exceeded"
    r"|maximum context length|context (length|window|size) (is )?exceeded"
    r"|prompt is too long|too many tokens", re.IGNORECASE)


def context_exceeded(text: str) -> bool:
    """Does a 400 with this text say the request is larger than the model's context?

    llama.cpp: "request (247992 tokens) exceeds the available context size (4096 tokens)"
    (type ``exceed_context_size_error``); vLLM: "This model's maximum context length is 4096
    tokens. However, you requested …"; OpenAI: code ``context_length_exceeded``."""
    return bool(_CONTEXT_EXCEEDED.search(text))


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
            # OpenAI sends retry-after-ms too (the SDK reads it first); others Retry-After
            millis = retry_after_s(exc.response.headers.get("retry-after-ms"))
            return errors.rate_limited(millis / 1000 if millis is not None else retry_after_s(
                exc.response.headers.get("retry-after")))
        if status in (400, 404) and unknown_model(f"{said} {exc.body}", status):
            return errors.ModelNotFoundError(model=model, available="?")
        if status in (400, 413) and context_exceeded(f"{said} {exc.body}"):
            return errors.ContextTooLargeError(detail=Phrase.of(
                "cause.server_said", said=said) if said else Phrase.of("cause.http_status",
                                                                       status=status))
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
