"""``keyboard`` package global hotkeys (Windows: a low-level keyboard hook, no admin rights)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from whispertrans_tray.desktop.hotkey_notation import to_keyboard_notation
from whispertrans_tray.errors import HotkeyError


def register(bindings: Mapping[str, Callable[[], None]]) -> Any:
    """Add ``bindings`` (pynput notation); returns the handles for :func:`unregister`."""
    try:
        import keyboard
    except ImportError as exc:
        raise HotkeyError(hotkey=", ".join(bindings), detail=str(exc)) from exc
    handles: list[Any] = []
    for hotkey, callback in bindings.items():
        try:
            handles.append(keyboard.add_hotkey(to_keyboard_notation(hotkey), callback))
        except (ValueError, OSError) as exc:
            for handle in handles:
                keyboard.remove_hotkey(handle)
            raise HotkeyError(hotkey=hotkey, detail=str(exc)) from exc
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
