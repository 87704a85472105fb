"""User-facing text in the two UI languages: 繁體中文 (``zh-TW``) and English (``en``).

Every message a user can see is a key in :data:`MESSAGES`; :func:`tr` formats it with
``str.format`` keyword arguments.  A missing translation falls back to English, a missing
key raises ``KeyError`` (caught by the tests, never by users).  A parameter may be a
:class:`Phrase` (a cause, ``cause.*`` keys in ``_causes``, e.g. "the connection was
refused"): it is put into the message in the message's own language.

The catalogue is kept per area in private modules (``_recognition``, ``_audio``,
``_translation``, ``_app``); this module is the API: :func:`tr`, :data:`MESSAGES` and the
choice of the UI language.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from whispertrans_tray.i18n import _app, _audio, _causes, _recognition, _translation

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
    _causes.MESSAGES)


def normalize_ui_language(language: str) -> str:
    """Map a locale-ish string (``zh_TW.UTF-8``, ``en-US``, ``zh-Hant``) to a UI language."""
    lowered = language.replace("_", "-").lower()
    if lowered.startswith("zh"):
        return "zh-TW"
    if lowered.startswith("en"):
        return "en"
    return DEFAULT_UI_LANGUAGE


class Phrase(NamedTuple):
    """A cause in words, to be put into a message in that message's language: the key of a
    phrase in :data:`MESSAGES` (``cause.*``) and its parameters (as pairs: a phrase is
    hashable and immutable)."""

    key: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, /, **params: object) -> Phrase:
        return cls(key, tuple(params.items()))

    def text(self, language: str = DEFAULT_UI_LANGUAGE) -> str:
        return tr(self.key, language, **dict(self.params))


def tr(key: str, language: str = DEFAULT_UI_LANGUAGE, /, **params: object) -> str:
    """Return the message ``key`` in ``language``, formatted with ``params`` (a
    :class:`Phrase` among them in the same language)."""
    entry = MESSAGES[key]
    template = entry.get(language) or entry["en"]
    return template.format(**{name: value.text(language) if isinstance(value, Phrase) else value
                              for name, value in params.items()})
