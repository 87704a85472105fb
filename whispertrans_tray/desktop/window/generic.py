"""Window tweaks where there is no native helper (macOS, Wayland without X): none.

A locked overlay still ignores drags; the screen is Tk's single screen; the outline style
keeps its (dark) background; "always on top" is Tk's ``-topmost``.
"""

from __future__ import annotations

import tkinter as tk

Rect = tuple[int, int, int, int]


def enable_dpi_awareness() -> None:
    """Tk already draws at the display's scale here."""


def set_click_through(window: tk.Misc, enabled: bool) -> bool:
    """Not available: the caller falls back to ignoring drags."""
    return False


def monitors(window: tk.Misc) -> list[Rect]:
    """Unknown: the caller uses Tk's screen size."""
    return []


def prepare_overlay(window: tk.Wm) -> None:
    """Before the overlay is first shown: no frame, always on top."""
    window.overrideredirect(True)
    window.attributes("-topmost", True)


def keep_on_top(window: tk.Misc) -> bool:
    """Tk's topmost is all there is here."""
    return True


def see_through(window: tk.Misc, color: str | None) -> str:
    """Not available: the outline style keeps a background."""
    return ""


def fit_shape(window: tk.Misc, drawable: tk.Misc, key: tuple[int, int, int],
              changed: list[Rect] | None) -> bool:
    return False
