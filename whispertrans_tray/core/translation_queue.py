"""The translation queue: which committed sentences to translate next, and how.

Pure logic, driven by the translation worker.  The queue is bounded by batching, not by
dropping: when sentences pile up (the server is slower than the speech), the waiting ones go
out together in one numbered request and the answer is split back by number.  Only
consecutive sentences with the same target language share a request.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from whispertrans_tray.core.types import Sentence


@dataclass(frozen=True)
class Job:
    """Sentences translated by one request, all into ``target``."""

    sentences: tuple[Sentence, ...]
    target: str

    @property
    def text(self) -> str:
        """What to send: the sentence, or numbered lines for a batch."""
        if len(self.sentences) == 1:
            return self.sentences[0].text
        return "\n".join(f"{n}. {s.text}" for n, s in enumerate(self.sentences, start=1))


BATCH_INSTRUCTION = (
    "Translate each numbered line separately. Answer with the same numbers, one line each, "
    "in the same order, and nothing else."
)

_NUMBERED = re.compile(r"^\s*(\d+)\s*[.)、:：]\s*(.*)$")


def split_batch(answer: str, count: int) -> list[str] | None:
    """Per-sentence translations from a numbered answer, or None if it does not match."""
    found: dict[int, str] = {}
    for line in answer.splitlines():
        match = _NUMBERED.match(line)
        if match:
            found[int(match.group(1))] = match.group(2).strip()
    if sorted(found) != list(range(1, count + 1)):
        return None
    return [found[n] for n in range(1, count + 1)]


class TranslationQueue:
    """Waiting sentences; :meth:`take` gives the next :class:`Job`."""

    def __init__(self, target_of: Callable[[Sentence], str], max_batch: int = 4) -> None:
        self._target_of = target_of
        self.max_batch = max_batch
        self._waiting: deque[Sentence] = deque()

    def __len__(self) -> int:
        return len(self._waiting)

    def push(self, sentence: Sentence) -> None:
        self._waiting.append(sentence)

    def take(self) -> Job | None:
        """The next job: the oldest sentence plus those waiting behind it with its target."""
        if not self._waiting:
            return None
        first = self._waiting.popleft()
        target = self._target_of(first)
        batch = [first]
        while (self._waiting and len(batch) < self.max_batch
               and self._target_of(self._waiting[0]) == target):
            batch.append(self._waiting.popleft())
        return Job(tuple(batch), target)

    def clear(self) -> Sequence[Sentence]:
        """Remove and return everything waiting (their lines keep the source text)."""
        waiting = list(self._waiting)
        self._waiting.clear()
        return waiting
