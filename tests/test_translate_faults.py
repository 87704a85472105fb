"""Answers that end too early, come too often or never end, from real servers on 127.0.0.1.

A cut-off stream is never a translation; a 429 is waited out (``Retry-After``) within the
deadline and named as rate limiting; an answer far past ``max_tokens`` is cut and not read on.
"""

from __future__ import annotations

import dataclasses
import email.utils
import json
import threading
import time

import httpx2
import pytest

from tests.servers.fake_openai import FakeServer
from whispertrans_tray import errors
from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.providers.translate_openai import OpenAITranslator
from whispertrans_tray.settings import TranslationSettings

REPLY = "你好，你今天好嗎？"


def translator(server: FakeServer, **changes: object) -> OpenAITranslator:
    settings = TranslationSettings(url=server.url, model="test-model", timeout_s=4.0)
    return OpenAITranslator(dataclasses.replace(settings, **changes))  # type: ignore[arg-type]


def sse_events(server: FakeServer) -> list[str]:
    """The raw ``data:`` lines the fake server streams for one chat request."""
    body = {"model": "test-model", "stream": True, "messages": [{"role": "user", "content": "x"}]}
    with httpx2.Client() as client:
        response = client.post(server.url, json=body)
    return [line[6:] for line in response.text.splitlines() if line.startswith("data: ")]


def test_the_fake_server_ends_its_answers_like_a_real_one() -> None:
    with FakeServer("ok") as server:
        events = sse_events(server)
        server.mode = "nofinish"
        cut = sse_events(server)
    assert events[-1] == "[DONE]"
    assert json.loads(events[-2])["choices"][0]["finish_reason"] == "stop"
    assert "[DONE]" not in cut
    assert all(json.loads(e)["choices"][0]["finish_reason"] is None for e in cut)


def test_a_stream_that_stops_without_finishing_is_not_a_translation() -> None:
    with FakeServer("nofinish") as server, pytest.raises(errors.CutOffError) as info:
        translator(server).translate("Hello, how are you today?", "繁體中文")
    assert info.value.partial  # a fragment had arrived …
    assert len(server.requests) == 2  # … and it was asked again within the deadline
    assert "finish_reason" in info.value.message("en") and "not kept" in info.value.message("en")
    assert "中斷" in info.value.message("zh-TW")


def test_a_cut_off_answer_is_asked_again_and_the_whole_one_kept() -> None:
    with FakeServer("ok") as server:
        server.cuts_left = 1
        seen: list[str] = []
        result = translator(server).translate("Hello, how are you today?", "繁體中文",
                                              on_text=seen.append)
    assert result.text == REPLY and len(server.requests) == 2
    assert seen[-1] == REPLY


def test_the_service_never_saves_a_fragment_as_the_translation() -> None:
    updates: list[TranslationUpdate] = []
    done = threading.Event()

    def on_update(update: TranslationUpdate) -> None:
        updates.append(update)
        if update.done:
            done.set()

    with FakeServer("nofinish") as server:
        settings = TranslationSettings(url=server.url, model="test-model", timeout_s=3.0)
        service = TranslationService(settings, OpenAITranslator(settings), on_update, "en")
        service.submit(Sentence(0, "Hello, how are you today?", 0.0, 1.0, "en"))
        assert done.wait(10)
        service.close()
    final = [u for u in updates if u.done]
    assert len(final) == 1 and final[0].text == "" and "cut off" in final[0].error


def test_429_honours_retry_after_within_the_deadline() -> None:
    with FakeServer("ok") as server:
        server.rate_limited_left = 2
        server.retry_after = "1"
        started = time.monotonic()
        result = translator(server, timeout_s=5.0).translate("Hi.", "繁體中文")
        elapsed = time.monotonic() - started
    assert result.text == REPLY and len(server.requests) == 3
    assert elapsed >= 2.0  # waited as asked, twice


def test_429_without_retry_after_backs_off_and_is_named_as_rate_limiting() -> None:
    with FakeServer("rate429") as server:
        started = time.monotonic()
        with pytest.raises(errors.RateLimitedError) as info:
            translator(server, timeout_s=3.0).translate("Hi.", "繁體中文")
        elapsed = time.monotonic() - started
    assert 2 <= len(server.requests) <= 4  # growing pauses, not a hammering loop
    assert elapsed < 3.5  # bounded by the deadline
    message = info.value.message("en")
    assert "429" in message and "rate-limiting" in message
    assert "not an OpenAI-compatible" not in message
    assert "請求過多" in info.value.message("zh-TW")


def test_a_retry_after_beyond_the_deadline_fails_at_once_and_says_the_wait() -> None:
    with FakeServer("rate429") as server:
        server.retry_after = "30"
        started = time.monotonic()
        with pytest.raises(errors.RateLimitedError) as info:
            translator(server, timeout_s=3.0).translate("Hi.", "繁體中文")
        assert time.monotonic() - started < 1.5
    assert len(server.requests) == 1 and info.value.retry_after == 30
    assert "30 s" in info.value.message("en") and "30 秒" in info.value.message("zh-TW")


def test_retry_after_as_an_http_date() -> None:
    from whispertrans_tray.providers.translate_openai import retry_after_s

    now = time.time()
    assert retry_after_s(email.utils.formatdate(now + 20, usegmt=True), now) == \
        pytest.approx(20, abs=1)
    assert retry_after_s("7") == 7 and retry_after_s("soon") is None and retry_after_s(None) is None


def test_an_answer_far_past_max_tokens_is_cut_and_not_read_on() -> None:
    from whispertrans_tray.providers.translate_openai import CHARS_PER_TOKEN

    with FakeServer("flood", reply="a looping model ") as server:
        result = translator(server, max_tokens=64).translate("Hi.", "繁體中文")
        assert server.flood_aborted.wait(5), "the client stopped reading"
    assert result.capped and 0 < len(result.text) <= 64 * CHARS_PER_TOKEN
    assert server.flood_sent < server.flood_chars
