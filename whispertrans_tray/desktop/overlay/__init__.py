"""The subtitle overlay: a borderless, always-on-top, semi-transparent Tk window.

Runs on Tk's main thread; the app feeds it from its ``after()`` loop through :meth:`Overlay.show`,
:meth:`Overlay.set_status`, :meth:`Overlay.set_ui_language` and :meth:`Overlay.apply_settings`.

No flicker: canvas text items are created once and only reconfigured.  Text runs top-down,
oldest sentence first, the dimmed partial line, then the draft line (``translation.drafts``:
the translation of the line being spoken, dim and italic, :meth:`Overlay.set_draft`).  Room
for one partial line (and the draft's, with drafts on) is always kept free (the partial takes
more when there is room, and shows its newest words when it needs more), so a growing
partial never moves a committed line; only a new sentence scrolls the
oldest one off the top.  Translation large, source smaller (order per ``translation_on_top``).
A sentence whose translation failed shows its source in the large font, marked by a small ⚠;
the status line is always one line (a long message ends in "…").

Two styles (``settings.style``): ``box``, text on a semi-transparent box; ``outline``, no box:
the text outlined in black (:mod:`~whispertrans_tray.desktop.overlay.text`) over whatever
plays beneath, as video players draw subtitles (see-through by a key colour on Windows, by
cutting the window's shape to the text on X11).  While shown, the overlay checks every
moment that no window (a player gone fullscreen) got above it (``os_window.keep_on_top``).
After ``fade_after_s`` without new text the window fades out and is withdrawn (so it cannot
catch clicks while invisible); new text, a status message or "show" bring it back.

Placement, dragging and resizing are :mod:`~whispertrans_tray.desktop.overlay.placement`'s;
the new size and position go to ``on_moved`` as overlay settings.  Locked: drags are ignored
and, where the platform allows (Windows, X11), clicks pass through
(:mod:`whispertrans_tray.desktop.window`).
"""

from __future__ import annotations

import logging
import tkinter as tk
from collections.abc import Callable, Sequence
from tkinter import font as tkfont

from whispertrans_tray.core.subtitles import Line, with_speaker
from whispertrans_tray.desktop import window as os_window
from whispertrans_tray.desktop.overlay.fade import Fade
from whispertrans_tray.desktop.overlay.placement import Placement
from whispertrans_tray.desktop.overlay.surface import Surface
from whispertrans_tray.desktop.overlay.text import TextItems, fit_one_line
from whispertrans_tray.logs import redact
from whispertrans_tray.settings import OverlaySettings

log = logging.getLogger(__name__)

PAD = 14
GAP = 4
PARTIAL_LINES = 1  # room always kept for the partial line (it may use more when free)
STATUS_COLOR = "#ffb74d"
MARK = "⚠"
MARK_GAP = 6
TOP_CHECK_MS = 700

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
        self._jobs: dict[str, str] = {}  # other pending after() timers, cancelled on destroy
        self._signature: tuple[object, ...] = ()
        self._lines: list[Line] = []
        self._partial_text = ""
        self._draft_text = ""
        self.draft_room = False
        """Keep a line free for the draft (drafts on), so one appearing moves no line."""
        self._status_text = ""
        self.above = True
        """Whether the overlay was the top window at the last check."""
        self.click_through = False
        """Whether the platform lets clicks pass through the locked overlay."""
        os_window.prepare_overlay(root)
        self.canvas = tk.Canvas(root, highlightthickness=0, bd=0)
        self.canvas.pack(fill="both", expand=True)
        self.text = TextItems(self.canvas)
        self.surface = Surface(root, self.canvas, self.text)
        self._big = tkfont.Font(root, family=settings.font_family, size=settings.font_size)
        self._small = tkfont.Font(root, family=settings.font_family,
                                  size=settings.source_font_size)
        self._draft_font = tkfont.Font(root, family=settings.font_family,
                                       size=settings.source_font_size, slant="italic")
        self.line_items: list[tuple[int, int]] = []
        """Canvas text items per line on screen: (large item, small item)."""
        self.mark_items: list[int] = []
        """Per line on screen: the small ⚠ shown before a line whose translation failed."""
        self._make_slots()
        self.partial_item = self.text.create(self._small, settings.partial_color)
        """Canvas text item of the partial line."""
        self.draft_item = self.text.create(self._draft_font, settings.partial_color)
        """Canvas text item of the draft line (dim, italic)."""
        self.status_item = self.text.create(self._small, STATUS_COLOR, anchor="sw")
        """Canvas text item of the status line."""
        self.fade = Fade(root, lambda: self.settings, self._set_alpha, self._show_faded)
        """Fades the window out after ``fade_after_s`` without new text."""
        self.placement = Placement(root, self.canvas, lambda: self.settings, self._relayout,
                                   self._moved)
        self.placement.place(use_saved=True)
        root.update_idletasks()
        self.surface.apply(settings, first=True)
        self._apply_visibility()
        self.fade.schedule()
        self._jobs["top"] = root.after(TOP_CHECK_MS, self._check_on_top)
        root.bind("<Destroy>", self._destroyed, add="+")

    def _destroyed(self, event: tk.Event) -> None:
        """Cancel the timers with the window, so none fires into a destroyed Tk."""
        if event.widget is self.root:
            for job in self._jobs.values():
                self.root.after_cancel(job)
            self._jobs.clear()
            self.fade.cancel()
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
                self.fade.wake()

    @property
    def status(self) -> str:
        """The status line's text."""
        return self._status_text

    @property
    def lines(self) -> tuple[Line, ...]:
        """The lines on screen (the newest ``max_lines`` of the last :meth:`show`)."""
        return tuple(self._lines)

    @property
    def translation_font(self) -> tkfont.Font:
        """The font of the large (translation) line."""
        return self._big

    @property
    def source_font(self) -> tkfont.Font:
        """The font of the small lines (source text, the partial line, the status line)."""
        return self._small

    def set_status(self, text: str) -> None:
        """The small status line at the bottom (translation down, lag…); "" clears it.

        Always one line: a longer text is cut with "…" (the whole of it goes to the tray).
        Secrets (a URL's password, an echoed key) are masked."""
        text = redact(text)
        self._status_text = text
        self._relayout()
        if text:
            self.fade.wake()

    @property
    def draft(self) -> str:
        """The draft line's text ("" when none shows)."""
        return self._draft_text

    def set_draft(self, text: str) -> None:
        """The draft translation of the line being spoken, under it; "" removes it.  How
        often it may change is the caller's (:class:`~whispertrans_tray.core.drafts.
        DraftPacer`)."""
        if text == self._draft_text:
            return
        self._draft_text = text
        self._relayout()
        if text:
            self.fade.wake()

    def set_ui_language(self, language: str) -> None:
        """The language of the overlay's own words (the translation-failed marker)."""
        self.ui_language = language
        self._relayout()

    def apply_settings(self, settings: OverlaySettings) -> None:
        """Apply changed overlay settings in place (fonts, colours, size, position, lock…)."""
        if settings == self.settings:
            return
        old, self.settings = self.settings, settings
        self._big.configure(family=settings.font_family, size=settings.font_size)
        self._small.configure(family=settings.font_family, size=settings.source_font_size)
        self._draft_font.configure(family=settings.font_family, size=settings.source_font_size)
        if settings.max_lines != old.max_lines:
            self._make_slots()
        for large, small in self.line_items:
            self.text.config(large, fill=settings.text_color)
            self.text.config(small, fill=settings.text_color)
        self.text.config(self.partial_item, fill=settings.partial_color)
        self.text.config(self.draft_item, fill=settings.partial_color)
        self.surface.apply(settings)
        self._fit_shape()
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
            self.text.delete(*pair)
        self.text.delete(*self.mark_items)
        self.line_items = [
            (self.text.create(self._big, self.settings.text_color),
             self.text.create(self._small, self.settings.text_color))
            for _ in range(self.settings.max_lines)]
        self.mark_items = [self.text.create(self._small, STATUS_COLOR)
                           for _ in range(self.settings.max_lines)]

    def _texts(self, line: Line) -> list[tuple[int, str]]:
        """The (slot part, text) of a line in screen order: 0 is the large item, 1 the small.

        A line without a translation (not translated, failed, or the server answered
        nothing) shows its source as the subtitle, large."""
        s = self.settings
        speaker = line.sentence.speaker  # both sides heard: the side's label goes first
        if line.status in ("none", "failed", "done") and not line.translation:
            return [(0, with_speaker(line.sentence.text, speaker))]
        source = line.sentence.text if s.show_source or not line.translation else ""
        pair = [(0, with_speaker(line.translation, speaker)), (1, source)]
        return pair if s.translation_on_top else pair[::-1]

    def _height(self, item: int) -> int:
        box = self.canvas.bbox(item)
        return (box[3] - box[1]) if box else 0

    def _relayout(self) -> None:
        """Set every item's text and place it; committed lines first, then the partial."""
        width, height = self.placement.size
        wrap = max(width - 2 * PAD, 20)
        for item in self._text_items():
            if item != self.status_item:  # the status line never wraps
                self.text.config(item, width=wrap)
        linespace = self._small.metrics("linespace")
        status_h = linespace if self._status_text else 0
        partial_room = PARTIAL_LINES * linespace
        draft_h = linespace + GAP if self._draft_text or self.draft_room else 0
        room = height - 2 * PAD - status_h - partial_room - draft_h
        blocks: list[list[tuple[int, int]]] = []  # per line: (item, height), top-down
        mark_w = self._small.measure(MARK) + MARK_GAP
        marked: set[int] = set()  # large items whose line failed to translate
        for index, (pair, mark) in enumerate(zip(self.line_items, self.mark_items,
                                                 strict=True)):
            line = self._lines[index] if index < len(self._lines) else None
            parts = self._texts(line) if line else []
            texts = dict(parts)
            failed = line is not None and line.status == "failed"
            self.text.config(mark, text=MARK if failed else "")
            if failed:
                marked.add(pair[0])
                self.text.config(pair[0], width=max(wrap - mark_w, 20))
            for part in (0, 1):
                self.text.config(pair[part], text=texts.get(part, ""))
            if parts:
                blocks.append([(pair[part], self._height(pair[part]))
                               for part, text in parts if text])

        def total(bs: list[list[tuple[int, int]]]) -> int:
            return sum(h + GAP for b in bs for _, h in b) + 2 * GAP * len(bs)

        first = 0  # the oldest lines that do not fit slide off the top
        while first < len(blocks) - 1 and total(blocks[first:]) > room:
            first += 1
        if blocks and total(blocks[first:]) > room:  # one line, too long: its newest words
            block = blocks[first]
            item, item_h = block[0] if block[0][0] in dict(self.line_items) else block[-1]
            others = total(blocks[first:]) - item_h
            text = self.canvas.itemcget(item, "text")  # type: ignore[no-untyped-call]
            self._fit_tail(item, text, max(room - others, self._big.metrics("linespace")))
            block[block.index((item, item_h))] = (item, self._height(item))
        y = PAD
        marks = dict(zip((pair[0] for pair in self.line_items), self.mark_items, strict=True))
        for index, block in enumerate(blocks):
            for item, item_h in block:
                if index < first:
                    self.text.config(item, text="")
                    if item in marked:
                        self.text.config(marks[item], text="")
                    continue
                if item in marked:  # the ⚠ sits on the large line's baseline, before it
                    base = self._big.metrics("ascent") - self._small.metrics("ascent")
                    self.text.move(marks[item], PAD, y + base)
                    self.text.move(item, PAD + mark_w, y)
                else:
                    self.text.move(item, PAD, y)
                y += item_h + GAP
            if block and index >= first:
                y += 2 * GAP
        self.text.move(self.partial_item, PAD, y)
        self._fit_tail(self.partial_item, self._partial_text,
                       max(partial_room, height - PAD - status_h - y - draft_h))
        if self._partial_text:
            y += self._height(self.partial_item) + GAP
        self.text.move(self.draft_item, PAD, y)
        self._fit_tail(self.draft_item, self._draft_text,
                       max(linespace, height - PAD - status_h - y))
        self.text.config(self.status_item, text=fit_one_line(self._status_text, self._small,
                                                              wrap))
        self.text.move(self.status_item, PAD, height - PAD // 2)
        self._fit_shape()

    def _fit_tail(self, item: int, text: str, room: int) -> None:
        """Show ``text`` in ``item``, or its newest words when it needs more than its room
        (the partial line; a sentence taller than the whole window)."""
        self.text.config(item, text=text)
        if not text or self._height(item) <= room:
            return
        lo, hi = 1, len(text) - 1  # smallest cut whose "…" + tail fits
        while lo < hi:
            mid = (lo + hi) // 2
            self.canvas.itemconfigure(item, text="…" + text[mid:])  # measure only
            if self._height(item) <= room:
                hi = mid
            else:
                lo = mid + 1
        space = text.find(" ", lo)
        cut = space + 1 if 0 <= space < lo + 16 else lo  # cut at a word when one is near
        self.text.config(item, text="…" + text[cut:])

    # -- window state ---------------------------------------------------------------------
    def _apply_visibility(self) -> None:
        if self._visible and not self.fade.faded:
            if not self.root.winfo_ismapped():
                self.root.deiconify()
                self.surface.redraw()
            self.root.attributes("-topmost", True)
            # alpha needs a mapped window
            self._jobs["attributes"] = self.root.after(100, self._apply_window_attributes)
        else:
            self.root.withdraw()

    def _apply_window_attributes(self) -> None:
        self._set_alpha(self.settings.opacity)
        self.click_through = os_window.set_click_through(self.root, self.settings.locked)
        self._fit_shape()

    def _check_on_top(self) -> None:
        """While shown: on top again if another window (a fullscreen player) got above."""
        if self.root.winfo_ismapped():
            self.above = os_window.keep_on_top(self.root)
        self._jobs["top"] = self.root.after(TOP_CHECK_MS, self._check_on_top)

    def _set_alpha(self, alpha: float) -> None:
        try:
            self.root.attributes("-alpha", alpha)
        except tk.TclError as exc:
            log.info("Window opacity not supported here: %s", exc)

    def _show_faded(self, faded: bool) -> None:
        """The fade ended (hide the text and the window) or new text ended it (show them)."""
        for item in self._text_items():
            self.text.config(item, state="hidden" if faded else "normal")
        self._apply_visibility()

    def _fit_shape(self) -> None:
        self.surface.fit(self._text_items(), self.placement.size)

    @property
    def see_through(self) -> str:
        """How the outline style shows the picture beneath: "key", "shape" or ""."""
        return self.surface.see_through

    def _text_items(self) -> list[int]:
        return [*(i for pair in self.line_items for i in pair), *self.mark_items,
                self.partial_item, self.draft_item, self.status_item]
