"""Which writing system a text is in, and whether it can be in a given language.

A recognizer told to decode in one language that answers in another (Chinese characters while
English was asked) has not transcribed the audio: :func:`written_in` tells that from the text's
letters.  Latin letters are accepted in every language (names, product names and English words
turn up in any speech); only an answer whose letters are mostly of a script the language is not
written in fails.  Pure logic: the Unicode names of the letters, no I/O.
"""

from __future__ import annotations

import unicodedata

_BY_SCRIPT = {
    "CJK": "zh yue ja ko", "HIRAGANA": "ja", "KATAKANA": "ja", "KATAKANA-HIRAGANA": "ja",
    "HANGUL": "ko",
    "CYRILLIC": "ru uk be bg sr mk kk mn tg ba tt uz az", "GREEK": "el", "HEBREW": "he yi",
    "ARABIC": "ar fa ur ps sd ug", "THAI": "th", "DEVANAGARI": "hi mr ne sa", "BENGALI": "bn as",
    "TAMIL": "ta", "TELUGU": "te", "KANNADA": "kn", "MALAYALAM": "ml", "GUJARATI": "gu",
    "GURMUKHI": "pa", "SINHALA": "si", "KHMER": "km", "LAO": "lo", "MYANMAR": "my",
    "TIBETAN": "bo", "GEORGIAN": "ka", "ARMENIAN": "hy", "ETHIOPIC": "am",
}
SCRIPTS: dict[str, frozenset[str]] = {}
"""Language code → the scripts (Unicode name prefixes) it is written in, besides Latin."""
for _script, _codes in _BY_SCRIPT.items():
    for _code in _codes.split():
        SCRIPTS[_code] = SCRIPTS.get(_code, frozenset()) | {_script}
KNOWN_SCRIPTS = frozenset(_BY_SCRIPT) | {"LATIN"}
_LATIN_ONLY = ("en de es fr pt tr pl ca nl sv it id fi vi cs ro da hu no hr lt la mi cy sk lv sl "
               "et br eu is bs sq sw gl sn yo so af oc ht tk nn mt lb tl mg haw ln ha jw su ms "
               "fo")
LATIN_ONLY = frozenset(_LATIN_ONLY.split(" "))
"""Codes of languages written in Latin letters only."""


def script(char: str) -> str | None:
    """The script of a letter (``LATIN``, ``CJK``, ``HANGUL`` …), None for anything else."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "").split(" ")[0]
    return name if name in KNOWN_SCRIPTS else None


def written_in(text: str, language: str) -> bool:
    """Whether ``text`` can be in ``language`` (a Whisper code): at least half of its letters
    are Latin or of a script the language is written in.  True for a language this module
    does not know and for text without letters (digits, punctuation)."""
    allowed = SCRIPTS.get(language)
    if allowed is None and language not in LATIN_ONLY:
        return True
    allowed = (allowed or frozenset()) | {"LATIN"}
    found = [s for s in map(script, text) if s is not None]
    return not found or 2 * sum(s in allowed for s in found) >= len(found)
