"""Hotkey notation: settings write hotkeys as pynput does (``<ctrl>+<alt>+r``).

:func:`parse` checks them the same way on every OS; :func:`check` checks a set of them as the
app will register them (malformed, clashing); the ``keyboard`` backend converts them with
:func:`to_keyboard_notation`.  No backend is imported here, so every backend can import this.
"""

from __future__ import annotations

from collections.abc import Iterable

from whispertrans_tray.errors import HotkeyError
from whispertrans_tray.i18n import DEFAULT_UI_LANGUAGE, tr

MODIFIERS = ("ctrl", "alt", "shift", "cmd")
"""Modifiers in settings order."""
NAMED_KEYS = frozenset([
    "backspace", "caps_lock", "delete", "down", "end", "enter", "esc", "home", "left",
    "page_down", "page_up", "right", "space", "tab", "up", "insert", "menu", "num_lock", "pause",
    "print_screen", "scroll_lock", "media_play_pause", "media_volume_mute", "media_volume_down",
    "media_volume_up", "media_previous", "media_next", *(f"f{n}" for n in range(1, 21))])
"""Non-modifier keys written as ``<name>`` (pynput's ``Key`` names)."""


def parse(hotkey: str, language: str = DEFAULT_UI_LANGUAGE) -> tuple[tuple[str, ...], str]:
    """``<ctrl>+<alt>+r`` → ``(("ctrl", "alt"), "r")``; raises :class:`HotkeyError`.

    A hotkey has modifiers and exactly one other key: a character, or a named key such as
    ``<f9>``.  A plain character needs a modifier (it would swallow typing otherwise).
    """
    def fail(message: str, **params: object) -> HotkeyError:
        return HotkeyError(hotkey=hotkey, detail=tr(message, language, **params))

    parts = hotkey.strip().lower().split("+")
    if not hotkey.strip() or any(not p.strip() for p in parts):
        raise fail("hotkey.malformed")
    modifiers: list[str] = []
    keys: list[str] = []
    for raw in (p.strip() for p in parts):
        if raw.startswith("<") and raw.endswith(">") and len(raw) > 2:
            name = raw[1:-1]
            if name in MODIFIERS:
                if name in modifiers:
                    raise fail("hotkey.malformed")
                modifiers.append(name)
            elif name in NAMED_KEYS:
                keys.append(name)
            else:
                raise fail("hotkey.unknown_key", key=raw)
        elif len(raw) == 1:
            keys.append(raw)
        else:
            raise fail("hotkey.unknown_key", key=raw)
    if len(keys) != 1:
        raise fail("hotkey.one_key")
    if not modifiers and len(keys[0]) == 1:
        raise fail("hotkey.needs_modifier")
    return tuple(m for m in MODIFIERS if m in modifiers), keys[0]


def normalize(hotkey: str) -> str:
    """The canonical settings notation: modifiers in a fixed order, lower case."""
    modifiers, key = parse(hotkey)
    return "+".join([*(f"<{m}>" for m in modifiers), key if len(key) == 1 else f"<{key}>"])


def to_keyboard_notation(hotkey: str) -> str:
    """``<ctrl>+<alt>+r`` → ``ctrl+alt+r``; ``<cmd>+<page_up>`` → ``windows+page up``."""
    modifiers, key = parse(hotkey)
    names = {"cmd": "windows", "esc": "esc", "print_screen": "print screen"}
    return "+".join(names.get(part, part.replace("_", " ")) for part in [*modifiers, key])


def from_keyboard_notation(hotkey: str) -> str:
    """``ctrl+alt+r`` → ``<ctrl>+<alt>+r`` (the inverse of :func:`to_keyboard_notation`)."""
    names = {"windows": "cmd", "win": "cmd", "control": "ctrl", "escape": "esc",
             "return": "enter"}
    parts = []
    for raw in hotkey.lower().split("+"):
        name = names.get(raw.strip(), raw.strip().replace(" ", "_"))
        parts.append(name if len(name) == 1 else f"<{name}>")
    return normalize("+".join(parts))


def check(entries: Iterable[tuple[str, str]], language: str = DEFAULT_UI_LANGUAGE) \
        -> list[tuple[str | None, str]]:
    """Check ``(hotkey, action label)`` entries together, as the app will register them.

    Per entry: ``(canonical hotkey, "")`` when it can be registered, ``(None, reason)`` when it
    is malformed, ``(canonical, reason)`` when an earlier entry already uses the same keys.
    """
    results: list[tuple[str | None, str]] = []
    seen: dict[str, str] = {}
    for hotkey, label in entries:
        try:
            parse(hotkey, language)
        except HotkeyError as exc:
            results.append((None, str(exc.params["detail"])))
            continue
        canonical = normalize(hotkey)
        if canonical in seen:
            results.append((canonical, tr("hotkey.duplicate", language, other=seen[canonical])))
            continue
        seen[canonical] = label
        results.append((canonical, ""))
    return results
