"""Window tweaks where there is no native helper (macOS, Wayland without X): none.

A locked overlay still ignores drags; the screen is Tk's single screen.
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
