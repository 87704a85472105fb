"""Per-OS window tweaks for the overlay, chosen in one place (:func:`backend`).

Every backend module offers the same three functions:

* ``enable_dpi_awareness()`` — before Tk starts (Windows: per-monitor DPI awareness).
* ``set_click_through(window, enabled) -> bool`` — a locked overlay lets the mouse through
  (Windows: ``WS_EX_LAYERED | WS_EX_TRANSPARENT``; X11: an empty input shape); False when the
  platform cannot, and then a locked overlay merely ignores drags.
* ``monitors(window) -> list[(x, y, width, height)]`` — the displays, empty when unknown.
"""

from __future__ import annotations

import os
import sys
import tkinter as tk
from types import ModuleType

Rect = tuple[int, int, int, int]


def backend() -> ModuleType:
    """The module for this OS: ``_win32``, ``_x11``, or ``_generic`` (macOS, Wayland-only)."""
    if sys.platform == "win32":
        from whispertrans_tray.desktop import _win32

        return _win32
    if sys.platform != "darwin" and os.environ.get("DISPLAY"):
        from whispertrans_tray.desktop import _x11

        return _x11
    from whispertrans_tray.desktop import _generic

    return _generic


def enable_dpi_awareness() -> None:
    """Crisp text on high-DPI screens (call before creating Tk)."""
    backend().enable_dpi_awareness()


def set_click_through(window: tk.Misc, enabled: bool) -> bool:
    """Let the mouse pass through ``window``; True if the platform did it."""
    return bool(backend().set_click_through(window, enabled))


def monitors(window: tk.Misc) -> list[Rect]:
    """The displays as ``(x, y, width, height)``; the whole Tk screen when unknown."""
    found: list[Rect] = list(backend().monitors(window))
    return found or [(0, 0, window.winfo_screenwidth(), window.winfo_screenheight())]
