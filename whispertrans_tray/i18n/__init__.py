"""User-facing text in the two UI languages: 繁體中文 (``zh-TW``) and English (``en``).

Every message a user can see is a key in :data:`MESSAGES`; :func:`tr` formats it with
``str.format`` keyword arguments.  A missing translation falls back to English, a missing
key raises ``KeyError`` (caught by the tests, never by users).  A parameter may be a
:class:`~whispertrans_tray.causes.Phrase` (a cause, ``cause.*`` keys in ``_causes``, e.g. "the
connection was refused"): it is put into the message in the message's own language.  A phrase
is a fact (a key and its parameters) that code below the edges (the engines in ``providers``)
hands up; :func:`phrase_text` words it here.

The catalogue is kept per area in private modules (``_recognition``, ``_audio``,
``_translation``, ``_app``, ``_outputs``); this module is the API: :func:`tr`, :data:`MESSAGES` and the
choice of the UI language.
"""

from __future__ import annotations

from typing import Final

from whispertrans_tray.causes import Phrase
from whispertrans_tray.i18n import (
    _app,
    _audio,
    _causes,
    _feed,
    _outputs,
    _recognition,
    _translation,
)

__all__ = ["DEFAULT_UI_LANGUAGE", "MESSAGES", "UI_LANGUAGES", "Phrase", "normalize_ui_language",
           "phrase_text", "tr"]

UI_LANGUAGES: Final = ("zh-TW", "en")
DEFAULT_UI_LANGUAGE: Final = "zh-TW"


def _catalogue(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The areas' tables as one; a key defined in two areas is a mistake caught at import."""
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        twice = merged.keys() & table.keys()
        if twice:
            raise KeyError(f"messages defined twice: {sorted(twice)}")
        merged.update(table)
    return merged


MESSAGES: Final[dict[str, dict[str, str]]] = _catalogue(
    _recognition.MESSAGES, _audio.MESSAGES, _translation.MESSAGES, _app.MESSAGES,
    _causes.MESSAGES, _feed.MESSAGES, _outputs.MESSAGES)


def normalize_ui_language(language: str) -> str:
    """Map a locale-ish string (``zh_TW.UTF-8``, ``en-US``, ``zh-Hant``) to a UI language."""
    lowered = language.replace("_", "-").lower()
    if lowered.startswith("zh"):
        return "zh-TW"
    if lowered.startswith("en"):
        return "en"
    return DEFAULT_UI_LANGUAGE


def tr(key: str, language: str = DEFAULT_UI_LANGUAGE, /, **params: object) -> str:
    """Return the message ``key`` in ``language``, formatted with ``params`` (a
    :class:`Phrase` among them in the same language)."""
    entry = MESSAGES[key]
    template = entry.get(language) or entry["en"]
    return template.format(**{name: phrase_text(value, language) if isinstance(value, Phrase)
                              else value for name, value in params.items()})


def phrase_text(phrase: Phrase, language: str = DEFAULT_UI_LANGUAGE) -> str:
    """``phrase`` (a key of :data:`MESSAGES` and its parameters) in ``language``."""
    return tr(phrase.key, language, **dict(phrase.params))
