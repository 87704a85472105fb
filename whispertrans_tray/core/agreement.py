"""LocalAgreement-2: commit the words two consecutive decodes agree on.

After ufal/whisper_streaming's ``HypothesisBuffer``: each new hypothesis of the rolling window
is compared with the previous one; their longest common prefix (after the words already
committed) is committed and never changes again.  The two decision functions are pure and
tested on their own: :func:`common_prefix` and :func:`overlap_with_committed`.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence

from whispertrans_tray.core.segmenter import ends_clause, ends_sentence
from whispertrans_tray.core.types import Word

_MAX_NGRAM = 5
_TIME_SLACK = 0.1  # seconds: words starting this much before the last commit may be new


def normalize(text: str) -> str:
    """Compare words without case, spacing or punctuation (``" Country."`` == ``"country"``)."""
    folded = text.strip().casefold()
    kept = "".join(ch for ch in folded if not unicodedata.category(ch).startswith("P"))
    return kept or folded


def common_prefix(previous: Sequence[Word], new: Sequence[Word]) -> int:
    """How many leading words of ``new`` agree with ``previous``."""
    count = 0
    for old, fresh in zip(previous, new):
        if normalize(old.text) != normalize(fresh.text):
            break
        count += 1
    return count


def overlap_with_committed(committed: Sequence[Word], new: Sequence[Word]) -> int:
    """Length of the longest n-gram (n ≤ 5) that ends ``committed`` and starts ``new``.

    A re-decoded window often repeats the last committed words at its start; those must not
    be committed twice.
    """
    limit = min(len(committed), len(new), _MAX_NGRAM)
    for n in range(limit, 0, -1):
        tail = [normalize(w.text) for w in committed[-n:]]
        head = [normalize(w.text) for w in new[:n]]
        if tail == head:
            return n
    return 0


def reread_prefix(committed: Sequence[Word], new: Sequence[Word]) -> int | None:
    """How many leading words of ``new`` re-read the ``committed`` words of the window.

    A window that starts at committed words is decoded with them again.  Aligning by text
    (not by the rough word timestamps) finds where the new words begin, even when the
    hypothesis spells a committed word differently.  None when ``new`` does not re-read the
    end of ``committed``: the caller falls back to timestamps.
    """
    if not committed or not new:
        return None
    old = [normalize(w.text) for w in committed]
    head = [normalize(w.text) for w in new[: len(committed) + 3]]
    blocks = difflib.SequenceMatcher(None, old, head, autojunk=False).get_matching_blocks()
    real = [b for b in blocks if b.size]
    # New words before the first match stand for committed words the re-reading spelled
    # differently: never more of them than there are committed words before the match (a lone
    # committed "the" is not re-read by "loss of the").
    if not real or real[0].b > min(2, real[0].a) or real[-1].a + real[-1].size != len(old):
        return None
    if sum(b.size for b in real) < max(1.0, 0.6 * len(old)):
        return None  # a common word matching by chance is no re-reading
    return real[-1].b + real[-1].size


def unread(recent: Sequence[Word], earlier: Sequence[Word]) -> int:
    """How many leading words of ``earlier`` (a hypothesis' words timed before the last
    commit) re-read the words committed last, ``recent``, by text and in order.

    The re-reading ends where the commit ended; when no run of ``earlier`` reaches the last
    committed word, the words after the last one that matches any committed word are new.
    """
    if not earlier or not recent:
        return 0
    old = [normalize(w.text) for w in recent[-(len(earlier) + 3):]]
    new = [normalize(w.text) for w in earlier]
    blocks = [b for b in difflib.SequenceMatcher(None, old, new, autojunk=False)
              .get_matching_blocks() if b.size]
    ending = [b for b in blocks if b.a + b.size == len(old)]
    last = ending[-1] if ending else (blocks[-1] if blocks else None)
    return 0 if last is None else last.b + last.size


class LocalAgreement:
    """Hypothesis buffer of one utterance."""

    def __init__(self) -> None:
        self.committed: list[Word] = []  # committed words still inside the audio window
        self.last_committed_time = 0.0
        self._previous: list[Word] = []  # uncommitted words of the previous hypothesis
        self._new: list[Word] = []

    def reset(self, at: float = 0.0) -> None:
        self.committed.clear()
        self._previous.clear()
        self._new.clear()
        self.last_committed_time = at

    @property
    def tail(self) -> list[Word]:
        """Uncommitted words of the latest hypothesis."""
        return list(self._previous)

    def insert(self, words: Sequence[Word], rough: bool = False,
               recent: Sequence[Word] = ()) -> None:
        """Take a new hypothesis (absolute times), dropping words already committed.

        ``rough``: the words' times were spread over a segment, so a word timed before the
        last commit may be new: such words are dropped only as far as they re-read the words
        committed last (``recent``, by text: :func:`unread`).
        """
        skip = reread_prefix(self.committed, words)
        if skip is not None:
            self._new = list(words[skip:])
            return
        # A word belongs after the commit when most of it does: its start may lie before the
        # last committed word's end when either one's times are off (a window starts at a
        # committed word's rough start, and may begin after that word's real end).
        last = self.last_committed_time
        after = [(w.start + w.end) / 2 > last - _TIME_SLACK for w in words]
        if rough and not all(after):
            before = [i for i, later in enumerate(after) if not later]
            for i in before[unread(recent, [words[i] for i in before]):]:
                after[i] = True
            # what comes after the commit is timed after it, as the words' order says
            words = [Word(max(w.start, last), max(w.end, last), w.text) for w in words]
        fresh = [w for w, later in zip(words, after) if later]
        if fresh and abs(fresh[0].start - last) < 1.0:
            fresh = fresh[overlap_with_committed(self.committed, fresh):]
        self._new = fresh

    def flush(self) -> list[Word]:
        """Commit the prefix the new hypothesis shares with the previous one, up to a
        :func:`stutter` (the sentence's final decides those words)."""
        n = common_prefix(self._previous, self._new)
        previous = self.committed[-1] if self.committed else None
        for i, word in enumerate(self._new[:n]):
            if stutter(previous, word):
                n = i
                break
            previous = word
        return self._commit(n)

    def commit_all(self) -> list[Word]:
        """Commit the whole new hypothesis (at the end of an utterance)."""
        return self._commit(len(self._new))

    def commit_tail(self, n: int) -> list[Word]:
        """Commit the first ``n`` uncommitted words of the latest hypothesis unconfirmed."""
        self._new = self._previous
        return self._commit(n)

    def _commit(self, n: int) -> list[Word]:
        done = self._new[:n]
        if done:
            self.last_committed_time = done[-1].end
            self.committed.extend(done)
        self._previous = self._new[n:]
        self._new = []
        return done

    def drop_before(self, time: float) -> None:
        """Forget committed words that end before ``time`` (the window was trimmed there)."""
        self.committed = [w for w in self.committed if w.end > time]


def stutter(previous: Word | None, word: Word) -> bool:
    """``word`` says the word just before it again, in a language written with spaces.

    On a short window Whisper often loops ("20th 20th 20 20" for "20th century research",
    "However, however..."), and two short windows loop alike, so agreement alone would commit
    the loop and the words it stands for would be lost.  A real repetition ("no, no") only
    waits for the sentence's final.  Chinese and Japanese repeat characters in ordinary words
    (謝謝, 常常): not counted.
    """
    if previous is None or not word.text.startswith(" "):
        return False
    key = normalize(word.text)
    return bool(key) and key == normalize(previous.text)


def safe_prefix(words: list[Word]) -> int:
    """How many words of an unconfirmed hypothesis to commit when the window is full."""
    for enders in (ends_sentence, ends_clause):
        for i in range(len(words), 0, -1):
            if enders(words[i - 1].text):
                return i
    return max(len(words) - 1, 0)
