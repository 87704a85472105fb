"""What the overlay's text is drawn on: a box, or (outline style) the picture beneath.

The box style paints the window in the background colour (the window's opacity makes it
semi-transparent).  The outline style outlines the text and paints the window in a key colour
that is made see-through: transparent by colour on Windows; on X11 the window's shape is cut to
the text after each change (only where the text changed: those places are opened, redrawn,
read back and cut again, see ``window.x11.fit_shape``).
"""

from __future__ import annotations

import logging
import tkinter as tk

from whispertrans_tray.desktop import window as os_window
from whispertrans_tray.desktop.overlay.text import BACKGROUND_TAG, TextItems, outline_radius
from whispertrans_tray.settings import OverlaySettings

log = logging.getLogger(__name__)

KEY_COLOR = "#010203"
"""Background of the outline style: made see-through (never used for text)."""
KEY_RGB = (1, 2, 3)
MARGIN = 14  # around changed text, more than the outline is thick

Box = tuple[int, int, int, int]


class Surface:
    """The window's background for the overlay's style; call :meth:`fit` after each layout."""

    def __init__(self, root: tk.Tk, canvas: tk.Canvas, text: TextItems) -> None:
        self.root, self.canvas, self.text = root, canvas, text
        self.see_through = ""
        """How the outline style shows the picture beneath: "key", "shape" or "" (it can't)."""
        self._outline = False
        self._drawn: dict[int, tuple[object, ...]] = {}
        self._wipe = canvas.create_rectangle(0, 0, 0, 0, width=0, tags=(BACKGROUND_TAG,))
        """The background as an item: touching it makes Tk redraw the whole window."""

    def apply(self, settings: OverlaySettings, first: bool = False) -> None:
        """Box or outline: the background, the outline copies, the see-through window."""
        outline = settings.style == "outline"
        background = KEY_COLOR if outline else settings.background
        self.root.configure(bg=background)
        self.canvas.configure(bg=background)
        self.canvas.itemconfigure(self._wipe, fill=background)
        self.text.set_outline(outline_radius(settings.font_size) if outline else 0)
        if first or outline != self._outline:
            self._outline = outline
            self.see_through = os_window.see_through(self.root, KEY_COLOR if outline else None)
            if outline and not self.see_through:
                log.info("The outline style cannot see through here; it keeps its background")
            self.redraw()

    def redraw(self) -> None:
        """Cut the whole window again at the next :meth:`fit` (shown again, new style)."""
        self._drawn = {}

    def fit(self, items: list[int], size: tuple[int, int]) -> None:
        """X11 outline style: cut the window to the text drawn, where the text changed."""
        if not self._outline or self.see_through != "shape" or not self.root.winfo_ismapped():
            return
        drawn: dict[int, tuple[object, ...]] = {
            i: (self.canvas.itemcget(i, "text"),  # type: ignore[no-untyped-call]
                self.canvas.itemcget(i, "state"),  # type: ignore[no-untyped-call]
                tuple(self.canvas.coords(i)), self.canvas.bbox(i))
            for i in items}
        drawn[0] = (size, None, None, None)  # item ids start at 1
        old, self._drawn = self._drawn, drawn
        changed: list[Box] | None = None  # the first cut, or a new size: the whole window
        if old.keys() == drawn.keys() and old[0] == drawn[0]:
            boxes: list[Box] = [box for i, now in drawn.items() if old[i] != now
                                for box in (old[i][3], now[3]) if isinstance(box, tuple)]
            if not boxes:
                return
            changed = [(x0 - MARGIN, y0 - MARGIN, x1 - x0 + 2 * MARGIN, y1 - y0 + 2 * MARGIN)
                       for x0, y0, x1, y1 in boxes]
        else:
            self.canvas.coords(self._wipe, 0, 0, *size)
            self.canvas.itemconfigure(self._wipe, fill=KEY_COLOR)
        os_window.fit_shape(self.root, self.canvas, KEY_RGB, changed)
