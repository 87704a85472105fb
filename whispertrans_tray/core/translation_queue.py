"""The translation queue: which committed sentences to translate next, and how.

Pure logic (no threads, no I/O), driven by the translation worker.

Policy:

* **Batch, don't drop.**  When sentences pile up because the server is slower than the speech,
  the waiting ones go out together in one numbered request (at most ``max_batch`` sentences and
  ``max_chars`` characters) and the answer is split back by number (:func:`split_batch`).
  Only consecutive sentences with the same target language share a request, so the order of
  the subtitles is kept.
* **Bounded.**  At most ``capacity`` sentences wait.  Only if the server is so slow that even
  batching cannot keep up are the *oldest* waiting sentences given up — they are returned to
  the caller, whose lines keep their source text with a visible marker; nothing is lost.
* **Supersede.**  :meth:`TranslationQueue.supersede` starts a new generation (the target
  language changed, the session was cleared): the waiting sentences are handed back and the
  job in flight becomes stale (:meth:`TranslationQueue.is_current`), so the worker cancels it
  and drops its result.
* **In order.**  Several requests may be in flight at once; :class:`InOrder` holds a finished
  result until every sentence submitted before it has finished too, so the subtitles, the
  history and the context sentences keep the spoken order.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from whispertrans_tray.core.types import Sentence


@dataclass(frozen=True)
class Job:
    """Sentences translated by one request, all into ``target``.

    Attributes:
        sentences: One sentence, or several consecutive ones sent as a numbered batch.
        target: Target language name for all of them.
        generation: Queue generation the job was taken in; see :meth:`TranslationQueue.supersede`.
    """

    sentences: tuple[Sentence, ...]
    target: str
    generation: int = 0

    @property
    def batched(self) -> bool:
        return len(self.sentences) > 1

    @property
    def text(self) -> str:
        """What to send: the sentence, or numbered lines for a batch."""
        if not self.batched:
            return self.sentences[0].text
        return "\n".join(f"{n}. {s.text}" for n, s in enumerate(self.sentences, start=1))


BATCH_INSTRUCTION = (
    "Translate each numbered line separately. Answer with the same numbers, one line each, "
    "in the same order, and nothing else."
)

_NUMBERED = re.compile(r"^\s*(\d+)\s*[.)、:：．]\s*(.*)$")


def split_partial(answer: str, count: int) -> dict[int, str]:
    """Numbered lines found so far in a (possibly unfinished) batch answer: number → text.

    Numbers outside ``1..count`` are ignored; a repeated number keeps its first line.
    """
    found: dict[int, str] = {}
    for line in answer.splitlines():
        match = _NUMBERED.match(line)
        if match:
            number = int(match.group(1))
            if 1 <= number <= count and number not in found:
                found[number] = match.group(2).strip()
    return found


def split_batch(answer: str, count: int) -> list[str] | None:
    """Per-sentence translations from a numbered answer, or None if it does not match.

    Every number from 1 to ``count`` must be there with some text.
    """
    found = split_partial(answer, count)
    if len(found) != count or not all(found.values()):
        return None
    return [found[n] for n in range(1, count + 1)]


class TranslationQueue:
    """Waiting sentences; :meth:`take` gives the next :class:`Job`.

    Args:
        target_of: The target language of a sentence (bidirectional: it depends on the
            sentence's language).
        max_batch: Most sentences in one request.
        max_chars: Most source characters in one batched request (a single sentence is
            always taken, however long).
        capacity: Most sentences waiting; :meth:`push` gives up the oldest beyond it.
    """

    def __init__(self, target_of: Callable[[Sentence], str], max_batch: int = 4,
                 max_chars: int = 600, capacity: int = 32) -> None:
        if max_batch < 1 or capacity < 1:
            raise ValueError("max_batch and capacity must be at least 1")
        self._target_of = target_of
        self.max_batch = max_batch
        self.max_chars = max_chars
        self.capacity = capacity
        self.generation = 0
        self._waiting: deque[Sentence] = deque()

    def __len__(self) -> int:
        return len(self._waiting)

    def push(self, sentence: Sentence) -> list[Sentence]:
        """Queue ``sentence``; returns the sentences given up to stay within capacity."""
        self._waiting.append(sentence)
        overflow: list[Sentence] = []
        while len(self._waiting) > self.capacity:
            overflow.append(self._waiting.popleft())
        return overflow

    def take(self) -> Job | None:
        """The next job: the oldest sentence plus those waiting behind it with its target."""
        if not self._waiting:
            return None
        first = self._waiting.popleft()
        target = self._target_of(first)
        batch = [first]
        chars = len(first.text)
        while self._waiting and len(batch) < self.max_batch:
            following = self._waiting[0]
            if (self._target_of(following) != target
                    or chars + len(following.text) > self.max_chars):
                break
            batch.append(self._waiting.popleft())
            chars += len(following.text)
        return Job(tuple(batch), target, self.generation)

    def is_current(self, job: Job) -> bool:
        """False once the queue was superseded after ``job`` was taken."""
        return job.generation == self.generation

    def supersede(self) -> Sequence[Sentence]:
        """Start a new generation: returns the waiting sentences; jobs in flight go stale."""
        self.generation += 1
        waiting = list(self._waiting)
        self._waiting.clear()
        return waiting


T = TypeVar("T")


class InOrder(Generic[T]):
    """Releases results in the order their sentences were :meth:`expect`-ed.

    Sentences are told apart by identity (the same object goes in and comes back in a
    :class:`Job`), so a recognizer that starts its numbering over cannot mix them up.  Every
    expected sentence must be :meth:`finish`-ed exactly once (translated, failed, given up or
    cancelled), or the ones after it are held for ever.
    """

    def __init__(self) -> None:
        self._order: deque[Sentence] = deque()
        self._held: dict[int, tuple[Sentence, T]] = {}

    def __len__(self) -> int:
        return len(self._order)

    def expect(self, sentence: Sentence) -> None:
        self._order.append(sentence)

    def is_head(self, sentence: Sentence) -> bool:
        """True if every sentence expected before ``sentence`` has been released."""
        return bool(self._order) and self._order[0] is sentence

    def unfinished(self, sentence: Sentence) -> bool:
        """True if ``sentence`` was expected and has not been :meth:`finish`-ed yet."""
        return id(sentence) not in self._held and any(s is sentence for s in self._order)

    def finish(self, sentence: Sentence, result: T) -> list[tuple[Sentence, T]]:
        """Record ``sentence``'s result; returns the results now due, in order."""
        self._held[id(sentence)] = (sentence, result)
        due: list[tuple[Sentence, T]] = []
        while self._order and id(self._order[0]) in self._held:
            due.append(self._held.pop(id(self._order.popleft())))
        return due
