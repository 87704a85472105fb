"""Global hotkeys: the ``keyboard`` package on Windows, pynput on Linux/X11 and macOS.

(``keyboard`` needs root and /dev/input on Linux.)  Hotkeys are written in pynput notation in
the settings (``<ctrl>+<alt>+r``); each backend converts them.  A hotkey that cannot be
registered raises :class:`~whispertrans_tray.errors.HotkeyError` naming it; callbacks run on the
backend's thread and must only post to the app's queue.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping
from typing import Any

from whispertrans_tray.errors import HotkeyError

log = logging.getLogger(__name__)


def to_keyboard_notation(hotkey: str) -> str:
    """``<ctrl>+<alt>+r`` → ``ctrl+alt+r`` (the ``keyboard`` package)."""
    return "+".join(part.strip("<>") for part in hotkey.split("+"))


class Hotkeys:
    """Registers ``bindings`` (hotkey → callback) until :meth:`stop`."""

    def __init__(self, bindings: Mapping[str, Callable[[], None]]) -> None:
        self.bindings = {k: v for k, v in bindings.items() if k}
        self._listener: Any = None
        self._keyboard_handles: list[Any] = []

    def start(self) -> None:
        if sys.platform == "win32":
            self._start_keyboard()
        else:
            self._start_pynput()

    def _start_pynput(self) -> None:
        from pynput import keyboard

        for hotkey in self.bindings:
            try:
                keyboard.HotKey.parse(hotkey)
            except ValueError as exc:
                raise HotkeyError(hotkey=hotkey, detail=str(exc) or "unknown key") from exc
        try:
            self._listener = keyboard.GlobalHotKeys(dict(self.bindings))
            self._listener.start()
            self._listener.wait()
        except Exception as exc:
            raise HotkeyError(hotkey=", ".join(self.bindings), detail=str(exc)) from exc

    def _start_keyboard(self) -> None:
        import keyboard

        for hotkey, callback in self.bindings.items():
            try:
                self._keyboard_handles.append(
                    keyboard.add_hotkey(to_keyboard_notation(hotkey), callback))
            except (ValueError, ImportError, OSError) as exc:
                raise HotkeyError(hotkey=hotkey, detail=str(exc)) from exc

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        if self._keyboard_handles:
            import keyboard

            for handle in self._keyboard_handles:
                keyboard.remove_hotkey(handle)
            self._keyboard_handles = []
