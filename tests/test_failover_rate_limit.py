"""A server that answers 429 is rate-limited, not down: real fault servers on 127.0.0.1 behind
the translation service's failover, its health checks and 測試連線.

Rate-limited means: there (no failover or failback to announce, no health checks), not asked
again before its Retry-After, sentences meanwhile go to the next server or are translated late
once the wait is over.
"""

from __future__ import annotations

import threading
import time

from tests.app_harness import wait_for
from tests.servers.fake_openai import FakeServer
from whispertrans_tray.app import server_check
from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.providers.translate_openai import OpenAITranslator
from whispertrans_tray.settings import TranslationSettings, at_endpoint, endpoints

REPLY = "你好，你今天好嗎？"


def sentence(i: int) -> Sentence:
    return Sentence(i, float(i), i + 0.9, "en", f"Sentence {i}.")


class Seen:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.finals: dict[int, list[TranslationUpdate]] = {}
        self.statuses: list[str] = []

    def update(self, update: TranslationUpdate) -> None:
        if update.done:
            with self.lock:
                self.finals.setdefault(update.index, []).append(update)

    def status(self, brief: str, message: str) -> None:
        with self.lock:
            self.statuses.append(message)

    def translated(self, *indexes: int) -> bool:
        with self.lock:
            return all(any(u.text for u in self.finals.get(i, ())) for i in indexes)


def service(a: FakeServer, b: FakeServer | None, seen: Seen) -> TranslationService:
    """One sentence a request (no batches), so requests can be counted."""
    fallbacks = (("custom", b.url, "test-model"),) if b is not None else ()
    settings = TranslationSettings(enabled=True, provider="custom", url=a.url,
                                   model="test-model", timeout_s=1.5, context_sentences=0,
                                   fallbacks=fallbacks)  # type: ignore[arg-type]
    translators = [OpenAITranslator(at_endpoint(settings, entry))
                   for entry in endpoints(settings)]
    return TranslationService(settings, translators, seen.update, "en", max_batch=1,
                              on_status=seen.status)


def test_a_429_longer_than_the_timeout_sends_sentences_on_without_churn() -> None:
    seen = Seen()
    with FakeServer("ok") as a, FakeServer("ok") as b:
        a.rate_limited_left, a.retry_after = 100, "5"  # more than the 1.5 s timeout
        svc = service(a, b, seen)
        try:
            svc.submit(sentence(0))
            assert wait_for(lambda: seen.translated(0), 10, every=0.02)
            limited_at = time.monotonic()
            for i in (1, 2, 3):
                svc.submit(sentence(i))
            assert wait_for(lambda: seen.translated(1, 2, 3), 10, every=0.02)
            assert len(a.requests) == 1  # not asked again before its Retry-After
            pool = svc.failover.pool
            assert pool.states[0].up and pool.states[0].failures == 0
            a.rate_limited_left = 0
            assert wait_for(lambda: time.monotonic() - limited_at > 5.1, 8, every=0.02)
            svc.submit(sentence(4))
            assert wait_for(lambda: seen.translated(4), 10, every=0.02)
            assert len(a.requests) == 2  # its wait over, the first server is asked again
        finally:
            svc.close()
    assert len(b.requests) == 4
    assert a.gets == []  # no health checks: it was never down
    assert seen.statuses == []  # no failover and failback announced for a rate limit


def test_a_rate_limited_health_check_is_not_down() -> None:
    seen = Seen()
    with FakeServer("ok") as a, FakeServer("ok") as b:
        a.failures_left = 2  # 500 twice: the first server is down, B takes over
        a.models_rate_limited_left, a.retry_after = 1, "1"
        svc = service(a, b, seen)
        try:
            svc.submit(sentence(0))
            assert wait_for(lambda: seen.translated(0), 10, every=0.02)
            assert wait_for(lambda: len(a.gets) == 1, 10, every=0.02)  # the health check: 429
            state = svc.failover.pool.states[0]
            assert wait_for(lambda: state.up, 5, every=0.02)  # reachable: up, not down
            assert state.limits == 1 and state.failures == 1
            # its Retry-After is over
            assert wait_for(lambda: state.limited_until == 0, 10, every=0.02)
            svc.submit(sentence(1))
            assert wait_for(lambda: seen.translated(1), 10, every=0.02)
        finally:
            svc.close()
    assert len(a.gets) == 1  # one check; no more once it was known to be there
    assert [r["messages"][-1]["content"] for r in a.requests][-1] == "Sentence 1."
    assert len(seen.statuses) == 2  # one failover, one failback: no churn
    assert "not available" in seen.statuses[0] and "back" in seen.statuses[1]


def test_with_one_server_rate_limited_sentences_are_translated_late_once_it_may_be_asked(
) -> None:
    seen = Seen()
    with FakeServer("rate429") as a:
        a.retry_after = "5"  # long enough to see that nothing asks it meanwhile
        svc = service(a, None, seen)
        try:
            svc.submit(sentence(0))
            assert wait_for(lambda: len(seen.finals) == 1, 10, every=0.02)
            failed_at = time.monotonic()
            svc.submit(sentence(1))  # while the server's Retry-After runs
            assert wait_for(lambda: len(seen.finals) == 2, 10, every=0.02)
            with seen.lock:
                errors = [seen.finals[i][0].error for i in (0, 1)]
            assert all("429" in e and "translated late" in e for e in errors)
            assert len(a.requests) == 1  # the second sentence did not ask a limited server
            a.mode = "ok"
            assert wait_for(lambda: seen.translated(0, 1), 20, every=0.02)
            assert time.monotonic() - failed_at > 1.0  # waited for the limit, not retried
        finally:
            svc.close()
    assert len(a.requests) == 3 and a.gets == []
    with seen.lock:
        assert all(seen.finals[i][-1].late and seen.finals[i][-1].text == REPLY
                   for i in (0, 1))


def test_the_connection_test_waits_out_a_short_429_and_names_a_long_one() -> None:
    with FakeServer("ok") as server:
        server.models_rate_limited_left, server.retry_after = 1, "1"
        short = server_check.run(TranslationSettings(url=server.url, model="test-model"),
                                 None, "en")
        server.models_rate_limited_left, server.retry_after = 1, "60"
        started = time.monotonic()
        long = server_check.run(TranslationSettings(url=server.url, model="test-model"),
                                None, "en")
        assert time.monotonic() - started < 3
        server.models_rate_limited_left, server.retry_after = 1, "60"
        zh = server_check.run(TranslationSettings(url=server.url, model="test-model"),
                              None, "zh-TW")
    assert short.ok and short.step == "done"
    assert not long.ok and long.limited and long.step == "models"
    assert "answers, but it is rate-limiting" in long.message and "60 s" in long.message
    assert "not down" in long.message and "again in a moment" in long.message
    assert zh.limited and "限制請求頻率" in zh.message and "60 秒" in zh.message
