"""Per-OS window tweaks for the overlay, chosen once (:func:`backend`).

Every backend module (``window_win32``, ``window_x11``, ``window_generic``) is a
:class:`WindowBackend`:

* ``enable_dpi_awareness()`` — before Tk starts (Windows: per-monitor DPI awareness).
* ``set_click_through(window, enabled) -> bool`` — a locked overlay lets the mouse through
  (Windows: ``WS_EX_LAYERED | WS_EX_TRANSPARENT``; X11: an empty input shape); False when the
  platform cannot, and then a locked overlay merely ignores drags.
* ``monitors(window) -> list[(x, y, width, height)]`` — the displays, empty when unknown.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # only for the types: the terminal commands never load Tk
    import tkinter as tk

Rect = tuple[int, int, int, int]


class WindowBackend(Protocol):
    """Window tweaks one OS offers."""

    def enable_dpi_awareness(self) -> None: ...

    def set_click_through(self, window: tk.Misc, enabled: bool) -> bool: ...

    def monitors(self, window: tk.Misc) -> Sequence[Rect]: ...


@functools.cache
def backend() -> WindowBackend:
    """The module for this OS: ``window_win32``, ``window_x11``, or ``window_generic`` (macOS,
    Wayland-only), chosen once.  Imported here: only this OS's module can load (ctypes on
    user32, libX11)."""
    if sys.platform == "win32":
        from whispertrans_tray.desktop import window_win32

        return window_win32
    if sys.platform != "darwin" and os.environ.get("DISPLAY"):
        from whispertrans_tray.desktop import window_x11

        return window_x11
    from whispertrans_tray.desktop import window_generic

    return window_generic


def enable_dpi_awareness() -> None:
    """Crisp text on high-DPI screens (call before creating Tk)."""
    backend().enable_dpi_awareness()


def set_click_through(window: tk.Misc, enabled: bool) -> bool:
    """Let the mouse pass through ``window``; True if the platform did it."""
    return backend().set_click_through(window, enabled)


def monitors(window: tk.Misc) -> list[Rect]:
    """The displays as ``(x, y, width, height)``; the whole Tk screen when unknown."""
    found: list[Rect] = list(backend().monitors(window))
    return found or [(0, 0, window.winfo_screenwidth(), window.winfo_screenheight())]
