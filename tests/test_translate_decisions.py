"""The translator's decisions (retry, error mapping, provider options, stream handling) with
an in-process server: ``httpx2.MockTransport`` behind the ``http_client`` seam.

The same behaviours against real servers on 127.0.0.1 are in test_translate.py; here each
answer is scripted exactly, including the ones a real server rarely gives.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator

import httpx2
import pytest

from whispertrans_tray import errors
from whispertrans_tray.providers.translate_openai import OpenAITranslator
from whispertrans_tray.settings import TranslationSettings

URL = "http://127.0.0.1:8000/v1/chat/completions"


def sse(*pieces: str, finish: bool = True) -> bytes:
    """A chat completion stream as a real server sends it: the pieces, then (with ``finish``)
    an empty delta carrying ``finish_reason`` and ``[DONE]``."""
    def chunk(delta: dict[str, str], reason: str | None) -> dict[str, object]:
        return {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m",
                "choices": [{"index": 0, "delta": delta, "finish_reason": reason}]}
    chunks = [chunk({"content": piece}, None) for piece in pieces]
    body = b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks)
    if finish:
        body += b"data: " + json.dumps(chunk({}, "stop")).encode() + b"\n\n" + \
            b"data: [DONE]\n\n"
    return body


def stream_response(*pieces: str) -> httpx2.Response:
    return httpx2.Response(200, headers={"content-type": "text/event-stream"},
                           content=sse(*pieces))


class Server:
    """Answers each request with the next scripted handler; records the requests."""

    def __init__(self, *answers: Callable[[httpx2.Request], httpx2.Response]) -> None:
        self.answers = list(answers)
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return self.answers.pop(0)(request)

    def bodies(self) -> list[dict[str, object]]:
        return [json.loads(r.content) for r in self.requests if r.method == "POST"]


def translator(server: Server, retry: bool = True, **changes: object) -> OpenAITranslator:
    settings = dataclasses.replace(TranslationSettings(url=URL, model="m", timeout_s=5.0),
                                   **changes)
    return OpenAITranslator(settings, None, retry=retry,
                            http_client=httpx2.Client(transport=httpx2.MockTransport(server)))


def test_a_transient_failure_before_any_text_is_retried_once() -> None:
    server = Server(lambda r: httpx2.Response(503, json={"error": {"message": "busy"}}),
                    lambda r: stream_response("你好", "。"))
    assert translator(server).translate("Hello.", "繁體中文").text == "你好。"
    assert len(server.requests) == 2


def test_only_once() -> None:
    server = Server(*[lambda r: httpx2.Response(503, json={"error": {"message": "busy"}})] * 3)
    with pytest.raises(errors.ServerError):
        translator(server).translate("Hello.", "繁體中文")
    assert len(server.requests) == 2


def test_no_retry_when_asked_not_to() -> None:
    server = Server(lambda r: httpx2.Response(503, json={"error": {"message": "busy"}}))
    with pytest.raises(errors.ServerError):
        translator(server, retry=False).translate("Hello.", "繁體中文")
    assert len(server.requests) == 1


def test_a_wrong_key_is_not_retried() -> None:
    server = Server(lambda r: httpx2.Response(401, json={"error": {"message": "bad key"}}))
    with pytest.raises(errors.AuthenticationError):
        translator(server).translate("Hello.", "繁體中文")
    assert len(server.requests) == 1


def cut(request: httpx2.Request) -> httpx2.Response:
    """A stream that sends "你好" and breaks off (no finish_reason, the connection dropped)."""
    def body() -> Iterator[bytes]:
        yield sse("你好", finish=False)
        raise httpx2.RemoteProtocolError("peer closed connection", request=request)
    return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=body())


def test_a_stream_cut_after_text_is_asked_again_and_the_fragment_replaced() -> None:
    server = Server(cut, lambda r: stream_response("哈囉，", "世界。"))
    seen: list[str] = []
    result = translator(server).translate("Hello, world.", "繁體中文", on_text=seen.append)
    assert result.text == "哈囉，世界。"
    assert seen[0] == "你好" and seen[-1] == "哈囉，世界。"  # the fragment is shown, then replaced
    assert len(server.requests) == 2


def test_a_stream_cut_twice_is_named_with_its_fragment() -> None:
    server = Server(cut, cut, lambda r: stream_response("never asked"))
    with pytest.raises(errors.StreamBrokenError) as info:
        translator(server).translate("Hello.", "繁體中文")
    assert info.value.partial
    assert len(server.requests) == 2


@pytest.mark.parametrize(("raised", "expected"), [
    (httpx2.ConnectError, errors.ServerUnreachableError),
    (httpx2.ReadTimeout, errors.TranslationTimeoutError),
    (httpx2.RemoteProtocolError, errors.StreamBrokenError),
])
def test_network_errors_are_classified_by_type(raised: type[Exception],
                                               expected: type[Exception]) -> None:
    def fail(request: httpx2.Request) -> httpx2.Response:
        raise raised("the message does not matter", request=request)  # type: ignore[call-arg]

    with pytest.raises(expected):
        translator(Server(fail, fail), retry=False).translate("Hello.", "繁體中文")


def test_an_unknown_model_lists_the_served_ones() -> None:
    server = Server(
        lambda r: httpx2.Response(404, json={"error": {"message": "The model `m` does not "
                                                                 "exist."}}),
        lambda r: httpx2.Response(200, json={"object": "list", "data": [
            {"id": "qwen", "object": "model", "created": 0, "owned_by": "x"}]}))
    with pytest.raises(errors.ModelNotFoundError) as info:
        translator(server).translate("Hello.", "繁體中文")
    assert "qwen" in info.value.message("en")
    assert server.requests[1].url.path.endswith("/models")


@pytest.mark.parametrize(("provider", "extra"), [
    ("vllm", {"chat_template_kwargs": {"enable_thinking": False}}),
    ("ollama", {"think": False}),
    ("openai", {}),
])
def test_thinking_is_turned_off_the_way_each_provider_understands(
        provider: str, extra: dict[str, object]) -> None:
    server = Server(lambda r: stream_response("Hi"))
    translator(server, provider=provider).translate("Hello.", "English")
    body = server.bodies()[0]
    for key in ("chat_template_kwargs", "think"):
        assert body.get(key) == extra.get(key)
    assert body["stream"] is True and body["temperature"] == 0.3 and body["max_tokens"] == 256


def test_think_tags_split_across_chunks_are_removed() -> None:
    server = Server(lambda r: stream_response("<thi", "nk>hmm</th", "ink>你", "好"))
    seen: list[str] = []
    result = translator(server).translate("Hello.", "繁體中文", on_text=seen.append)
    assert result.text == "你好" and all("think" not in s and "hmm" not in s for s in seen)


def test_an_empty_answer_and_a_non_stream_are_named() -> None:
    with pytest.raises(errors.StreamBrokenError):
        translator(Server(lambda r: stream_response("", " ")), retry=False).translate(
            "Hello.", "繁體中文")
    with pytest.raises(errors.NotCompatibleError):
        translator(Server(lambda r: httpx2.Response(200, headers={
            "content-type": "text/event-stream"}, content=b"data: [DONE]\n\n")),
            retry=False).translate("Hello.", "繁體中文")
