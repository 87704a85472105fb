"""The subtitle overlay: a borderless, always-on-top, semi-transparent Tk window.

Runs on Tk's main thread; the app feeds it from its ``after()`` loop through :meth:`Overlay.show`,
:meth:`Overlay.set_status`, :meth:`Overlay.set_ui_language` and :meth:`Overlay.apply_settings`.

No flicker: canvas text items are created once and only reconfigured.  Text runs top-down,
oldest sentence first, the dimmed partial line last.  Room for one partial line is always kept
free (the partial takes more when there is room, and shows its newest words when it needs
more), so a growing partial never moves a committed line; only a new sentence scrolls the
oldest one off the top.  Translation large, source smaller (order per ``translation_on_top``).
After ``fade_after_s`` without new text the window fades out and is withdrawn (so it cannot
catch clicks while invisible); new text, a status message or "show" bring it back.

Placement, dragging and resizing are :mod:`~whispertrans_tray.desktop.overlay_placement`'s;
the new size and position go to ``on_moved`` as overlay settings.  Locked: drags are ignored
and, where the platform allows (Windows, X11), clicks pass through
(:mod:`whispertrans_tray.desktop.platform_ui`).
"""

from __future__ import annotations

import logging
import time
import tkinter as tk
from collections.abc import Callable, Sequence
from tkinter import font as tkfont

from whispertrans_tray.core.subtitles import Line
from whispertrans_tray.desktop import platform_ui
from whispertrans_tray.desktop.overlay_placement import Placement
from whispertrans_tray.i18n import tr
from whispertrans_tray.settings import OverlaySettings

log = logging.getLogger(__name__)

PAD = 14
GAP = 4
PARTIAL_LINES = 1  # room always kept for the partial line (it may use more when free)
FADE_STEPS = 6
FADE_STEP_MS = 80
STATUS_COLOR = "#ffb74d"

MovedCallback = Callable[[OverlaySettings], None]
"""``on_moved(settings)``: the overlay settings with the new size and position, after a drag."""


class Overlay:
    """The subtitle window.  Every method must be called on Tk's (the main) thread."""

    def __init__(self, root: tk.Tk, settings: OverlaySettings, ui_language: str = "zh-TW",
                 on_moved: MovedCallback | None = None) -> None:
        self.root = root
        self.settings = settings
        self.ui_language = ui_language
        self._on_moved = on_moved
        self._visible = settings.visible
        self._faded = False
        self._fade_job: str | None = None
        self._jobs: dict[str, str] = {}  # other pending after() timers, cancelled on destroy
        self._last_text_at = time.monotonic()
        self._signature: tuple[object, ...] = ()
        self._lines: list[Line] = []
        self._partial_text = ""
        self._status_text = ""
        self.click_through = False
        """Whether the platform lets clicks pass through the locked overlay."""
        root.overrideredirect(True)
        root.configure(bg=settings.background)
        self.canvas = tk.Canvas(root, bg=settings.background, highlightthickness=0, bd=0)
        self.canvas.pack(fill="both", expand=True)
        self._big = tkfont.Font(root, family=settings.font_family, size=settings.font_size)
        self._small = tkfont.Font(root, family=settings.font_family,
                                  size=settings.source_font_size)
        self.line_items: list[tuple[int, int]] = []
        """Canvas text items per line on screen: (large item, small item)."""
        self._make_slots()
        self.partial_item = self.canvas.create_text(
            PAD, PAD, anchor="nw", text="", font=self._small, fill=settings.partial_color)
        """Canvas text item of the partial line."""
        self.status_item = self.canvas.create_text(PAD, 0, anchor="sw", text="",
                                                   font=self._small, fill=STATUS_COLOR)
        """Canvas text item of the status line."""
        self.placement = Placement(root, self.canvas, lambda: self.settings, self._relayout,
                                   self._moved)
        self.placement.place(use_saved=True)
        root.update_idletasks()
        self._apply_visibility()
        self._schedule_fade()
        root.bind("<Destroy>", self._destroyed, add="+")

    def _destroyed(self, event: tk.Event) -> None:
        """Cancel the timers with the window, so none fires into a destroyed Tk."""
        if event.widget is self.root:
            for job in [*self._jobs.values(), *([self._fade_job] if self._fade_job else [])]:
                self.root.after_cancel(job)
            self._jobs.clear()
            self._fade_job = None
            self.placement.cancel()

    def _moved(self, settings: OverlaySettings) -> None:
        self.settings = settings
        if self._on_moved:
            self._on_moved(settings)

    # -- public API (Tk thread) -----------------------------------------------------------
    def show(self, lines: Sequence[Line], partial: str) -> None:
        """Paint the newest ``lines`` (at most ``max_lines``) and the partial line in place."""
        self._lines = list(lines)[-self.settings.max_lines:]
        self._partial_text = partial
        signature = (tuple((ln.sentence.index, ln.translation, ln.status) for ln in self._lines),
                     partial)
        self._relayout()
        if signature != self._signature:
            self._signature = signature
            if self._lines or partial:
                self._wake()

    @property
    def status(self) -> str:
        """The status line's text."""
        return self._status_text

    @property
    def translation_font(self) -> tkfont.Font:
        """The font of the large (translation) line."""
        return self._big

    def set_status(self, text: str) -> None:
        """The small status line at the bottom (translation failed, lag…); "" clears it."""
        self._status_text = text
        self.canvas.itemconfigure(self.status_item, text=text)
        self._relayout()
        if text:
            self._wake()

    def set_ui_language(self, language: str) -> None:
        """The language of the overlay's own words (the translation-failed marker)."""
        self.ui_language = language
        self._relayout()

    def apply_settings(self, settings: OverlaySettings) -> None:
        """Apply changed overlay settings in place (fonts, colours, size, position, lock…)."""
        if settings == self.settings:
            return
        old, self.settings = self.settings, settings
        self.root.configure(bg=settings.background)
        self.canvas.configure(bg=settings.background)
        self._big.configure(family=settings.font_family, size=settings.font_size)
        self._small.configure(family=settings.font_family, size=settings.source_font_size)
        if settings.max_lines != old.max_lines:
            self._make_slots()
        for large, small in self.line_items:
            self.canvas.itemconfigure(large, fill=settings.text_color)
            self.canvas.itemconfigure(small, fill=settings.text_color)
        self.canvas.itemconfigure(self.partial_item, fill=settings.partial_color)
        if (settings.width, settings.height, settings.positions) != \
                (old.width, old.height, old.positions):
            self.placement.place(use_saved=True)
        self._relayout()
        self._visible = settings.visible
        self._apply_visibility()
        self._apply_window_attributes()

    # -- layout ---------------------------------------------------------------------------
    def _make_slots(self) -> None:
        """(Re)create the line items; only when ``max_lines`` changes."""
        for pair in self.line_items:
            self.canvas.delete(*pair)
        self.line_items = [
            (self.canvas.create_text(PAD, PAD, anchor="nw", text="", font=self._big,
                                     fill=self.settings.text_color),
             self.canvas.create_text(PAD, PAD, anchor="nw", text="", font=self._small,
                                     fill=self.settings.text_color))
            for _ in range(self.settings.max_lines)]

    def _texts(self, line: Line) -> list[tuple[int, str]]:
        """The (slot part, text) of a line in screen order: 0 is the large item, 1 the small."""
        s = self.settings
        if line.status == "none":  # not being translated: the source is the subtitle
            return [(0, line.sentence.text)]
        translation = line.translation or (
            tr("translate.failed_marker", self.ui_language) if line.status == "failed" else "")
        source = line.sentence.text if s.show_source or not translation else ""
        pair = [(0, translation), (1, source)]
        return pair if s.translation_on_top else pair[::-1]

    def _height(self, item: int) -> int:
        box = self.canvas.bbox(item)
        return (box[3] - box[1]) if box else 0

    def _relayout(self) -> None:
        """Set every item's text and place it; committed lines first, then the partial."""
        width, height = self.placement.size
        wrap = max(width - 2 * PAD, 20)
        for item in self._text_items():
            self.canvas.itemconfigure(item, width=wrap)
        linespace = self._small.metrics("linespace")
        status_h = linespace if self._status_text else 0
        partial_room = PARTIAL_LINES * linespace
        room = height - 2 * PAD - status_h - partial_room
        blocks: list[list[tuple[int, int]]] = []  # per line: (item, height), top-down
        for index, pair in enumerate(self.line_items):
            parts = self._texts(self._lines[index]) if index < len(self._lines) else []
            texts = dict(parts)
            for part in (0, 1):
                self.canvas.itemconfigure(pair[part], text=texts.get(part, ""))
            if parts:
                blocks.append([(pair[part], self._height(pair[part]))
                               for part, text in parts if text])

        def total(bs: list[list[tuple[int, int]]]) -> int:
            return sum(h + GAP for b in bs for _, h in b) + 2 * GAP * len(bs)

        first = 0  # the oldest lines that do not fit slide off the top
        while first < len(blocks) - 1 and total(blocks[first:]) > room:
            first += 1
        y = PAD
        for index, block in enumerate(blocks):
            for item, item_h in block:
                if index < first:
                    self.canvas.itemconfigure(item, text="")
                    continue
                self.canvas.coords(item, PAD, y)
                y += item_h + GAP
            if block and index >= first:
                y += 2 * GAP
        self.canvas.coords(self.partial_item, PAD, y)
        self._fit_partial(self._partial_text,
                          max(partial_room, height - PAD - status_h - y))
        self.canvas.coords(self.status_item, PAD, height - PAD // 2)

    def _fit_partial(self, text: str, room: int) -> None:
        """Show the partial, or its newest words when it needs more than its room."""
        self.canvas.itemconfigure(self.partial_item, text=text)
        if not text or self._height(self.partial_item) <= room:
            return
        lo, hi = 1, len(text) - 1  # smallest cut whose "…" + tail fits
        while lo < hi:
            mid = (lo + hi) // 2
            self.canvas.itemconfigure(self.partial_item, text="…" + text[mid:])
            if self._height(self.partial_item) <= room:
                hi = mid
            else:
                lo = mid + 1
        space = text.find(" ", lo)
        cut = space + 1 if 0 <= space < lo + 16 else lo  # cut at a word when one is near
        self.canvas.itemconfigure(self.partial_item, text="…" + text[cut:])

    # -- window state ---------------------------------------------------------------------
    def _apply_visibility(self) -> None:
        if self._visible and not self._faded:
            if not self.root.winfo_ismapped():
                self.root.deiconify()
            self.root.attributes("-topmost", True)
            # alpha needs a mapped window
            self._jobs["attributes"] = self.root.after(100, self._apply_window_attributes)
        else:
            self.root.withdraw()

    def _apply_window_attributes(self) -> None:
        self._set_alpha(self.settings.opacity)
        self.click_through = platform_ui.set_click_through(self.root, self.settings.locked)

    def _set_alpha(self, alpha: float) -> None:
        try:
            self.root.attributes("-alpha", alpha)
        except tk.TclError as exc:
            log.info("Window opacity not supported here: %s", exc)

    # -- fading ---------------------------------------------------------------------------
    def _wake(self) -> None:
        """New text: end a fade (or a fade in progress) and restart the silence timer."""
        self._last_text_at = time.monotonic()
        if self._faded or self._fade_job is not None:
            if self._fade_job is not None:
                self.root.after_cancel(self._fade_job)
                self._fade_job = None
            self._faded = False
            for item in self._text_items():
                self.canvas.itemconfigure(item, state="normal")
            self._set_alpha(self.settings.opacity)
            self._apply_visibility()
        self._schedule_fade()

    def _schedule_fade(self) -> None:
        fade = self.settings.fade_after_s
        if fade and self._fade_job is None and not self._faded:
            self._fade_job = self.root.after(int(fade * 1000) + 50, self._fade_check)

    def _fade_check(self) -> None:
        self._fade_job = None
        fade = self.settings.fade_after_s
        if not fade or self._faded:
            return
        remaining = self._last_text_at + fade - time.monotonic()
        if remaining > 0.02:
            self._fade_job = self.root.after(int(remaining * 1000) + 20, self._fade_check)
        else:
            self._fade_step(1)

    def _fade_step(self, step: int) -> None:
        if step < FADE_STEPS:
            self._set_alpha(self.settings.opacity * (1 - step / FADE_STEPS))
            self._fade_job = self.root.after(FADE_STEP_MS, self._fade_step, step + 1)
            return
        self._fade_job = None
        self._faded = True
        for item in self._text_items():
            self.canvas.itemconfigure(item, state="hidden")
        self._apply_visibility()

    def _text_items(self) -> list[int]:
        return [*(i for pair in self.line_items for i in pair), self.partial_item,
                self.status_item]
