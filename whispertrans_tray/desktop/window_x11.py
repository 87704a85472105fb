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
from collections.abc import Callable
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


class _XErrorEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("display", ctypes.c_void_p),
                ("resourceid", ctypes.c_ulong), ("serial", ctypes.c_ulong),
                ("error_code", ctypes.c_ubyte), ("request_code", ctypes.c_ubyte),
                ("minor_code", ctypes.c_ubyte)]


_ERROR_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(_XErrorEvent))


class _Xlib:
    """One private connection to the X server (Tk does not share its own).

    Xlib's default error handler exits the process, so an error on this connection (say, a
    window that vanished between Tk telling us its id and our request) would kill the app.
    :meth:`call_checked` records errors on this connection instead; errors on any other
    connection (Tk's) go on to the handler that was installed before.
    """

    def __init__(self, name: str) -> None:
        self.x11: Any = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.display = self.x11.XOpenDisplay(name.encode() or None)
        if not self.display:
            raise OSError(f"cannot open the X display {name!r}")
        self._libraries: dict[str, Any] = {}
        self.errors: list[int] = []
        self.x11.XSetErrorHandler.restype = ctypes.c_void_p
        self.x11.XSetErrorHandler.argtypes = [ctypes.c_void_p]
        self._handler = _ERROR_HANDLER(self._on_error)  # kept alive as long as installed
        previous = self.x11.XSetErrorHandler(ctypes.cast(self._handler, ctypes.c_void_p))
        self._previous = _ERROR_HANDLER(previous) if previous else None

    def _on_error(self, display: int | None, event: Any) -> int:
        if display == self.display:
            self.errors.append(int(event.contents.error_code))
            return 0
        return int(self._previous(display, event)) if self._previous else 0

    def call_checked(self, request: Callable[[], object]) -> int:
        """Run Xlib ``request`` on this connection and sync; the X error code or 0."""
        self.errors.clear()
        request()
        self.x11.XSync(self.display, 0)
        return self.errors[0] if self.errors else 0

    def library(self, name: str, soname: str) -> Any:
        if name not in self._libraries:
            self._libraries[name] = ctypes.CDLL(ctypes.util.find_library(name) or soname)
        return self._libraries[name]


_connections: dict[str, _Xlib] = {}


def _connection(window: tk.Misc | None = None) -> _Xlib:
    """Our connection to ``window``'s X display (``$DISPLAY`` without a window).

    Window ids only mean something on their own server, so the connection follows the
    window's screen name rather than whatever ``$DISPLAY`` says now.
    """
    name = window.winfo_screen() if window is not None else ""
    if name not in _connections:
        _connections[name] = _Xlib(name)
    return _connections[name]


def _toplevel_id(window: tk.Misc) -> int:
    """The X window that frames a Tk toplevel (its wrapper)."""
    return int(window.winfo_toplevel().wm_frame(), 16)


def enable_dpi_awareness() -> None:
    """Nothing to do on X11: Tk reads the server's DPI itself."""


def set_click_through(window: tk.Misc, enabled: bool) -> bool:
    """Let the pointer pass through ``window`` (empty input shape); returns True if applied."""
    try:
        window.update_idletasks()  # the wrapper window exists on the server from here on
        return shape_input(_toplevel_id(window), enabled, _connection(window))
    except (OSError, AttributeError, ValueError, tk.TclError) as exc:
        log.info("Click-through is not available on this X server: %s", exc)
        return False


def shape_input(window_id: int, enabled: bool, xlib: _Xlib | None = None) -> bool:
    """Empty (``enabled``) or reset the input shape of X window ``window_id``.

    Returns False, and logs why, when the server refuses (no Shape extension, or the window
    is gone); raises OSError when libXext is missing.
    """
    xlib = xlib or _connection()
    xext = xlib.library("Xext", "libXext.so.6")
    wid = ctypes.c_ulong(window_id)
    if enabled:
        xext.XShapeCombineRectangles.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_int,
            ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int]
        error = xlib.call_checked(lambda: xext.XShapeCombineRectangles(
            xlib.display, wid, SHAPE_INPUT, 0, 0, None, 0, SHAPE_SET, UNSORTED))
    else:
        xext.XShapeCombineMask.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_int,
            ctypes.c_ulong, ctypes.c_int]
        error = xlib.call_checked(lambda: xext.XShapeCombineMask(
            xlib.display, wid, SHAPE_INPUT, 0, 0, 0, SHAPE_SET))
    if error:
        log.info("The X server refused the input shape of window %#x (X error %d)",
                 window_id, error)
    return not error


def monitors(window: tk.Misc) -> list[Rect]:
    """The monitors as ``(x, y, width, height)``, primary first (RandR); empty when unknown."""
    try:
        xlib = _connection(window)
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
