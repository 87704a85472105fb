"""Keeping the X11 overlay above fullscreen players, without taking the keyboard focus.

The overlay is a managed window of type ``_NET_WM_WINDOW_TYPE_NOTIFICATION`` with
``_NET_WM_STATE_ABOVE`` and no decorations (``_MOTIF_WM_HINTS``), so an EWMH window manager
stacks it over other windows, and it shows up in ``_NET_CLIENT_LIST_STACKING``.  When a video
player or browser goes fullscreen, the stacking changes: :func:`keep_on_top` sees that the
overlay is no longer the top client and asks again (``_NET_WM_STATE`` add ABOVE, then
``_NET_RESTACK_WINDOW`` as a pager would), once per change, so it never fights another
always-on-top window.  It never asks for the focus.

Window managers that always put a focused fullscreen window over every other one (Openbox,
Fluxbox, IceWM) keep it there whatever the overlay asks; see the README.
"""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)

SUBSTRUCTURE_MASKS = (1 << 19) | (1 << 20)  # SubstructureNotify | SubstructureRedirect
CLIENT_MESSAGE = 33
NET_WM_STATE_ADD = 1
SOURCE_PAGER = 2
ABOVE = 0
XA_ATOM = 4
XA_WINDOW = 33
PROP_MODE_REPLACE = 0


class XConnection(Protocol):
    """The X connection this module is handed (``x11`` owns it): Xlib, its display,
    and requests run with X errors recorded rather than fatal."""

    x11: Any
    display: Any

    def call_checked(self, request: Callable[[], object]) -> int:
        """Run Xlib ``request`` and sync; the X error code or 0."""
        ...


_seen: dict[int, tuple[int, ...]] = {}
"""Per overlay window: the stacking order when it last asked to be on top."""


class _ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong),
                ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5),
                ("pad", ctypes.c_long * 12)]  # an XEvent is 24 longs


def _atom(xlib: XConnection, name: str) -> int:
    xlib.x11.XInternAtom.restype = ctypes.c_ulong
    xlib.x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    return int(xlib.x11.XInternAtom(xlib.display, name.encode(), 0))


def _root(xlib: XConnection) -> int:
    return int(xlib.x11.XDefaultRootWindow(xlib.display))


def window_list(xlib: XConnection, window: int, name: str) -> list[int]:
    """A ``WINDOW[]`` or ``ATOM[]`` property of ``window`` (empty when absent)."""
    x11: Any = xlib.x11
    x11.XGetWindowProperty.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long,
        ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
        ctypes.c_void_p, ctypes.c_void_p]
    x11.XFree.argtypes = [ctypes.c_void_p]
    kind, fmt = ctypes.c_ulong(), ctypes.c_int()
    count, after = ctypes.c_ulong(), ctypes.c_ulong()
    data = ctypes.POINTER(ctypes.c_ulong)()
    status = x11.XGetWindowProperty(
        xlib.display, ctypes.c_ulong(window), _atom(xlib, name), 0, 4096, 0, 0,
        ctypes.byref(kind), ctypes.byref(fmt), ctypes.byref(count), ctypes.byref(after),
        ctypes.byref(data))
    if status != 0 or not data:
        return []
    try:
        return [int(data[i]) for i in range(count.value)] if fmt.value == 32 else []
    finally:
        x11.XFree(data)


def _send(xlib: XConnection, window: int, message: str, *values: int) -> None:
    event = _ClientMessage(type=CLIENT_MESSAGE, send_event=1, display=xlib.display,
                           window=window, message_type=_atom(xlib, message), format=32)
    for i, value in enumerate(values):
        event.data[i] = value
    xlib.x11.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                                    ctypes.c_long, ctypes.c_void_p]
    xlib.x11.XSendEvent(xlib.display, ctypes.c_ulong(_root(xlib)), 0, SUBSTRUCTURE_MASKS,
                        ctypes.byref(event))


def prepare_overlay(xlib: XConnection, wrapper: int) -> None:
    """Before the overlay is first shown: make Tk's ``wrapper`` window of the overlay (whose
    type Tk has set to notification) undecorated and always on top, so the window manager
    stacks it, and lists it in its stacking order."""
    try:
        hints = (ctypes.c_long * 5)(2, 0, 0, 0, 0)  # flags: decorations; decorations: none
        motif = _atom(xlib, "_MOTIF_WM_HINTS")
        xlib.x11.XChangeProperty.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_int,
            ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
        xlib.call_checked(lambda: xlib.x11.XChangeProperty(
            xlib.display, ctypes.c_ulong(wrapper), motif, motif, 32, PROP_MODE_REPLACE,
            hints, 5))
        states = (ctypes.c_ulong * 3)(*(_atom(xlib, name) for name in (
            "_NET_WM_STATE_ABOVE", "_NET_WM_STATE_SKIP_TASKBAR", "_NET_WM_STATE_SKIP_PAGER")))
        xlib.call_checked(lambda: xlib.x11.XChangeProperty(
            xlib.display, ctypes.c_ulong(wrapper), _atom(xlib, "_NET_WM_STATE"), XA_ATOM, 32,
            PROP_MODE_REPLACE, states, 3))
    except (OSError, AttributeError, ValueError) as exc:
        log.info("Window manager hints not set (%s); the overlay is a plain window", exc)


def keep_on_top(xlib: XConnection, wrapper: int) -> bool:
    """Ask for the overlay's ``wrapper`` window to be the top window again if the stacking
    changed and something is above it.

    Returns True while the overlay is the top client (or there is no EWMH window manager to
    ask), False when it is not (yet).
    """
    try:
        stacking = window_list(xlib, _root(xlib), "_NET_CLIENT_LIST_STACKING")
    except (OSError, AttributeError, ValueError) as exc:
        log.info("Stacking order not available: %s", exc)
        return True
    if wrapper not in stacking or stacking[-1] == wrapper:
        return True
    if _seen.get(wrapper) == tuple(stacking):  # asked already for this order: no fight
        return False
    _seen[wrapper] = tuple(stacking)
    above = _atom(xlib, "_NET_WM_STATE_ABOVE")
    _send(xlib, wrapper, "_NET_WM_STATE", NET_WM_STATE_ADD, above, 0, SOURCE_PAGER)
    _send(xlib, wrapper, "_NET_RESTACK_WINDOW", SOURCE_PAGER, 0, ABOVE)
    xlib.x11.XFlush(xlib.display)
    log.info("Another window went over the subtitles; asked to be on top again")
    return False
