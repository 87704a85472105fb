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

So the answer is complete when ``[DONE]`` arrived *or* a ``finish_reason`` did; a stream that
ends with neither is cut off.  Reasoning text (``reasoning_content``: vLLM's reasoning parsers,
DeepSeek, llama.cpp; ``reasoning``: vLLM ≥ 0.11, Ollama) is counted, never shown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from whispertrans_tray import causes, errors
from whispertrans_tray.i18n import Phrase


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
        for data in sse_data(self._lines):
            if data.strip() == "[DONE]":
                self.done = True
                return
            self.events += 1
            chunk = json.loads(data)
            if not isinstance(chunk, dict):
                raise ValueError(f"an event that is not a JSON object: {data[:80]!r}")
            problem = chunk.get("error") or (chunk if chunk.get("object") == "error" else None)
            if problem:
                said = causes.server_message({"error": problem})
                raise errors.ServerError(status=500, detail=Phrase.of(
                    "cause.server_said", said=said) if said else Phrase.of("cause.server_silent"))
            content, thought = "", 0
            for choice in chunk.get("choices") or ():
                if not isinstance(choice, dict) or choice.get("index", 0) != 0:
                    continue
                if choice.get("finish_reason"):
                    self.finish = str(choice["finish_reason"])
                delta = choice.get("delta") or {}
                text = delta.get("content")
                content += text if isinstance(text, str) else ""
                for key in ("reasoning_content", "reasoning"):
                    value = delta.get(key)
                    thought += len(value) if isinstance(value, str) else 0
            yield content, thought
