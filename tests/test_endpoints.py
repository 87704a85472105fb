"""Endpoint choice (failover, backoff, failback), in-order release, and the endpoint list in the
settings: pure logic, no servers."""

from __future__ import annotations

import json
from pathlib import Path

from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.endpoints import MAX_BACKOFF_S, EndpointPool, backoff
from whispertrans_tray.core.translation_queue import InOrder
from whispertrans_tray.core.types import Sentence


def test_failover_goes_down_the_list_and_fails_back() -> None:
    pool = EndpointPool(3)
    assert pool.active() == 0 and pool.order() == [0, 1, 2]
    assert pool.failed(0, now=10.0)  # it went down
    assert pool.active() == 1 and pool.order(frozenset({0})) == [1, 2]
    assert pool.due(10.2) == [] and pool.due(10.5) == [0]  # first check after 0.5 s
    assert not pool.checked(0, False, now=10.5)
    assert pool.due(11.4) == [] and pool.due(11.5) == [0]  # then after 1 s
    assert pool.checked(0, True, now=11.5)  # back up: it is first in the list again
    assert pool.active() == 0


def test_a_passing_check_keeps_the_backoff_growing_until_a_real_success() -> None:
    pool = EndpointPool(1)
    now = 0.0
    for _ in range(3):  # the model list answers, the chat requests keep failing
        pool.failed(0, now)
        now = pool.states[0].next_check
        pool.checked(0, True, now)
    assert pool.states[0].failures == 3 and backoff(3) == 2.0
    pool.succeeded(0)
    assert pool.states[0].failures == 0
    assert backoff(50) == MAX_BACKOFF_S


def test_with_every_endpoint_down_one_attempt_still_goes_to_the_first() -> None:
    pool = EndpointPool(2)
    pool.failed(0, 0.0)
    pool.failed(1, 0.0)
    assert pool.active() is None and pool.next_due() == 0.5
    assert pool.order() == [0]  # a request is a check too
    assert pool.order(frozenset({0})) == []  # but not a second one for the same request


def s(i: int) -> Sentence:
    return Sentence(i, float(i), i + 0.5, "en", f"S{i}")


def test_results_are_released_in_submission_order() -> None:
    order: InOrder[str] = InOrder()
    a, b, c = s(0), s(1), s(0)  # the recognizer started over: same index, other sentence
    for sentence in (a, b, c):
        order.expect(sentence)
    assert order.is_head(a) and not order.is_head(b)
    assert order.finish(b, "b") == []  # held: a is still out
    assert order.finish(c, "c") == []
    assert order.finish(a, "a") == [(a, "a"), (b, "b"), (c, "c")]
    assert len(order) == 0


def test_a_single_provider_file_is_a_one_entry_list(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"translation": {
        "provider": "ollama", "url": "http://localhost:11434/v1", "model": "qwen2.5:7b"}}),
        encoding="utf-8")
    result = settings_mod.load(path)
    assert not result.problems
    (only,) = settings_mod.endpoints(result.settings.translation)
    assert (only.provider, only.url, only.model) == ("ollama", "http://localhost:11434/v1",
                                                     "qwen2.5:7b")
    assert result.settings.translation.max_in_flight == 2
    seed = settings_mod.endpoints(settings_mod.TranslationSettings())
    assert [e.url for e in seed] == ["http://localhost:8000/v1/chat/completions"]


def test_fallbacks_keep_their_order_and_unknown_providers_are_named(tmp_path: Path) -> None:
    data = {"translation": {"fallbacks": [
        ["ollama", "http://localhost:11434/v1", "qwen2.5:7b"],
        ["bard", "http://x/v1", "m"],
        ["openai", "https://api.openai.com/v1/chat/completions", "gpt-4o-mini"]]}}
    result = settings_mod.from_dict(data, "en")
    chain = settings_mod.endpoints(result.settings.translation)
    assert [e.provider for e in chain] == ["vllm", "ollama", "openai"]
    assert result.fields == ("translation.fallbacks",) and "bard" in result.problems[0]
    one = settings_mod.at_endpoint(result.settings.translation, chain[2])
    assert (one.url, one.model, one.fallbacks) == (chain[2].url, "gpt-4o-mini", ())
    saved = settings_mod.from_dict(settings_mod.to_dict(result.settings))
    assert saved.settings == result.settings  # survives a save and a load


def test_a_rate_limited_endpoint_is_up_but_not_asked_before_its_time() -> None:
    pool = EndpointPool(2)
    assert not pool.rate_limited(0, now=10.0, retry_after=3.0)  # it was up: no change
    assert pool.active() == 0  # still the active one: no failover to announce
    assert pool.order(now=11.0) == [1, 0] and pool.wait(0, 11.0) == 2.0  # asked last
    assert pool.usable(11.0) and pool.states[0].failures == 0 and pool.due(11.0) == []
    assert pool.next_due() == 13.0 and pool.lift(12.9) == [] and pool.lift(13.0) == [0]
    assert pool.order(now=13.0) == [0, 1] and pool.next_due() is None
    pool.failed(1, now=20.0)
    pool.rate_limited(0, now=20.0, retry_after=None)  # no Retry-After: a growing pause
    assert not pool.usable(20.9) and pool.usable(21.0)  # the second 429 in a row: 1 s
    pool.rate_limited(0, now=21.0, retry_after=None)
    assert pool.wait(0, 21.0) == 2.0
    pool.succeeded(0)
    assert pool.states[0].limits == 0 and pool.wait(0, 21.0) == 0.0


def test_a_down_endpoint_whose_check_is_rate_limited_is_back_up() -> None:
    pool = EndpointPool(2)
    pool.failed(0, now=0.0)
    assert pool.rate_limited(0, now=0.5, retry_after=2.0)  # it answered: up again
    assert pool.states[0].failures == 1 and pool.due(1.0) == []  # no more checks
    assert pool.order(now=1.0) == [1, 0]  # … and not asked before 2.5
