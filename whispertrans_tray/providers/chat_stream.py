"""Reading a streamed chat completion (server-sent events) the way real servers send it.

What decides that an answer is complete, from what the servers people run actually send:

- vLLM, llama.cpp's server, Ollama, LM Studio and OpenAI end with a chunk that carries
  ``finish_reason`` and then ``data: [DONE]``; the finish may ride on the last content chunk
  (vLLM before #36944), come with an empty delta and ``usage``/``timings`` (llama.cpp), or be
  followed by a ``choices: []`` chunk with only ``usage`` (vLLM, OpenAI with include_usage).
- Some servers and proxies never send a ``finish_reason`` but do end with ``[DONE]`` (vLLM
  #27572, OpenAI-compatible gateways: vercel/ai #19165, opencode #43882; LocalAI and LiteLLM
  proxy chunks without the field), or send ``""`` for it (Ollama #4357).
- Some end with a ``finish_reason`` and no ``[DONE]`` (ik_llama.cpp #467).
- Some servers and proxies ignore ``stream: true`` and answer with one ``chat.completion`` JSON
  body (text-generation-webui's and some gateways' non-streaming paths): a body that parses is a
  complete answer, its text all at once.

So the answer is complete when ``[DONE]`` arrived *or* a ``finish_reason`` did; a stream that
ends with neither is cut off.  Reasoning text (``reasoning_content``: vLLM's reasoning parsers,
DeepSeek, llama.cpp; ``reasoning``: vLLM ≥ 0.11, Ollama) is counted, never shown.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from whispertrans_tray import causes, errors
from whispertrans_tray.causes import Phrase


def sse_data(lines: Iterable[str]) -> Iterator[str]:
    """The data of each server-sent event: its ``data:`` lines joined; comments (``: …``, as
    keep-alives) and other fields skipped."""
    data: list[str] = []
    for line in lines:
        if not line.strip():
            if data:
                yield "\n".join(data)
                data = []
        elif line.startswith("data:"):
            value = line[5:]
            data.append(value[1:] if value.startswith(" ") else value)
    if data:
        yield "\n".join(data)


class ChatStream:
    """The deltas of one streamed chat completion and how it ended.

    Iterating yields ``(content, thought)`` per chunk: the answer's text and the number of
    characters of reasoning that came with it.  A malformed event raises ``ValueError``; an
    error event raises :class:`~whispertrans_tray.errors.ServerError`.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = lines
        self.done = False  # the server sent ``data: [DONE]``
        self.finish: str | None = None  # the last non-empty finish_reason
        self.events = 0  # chunks (not counting [DONE])

    @property
    def complete(self) -> bool:
        """The server said the answer was finished ([DONE] or a finish_reason)."""
        return self.done or self.finish is not None

    def __iter__(self) -> Iterator[tuple[str, int]]:
        lines = iter(self._lines)
        first = next((line for line in lines if line.strip()), None)
        if first is None:
            return
        if first.lstrip().startswith("{"):  # not a stream: one JSON body
            yield self._body("\n".join(itertools.chain([first], lines)))
            return
        for data in sse_data(itertools.chain([first], lines)):
            if data.strip() == "[DONE]":
                self.done = True
                return
            self.events += 1
            chunk = _object(data)
            content, thought = "", 0
            for choice in _first_choices(chunk):
                if choice.get("finish_reason"):
                    self.finish = str(choice["finish_reason"])
                content_part, thought_part = _text(choice.get("delta"))
                content += content_part
                thought += thought_part
            yield content, thought

    def _body(self, body: str) -> tuple[str, int]:
        """A server that ignored ``stream``: the whole answer as one ``(content, thought)``."""
        answer = _object(body)
        if not isinstance(answer.get("choices"), list):
            return "", 0  # not a chat completion either: not an OpenAI-compatible answer
        self.events = 1
        self.done = True  # the body parsed: nothing is missing from it
        content, thought = "", 0
        for choice in _first_choices(answer):
            if choice.get("finish_reason"):
                self.finish = str(choice["finish_reason"])
            content, thought = _text(choice.get("message"))
        return content, thought


def _object(data: str) -> dict[str, Any]:
    """An event (or body) as a JSON object; a server's error object raises ServerError."""
    chunk = json.loads(data)
    if not isinstance(chunk, dict):
        raise ValueError(f"an event that is not a JSON object: {data[:80]!r}")
    problem = chunk.get("error") or (chunk if chunk.get("object") == "error" else None)
    if problem:
        said = causes.server_message({"error": problem})
        raise errors.ServerError(status=500, detail=Phrase.of(
            "cause.server_said", said=said) if said else Phrase.of("cause.server_silent"))
    return chunk


def _first_choices(chunk: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The choices of index 0 (we ask for one; some servers number it, some do not)."""
    for choice in chunk.get("choices") or ():
        if isinstance(choice, dict) and choice.get("index", 0) == 0:
            yield choice


def _text(part: object) -> tuple[str, int]:
    """A delta's (or message's) visible text and the length of the reasoning with it."""
    if not isinstance(part, dict):
        return "", 0
    text = part.get("content")
    thought = sum(len(value) for key in ("reasoning_content", "reasoning")
                  if isinstance(value := part.get(key), str))
    return (text if isinstance(text, str) else ""), thought
