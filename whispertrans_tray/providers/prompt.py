"""Prompts for sentence translation, and the ``<think>`` filter for reasoning models.

The system prompt comes first and is the same for every request, then the previous sentence
pairs, then the glossary, then the sentence: the stable prefix first, so the server's prefix
cache hits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from whispertrans_tray.core.languages import describe


@dataclass(frozen=True)
class Pair:
    """A previous sentence and its translation, sent as context."""

    source: str
    translation: str


SYSTEM_PROMPT = (
    "You are a professional subtitle translator. Translate the user's sentence from live "
    "speech into {target}. Reply with the translation only: no quotes, no notes, no "
    "explanations, no romanisation. Keep names, numbers and technical terms accurate. If the "
    "sentence is already in {target}, reply with it unchanged."
)


def build_messages(
    sentence: str,
    target: str,
    context: Sequence[Pair] = (),
    glossary: Sequence[tuple[str, str]] = (),
    instruction: str = "",
) -> list[dict[str, str]]:
    """Chat messages that ask for ``sentence`` in ``target``."""
    messages = [{"role": "system", "content": SYSTEM_PROMPT.format(target=describe(target))}]
    for pair in context:
        messages.append({"role": "user", "content": pair.source})
        messages.append({"role": "assistant", "content": pair.translation})
    text = f"{instruction}\n\n{sentence}" if instruction else sentence
    if glossary:
        terms = "\n".join(f"- {term} → {fixed}" for term, fixed in glossary)
        text = f"Glossary (always use these translations):\n{terms}\n\n{text}"
    messages.append({"role": "user", "content": text})
    return messages


OPEN, CLOSE = "<think>", "</think>"


class ThinkFilter:
    """Removes ``<think>…</think>`` from a token stream, even when tags span chunks.

    Text that might be the start of a tag is held back until the next chunk decides it.
    """

    def __init__(self) -> None:
        self._pending = ""
        self._thinking = False

    def feed(self, chunk: str) -> str:
        self._pending += chunk
        out: list[str] = []
        while self._pending:
            tag = CLOSE if self._thinking else OPEN
            at = self._pending.find(tag)
            if at >= 0:
                if not self._thinking:
                    out.append(self._pending[:at])
                self._pending = self._pending[at + len(tag):]
                self._thinking = not self._thinking
                continue
            keep = _partial_tag(self._pending, tag)
            if not self._thinking:
                out.append(self._pending[: len(self._pending) - keep])
            self._pending = self._pending[len(self._pending) - keep:]
            break
        return "".join(out)

    def finish(self) -> str:
        """End of stream: text held back was not a tag after all (unless inside a think)."""
        rest = "" if self._thinking else self._pending
        self._pending = ""
        return rest


def _partial_tag(text: str, tag: str) -> int:
    """Length of the longest suffix of ``text`` that is a proper prefix of ``tag``."""
    for n in range(min(len(tag) - 1, len(text)), 0, -1):
        if text.endswith(tag[:n]):
            return n
    return 0
