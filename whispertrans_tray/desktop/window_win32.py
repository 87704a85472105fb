"""Windows window tweaks for the overlay, through ctypes on user32/shcore.

* DPI awareness (per-monitor), so text is crisp and coordinates are real pixels.
* Click-through for a locked overlay: ``WS_EX_LAYERED | WS_EX_TRANSPARENT``.
* Monitors: the work areas (screen minus the taskbar) of every display.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import tkinter as tk

log = logging.getLogger(__name__)

GWL_EXSTYLE = -20
WS_EX_LAYERED = 0x00080000
WS_EX_TRANSPARENT = 0x00000020
PROCESS_PER_MONITOR_DPI_AWARE = 2

Rect = tuple[int, int, int, int]


class _RECT(ctypes.Structure):
    _fields_ = [("left", ctypes.c_long), ("top", ctypes.c_long), ("right", ctypes.c_long),
                ("bottom", ctypes.c_long)]


class _MONITORINFO(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_ulong), ("rcMonitor", _RECT), ("rcWork", _RECT),
                ("dwFlags", ctypes.c_ulong)]


def enable_dpi_awareness() -> None:
    """Per-monitor DPI awareness (call before creating Tk); falls back to system-aware."""
    if sys.platform != "win32":
        return
    try:
        ctypes.windll.shcore.SetProcessDpiAwareness(PROCESS_PER_MONITOR_DPI_AWARE)
    except (AttributeError, OSError):
        try:
            ctypes.windll.user32.SetProcessDPIAware()
        except (AttributeError, OSError) as exc:
            log.info("DPI awareness not available: %s", exc)


def set_click_through(window: tk.Misc, enabled: bool) -> bool:
    """Let mouse clicks pass through ``window``; returns True if applied."""
    if sys.platform != "win32":
        return False
    user32 = ctypes.windll.user32
    get_style = getattr(user32, "GetWindowLongPtrW", user32.GetWindowLongW)
    set_style = getattr(user32, "SetWindowLongPtrW", user32.SetWindowLongW)
    get_style.restype = ctypes.c_ssize_t
    get_style.argtypes = [ctypes.c_void_p, ctypes.c_int]
    set_style.restype = ctypes.c_ssize_t
    set_style.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_ssize_t]
    user32.GetParent.restype = ctypes.c_void_p
    user32.GetParent.argtypes = [ctypes.c_void_p]
    hwnd = user32.GetParent(window.winfo_id()) or window.winfo_id()
    style = get_style(hwnd, GWL_EXSTYLE)
    if enabled:
        style |= WS_EX_LAYERED | WS_EX_TRANSPARENT
    else:
        style &= ~WS_EX_TRANSPARENT  # stay layered: the window alpha needs it
    set_style(hwnd, GWL_EXSTYLE, style)
    return True


def monitors(window: tk.Misc) -> list[Rect]:
    """Work areas of all monitors as ``(x, y, width, height)``; empty when unknown."""
    if sys.platform != "win32":
        return []
    user32 = ctypes.windll.user32
    found: list[Rect] = []
    proc_type = ctypes.WINFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
                                   ctypes.POINTER(_RECT), ctypes.c_void_p)

    def visit(handle: int, _dc: int, _rect: object, _data: int) -> int:
        info = _MONITORINFO()
        info.cbSize = ctypes.sizeof(_MONITORINFO)
        if user32.GetMonitorInfoW(ctypes.c_void_p(handle), ctypes.byref(info)):
            work = info.rcWork
            found.append((work.left, work.top, work.right - work.left, work.bottom - work.top))
        return 1

    try:
        user32.EnumDisplayMonitors(None, None, proc_type(visit), 0)
    except (AttributeError, OSError) as exc:
        log.info("Monitor list not available: %s", exc)
    return found
