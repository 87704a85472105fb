"""How real OpenAI-compatible servers end (and fill) a streamed chat answer, for
``tests/servers/fake_openai.py`` to send byte for byte over a real socket.

Each variant is what a named server was seen sending (the source is given): the client must
take every one of them as a complete answer, except where the server itself said the answer
was cut (``length``).  Each returns the SSE ``data:`` payloads, ``[DONE]`` included when the
server sends it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

USAGE = {"prompt_tokens": 31, "completion_tokens": 9, "total_tokens": 40}


def chunk(model: str, delta: dict[str, Any] | None, finish: object = None,
          omit_finish: bool = False, **extra: Any) -> str:
    choice: dict[str, Any] = {"index": 0, "delta": delta or {}}
    if not omit_finish:
        choice["finish_reason"] = finish
    event = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0,
             "model": model, "choices": [] if delta is None else [choice], **extra}
    return json.dumps(event, ensure_ascii=False)


def pieces(reply: str) -> list[str]:
    return [reply[i:i + 3] for i in range(0, len(reply), 3)]


def done_without_finish(model: str, reply: str) -> list[str]:
    """``finish_reason`` null in every chunk, then ``[DONE]``: vLLM #27572, OpenAI-compatible
    gateways (vercel/ai #19165, opencode #43882)."""
    return [*(chunk(model, {"content": p}) for p in pieces(reply)), "[DONE]"]


def done_no_finish_field(model: str, reply: str) -> list[str]:
    """Chunks without a ``finish_reason`` field at all, or ``""`` (Ollama #4357), then
    ``[DONE]``: LocalAI #1744, the LiteLLM proxy (liteLLM-proxy #19)."""
    return [*(chunk(model, {"content": p}, "" if n % 2 else None, omit_finish=not n % 2)
              for n, p in enumerate(pieces(reply))), "[DONE]"]


def usage_tail(model: str, reply: str) -> list[str]:
    """vLLM (and OpenAI) with ``stream_options.include_usage``: the finish chunk, then a chunk
    with ``choices: []`` and only ``usage``, then ``[DONE]`` (litellm #25410)."""
    return [*(chunk(model, {"content": p}) for p in pieces(reply)),
            chunk(model, {"content": ""}, "stop"), chunk(model, None, usage=USAGE), "[DONE]"]


def usage_only_end(model: str, reply: str) -> list[str]:
    """No ``finish_reason`` anywhere; the last chunk has empty ``choices`` and ``usage``;
    then ``[DONE]`` (a proxy that drops the finish chunk but passes vLLM's usage on)."""
    return [*(chunk(model, {"content": p}) for p in pieces(reply)),
            chunk(model, None, usage=USAGE), "[DONE]"]


def llamacpp(model: str, reply: str) -> list[str]:
    """llama.cpp's server: the finish with an empty delta, ``usage`` and ``timings`` in the same
    chunk, then ``[DONE]`` (llama-server b6097 as logged in g0t4/ask-openai.nvim)."""
    timings = {"prompt_n": 31, "prompt_ms": 20.1, "predicted_n": 9, "predicted_ms": 93.6}
    return [chunk(model, {"role": "assistant", "content": None}),
            *(chunk(model, {"content": p}) for p in pieces(reply)),
            chunk(model, {}, "stop", usage=USAGE, timings=timings), "[DONE]"]


def finish_on_last_piece(model: str, reply: str) -> list[str]:
    """vLLM before #36944: ``finish_reason`` on the chunk with the last text, then
    ``[DONE]`` (vllm #35705)."""
    parts = pieces(reply)
    return [*(chunk(model, {"content": p}) for p in parts[:-1]),
            chunk(model, {"content": parts[-1]}, "stop"), "[DONE]"]


def finish_without_done(model: str, reply: str) -> list[str]:
    """A ``finish_reason`` and no ``[DONE]``: ik_llama.cpp #467."""
    return [*(chunk(model, {"content": p}) for p in pieces(reply)),
            chunk(model, {}, "stop")]


def length(model: str, reply: str) -> list[str]:
    """The server stopped at ``max_tokens``: part of the answer, ``finish_reason: "length"``,
    ``[DONE]`` (every server; vLLM #35705 shows it)."""
    parts = pieces(reply)
    return [*(chunk(model, {"content": p}) for p in parts[:2]),
            chunk(model, {}, "length"), "[DONE]"]


THOUGHT = ["The user wants ", "a translation ", "into Chinese."]


def reasoning(model: str, reply: str) -> list[str]:
    """A reasoning model behind vLLM's reasoning parser / DeepSeek / llama.cpp
    (``reasoning_content``) and vLLM ≥ 0.11 / Ollama (``reasoning``), then the answer."""
    return [*(chunk(model, {"reasoning_content": t, "content": None}) for t in THOUGHT[:2]),
            chunk(model, {"reasoning": THOUGHT[2]}),
            *(chunk(model, {"content": p}) for p in pieces(reply)),
            chunk(model, {}, "stop"), "[DONE]"]


def reasoning_length(model: str, reply: str) -> list[str]:
    """A reasoning model that spent every token thinking: ``finish_reason: "length"`` and no
    content at all."""
    return [*(chunk(model, {"reasoning_content": t}) for t in THOUGHT),
            chunk(model, {}, "length"), "[DONE]"]


VARIANTS: dict[str, Callable[[str, str], list[str]]] = {
    "done_nofinish": done_without_finish,
    "done_nofield": done_no_finish_field,
    "usage_tail": usage_tail,
    "usage_only": usage_only_end,
    "llamacpp": llamacpp,
    "finish_last": finish_on_last_piece,
    "finish_nodone": finish_without_done,
    "length": length,
    "reasoning": reasoning,
    "reasoning_length": reasoning_length,
}
