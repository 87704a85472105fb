"""Whisper's language codes and the English names some servers answer with instead.

OpenAI's ``verbose_json`` names the language (``"english"``); faster-whisper based servers
give the code (``"en"``).  :func:`code` turns either into the code the recognizer uses;
:func:`spoken_language` checks what the user asks for (``asr.language``, ``--language``).
Pure data and string logic (the settings check with it, the providers read answers with it).
"""

from __future__ import annotations

_TABLE = (
    "en english zh chinese de german es spanish ru russian ko korean fr french ja japanese "
    "pt portuguese tr turkish pl polish ca catalan nl dutch ar arabic sv swedish it italian "
    "id indonesian hi hindi fi finnish vi vietnamese he hebrew uk ukrainian el greek "
    "ms malay cs czech ro romanian da danish hu hungarian ta tamil no norwegian th thai "
    "ur urdu hr croatian bg bulgarian lt lithuanian la latin mi maori ml malayalam cy welsh "
    "sk slovak te telugu fa persian lv latvian bn bengali sr serbian az azerbaijani "
    "sl slovenian kn kannada et estonian mk macedonian br breton eu basque is icelandic "
    "hy armenian ne nepali mn mongolian bs bosnian kk kazakh sq albanian sw swahili "
    "gl galician mr marathi pa punjabi si sinhala km khmer sn shona yo yoruba so somali "
    "af afrikaans oc occitan ka georgian be belarusian tg tajik sd sindhi gu gujarati "
    "am amharic yi yiddish lo lao uz uzbek fo faroese ht haitian_creole ps pashto "
    "tk turkmen nn nynorsk mt maltese sa sanskrit lb luxembourgish my myanmar bo tibetan "
    "tl tagalog mg malagasy as assamese tt tatar haw hawaiian ln lingala ha hausa "
    "ba bashkir jw javanese su sundanese yue cantonese"
)
_NAMES = _TABLE.split()
CODES: dict[str, str] = {name.replace("_", " "): c for c, name in zip(_NAMES[::2], _NAMES[1::2])}
"""English name (lower case) → Whisper code."""
_KNOWN = set(CODES.values())
AUTO = "auto"
"""``asr.language`` when the language is detected (once per utterance)."""


def code(language: str) -> str:
    """``"english"``, ``"English"``, ``"en"`` or ``"en-US"`` → ``"en"``; unknown text as is
    (lower case), empty stays empty."""
    text = language.strip().lower().replace("_", "-")
    if text in _KNOWN:
        return text
    if text in CODES:
        return CODES[text]
    head = text.split("-")[0]
    return head if head in _KNOWN else text


def spoken_language(value: str) -> str | None:
    """``asr.language`` as the recognizer takes it: ``auto`` or a Whisper code (``"EN"``,
    ``"en-US"`` and ``"English"`` become ``"en"``); None when Whisper knows no such language."""
    if value.strip().lower() == AUTO:
        return AUTO
    found = code(value)
    return found if found in _KNOWN else None


def some_codes() -> str:
    """A few codes for a message that says what would fit (the whole list is 100 long)."""
    return "auto, en, zh, ja, ko, es, fr, de, yue"
