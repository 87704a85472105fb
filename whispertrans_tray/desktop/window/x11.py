"""X11 window tweaks for the overlay (Linux, BSD), through ctypes on libX11/libXext/libXrandr.

* Click-through: an empty X Shape *input* region makes the pointer fall through the window to
  whatever lies beneath it; resetting the region restores normal input.
* Monitors: the RandR 1.5 monitor list, so positions can be remembered per monitor layout and
  clamped onto a monitor that exists.
* See-through (the outline style): the window's *bounding* shape is cut to the pixels that
  are not the key colour, read back from the window itself, so the picture beneath shows
  between the letters (X has no per-pixel window alpha for Tk).

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

import numpy as np

log = logging.getLogger(__name__)

SHAPE_BOUNDING = 0
SHAPE_INPUT = 2
SHAPE_SET = 0
SHAPE_UNION = 1
UNSORTED = 0
Z_PIXMAP = 2
ALL_PLANES = 0xFFFFFFFF

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


class _XImage(ctypes.Structure):
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.c_void_p),
                ("byte_order", ctypes.c_int), ("bitmap_unit", ctypes.c_int),
                ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
                ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int),
                ("bits_per_pixel", ctypes.c_int), ("red_mask", ctypes.c_ulong),
                ("green_mask", ctypes.c_ulong), ("blue_mask", ctypes.c_ulong)]


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


def wrapper_id(window: tk.Misc) -> int:
    """Tk's wrapper of a toplevel (the client window a window manager frames); raises
    ``OSError`` when there is no X display to ask."""
    xlib = _connection(window)
    root, parent = ctypes.c_ulong(), ctypes.c_ulong()
    children, count = ctypes.c_void_p(), ctypes.c_uint()
    xlib.x11.XQueryTree.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p,
                                    ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    inner = window.winfo_toplevel().winfo_id()
    if not xlib.x11.XQueryTree(xlib.display, ctypes.c_ulong(inner), ctypes.byref(root),
                               ctypes.byref(parent), ctypes.byref(children),
                               ctypes.byref(count)):
        raise OSError("XQueryTree failed")
    if children:
        xlib.x11.XFree.argtypes = [ctypes.c_void_p]
        xlib.x11.XFree(children)
    return int(parent.value) if parent.value != root.value else int(inner)


def _combine_rectangles(xlib: _Xlib, window_id: int, rects: np.ndarray, op: int) -> int:
    """XShapeCombineRectangles on the bounding shape; ``rects`` rows are x, y, w, h."""
    xext = xlib.library("Xext", "libXext.so.6")
    xext.XShapeCombineRectangles.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_int,
        ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int]
    packed = np.zeros(len(rects), dtype=[("x", "<i2"), ("y", "<i2"), ("w", "<u2"),
                                         ("h", "<u2")])
    if len(rects):
        packed["x"], packed["y"] = rects[:, 0], rects[:, 1]
        packed["w"], packed["h"] = rects[:, 2], rects[:, 3]
    return xlib.call_checked(lambda: xext.XShapeCombineRectangles(
        xlib.display, ctypes.c_ulong(window_id), SHAPE_BOUNDING, 0, 0,
        packed.ctypes.data if len(packed) else None, len(packed), op, UNSORTED))


def _content_mask(xlib: _Xlib, drawable: int, x: int, y: int, width: int, height: int,
                  key: tuple[int, int, int]) -> np.ndarray | None:
    """Which pixels of a part of ``drawable`` are not the ``key`` colour (None if
    unreadable)."""
    x11 = xlib.x11
    x11.XGetImage.restype = ctypes.POINTER(_XImage)
    x11.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                              ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
    x11.XDestroyImage.argtypes = [ctypes.POINTER(_XImage)]
    holder: list[Any] = []
    error = xlib.call_checked(lambda: holder.append(x11.XGetImage(
        xlib.display, ctypes.c_ulong(drawable), x, y, width, height, ALL_PLANES, Z_PIXMAP)))
    image = holder[0] if holder else None
    if error or not image:
        return None
    try:
        info = image.contents
        if info.bits_per_pixel != 32:
            return None
        raw = ctypes.string_at(info.data, info.bytes_per_line * info.height)
        pixels = np.frombuffer(raw, dtype="<u4").reshape(info.height, -1)[:, :info.width]
        masks = (info.red_mask, info.green_mask, info.blue_mask)
        value = sum((channel << _shift(mask)) & mask for channel, mask in zip(key, masks,
                                                                              strict=True))
        used = info.red_mask | info.green_mask | info.blue_mask
        return np.asarray((pixels & used) != value)
    finally:
        x11.XDestroyImage(image)


def _shift(mask: int) -> int:
    """Where an 8-bit channel goes in a pixel with this colour ``mask``."""
    return (mask & -mask).bit_length() - 1 - (8 - bin(mask).count("1"))


def mask_rectangles(mask: np.ndarray) -> np.ndarray:
    """The runs of True pixels in each row of ``mask`` as rectangles (x, y, w, 1)."""
    padded = np.pad(mask.astype(np.int8), ((0, 0), (1, 1)))
    edges = np.diff(padded, axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)
    return np.stack([starts, rows, ends - starts, np.ones_like(rows)], axis=1)


_shapes: dict[int, np.ndarray] = {}
"""Per window: the pixels its shape lets through now (absent: the whole window)."""


def fit_shape(window: tk.Misc, drawable: tk.Misc, key: tuple[int, int, int],
              changed: list[Rect] | None) -> bool:
    """Cut ``window`` to the pixels of ``drawable`` (its full-size child) that are not ``key``.

    ``changed`` (x, y, w, h) are the places where text changed since the last cut (None: the
    whole window, which the caller had Tk redraw): they are opened so Tk can draw there, read
    back, and the window is cut to what was drawn.  Only those places are read: elsewhere
    what X keeps is not what Tk drew.  Returns False where it cannot be done.
    """
    try:
        xlib = _connection(window)
        wrapper = wrapper_id(window)
        width, height = drawable.winfo_width(), drawable.winfo_height()
        shown = _shapes.get(wrapper)
        if changed is None or shown is None or shown.shape != (height, width):
            shown, changed = np.ones((height, width), dtype=bool), [(0, 0, width, height)]
        elif _combine_rectangles(xlib, wrapper, np.array(changed), SHAPE_UNION):
            return False
        opened = np.zeros_like(shown)
        for x, y, w, h in changed:
            opened[max(y, 0):max(y + h, 0), max(x, 0):max(x + w, 0)] = True
        rows, cols = np.nonzero(opened.any(axis=1))[0], np.nonzero(opened.any(axis=0))[0]
        if not len(rows):
            return True
        top, left = int(rows[0]), int(cols[0])
        bottom, right = int(rows[-1]) + 1, int(cols[-1]) + 1
        drawable.update_idletasks()  # Tk draws into the opened places
        drawable.winfo_pointerxy()  # a round trip: the server has done Tk's drawing
        read = _content_mask(xlib, drawable.winfo_id(), left, top, right - left,
                             bottom - top, key)
        if read is None or read.shape != (bottom - top, right - left):
            return False
        mask = shown.copy()
        region = (slice(top, bottom), slice(left, right))
        mask[region] = np.where(opened[region], read, shown[region])
        if _combine_rectangles(xlib, wrapper, mask_rectangles(mask), SHAPE_SET):
            return False
        _shapes[wrapper] = mask
        return True
    except (OSError, AttributeError, ValueError, tk.TclError) as exc:
        log.info("The see-through subtitle style is not available here: %s", exc)
        return False


def clear_shape(window: tk.Misc) -> None:
    """The whole window again (the box style)."""
    try:
        xlib = _connection(window)
        xext = xlib.library("Xext", "libXext.so.6")
        xext.XShapeCombineMask.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int, ctypes.c_int,
            ctypes.c_ulong, ctypes.c_int]
        wrapper = wrapper_id(window)
        _shapes.pop(wrapper, None)
        xlib.call_checked(lambda: xext.XShapeCombineMask(
            xlib.display, ctypes.c_ulong(wrapper), SHAPE_BOUNDING, 0, 0, 0, SHAPE_SET))
    except (OSError, AttributeError, ValueError, tk.TclError) as exc:
        log.info("Could not reset the window shape: %s", exc)



def see_through(window: tk.Misc, color: str | None) -> str:
    """How the outline style shows the picture beneath: by cutting the window's shape
    (:func:`fit_shape` after each change); ``None`` makes the window whole again."""
    if color is None:
        clear_shape(window)
    return "shape"


# The stacking half (above fullscreen players) lives in x11_stack, loaded when used:
# this module owns the X connection and hands it over with the overlay's wrapper window.
def prepare_overlay(window: tk.Wm) -> None:
    """Before the overlay is first shown: a managed, undecorated, always-on-top window."""
    from whispertrans_tray.desktop.window import x11_stack

    try:
        window.attributes("-type", "notification")
        window.wm_frame()  # Tk creates its wrapper window now, so hints can go on it
        xlib = _connection(window)  # type: ignore[arg-type]
        wrapper = wrapper_id(window)  # type: ignore[arg-type]
    except (OSError, AttributeError, ValueError, tk.TclError) as exc:
        log.info("Window manager hints not set (%s); the overlay is a plain window", exc)
        return
    x11_stack.prepare_overlay(xlib, wrapper)


def keep_on_top(window: tk.Misc) -> bool:
    """Above every other window again after the stacking changed; never takes the focus."""
    from whispertrans_tray.desktop.window import x11_stack

    try:
        xlib = _connection(window)
        wrapper = wrapper_id(window)
    except (OSError, AttributeError, ValueError, tk.TclError) as exc:
        log.info("Stacking order not available: %s", exc)
        return True
    return x11_stack.keep_on_top(xlib, wrapper)
