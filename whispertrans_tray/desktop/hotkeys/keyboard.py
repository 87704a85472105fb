"""``keyboard`` package global hotkeys (Windows: a low-level keyboard hook, no admin rights)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from whispertrans_tray.desktop.hotkeys.notation import to_keyboard_notation
from whispertrans_tray.errors import HotkeyError
from whispertrans_tray.i18n import Phrase

log = logging.getLogger(__name__)


def register(bindings: Mapping[str, Callable[[], None]]) -> Any:
    """Add ``bindings`` (pynput notation); returns the handles for :func:`unregister`."""
    try:
        import keyboard
    except ImportError as exc:
        log.info("The keyboard package cannot be used: %r", exc)
        raise HotkeyError(hotkey=", ".join(bindings),
                          detail=Phrase.of("cause.no_key_listener")) from exc
    handles: list[Any] = []
    for hotkey, callback in bindings.items():
        try:
            handles.append(keyboard.add_hotkey(to_keyboard_notation(hotkey), callback))
        except (ValueError, OSError) as exc:
            for handle in handles:
                keyboard.remove_hotkey(handle)
            log.info("Hotkey %s was refused: %r", hotkey, exc)
            raise HotkeyError(hotkey=hotkey, detail=Phrase.of("cause.hotkey_refused")) from exc
    return handles


def unregister(handles: Any) -> None:
    """Remove the hotkeys added by :func:`register`."""
    import keyboard

    for handle in handles:
        keyboard.remove_hotkey(handle)
    handles.clear()


def alive(handles: Any) -> bool:
    """The hook lives as long as its handles are registered."""
    return bool(handles)
