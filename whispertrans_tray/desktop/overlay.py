"""The subtitle overlay: a borderless, always-on-top, semi-transparent Tk window.

Runs on Tk's main thread; the app feeds it from its ``after()`` loop through :meth:`Overlay.show`
(or :meth:`Overlay.show_model`), :meth:`Overlay.set_status`, :meth:`Overlay.set_visible`,
:meth:`Overlay.set_locked` and :meth:`Overlay.apply_settings`.

No flicker: canvas text items are created once and only reconfigured.  Text runs top-down,
oldest sentence first, the dimmed partial line last.  Room for one partial line is always kept
free (the partial takes more when there is room, and shows its newest words when it needs
more), so a growing partial never moves a committed line; only a new sentence scrolls the
oldest one off the top.  Translation large, source smaller (order per ``translation_on_top``).
After ``fade_after_s`` without new text the window fades out and is withdrawn (so it cannot
catch clicks while invisible); new text, a status message or "show" bring it back.

Drag to move; drag the right or bottom edge (or the corner) to resize.  The position is
remembered per screen layout (see :func:`layout_key`) through the ``on_moved`` callback, and
clamped onto a monitor that exists.  Locked: drags are ignored and, where the platform allows
(Windows, X11), clicks pass through (:mod:`whispertrans_tray.desktop.platform_ui`).
"""

from __future__ import annotations

import dataclasses
import logging
import time
import tkinter as tk
from collections.abc import Callable, Sequence
from tkinter import font as tkfont

from whispertrans_tray.core.subtitles import Line, SubtitleModel
from whispertrans_tray.desktop import platform_ui
from whispertrans_tray.desktop.geometry import Rect, fit_on_monitors, layout_key
from whispertrans_tray.i18n import tr
from whispertrans_tray.settings import OverlaySettings

log = logging.getLogger(__name__)

PAD = 14
GAP = 4
EDGE = 12  # pixels along the right and bottom edges that resize
PARTIAL_LINES = 1  # room always kept for the partial line (it may use more when free)
MIN_SIZE = (200, 60)
FADE_STEPS = 6
FADE_STEP_MS = 80
MONITOR_CHECK_MS = 5000
STATUS_COLOR = "#ffb74d"
CURSORS = {"move": "fleur", "right": "right_side", "bottom": "bottom_side",
           "corner": "bottom_right_corner"}

MovedCallback = Callable[[str, int, int, int, int], None]
"""``on_moved(layout, x, y, width, height)`` after a drag or resize ends."""


def screen_layout(window: tk.Misc) -> tuple[str, list[Rect]]:
    """The current layout key and monitors of ``window``'s display."""
    monitors = platform_ui.monitors(window)
    return layout_key(monitors), monitors


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
        self._drag: tuple[str, int, int, int, int, int, int] | None = None
        self._cursor = ""
        self._lines: list[Line] = []
        self._partial_text = ""
        self._status_text = ""
        self._layout, self._monitors = screen_layout(root)
        self._size = (settings.width, settings.height)
        self.click_through = False
        """Whether the platform lets clicks pass through the locked overlay."""
        root.overrideredirect(True)
        root.configure(bg=settings.background)
        self.canvas = tk.Canvas(root, bg=settings.background, highlightthickness=0, bd=0)
        self.canvas.pack(fill="both", expand=True)
        self._big = tkfont.Font(root, family=settings.font_family, size=settings.font_size)
        self._small = tkfont.Font(root, family=settings.font_family,
                                  size=settings.source_font_size)
        self._slots: list[tuple[int, int]] = []  # (large item, small item) per line
        self._make_slots()
        self._partial = self.canvas.create_text(PAD, PAD, anchor="nw", text="",
                                                font=self._small, fill=settings.partial_color)
        self._status = self.canvas.create_text(PAD, 0, anchor="sw", text="", font=self._small,
                                               fill=STATUS_COLOR)
        self._place(use_saved=True)
        for sequence, handler in (("<ButtonPress-1>", self._press), ("<B1-Motion>", self._motion),
                                  ("<ButtonRelease-1>", self._release),
                                  ("<Motion>", self._hover)):
            self.canvas.bind(sequence, handler)
        root.update_idletasks()
        self._apply_visibility()
        self._schedule_fade()
        self._jobs["monitors"] = root.after(MONITOR_CHECK_MS, self._watch_monitors)
        root.bind("<Destroy>", self._destroyed, add="+")

    def _destroyed(self, event: tk.Event) -> None:
        """Cancel the timers with the window, so none fires into a destroyed Tk."""
        if event.widget is self.root:
            for job in [*self._jobs.values(), *([self._fade_job] if self._fade_job else [])]:
                self.root.after_cancel(job)
            self._jobs.clear()
            self._fade_job = None

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

    def show_model(self, model: SubtitleModel) -> None:
        """:meth:`show` the model's visible lines and partial."""
        self.show(model.visible(), model.partial)

    def set_status(self, text: str) -> None:
        """The small status line at the bottom (translation failed, lag…); "" clears it."""
        self._status_text = text
        self.canvas.itemconfigure(self._status, text=text)
        self._relayout()
        if text:
            self._wake()

    def set_visible(self, visible: bool) -> None:
        """Show or hide the overlay (showing also ends a fade-out)."""
        self._visible = visible
        self.settings = dataclasses.replace(self.settings, visible=visible)
        if visible:
            self._wake()
        self._apply_visibility()

    def set_locked(self, locked: bool) -> None:
        """Locked: ignore drags and, where possible, let clicks through."""
        self.settings = dataclasses.replace(self.settings, locked=locked)
        self._drag = None
        self._set_cursor("")
        self._apply_window_attributes()

    def set_ui_language(self, language: str) -> None:
        """The language of the overlay's own words (the translation-failed marker)."""
        self.ui_language = language
        self._relayout()

    def apply_settings(self, settings: OverlaySettings) -> None:
        """Apply changed overlay settings in place (fonts, colours, size, position, lock…)."""
        old, self.settings = self.settings, settings
        self.root.configure(bg=settings.background)
        self.canvas.configure(bg=settings.background)
        self._big.configure(family=settings.font_family, size=settings.font_size)
        self._small.configure(family=settings.font_family, size=settings.source_font_size)
        if settings.max_lines != old.max_lines:
            self._make_slots()
        for large, small in self._slots:
            self.canvas.itemconfigure(large, fill=settings.text_color)
            self.canvas.itemconfigure(small, fill=settings.text_color)
        self.canvas.itemconfigure(self._partial, fill=settings.partial_color)
        if (settings.width, settings.height, settings.positions) != \
                (old.width, old.height, old.positions):
            self._place(use_saved=True)
        self._relayout()
        self._visible = settings.visible
        self._apply_visibility()
        self._apply_window_attributes()

    def geometry(self) -> Rect:
        """The window's ``(x, y, width, height)`` on the screen."""
        return (self.root.winfo_x(), self.root.winfo_y(), *self._size)

    # -- layout ---------------------------------------------------------------------------
    def _make_slots(self) -> None:
        """(Re)create the line items; only when ``max_lines`` changes."""
        for pair in self._slots:
            self.canvas.delete(*pair)
        self._slots = [
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
        width, height = self._size
        wrap = max(width - 2 * PAD, 20)
        for item in [*(i for pair in self._slots for i in pair), self._partial, self._status]:
            self.canvas.itemconfigure(item, width=wrap)
        linespace = self._small.metrics("linespace")
        status_h = linespace if self._status_text else 0
        partial_room = PARTIAL_LINES * linespace
        room = height - 2 * PAD - status_h - partial_room
        blocks: list[list[tuple[int, int]]] = []  # per line: (item, height), top-down
        for index, pair in enumerate(self._slots):
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
        self.canvas.coords(self._partial, PAD, y)
        self._fit_partial(self._partial_text,
                          max(partial_room, height - PAD - status_h - y))
        self.canvas.coords(self._status, PAD, height - PAD // 2)

    def _fit_partial(self, text: str, room: int) -> None:
        """Show the partial, or its newest words when it needs more than its room."""
        self.canvas.itemconfigure(self._partial, text=text)
        if not text or self._height(self._partial) <= room:
            return
        lo, hi = 1, len(text) - 1  # smallest cut whose "…" + tail fits
        while lo < hi:
            mid = (lo + hi) // 2
            self.canvas.itemconfigure(self._partial, text="…" + text[mid:])
            if self._height(self._partial) <= room:
                hi = mid
            else:
                lo = mid + 1
        space = text.find(" ", lo)
        cut = space + 1 if 0 <= space < lo + 16 else lo  # cut at a word when one is near
        self.canvas.itemconfigure(self._partial, text="…" + text[cut:])

    def _place(self, use_saved: bool) -> None:
        """Move the window to the saved position of this layout (or keep it), clamped."""
        s = self.settings
        width, height = self._size if not use_saved else (s.width, s.height)
        saved = {key: (x, y) for key, x, y in s.positions}.get(self._layout)
        if saved is not None and use_saved:
            x, y = saved
        elif use_saved and not self.root.winfo_ismapped():
            mx, my, mw, mh = self._monitors[0]  # first start: centred near the bottom
            x, y = mx + (mw - width) // 2, my + mh - height - 80
        else:
            x, y = self.root.winfo_x(), self.root.winfo_y()
        x, y, width, height = fit_on_monitors(x, y, width, height, self._monitors)
        self._size = (width, height)
        self.root.geometry(f"{width}x{height}+{x}+{y}")

    def _watch_monitors(self) -> None:
        """When monitors change, go to the position saved for the new layout (or stay), clamped."""
        key, monitors = screen_layout(self.root)
        if key != self._layout:
            log.info("Screen layout changed from %s to %s", self._layout, key)
            self._layout, self._monitors = key, monitors
            has_saved = any(saved == key for saved, _, _ in self.settings.positions)
            self._place(use_saved=has_saved)
            self._relayout()
        self._jobs["monitors"] = self.root.after(MONITOR_CHECK_MS, self._watch_monitors)

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
        return [i for pair in self._slots for i in pair] + [self._partial, self._status]

    # -- mouse ----------------------------------------------------------------------------
    def _edge(self, x: int, y: int) -> str:
        width, height = self._size
        right, bottom = x >= width - EDGE, y >= height - EDGE
        return "corner" if right and bottom else "right" if right else \
            "bottom" if bottom else "move"

    def _set_cursor(self, cursor: str) -> None:
        if cursor != self._cursor:
            self._cursor = cursor
            self.canvas.configure(cursor=cursor)

    def _hover(self, event: tk.Event) -> None:
        if self._drag is None:
            self._set_cursor("" if self.settings.locked else CURSORS[self._edge(event.x,
                                                                                event.y)])

    def _press(self, event: tk.Event) -> None:
        if self.settings.locked:
            return
        self._drag = (self._edge(event.x, event.y), event.x_root, event.y_root,
                      self.root.winfo_x(), self.root.winfo_y(), *self._size)

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
        self._size = (width, height)
        self.root.geometry(f"{width}x{height}+{wx}+{wy}")
        self._relayout()

    def _release(self, event: tk.Event) -> None:
        if self._drag is None:
            return
        self._drag = None
        self.root.update_idletasks()
        x, y, width, height = fit_on_monitors(self.root.winfo_x(), self.root.winfo_y(),
                                              *self._size, self._monitors)
        self._size = (width, height)
        self.root.geometry(f"{width}x{height}+{x}+{y}")
        self._relayout()
        positions = tuple(p for p in self.settings.positions if p[0] != self._layout)
        self.settings = dataclasses.replace(self.settings, width=width, height=height,
                                            positions=(*positions, (self._layout, x, y)))
        if self._on_moved:
            self._on_moved(self._layout, x, y, width, height)
