"""Per-OS window tweaks for the overlay, chosen in one place.

Windows: per-monitor DPI awareness, and click-through for a locked overlay
(``WS_EX_LAYERED | WS_EX_TRANSPARENT``).  Elsewhere a locked overlay simply ignores drags.
"""

from __future__ import annotations

import logging
import sys
import tkinter as tk

log = logging.getLogger(__name__)

GWL_EXSTYLE = -20
WS_EX_LAYERED = 0x00080000
WS_EX_TRANSPARENT = 0x00000020


def enable_dpi_awareness() -> None:
    """Crisp text on high-DPI Windows screens (call before creating Tk)."""
    if sys.platform != "win32":
        return
    import ctypes

    try:
        ctypes.windll.shcore.SetProcessDpiAwareness(2)
    except (AttributeError, OSError):
        try:
            ctypes.windll.user32.SetProcessDPIAware()
        except (AttributeError, OSError) as exc:
            log.info("DPI awareness not available: %s", exc)


def set_click_through(window: tk.Misc, enabled: bool) -> None:
    """Let mouse clicks pass through ``window`` (Windows only)."""
    if sys.platform != "win32":
        return
    import ctypes

    user32 = ctypes.windll.user32
    hwnd = user32.GetParent(window.winfo_id()) or window.winfo_id()
    style = user32.GetWindowLongW(hwnd, GWL_EXSTYLE)
    if enabled:
        style |= WS_EX_LAYERED | WS_EX_TRANSPARENT
    else:
        style &= ~WS_EX_TRANSPARENT
    user32.SetWindowLongW(hwnd, GWL_EXSTYLE, style)
