"""The sentence segmenter: groups committed words into subtitle sentences.

A sentence ends at ``. ? ! 。 ？ ！`` (not after a known abbreviation), at a VAD pause
(:meth:`SentenceSegmenter.flush`), or when it grows past ``max_width`` display columns, where it
is split after the last comma if one leaves a reasonable head.  Committed words only: a
sentence, once emitted, is final.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from whispertrans_tray.core.types import Word

SENTENCE_END = frozenset(".?!。？！…")
CLAUSE_END = frozenset(",，、;；:：")
_CLOSERS = "\"'”’)）」』】"
ABBREVIATIONS = frozenset(
    {"mr.", "mrs.", "ms.", "dr.", "prof.", "st.", "vs.", "e.g.", "i.e.", "u.s.", "jr.", "sr."}
)


def display_width(text: str) -> int:
    """Columns ``text`` takes on screen: East Asian wide characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def ends_sentence(word: str) -> bool:
    """True when ``word`` closes a sentence (``"country."``, ``"嗎？"``, ``'it."'``)."""
    core = word.strip().rstrip(_CLOSERS)
    if not core or core[-1] not in SENTENCE_END:
        return False
    return core.casefold() not in ABBREVIATIONS


def ends_clause(word: str) -> bool:
    core = word.strip().rstrip(_CLOSERS)
    return bool(core) and core[-1] in CLAUSE_END


_UNSPACED = ((0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
             (0xFF00, 0xFFEF))
"""CJK punctuation, kana, Han ideographs and full-width forms: text written without spaces."""


def unspaced(char: str) -> bool:
    """True for a character of a script written without spaces between words (Chinese,
    Japanese kana, their punctuation and full-width forms); Hangul is written with spaces."""
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _UNSPACED)


def join_words(words: Sequence[Word]) -> str:
    """Join Whisper words (which carry their own leading spaces) into display text.  Between
    two characters written without spaces (Chinese, kana) the leading space Whisper sometimes
    gives a word at a segment or window boundary is dropped: 「加盟 美的」 is 「加盟美的」."""
    text = ""
    for word in words:
        piece = word.text
        rest = piece.lstrip(" ")
        if rest != piece and text and rest and unspaced(text[-1]) and unspaced(rest[0]):
            piece = rest
        text += piece
    return text.strip()


@dataclass(frozen=True)
class Segment:
    """Words that make one sentence."""

    words: tuple[Word, ...]
    language: str

    @property
    def text(self) -> str:
        return join_words(self.words)


class SentenceSegmenter:
    """Feed committed words with :meth:`add`; get finished sentences back."""

    def __init__(self, max_width: int = 120) -> None:
        self.max_width = max_width
        self._words: list[Word] = []
        self._language = ""

    @property
    def pending(self) -> list[Word]:
        """Committed words of the sentence still open."""
        return list(self._words)

    @property
    def pending_text(self) -> str:
        return join_words(self._words)

    def add(self, words: Sequence[Word], language: str) -> list[Segment]:
        done: list[Segment] = []
        for word in words:
            if self._words and language != self._language:
                done.extend(self.flush())
            self._language = language
            self._words.append(word)
            if ends_sentence(word.text):
                done.extend(self.flush())
            elif display_width(join_words(self._words)) > self.max_width:
                done.append(self._split())
        return done

    def flush(self) -> list[Segment]:
        """Close the open sentence (a pause, a language change, the end of the stream)."""
        if not self._words:
            return []
        segment = Segment(tuple(self._words), self._language)
        self._words = []
        return [segment]

    def _split(self) -> Segment:
        """Cut an over-long sentence after its last comma, or else before the newest word."""
        cut = split_point(self._words, self.max_width)
        head, self._words = self._words[:cut], self._words[cut:]
        return Segment(tuple(head), self._language)


def split_point(words: Sequence[Word], max_width: int) -> int:
    """Where to cut ``words`` (an index ≥ 1): after the last clause end that keeps at least a
    third of ``max_width`` in the head, else before the last word."""
    for i in range(len(words) - 1, 0, -1):
        if ends_clause(words[i - 1].text) and display_width(join_words(words[:i])) >= (
            max_width // 3
        ):
            return i
    return max(len(words) - 1, 1)
