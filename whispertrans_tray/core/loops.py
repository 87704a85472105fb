"""Whisper's repetition loops, cut out of a decode's words.

A decode at temperature 0 can fall into a loop ("ask what you ask what you ask what you …")
until its token budget runs out. faster-whisper catches that for a final decode by its
compression-ratio check and a retry at a higher temperature; a draft (partial) decode has no
retry, so its words are cut here, at the end of the loop's first pass: what follows the first
pass was never said. Two looping drafts would otherwise agree on the loop and commit it.
"""

from __future__ import annotations

from collections.abc import Sequence

from whispertrans_tray.core.types import Word

MAX_N = 8
"""Longest repeated run of words looked for."""
SINGLE_REPEATS = 5
"""One word is a loop when said this many times in a row ("no, no, no" and 哈哈哈 are speech)."""


def _key(word: Word) -> str:
    return "".join(c for c in word.text.lower() if c.isalnum())


def cut_loop(words: Sequence[Word]) -> list[Word]:
    """``words`` up to the end of the first pass of the earliest loop (all of them if none).

    Words are compared without case and punctuation. A run of ``n`` ≥ 2 words is a loop when
    the words from its start repeat with period ``n`` for at least ``2n + 1`` words: two whole
    passes and the start of a third ("we will fight, we will fight" is speech; a decode that
    goes on "… we" is looping). One word is a loop at :data:`SINGLE_REPEATS` in a row.
    """
    keys = [_key(w) for w in words]
    for start in range(len(keys)):
        if not keys[start]:
            continue
        for n in range(1, MAX_N + 1):
            needed = SINGLE_REPEATS if n == 1 else 2 * n + 1
            if start + needed > len(keys):
                break
            length = n
            while (start + length < len(keys)
                   and keys[start + length] == keys[start + length - n]):
                length += 1
            if length >= needed:
                return list(words[:start + n])
    return list(words)


MAX_WORDS_PER_S = 25.0
"""Four times faster than anyone speaks (fast speech is 4–6 words a second): a run of words
timed faster than this was not heard there (Whisper's echoes come at 60 words a second and
more: a sentence in the last tenth of a second)."""
MIN_ECHO_WORDS = 3
ECHO_MEMORY = 64
"""Committed words a recognizer keeps to find echoes of them."""


def cut_echoes(words: Sequence[Word], said_before: Sequence[Word]) -> list[Word]:
    """``words`` without Whisper's echoes: a run of at least :data:`MIN_ECHO_WORDS` words
    squeezed faster than :data:`MAX_WORDS_PER_S` that repeats, word for word, text said before
    it (in ``said_before``, the words committed last, or earlier in ``words``).

    Whisper does this in a window that ends in silence: it says the window's first sentence
    (often the context sentence, already committed) again, all of it timed in the last tenth
    of a second, where nothing was said.  Committed, it would be a second copy of a sentence.
    Either condition alone is not enough: people repeat themselves, and a word cut by the
    window's end may be timed short; together they are an echo.
    """
    out = list(words)
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and (out[j + 1].end - out[i].start) * MAX_WORDS_PER_S < j + 2 - i:
            j += 1
        run = out[i:j + 1]
        if len(run) >= MIN_ECHO_WORDS and _occurs([_key(w) for w in run],
                                                  [_key(w) for w in [*said_before, *out[:i]]]):
            del out[i:j + 1]
            continue
        i += 1
    return out


def _occurs(needle: list[str], haystack: list[str]) -> bool:
    n = len(needle)
    return any(haystack[k:k + n] == needle for k in range(len(haystack) - n + 1))
