"""The client against the way each real OpenAI-compatible server ends and fills its answers
(tests/servers/stream_variants.py names the server and the source for each), over real
sockets on 127.0.0.1: none of them may be taken for a cut-off answer and asked again, only a
connection that ends without ``[DONE]`` and without a ``finish_reason`` is cut off.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.servers.fake_openai import OLLAMA_MODELS, FakeServer
from tests.servers.stream_variants import THOUGHT
from whispertrans_tray import errors
from whispertrans_tray.app import server_check
from whispertrans_tray.providers.chat_stream import ChatStream, sse_data
from whispertrans_tray.providers.translate_openai import TRUNCATED_MARK, OpenAITranslator
from whispertrans_tray.settings import TranslationSettings

REPLY = "你好，你今天好嗎？"


def translator(server: FakeServer, **changes: object) -> OpenAITranslator:
    settings = TranslationSettings(url=server.url, model="test-model", timeout_s=4.0)
    return OpenAITranslator(dataclasses.replace(settings, **changes))  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["done_nofinish", "done_nofield", "usage_tail", "usage_only",
                                  "llamacpp", "finish_last", "finish_nodone", "ok"])
def test_every_real_way_of_ending_an_answer_is_a_complete_answer(mode: str) -> None:
    with FakeServer(mode) as server:
        seen: list[str] = []
        result = translator(server).translate("Hello, how are you today?", "繁體中文",
                                              on_text=seen.append)
    assert result.text == REPLY and seen[-1] == REPLY
    assert not result.truncated and not result.capped
    assert len(server.requests) == 1  # never taken for a cut-off answer and asked again


def test_only_an_end_without_done_and_without_finish_reason_is_cut_off() -> None:
    with FakeServer("nofinish") as server, pytest.raises(errors.CutOffError) as info:
        translator(server).translate("Hello, how are you today?", "繁體中文")
    assert len(server.requests) == 2  # asked again within the deadline, cut again
    message = info.value.message("en")
    assert "[DONE]" in message and "finish_reason" in message and "not kept" in message


def test_an_answer_stopped_at_max_tokens_is_kept_and_says_it_was_cut() -> None:
    with FakeServer("length") as server:
        result = translator(server, max_tokens=4).translate("Hello, how are you today?",
                                                            "繁體中文")
    assert result.truncated and result.text == REPLY[:6] + TRUNCATED_MARK
    assert len(server.requests) == 1  # asking again with the same max_tokens cuts it again


def test_reasoning_never_reaches_the_subtitle() -> None:
    with FakeServer("reasoning") as server:
        seen: list[str] = []
        result = translator(server).translate("Hello, how are you today?", "繁體中文",
                                              on_text=seen.append)
    assert result.text == REPLY and seen and seen[-1] == REPLY
    assert not any(thought.strip() in line for line in seen for thought in THOUGHT)


def test_a_model_that_thinks_until_max_tokens_is_told_to_stop_thinking() -> None:
    with FakeServer("reasoning_length") as server, \
            pytest.raises(errors.AnswerTooLongError) as info:
        translator(server, max_tokens=12, provider="ollama").translate("Hi.", "繁體中文")
    assert len(server.requests) == 1  # not retried: it would think just as long again
    en, zh = info.value.message("en"), info.value.message("zh-TW")
    assert "12 tokens thinking" in en and "think=false" in en and "max_tokens" in en
    assert "思考" in zh and "max_tokens" in zh


def test_ollama_model_list_and_its_unknown_model_answer() -> None:
    with FakeServer("ollama") as server:
        assert translator(server).list_models() == sorted(OLLAMA_MODELS)
        ok = translator(server, model="qwen2.5:7b").translate("Hi.", "繁體中文")
        with pytest.raises(errors.ModelNotFoundError) as info:
            translator(server, model="qwen2.5:70b").translate("Hi.", "繁體中文")
        report = server_check.run(TranslationSettings(url=server.url, model="qwen2.5:7b"),
                                  None, "en")
    assert ok.text == REPLY and report.ok and "qwen2.5:7b" in report.models
    message = info.value.message("en")
    assert "does not serve the model 'qwen2.5:70b'" in message
    assert "llama3.2:latest, qwen2.5:7b" in message and "Choose one" in message


@pytest.mark.parametrize("mode", ["model404", "model400"])
def test_an_unknown_model_is_named_with_the_fix_whether_404_or_400(mode: str) -> None:
    with FakeServer(mode) as server, pytest.raises(errors.ModelNotFoundError) as info:
        translator(server, model="gpt-5").translate("Hi.", "繁體中文")
    assert len(server.requests) == 1  # not retried: the model will not appear
    assert "'gpt-5'" in info.value.message("en")
    assert "Qwen/Qwen2-7B-Instruct, test-model" in info.value.message("en")
    assert "「gpt-5」" in info.value.message("zh-TW")


@pytest.mark.parametrize("mode", ["context400", "vllm_context400"])
def test_a_glossary_larger_than_the_servers_context_is_named_as_such(mode: str) -> None:
    """10,000 glossary terms once came back as "not an OpenAI-compatible API": the server
    had said the request exceeds its context (llama.cpp and vLLM words)."""
    glossary = tuple((f"term{n}", f"詞{n}") for n in range(10_000))
    with FakeServer(mode) as server, pytest.raises(errors.ContextTooLargeError) as info:
        translator(server, glossary=glossary).translate("Hi.", "繁體中文")
    assert len(server.requests) == 1  # not retried: the next request is as large
    english, chinese = info.value.message("en"), info.value.message("zh-TW")
    assert "larger than the context" in english and "shrink the glossary" in english
    assert "4096" in english and "--max-model-len" in english
    assert "上下文" in chinese and "縮減詞彙表" in chinese and "4096" in chinese
    assert "OpenAI" not in english and "OpenAI" not in chinese
    assert info.value.brief("en") == "Glossary exceeds the server's context · subtitles go on"


def test_a_400_that_only_mentions_the_model_is_not_an_unknown_model() -> None:
    from whispertrans_tray.providers.translate_openai import unknown_model

    assert not unknown_model("This model's maximum context length is 2048 tokens.", 400)
    assert unknown_model("400: {'error': '/chat/completions: Invalid model name passed in "
                         "model=gpt-5. Call `/v1/models` to view available models'}", 400)
    assert unknown_model('model "qwen2.5:70b" not found, try pulling it first', 404)


def test_the_event_reader_follows_the_sse_rules() -> None:
    lines = [": OPENROUTER PROCESSING", "", "data: {\"choices\": [{\"index\": 0,",
             "data: \"delta\": {\"content\": \"a\"}}]}", "", "event: ping", "",
             "data:{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hm\"}}]}",
             "", "data: [DONE] ", ""]
    assert len(list(sse_data(lines))) == 3  # comments and other fields are skipped
    stream = ChatStream(lines)
    assert list(stream) == [("a", 0), ("", 2)]
    assert stream.done and stream.complete and stream.finish is None


def test_the_service_keeps_cut_lines_and_names_the_fix_once() -> None:
    from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
    from whispertrans_tray.core.types import Sentence

    finals: list[TranslationUpdate] = []
    statuses: list[tuple[str, str]] = []
    with FakeServer("length") as server:
        settings = TranslationSettings(url=server.url, model="test-model", timeout_s=4.0,
                                       max_tokens=4, context_sentences=0)
        service = TranslationService(settings, OpenAITranslator(settings),
                                     lambda u: finals.append(u) if u.done else None, "en",
                                     max_batch=1, on_status=lambda *s: statuses.append(s))
        for i in range(3):
            service.submit(Sentence(i, float(i), i + 0.5, "en", f"Sentence {i}."))
        assert service.drain(20)
        service.close()
    assert [u.text for u in finals] == [REPLY[:6] + TRUNCATED_MARK] * 3
    assert all(not u.error for u in finals)
    assert len(statuses) == 1  # told once, not once a line
    brief, message = statuses[0]
    assert "max_tokens" in brief and "Raise max_tokens" in message and "…" in message


def test_a_server_that_ignores_stream_and_answers_one_body_is_understood() -> None:
    """text-generation-webui and some gateways answer ``stream: true`` with one
    ``chat.completion`` body: its message is the translation (thinking left out)."""
    with FakeServer("nostream") as server:
        seen: list[str] = []
        result = translator(server).translate("Hello, how are you today?", "繁體中文",
                                              on_text=seen.append)
    assert result.text == REPLY and seen == [REPLY]
    assert not result.truncated and len(server.requests) == 1


def test_a_json_body_that_is_no_chat_answer_is_not_compatible() -> None:
    stream = ChatStream(['{"detail": "Not Found"}'])
    assert list(stream) == [("", 0)] and not stream.events and not stream.complete
    body = ChatStream(['{"object": "chat.completion", "choices": [{"index": 0,',
                       '"finish_reason": "length", "message": {"content": "你好"}}]}'])
    assert list(body) == [("你好", 0)] and body.complete and body.finish == "length"
