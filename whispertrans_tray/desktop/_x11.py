"""X11 window tweaks for the overlay (Linux, BSD), through ctypes on libX11/libXext/libXrandr.

* Click-through: an empty X Shape *input* region makes the pointer fall through the window to
  whatever lies beneath it; resetting the region restores normal input.
* Monitors: the RandR 1.5 monitor list, so positions can be remembered per monitor layout and
  clamped onto a monitor that exists.

Each function degrades to "not supported" (``False`` / ``[]``) when a library or extension is
missing; nothing here raises for an unsupported server.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import tkinter as tk
from typing import Any

log = logging.getLogger(__name__)

SHAPE_INPUT = 2
SHAPE_SET = 0
UNSORTED = 0

Rect = tuple[int, int, int, int]


class _MonitorInfo(ctypes.Structure):
    _fields_ = [("name", ctypes.c_ulong), ("primary", ctypes.c_int),
                ("automatic", ctypes.c_int), ("noutput", ctypes.c_int),
                ("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int),
                ("height", ctypes.c_int), ("mwidth", ctypes.c_int), ("mheight", ctypes.c_int),
                ("outputs", ctypes.c_void_p)]


class _Xlib:
    """One private connection to the X server (Tk does not share its own)."""

    def __init__(self) -> None:
        self.x11: Any = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.display = self.x11.XOpenDisplay(None)
        if not self.display:
            raise OSError("cannot open the X display")
        self._libraries: dict[str, Any] = {}

    def library(self, name: str, soname: str) -> Any:
        if name not in self._libraries:
            self._libraries[name] = ctypes.CDLL(ctypes.util.find_library(name) or soname)
        return self._libraries[name]


_xlib: _Xlib | None = None


def _connection() -> _Xlib:
    global _xlib
    if _xlib is None:
        _xlib = _Xlib()
    return _xlib


def _toplevel_id(window: tk.Misc) -> int:
    """The X window that frames a Tk toplevel (its wrapper)."""
    return int(window.winfo_toplevel().wm_frame(), 16)


def enable_dpi_awareness() -> None:
    """Nothing to do on X11: Tk reads the server's DPI itself."""


def set_click_through(window: tk.Misc, enabled: bool) -> bool:
    """Let the pointer pass through ``window`` (empty input shape); returns True if applied."""
    try:
        xlib = _connection()
        xext = xlib.library("Xext", "libXext.so.6")
        wid = ctypes.c_ulong(_toplevel_id(window))
        if enabled:
            xext.XShapeCombineRectangles.argtypes = [
                ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int]
            xext.XShapeCombineRectangles(xlib.display, wid, SHAPE_INPUT, 0, 0, None, 0,
                                         SHAPE_SET, UNSORTED)
        else:
            xext.XShapeCombineMask.argtypes = [
                ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                ctypes.c_ulong, ctypes.c_int]
            xext.XShapeCombineMask(xlib.display, wid, SHAPE_INPUT, 0, 0, 0, SHAPE_SET)
        xlib.x11.XSync(xlib.display, 0)
        return True
    except (OSError, AttributeError, ValueError, tk.TclError) as exc:
        log.info("Click-through is not available on this X server: %s", exc)
        return False


def monitors(window: tk.Misc) -> list[Rect]:
    """The monitors as ``(x, y, width, height)``, primary first (RandR); empty when unknown."""
    try:
        xlib = _connection()
        xrandr = xlib.library("Xrandr", "libXrandr.so.2")
        xrandr.XRRGetMonitors.restype = ctypes.POINTER(_MonitorInfo)
        xrandr.XRRGetMonitors.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                                          ctypes.POINTER(ctypes.c_int)]
        xrandr.XRRFreeMonitors.argtypes = [ctypes.c_void_p]
        count = ctypes.c_int(0)
        root = xlib.x11.XDefaultRootWindow(xlib.display)
        infos = xrandr.XRRGetMonitors(xlib.display, root, 1, ctypes.byref(count))
        if not infos:
            return []
        try:
            found = [(not infos[i].primary, (infos[i].x, infos[i].y, infos[i].width,
                                               infos[i].height)) for i in range(count.value)
                     if infos[i].width > 0 and infos[i].height > 0]
            return [rect for _, rect in sorted(found)]  # the primary monitor first
        finally:
            xrandr.XRRFreeMonitors(infos)
    except (OSError, AttributeError) as exc:
        log.info("Monitor list not available: %s", exc)
        return []
