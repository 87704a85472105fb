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
