"""測試連線: check a translation server step by step and say what is wrong.

1. the URL is a valid http(s) URL;  2. the server answers ``GET /v1/models`` (reachable, the key
is accepted, it speaks the OpenAI API);  3. the model is one it serves (else list them);
4. one short streamed translation, timed (time to first token, tokens per second).
With several endpoints (failover), :func:`run_each` tests every entry at once.

Whatever the outcome, the report carries the warning that the API key goes over plain http to
another computer (every time: it is what the user is checking), for each place that shows it.

The whole test finishes within :data:`DEADLINE_S`, even against a server that accepts the
connection and never answers.  A server that answers 429 is there but rate-limited: its
``Retry-After`` is waited out when the deadline allows, else the report says so (``limited``:
not a server to fail over from, nor an outage to announce).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass

from whispertrans_tray import causes, errors
from whispertrans_tray.i18n import phrase_text, tr
from whispertrans_tray.providers.translate_openai import OpenAITranslator, plain_http_warning
from whispertrans_tray.settings import TranslationSettings, at_endpoint, endpoints

DEADLINE_S = 15.0
RATE_LIMIT_RESERVE_S = 8.0  # what a wait for Retry-After leaves for the rest of the test
SAMPLE = "Hello, how are you today?"  # the seed's English → 繁體中文 example


@dataclass(frozen=True)
class ConnectionReport:
    """Outcome of a connection test, with a message in the UI language."""

    ok: bool
    message: str
    step: str  # "url", "models", "model", "translate" or "done"
    model: str = ""
    models: tuple[str, ...] = ()
    first_token_ms: float = 0.0
    tokens_per_s: float = 0.0
    sample: str = ""
    warning: str = ""  # the API key goes unencrypted to another computer (plain http)
    limited: bool = False  # reachable but rate-limited (HTTP 429): try again later


def run(settings: TranslationSettings, api_key: str | None,
        ui_language: str = "zh-TW") -> ConnectionReport:
    """Test the server ``settings`` point at; never raises for a server problem."""
    step = "url"
    started = time.perf_counter()
    models: tuple[str, ...] = ()
    plain = plain_http_warning(settings.url, api_key, once=False)
    warning = phrase_text(plain, ui_language) if plain else ""
    try:
        quick = dataclasses.replace(settings, timeout_s=min(settings.timeout_s, 6.0))
        translator = OpenAITranslator(quick, api_key, retry=False)
        try:
            step = "models"
            models = tuple(_models(translator, started))
            step = "model"
            if models and settings.model not in models:
                raise errors.ModelNotFoundError(model=settings.model,
                                                available=", ".join(models))
            step = "translate"
            left = DEADLINE_S - (time.perf_counter() - started) - 0.5
            translator.settings = dataclasses.replace(
                settings, timeout_s=max(1.0, min(settings.timeout_s, left)), max_tokens=64)
            result = translator.translate(SAMPLE, settings.target_language)
        finally:
            translator.close()
    except errors.RateLimitedError as exc:
        wait = tr("conn.wait", ui_language, seconds=exc.retry_after) \
            if exc.retry_after is not None else ""
        message = tr("conn.rate_limited", ui_language, host=causes.host(settings.url), wait=wait)
        return ConnectionReport(False, message, step, settings.model, models, warning=warning,
                                limited=True)
    except errors.TranslationError as exc:
        return ConnectionReport(False, exc.message(ui_language), step, settings.model, models,
                                warning=warning)
    streaming = max(result.total_s - result.first_token_s, 1e-3)
    tps = max(result.chunks - 1, 0) / streaming if result.chunks > 1 else 0.0
    message = tr("conn.ok", ui_language, model=settings.model,
                 ttft_ms=result.first_token_s * 1000, tps=tps)
    sample = tr("conn.sample", ui_language, source=SAMPLE, translation=result.text)
    return ConnectionReport(True, message, "done", settings.model, models,
                            result.first_token_s * 1000, tps, sample, warning)


def _models(translator: OpenAITranslator, started: float) -> list[str]:
    """The served models; a 429 is waited out once when its Retry-After fits the deadline."""
    try:
        return translator.list_models()
    except errors.RateLimitedError as exc:
        left = DEADLINE_S - (time.perf_counter() - started) - RATE_LIMIT_RESERVE_S
        if exc.retry_after is None or exc.retry_after > left:
            raise
        time.sleep(exc.retry_after)
        return translator.list_models()


def run_each(translation: TranslationSettings, keys: Sequence[str | None],
             ui_language: str = "zh-TW") -> list[ConnectionReport]:
    """測試連線 for every endpoint of the list at once (``keys``: one per endpoint)."""
    from concurrent.futures import ThreadPoolExecutor

    entries = endpoints(translation)
    with ThreadPoolExecutor(max_workers=len(entries)) as pool:
        futures = [pool.submit(run, at_endpoint(translation, entry),
                               keys[n] if n < len(keys) else None, ui_language)
                   for n, entry in enumerate(entries)]
        return [future.result() for future in futures]


def summary(translation: TranslationSettings, reports: Sequence[ConnectionReport],
            ui_language: str = "zh-TW") -> str:
    """One line per endpoint (numbered, in order); a single endpoint's message as it is."""
    if len(reports) == 1:
        return reports[0].message
    return "\n".join(tr("conn.entry", ui_language, number=n, endpoint=entry.label,
                        message=report.message)
                     for n, (entry, report) in enumerate(
                         zip(endpoints(translation), reports, strict=False), start=1))


def run_all(translation: TranslationSettings, keys: Sequence[str | None],
            ui_language: str = "zh-TW") -> ConnectionReport:
    """:func:`run_each`, as one report: ok if every endpoint is, a line per endpoint, the
    first endpoint's models and sample, and every plain-http warning."""
    reports = run_each(translation, keys, ui_language)
    warnings = dict.fromkeys(r.warning for r in reports if r.warning)
    return dataclasses.replace(reports[0], ok=all(r.ok for r in reports),
                               message=summary(translation, reports, ui_language),
                               warning="\n".join(warnings))
