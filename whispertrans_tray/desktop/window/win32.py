"""Windows window tweaks for the overlay, through ctypes on user32/shcore.

* DPI awareness (per-monitor), so text is crisp and coordinates are real pixels.
* Click-through for a locked overlay: ``WS_EX_LAYERED | WS_EX_TRANSPARENT``.
* Monitors: the work areas (screen minus the taskbar) of every display.
* Above fullscreen players: ``HWND_TOPMOST`` again (without activating the window) whenever
  another window got above the overlay.  Exclusive-fullscreen games own the display and
  cannot be drawn over.
* See-through (the outline style): the key colour is made transparent
  (``-transparentcolor``, a layered window).
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
HWND_TOPMOST = -1
GW_HWNDPREV = 3
SWP_NOSIZE, SWP_NOMOVE, SWP_NOACTIVATE, SWP_NOOWNERZORDER = 0x1, 0x2, 0x10, 0x200

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


def _hwnd(window: tk.Misc) -> int:
    if sys.platform != "win32":
        return 0
    user32 = ctypes.windll.user32
    user32.GetParent.restype = ctypes.c_void_p
    user32.GetParent.argtypes = [ctypes.c_void_p]
    return int(user32.GetParent(window.winfo_id()) or window.winfo_id())


def prepare_overlay(window: tk.Wm) -> None:
    """Before the overlay is first shown: no frame, always on top."""
    window.overrideredirect(True)
    window.attributes("-topmost", True)


def keep_on_top(window: tk.Misc) -> bool:
    """``HWND_TOPMOST`` again if a window got above the overlay; never activates it."""
    if sys.platform != "win32":
        return True
    user32 = ctypes.windll.user32
    user32.GetWindow.restype = ctypes.c_void_p
    user32.GetWindow.argtypes = [ctypes.c_void_p, ctypes.c_uint]
    user32.SetWindowPos.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                                    ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_uint]
    hwnd = _hwnd(window)
    if not user32.GetWindow(hwnd, GW_HWNDPREV):  # nothing above us
        return True
    user32.SetWindowPos(hwnd, ctypes.c_void_p(HWND_TOPMOST), 0, 0, 0, 0,
                        SWP_NOSIZE | SWP_NOMOVE | SWP_NOACTIVATE | SWP_NOOWNERZORDER)
    return False


def see_through(window: tk.Misc, color: str | None) -> str:
    """Pixels of ``color`` show what lies beneath (None: the window is whole)."""
    try:
        window.winfo_toplevel().attributes("-transparentcolor", color or "")
    except tk.TclError as exc:
        log.info("Transparent colour not supported: %s", exc)
        return ""
    return "key" if color else ""  # None: whole again, nothing is see-through


def fit_shape(window: tk.Misc, drawable: tk.Misc, key: tuple[int, int, int],
              changed: list[Rect] | None) -> bool:
    """Nothing to cut here: the key colour is transparent already."""
    return True


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
    hwnd = _hwnd(window)
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
