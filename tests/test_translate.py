"""The translator against real HTTP servers on 127.0.0.1 that misbehave on purpose."""

from __future__ import annotations

import threading
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.servers.fake_openai import FakeServer
from whispertrans_tray import errors
from whispertrans_tray.core.languages import choose_target
from whispertrans_tray.i18n import UI_LANGUAGES, phrase_text
from whispertrans_tray.providers.prompt import Pair, ThinkFilter, build_messages
from whispertrans_tray.providers.translate_openai import (
    OpenAITranslator,
    base_url,
    plain_http_warning,
)
from whispertrans_tray.settings import TranslationSettings


def translator(server: FakeServer, **changes: object) -> OpenAITranslator:
    settings = TranslationSettings(url=server.url, model="test-model", timeout_s=2.0)
    for name, value in changes.items():
        settings = __import__("dataclasses").replace(settings, **{name: value})
    return OpenAITranslator(settings)


@pytest.mark.parametrize(
    ("url", "expected"),
    [("http://localhost:8000/v1/chat/completions", "http://localhost:8000/v1"),
     ("http://192.168.100.10:8000/v1/chat/completions/", "http://192.168.100.10:8000/v1"),
     ("http://localhost:11434/v1", "http://localhost:11434/v1"),
     ("https://api.openai.com/v1/", "https://api.openai.com/v1")],
)
def test_url_normalisation(url: str, expected: str) -> None:
    assert base_url(url) == expected


@pytest.mark.parametrize("url", ["localhost:8000/v1", "ftp://host/v1", "http:///v1",
                                 "http://host:99999/v1", "", "http://[::1", "http://[::1/v1"])
def test_bad_urls_name_the_problem(url: str) -> None:
    with pytest.raises(errors.BadURLError) as info:
        base_url(url)
    assert "http://localhost:8000/v1/chat/completions" in info.value.message("en")


def test_streams_and_sends_the_settings() -> None:
    with FakeServer("ok") as server:
        seen: list[str] = []
        result = translator(server, temperature=0.2, max_tokens=99).translate(
            "Hello, how are you today?", "繁體中文", [Pair("Hi.", "嗨。")], seen.append)
    assert result.text == "你好，你今天好嗎？"
    assert seen[-1] == result.text and len(seen) >= 3  # filled as tokens arrived
    body = server.requests[0]
    assert body["stream"] is True and body["temperature"] == 0.2 and body["max_tokens"] == 99
    assert body["chat_template_kwargs"] == {"enable_thinking": False}
    roles = [m["role"] for m in body["messages"]]
    assert roles == ["system", "user", "assistant", "user"]
    assert "Traditional Chinese" in body["messages"][0]["content"]
    assert body["messages"][-1]["content"] == "Hello, how are you today?"


def test_ollama_asks_not_to_think() -> None:
    with FakeServer("ok") as server:
        translator(server, provider="ollama").translate("Hi.", "繁體中文")
    assert server.requests[0]["think"] is False
    assert "chat_template_kwargs" not in server.requests[0]


def test_think_blocks_never_reach_the_subtitle() -> None:
    with FakeServer("think") as server:
        seen: list[str] = []
        result = translator(server).translate("Hi.", "繁體中文", on_text=seen.append)
    assert result.text == "你好，你今天好嗎？"
    assert all("think" not in s and "translation" not in s for s in seen)


@given(st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=30))
def test_think_filter_any_split(cuts: list[int]) -> None:
    stream = "<think>plan: be brief</think>你好，<b>世界</b><thin"
    pieces, i = [], 0
    for n in cuts:
        pieces.append(stream[i:i + n])
        i += n
    pieces.append(stream[i:])
    f = ThinkFilter()
    out = "".join(f.feed(p) for p in pieces) + f.finish()
    assert out == "你好，<b>世界</b><thin"


@pytest.mark.parametrize(
    ("mode", "error"),
    [("auth", errors.AuthenticationError), ("model404", errors.ModelNotFoundError),
     ("error500", errors.ServerError), ("malformed", errors.StreamBrokenError),
     ("cut", errors.StreamBrokenError), ("html", errors.NotCompatibleError),
     ("hang", errors.TranslationTimeoutError)],
)
def test_faults_become_clear_errors(mode: str, error: type[errors.TranslationError]) -> None:
    with FakeServer(mode) as server, pytest.raises(error) as info:
        translator(server, timeout_s=1.0).translate("Hi.", "繁體中文")
    for lang in ("zh-TW", "en"):
        assert len(info.value.message(lang)) > 20


def test_unknown_model_lists_the_served_ones() -> None:
    with FakeServer("ok") as server, pytest.raises(errors.ModelNotFoundError) as info:
        translator(server, model="gpt-5").translate("Hi.", "繁體中文")
    assert "Qwen/Qwen2-7B-Instruct, test-model" in info.value.message("en")


def test_server_down_names_the_troubleshooting_steps() -> None:
    settings = TranslationSettings(url="http://127.0.0.1:9/v1/chat/completions", timeout_s=2)
    with pytest.raises(errors.ServerUnreachableError) as info:
        OpenAITranslator(settings).translate("Hi.", "繁體中文")
    message = info.value.message("zh-TW")
    assert "已啟動" in message and "防火牆" in message and "端口" in message


def test_one_retry_on_a_transient_failure() -> None:
    with FakeServer("ok") as server:
        server.failures_left = 1
        assert translator(server).translate("Hi.", "繁體中文").text == "你好，你今天好嗎？"
        assert len(server.requests) == 2
        server.failures_left = 2
        with pytest.raises(errors.ServerError):
            translator(server).translate("Hi.", "繁體中文")


def test_bidirectional_targets() -> None:
    assert choose_target("en", "繁體中文", "English") == "繁體中文"
    assert choose_target("zh", "繁體中文", "English") == "English"
    assert choose_target("ja", "日本語", "English") == "English"
    assert choose_target("de", "English", "繁體中文") == "English"


def test_glossary_comes_after_the_stable_prefix() -> None:
    messages = build_messages("Start vLLM.", "繁體中文", [Pair("a", "b")], [("vLLM", "vLLM")])
    assert messages[0]["role"] == "system" and messages[1]["content"] == "a"
    assert messages[-1]["content"].startswith("Glossary")
    assert messages[-1]["content"].endswith("Start vLLM.")


def test_key_over_plain_http_warns_once_for_lan_hosts() -> None:
    url = "http://192.168.100.10:8000/v1/chat/completions"
    assert plain_http_warning("http://localhost:8000/v1", "k") is None
    assert plain_http_warning(url, None) is None
    warning = plain_http_warning(url, "secret")
    assert warning is not None
    for language in UI_LANGUAGES:  # worded at the edge, in either UI language
        text = phrase_text(warning, language)
        assert "192.168.100.10" in text and "secret" not in text
    assert plain_http_warning(url, "secret") is None  # once


def test_total_deadline_holds_against_a_server_that_trickles_tokens() -> None:
    # Each token arrives well within the read timeout, but the answer never ends.
    with FakeServer("trickle") as server:
        server.delay = 0.3
        seen: list[str] = []
        started = time.monotonic()
        with pytest.raises(errors.TranslationTimeoutError) as info:
            translator(server, timeout_s=2.0).translate("Hi.", "繁體中文", on_text=seen.append)
        elapsed = time.monotonic() - started
    assert seen  # tokens did arrive before the deadline
    assert elapsed < 2.0 + 3.0  # generous margin: the 2 s deadline, not forever
    assert "2" in info.value.message("en")
    assert len(server.requests) == 1  # a timed-out request is not retried


def test_cancel_stops_a_streaming_request_promptly() -> None:
    with FakeServer("trickle") as server:
        server.delay = 5.0  # one token, then a long silence
        seen: list[str] = []
        flag = threading.Event()
        threading.Timer(0.5, flag.set).start()
        started = time.monotonic()
        result = translator(server, timeout_s=30.0).translate(
            "Hi.", "繁體中文", on_text=seen.append, cancelled=flag.is_set)
        elapsed = time.monotonic() - started
    assert result.cancelled and result.text == seen[-1] == "你"
    assert elapsed < 4.0  # not the 5 s silence, not the 30 s deadline


def test_https_to_a_plain_http_server_is_a_tls_error() -> None:
    with FakeServer("ok") as server, pytest.raises(errors.TLSError) as info:
        url = server.url.replace("http://", "https://")
        translator(server, url=url).translate("Hi.", "繁體中文")
    assert "https" in info.value.message("en") and "http" in info.value.message("zh-TW")


def test_vllm_401_body_names_the_key_fix() -> None:
    with FakeServer("auth") as server, pytest.raises(errors.AuthenticationError) as info:
        OpenAITranslator(TranslationSettings(url=server.url, model="test-model"),
                         api_key="wrong-key-123").translate("Hi.", "繁體中文")
    assert server.headers_seen[-1]["authorization"] == "Bearer wrong-key-123"
    assert "401" in info.value.message("en") and "--api-key" in info.value.message("zh-TW")
    assert "wrong-key-123" not in info.value.message("en")


def test_no_key_sends_a_placeholder_that_vllm_ignores() -> None:
    with FakeServer("ok") as server:
        translator(server).translate("Hi.", "繁體中文")
    assert server.headers_seen[-1]["authorization"] == "Bearer EMPTY"


@pytest.mark.parametrize(
    ("target", "spoken", "expected"),
    [("zh-TW", "zh", "English"), ("zh-TW", "en", "zh-TW"), ("zh_tw", "zh", "English"),
     ("en", "en", "繁體中文"), ("English", "zh", "English"), ("ja", "ja", "繁體中文")],
)
def test_bidirectional_with_language_codes(target: str, spoken: str, expected: str) -> None:
    second = "English" if expected == "English" else "繁體中文"
    assert choose_target(spoken, target, second) == expected


def test_prompt_names_the_language_for_codes() -> None:
    assert "Traditional Chinese" in build_messages("Hi.", "zh-TW")[0]["content"]
    assert "Simplified Chinese" in build_messages("Hi.", "zh-CN")[0]["content"]
    assert "Klingon" in build_messages("Hi.", "Klingon")[0]["content"]


def test_the_system_prompt_is_a_stable_prefix() -> None:
    one = build_messages("First.", "繁體中文", [Pair("a", "甲")])
    two = build_messages("Second.", "繁體中文", [Pair("a", "甲")])
    assert one[:-1] == two[:-1] and one[-1] != two[-1]


def test_an_echoed_key_is_masked_in_every_message() -> None:
    key = "my-vllm-key-2b9d41"
    with FakeServer("echo_auth") as server:
        translator = OpenAITranslator(TranslationSettings(url=server.url, model="test-model",
                                                          timeout_s=2.0), api_key=key)
        with pytest.raises(errors.ServerError) as caught:
            translator.translate("Hi.", "繁體中文")
        translator.close()
    assert server.headers_seen[-1]["authorization"] == f"Bearer {key}"
    for text in (caught.value.message("en"), caught.value.message("zh-TW"), str(caught.value)):
        assert key not in text and "***" in text
