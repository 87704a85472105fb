"""Where the subtitle window sits: remembered per screen layout, kept on screen, dragged.

The position is remembered per screen layout (see
:func:`~whispertrans_tray.desktop.overlay.geometry.layout_key`) and clamped onto a monitor that
exists; when the monitors change, the window goes to the position saved for the new layout.
Drag to move; drag the right or bottom edge (or the corner) to resize.  When a drag ends, the
new :class:`OverlaySettings` (size and the position for this layout) go to ``on_moved``:
this is the one place that computes them.
"""

from __future__ import annotations

import dataclasses
import logging
import tkinter as tk
from collections.abc import Callable

from whispertrans_tray.desktop import window as os_window
from whispertrans_tray.desktop.overlay.geometry import Rect, fit_on_monitors, layout_key
from whispertrans_tray.settings import OverlaySettings

log = logging.getLogger(__name__)

EDGE = 12  # pixels along the right and bottom edges that resize
MIN_SIZE = (200, 60)
MONITOR_CHECK_MS = 5000
CURSORS = {"move": "fleur", "right": "right_side", "bottom": "bottom_side",
           "corner": "bottom_right_corner"}


def screen_layout(window: tk.Misc) -> tuple[str, list[Rect]]:
    """The current layout key and monitors of ``window``'s display."""
    monitors = os_window.monitors(window)
    return layout_key(monitors), monitors


class Placement:
    """Places ``root`` and lets the mouse on ``canvas`` move and resize it (Tk thread only).

    Args:
        get_settings: The overlay's current settings (size, saved positions, locked).
        on_resized: Called when the window changed size (the text is laid out again).
        on_moved: Receives the overlay settings with the new size and position after a drag.
    """

    def __init__(self, root: tk.Tk, canvas: tk.Canvas,
                 get_settings: Callable[[], OverlaySettings], on_resized: Callable[[], None],
                 on_moved: Callable[[OverlaySettings], None]) -> None:
        self.root = root
        self.canvas = canvas
        self._settings = get_settings
        self._on_resized = on_resized
        self._on_moved = on_moved
        self.layout, self.monitors = screen_layout(root)
        settings = get_settings()
        self.size = (settings.width, settings.height)
        self._drag: tuple[str, int, int, int, int, int, int] | None = None
        self._cursor = ""
        for sequence, handler in (("<ButtonPress-1>", self._press), ("<B1-Motion>", self._motion),
                                  ("<ButtonRelease-1>", self._release),
                                  ("<Motion>", self._hover)):
            canvas.bind(sequence, handler)
        self._job: str | None = root.after(MONITOR_CHECK_MS, self._watch_monitors)

    def cancel(self) -> None:
        """Stop watching the monitors (the window is being destroyed)."""
        if self._job is not None:
            self.root.after_cancel(self._job)
            self._job = None

    def place(self, use_saved: bool) -> None:
        """Move the window to the saved position of this layout (or keep it), clamped."""
        s = self._settings()
        width, height = self.size if not use_saved else (s.width, s.height)
        saved = {key: (x, y) for key, x, y in s.positions}.get(self.layout)
        if saved is not None and use_saved:
            x, y = saved
        elif use_saved and not self.root.winfo_ismapped():
            mx, my, mw, mh = self.monitors[0]  # first start: centred near the bottom
            x, y = mx + (mw - width) // 2, my + mh - height - 80
        else:
            x, y = self.root.winfo_x(), self.root.winfo_y()
        x, y, width, height = fit_on_monitors(x, y, width, height, self.monitors)
        self.size = (width, height)
        self.root.geometry(f"{width}x{height}+{x}+{y}")

    def _watch_monitors(self) -> None:
        """When monitors change, go to the position saved for the new layout (or stay), clamped."""
        key, monitors = screen_layout(self.root)
        if key != self.layout:
            log.info("Screen layout changed from %s to %s", self.layout, key)
            self.layout, self.monitors = key, monitors
            has_saved = any(saved == key for saved, _, _ in self._settings().positions)
            self.place(use_saved=has_saved)
            self._on_resized()
        self._job = self.root.after(MONITOR_CHECK_MS, self._watch_monitors)

    # -- mouse ----------------------------------------------------------------------------
    def _edge(self, x: int, y: int) -> str:
        width, height = self.size
        right, bottom = x >= width - EDGE, y >= height - EDGE
        return "corner" if right and bottom else "right" if right else \
            "bottom" if bottom else "move"

    def _set_cursor(self, cursor: str) -> None:
        if cursor != self._cursor:
            self._cursor = cursor
            self.canvas.configure(cursor=cursor)

    def _hover(self, event: tk.Event) -> None:
        if self._drag is None:
            self._set_cursor("" if self._settings().locked else CURSORS[self._edge(event.x,
                                                                                   event.y)])

    def _press(self, event: tk.Event) -> None:
        if self._settings().locked:
            return
        self._drag = (self._edge(event.x, event.y), event.x_root, event.y_root,
                      self.root.winfo_x(), self.root.winfo_y(), *self.size)

    def _motion(self, event: tk.Event) -> None:
        if self._drag is None:
            return
        mode, x0, y0, wx, wy, width, height = self._drag
        dx, dy = event.x_root - x0, event.y_root - y0
        if mode == "move":
            self.root.geometry(f"+{wx + dx}+{wy + dy}")
            return
        if mode in ("right", "corner"):
            width = max(MIN_SIZE[0], width + dx)
        if mode in ("bottom", "corner"):
            height = max(MIN_SIZE[1], height + dy)
        self.size = (width, height)
        self.root.geometry(f"{width}x{height}+{wx}+{wy}")
        self._on_resized()

    def _release(self, event: tk.Event) -> None:
        if self._drag is None:
            return
        self._drag = None
        self.root.update_idletasks()
        x, y, width, height = fit_on_monitors(self.root.winfo_x(), self.root.winfo_y(),
                                              *self.size, self.monitors)
        self.size = (width, height)
        self.root.geometry(f"{width}x{height}+{x}+{y}")
        self._on_resized()
        settings = self._settings()
        positions = tuple(p for p in settings.positions if p[0] != self.layout)
        self._on_moved(dataclasses.replace(settings, width=width, height=height,
                                           positions=(*positions, (self.layout, x, y))))
