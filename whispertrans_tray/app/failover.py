"""Failover between the translation endpoints, with health checks in the background.

:class:`Failover` sends a request to the first endpoint that is up and, when that fails, on to
the next one (:class:`~whispertrans_tray.core.endpoints.EndpointPool` decides).  A watcher
thread checks each endpoint that is down (``GET /v1/models``) when its backoff has passed; one
that answers is up again, and an earlier endpoint in the list takes over again (failback).
A 429 (from a request or a check) makes an endpoint rate-limited, not down: it is not asked
before its ``Retry-After`` has passed, and nothing is announced (no failover churn).
Each change of the active endpoint is told to ``on_status`` in the UI language: a short line
for the subtitles and the whole message (cause and fix) for a notification; so is, once, the
first answer a server cut at ``max_tokens`` (kept, ending in "…").
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from whispertrans_tray.core.endpoints import EndpointPool
from whispertrans_tray.errors import (
    NotCompatibleError,
    RateLimitedError,
    TranslationError,
    rate_limited,
)
from whispertrans_tray.i18n import tr
from whispertrans_tray.providers.prompt import Pair
from whispertrans_tray.providers.translate_openai import Result

log = logging.getLogger(__name__)

JOIN_S = 0.5


class Translator(Protocol):
    """Translates requests at one endpoint (``providers.translate_openai.OpenAITranslator``);
    several may be in flight at once."""

    def translate(self, sentence: str, target: str, context: Sequence[Pair] = (),
                  on_text: Callable[[str], None] | None = None,
                  cancelled: Callable[[], bool] = lambda: False,
                  instruction: str = "") -> Result: ...

    def list_models(self) -> list[str]: ...

    def close(self) -> None: ...


class Failover:
    """The translators of the endpoints, in order, and which one is in use.

    Args:
        translators: One per endpoint, best first.
        labels: Their names for the status messages and the tooltip.
        lock: The service's lock (the pool is read under it; waiters are notified when an
            endpoint comes back, so late retries can go out).
        ui_language: Language of the status messages.
        on_status: Hears each change of the active endpoint, and the first answer cut at
            max_tokens (any thread): a short line and the whole message.
    """

    def __init__(self, translators: Sequence[Translator], labels: Sequence[str],
                 lock: threading.Condition, ui_language: str,
                 on_status: Callable[[str, str], None]) -> None:
        self.translators = list(translators)
        self.labels = list(labels)
        self.pool = EndpointPool(len(self.translators))
        self._lock = lock
        self._ui_language = ui_language
        self._on_status = on_status
        self._closed: Callable[[], bool] = lambda: False
        self._told_truncated = False
        self._thread = threading.Thread(target=self._watch, name="translation-health",
                                        daemon=True)

    def start(self, closed: Callable[[], bool]) -> None:
        """Start the health checks; they stop once ``closed()`` (checked when the lock is
        notified, and at least once a second)."""
        self._closed = closed
        self._thread.start()

    def close(self) -> None:
        for translator in self.translators:
            translator.close()
        if self._thread.is_alive():
            self._thread.join(JOIN_S)

    def any_up(self) -> bool:
        """With the lock held: is some endpoint believed to answer now (up and not
        rate-limited)?  The health-check thread notifies the lock when a rate limit ends."""
        return self.pool.usable(time.monotonic())

    def _brief(self, index: int) -> dict[str, object]:
        """What a subtitle status line may say of an endpoint: its place in the list and its
        model (the label's part before " @ host:port"), never where it is."""
        return {"n": index + 1, "model": self.labels[index].split(" @ ", 1)[0]}

    def active_label(self) -> str:
        with self._lock:
            active = self.pool.active()
        return self.labels[active] if active is not None else ""

    def translate(self, text: str, target: str, context: Sequence[Pair],
                  on_text: Callable[[str], None], cancelled: Callable[[], bool],
                  instruction: str) -> Result:
        """Translate at the first endpoint that is up, failing over down the list.

        Raises the last endpoint's :class:`TranslationError` when every one failed, or a
        :class:`RateLimitedError` (without asking) when the only ones left are rate-limited.
        """
        tried: set[int] = set()
        last: TranslationError | None = None
        while True:
            with self._lock:
                now = time.monotonic()
                order = self.pool.order(frozenset(tried), now)
                wait = self.pool.wait(order[0], now) if order else 0.0
            if not order and last is not None:
                raise last
            if wait > 0:  # not asked before the time it asked for; a late retry waits for it
                raise last if last is not None else rate_limited(wait)
            index = order[0]
            tried.add(index)
            try:
                result = self.translators[index].translate(text, target, context, on_text,
                                                           cancelled, instruction)
            except RateLimitedError as exc:
                if cancelled():
                    raise
                log.warning("Translation endpoint %d (%s) is rate-limiting: %s", index + 1,
                            self.labels[index], exc.message("en"))
                self._change(self.pool.rate_limited, index, time.monotonic(), exc.retry_after,
                             exc.message(self._ui_language))
                last = exc
                continue
            except TranslationError as exc:
                if cancelled():
                    raise
                log.warning("Translation endpoint %d (%s) failed: %s", index + 1,
                            self.labels[index], exc.message("en"))
                self._change(self.pool.failed, index, time.monotonic(),
                             exc.message(self._ui_language))
                last = exc
                continue
            if not result.cancelled:
                self._change(self.pool.succeeded, index)
            if result.truncated and not self._told_truncated:
                self._told_truncated = True  # once: the fix is the same for every line
                self._on_status(tr("translate.brief.truncated", self._ui_language),
                                tr("translate.truncated", self._ui_language))
            return result

    def _change(self, update: Callable[..., object], *args: object) -> None:
        """Apply ``update(*args)`` to the pool; announce a change of the active endpoint."""
        with self._lock:
            before = self.pool.active()
            update(*args)
            after = self.pool.active()
            reason = self.pool.states[before].error if before is not None else ""
            self._lock.notify_all()
        if after == before or after is None:
            return  # with every endpoint down, each failed line says why
        if before is None or after < before:
            log.info("Translation endpoint %d (%s) is in use again", after + 1,
                     self.labels[after])
            message = tr("translate.failback", self._ui_language, active=self.labels[after])
            brief = tr("translate.brief.failback", self._ui_language, **self._brief(after))
        else:
            log.info("Translation fails over from %s to %s", self.labels[before],
                     self.labels[after])
            message = tr("translate.failover", self._ui_language, failed=self.labels[before],
                         active=self.labels[after], reason=reason)
            brief = tr("translate.brief.failover", self._ui_language, **self._brief(after))
        self._on_status(brief, message)

    # -- health checks --------------------------------------------------------------------
    def _watch(self) -> None:
        while True:
            with self._lock:
                if self._closed():
                    return
                now = time.monotonic()
                if self.pool.lift(now):  # a rate limit ended: late retries may go out
                    self._lock.notify_all()
                due = self.pool.due(now)
                if not due:
                    next_due = self.pool.next_due()
                    wait = 1.0 if next_due is None else min(max(next_due - now, 0.02), 1.0)
                    self._lock.wait(wait)
                    continue
            for index in due:
                if self._closed():
                    return
                ok, error = self._probe(index)
                if isinstance(ok, RateLimitedError):  # there, but asks to wait: not down
                    self._change(self.pool.rate_limited, index, time.monotonic(),
                                 ok.retry_after, error)
                else:
                    self._change(self.pool.checked, index, ok, time.monotonic(), error)

    def _probe(self, index: int) -> tuple[bool | RateLimitedError, str]:
        """A health check: the endpoint lists its models (an HTTP answer that is not a model
        list still means the server is there; a 429 is returned as it is)."""
        try:
            self.translators[index].list_models()
        except NotCompatibleError:
            return True, ""
        except RateLimitedError as exc:
            log.info("Health check of endpoint %d: rate-limited (%s)", index + 1,
                     exc.message("en"))
            return exc, exc.message(self._ui_language)
        except TranslationError as exc:
            log.debug("Health check of endpoint %d failed: %s", index + 1, exc.message("en"))
            return False, exc.message(self._ui_language)
        except Exception as exc:  # a closed client during shutdown, a bug: not up
            log.debug("Health check of endpoint %d: %r", index + 1, exc)
            return False, tr("cause.unexpected", self._ui_language)
        log.info("Health check of endpoint %d (%s) passed", index + 1, self.labels[index])
        return True, ""
