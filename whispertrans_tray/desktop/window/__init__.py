"""Per-OS window tweaks for the overlay, chosen once (:func:`backend`).

Every backend module (``win32``, ``x11``, ``generic``) is a
:class:`WindowBackend`:

* ``enable_dpi_awareness()`` — before Tk starts (Windows: per-monitor DPI awareness).
* ``set_click_through(window, enabled) -> bool`` — a locked overlay lets the mouse through
  (Windows: ``WS_EX_LAYERED | WS_EX_TRANSPARENT``; X11: an empty input shape); False when the
  platform cannot, and then a locked overlay merely ignores drags.
* ``monitors(window) -> list[(x, y, width, height)]`` — the displays, empty when unknown.
* ``prepare_overlay(window)`` — before the overlay is first shown: frameless, always on top
  (X11: a managed notification window, so the window manager keeps it over fullscreen ones).
* ``keep_on_top(window) -> bool`` — called every moment: on top again if another window
  (a player going fullscreen) got above it, never taking the focus; False while it is not.
* ``see_through(window, color) -> str`` — the outline style: ``"key"`` when ``color`` is now
  transparent (Windows), ``"shape"`` when :func:`fit_shape` must cut the window after each
  change (X11), ``""`` when not available; ``None`` makes the window whole again.
* ``fit_shape(window, drawable, key, changed) -> bool`` — cut the window to what is drawn.
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

    def prepare_overlay(self, window: tk.Wm) -> None: ...

    def keep_on_top(self, window: tk.Misc) -> bool: ...

    def see_through(self, window: tk.Misc, color: str | None) -> str: ...

    def fit_shape(self, window: tk.Misc, drawable: tk.Misc, key: tuple[int, int, int],
                  changed: list[Rect] | None) -> bool: ...


@functools.cache
def backend() -> WindowBackend:
    """The module for this OS: ``win32``, ``x11``, or ``generic`` (macOS,
    Wayland-only), chosen once.  Imported here: only this OS's module can load (ctypes on
    user32, libX11)."""
    if sys.platform == "win32":
        from whispertrans_tray.desktop.window import win32

        return win32
    if sys.platform != "darwin" and os.environ.get("DISPLAY"):
        from whispertrans_tray.desktop.window import x11

        return x11
    from whispertrans_tray.desktop.window import generic

    return generic


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


def prepare_overlay(window: tk.Wm) -> None:
    """Frameless and always on top, before the overlay is first shown."""
    backend().prepare_overlay(window)


def keep_on_top(window: tk.Misc) -> bool:
    """On top again if another window got above ``window``; never takes the focus."""
    return backend().keep_on_top(window)


def see_through(window: tk.Misc, color: str | None) -> str:
    """Let pixels of ``color`` show the picture beneath: ``"key"``, ``"shape"`` or ``""``."""
    return backend().see_through(window, color)


def fit_shape(window: tk.Misc, drawable: tk.Misc, key: tuple[int, int, int],
              changed: list[Rect] | None) -> bool:
    """Cut ``window`` to the pixels of ``drawable`` that are not ``key``."""
    return backend().fit_shape(window, drawable, key, changed)
