"""The overlay's canvas text items, drawn plain (box style) or outlined (subtitle style).

An outlined item is the text drawn once in its colour over copies of itself in the outline
colour, shifted around a small circle: the way video players draw subtitles, so white text
keeps a black edge over white and black pictures alike.  The copies follow their item (text,
font, wrap width, place, state); the overlay only ever talks to the main item.

Also the one-line fit of the status line: a status never wraps; a long one ends in "…".
"""

from __future__ import annotations

import math
import tkinter as tk
from tkinter import font as tkfont

OUTLINE_COLOR = "#000000"
SHADOW_TAG = "outline"
BACKGROUND_TAG = "background"
"""Items under all text (the overlay's background), kept beneath the outline copies."""
FOLLOWED = ("text", "font", "width", "state", "anchor")
"""Options the outline copies take over from their item (never ``fill``)."""


def outline_radius(font_size: int) -> int:
    """Outline thickness in pixels for the translation font size (points)."""
    return max(2, round(font_size / 10))


def ring(radius: int) -> list[tuple[int, int]]:
    """Offsets around a circle of ``radius`` pixels, dense enough for a closed edge."""
    steps = max(8, 4 * radius)
    offsets = {(round(radius * math.cos(2 * math.pi * k / steps)),
                round(radius * math.sin(2 * math.pi * k / steps))) for k in range(steps)}
    return sorted(offsets - {(0, 0)})


class TextItems:
    """Canvas text items with optional outline copies beneath them."""

    def __init__(self, canvas: tk.Canvas) -> None:
        self.canvas = canvas
        self._copies: dict[int, list[int]] = {}
        self._offsets: list[tuple[int, int]] = []
        self._places: dict[int, tuple[float, float]] = {}

    def create(self, font: tkfont.Font, fill: str, anchor: str = "nw") -> int:
        item = self.canvas.create_text(0, 0, text="", font=font, fill=fill)
        self.canvas.itemconfigure(item, anchor=anchor)
        self._places[item] = (0.0, 0.0)
        self._copies[item] = self._make_copies(item)
        return item

    def delete(self, *items: int) -> None:
        for item in items:
            self.canvas.delete(item, *self._copies.pop(item, []))
            self._places.pop(item, None)

    def config(self, item: int, **options: object) -> None:
        """``itemconfigure`` the item and (but for the colour) its outline copies."""
        self.canvas.itemconfigure(item, **options)  # type: ignore[arg-type]
        followed = {k: v for k, v in options.items() if k != "fill"}
        if followed:
            for copy in self._copies.get(item, []):
                self.canvas.itemconfigure(copy, **followed)  # type: ignore[arg-type]

    def move(self, item: int, x: float, y: float) -> None:
        if self._places.get(item) == (x, y):
            return
        self._places[item] = (x, y)
        self.canvas.coords(item, x, y)
        for copy, (dx, dy) in zip(self._copies.get(item, []), self._offsets, strict=False):
            self.canvas.coords(copy, x + dx, y + dy)

    def set_outline(self, radius: int) -> None:
        """Outline every item ``radius`` pixels thick; 0 draws them plain."""
        offsets = ring(radius) if radius > 0 else []
        if offsets == self._offsets:
            return
        self._offsets = offsets
        for item, copies in self._copies.items():
            self.canvas.delete(*copies)
            self._copies[item] = self._make_copies(item)

    def _make_copies(self, item: int) -> list[int]:
        if not self._offsets:
            return []
        x, y = self._places.get(item, (0.0, 0.0))
        options = {key: self.canvas.itemcget(item, key)  # type: ignore[no-untyped-call]
                   for key in FOLLOWED}
        copies = [self.canvas.create_text(x + dx, y + dy, fill=OUTLINE_COLOR,
                                          tags=(SHADOW_TAG,)) for dx, dy in self._offsets]
        for copy in copies:
            self.canvas.itemconfigure(copy, **options)
        self.canvas.tag_lower(SHADOW_TAG)
        self.canvas.tag_lower(BACKGROUND_TAG)
        return copies


def fit_one_line(text: str, font: tkfont.Font, width: int) -> str:
    """``text`` on one line of ``width`` pixels: its first line, cut with "…" if too long."""
    line = " ".join(text.split())  # a message never wraps into a second line
    if font.measure(line) <= width:
        return line
    lo, hi = 0, len(line)  # the longest head that fits with "…"
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if font.measure(line[:mid].rstrip() + "…") <= width:
            lo = mid
        else:
            hi = mid - 1
    return line[:lo].rstrip() + "…"
