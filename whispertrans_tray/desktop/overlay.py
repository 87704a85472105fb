"""The subtitle overlay: a borderless, always-on-top, semi-transparent Tk window.

Runs on Tk's main thread; the app calls :meth:`Overlay.show` from its ``after()`` loop.  Text
items are created once and only reconfigured, so nothing is destroyed and re-created on an
update (no flicker), and committed lines keep their place while the partial line grows below
them.  Translation large, source smaller (order per ``translation_on_top``), the partial dimmed.
Drag to move, drag the bottom-right corner to resize; the position is remembered per screen
layout and clamped onto the screen.
"""

from __future__ import annotations

import logging
import time
import tkinter as tk
from collections.abc import Callable, Sequence
from tkinter import font as tkfont

from whispertrans_tray.core.subtitles import Line
from whispertrans_tray.desktop import platform_ui
from whispertrans_tray.i18n import tr
from whispertrans_tray.settings import OverlaySettings

log = logging.getLogger(__name__)

PAD = 14
GRIP = 18  # bottom-right corner that resizes


def layout_key(root: tk.Misc) -> str:
    """Names the screen layout: saved positions are per layout."""
    return f"{root.winfo_screenwidth()}x{root.winfo_screenheight()}"


def clamp(x: int, y: int, width: int, height: int, screen_w: int, screen_h: int) \
        -> tuple[int, int]:
    """Keep a window of ``width`` × ``height`` fully on a ``screen_w`` × ``screen_h`` screen."""
    return (min(max(x, 0), max(screen_w - width, 0)), min(max(y, 0), max(screen_h - height, 0)))


class Overlay:
    """The subtitle window. All methods must be called on Tk's thread."""

    def __init__(self, root: tk.Tk, settings: OverlaySettings, ui_language: str = "zh-TW",
                 on_moved: Callable[[str, int, int, int, int], None] | None = None) -> None:
        self.root = root
        self.settings = settings
        self.ui_language = ui_language
        self._on_moved = on_moved
        self._last_text_at = time.monotonic()
        self._faded = False
        self._drag: tuple[int, int, int, int] | None = None
        self._resizing = False
        root.overrideredirect(True)
        root.configure(bg=settings.background)
        self.canvas = tk.Canvas(root, bg=settings.background, highlightthickness=0, bd=0)
        self.canvas.pack(fill="both", expand=True)
        self._big = tkfont.Font(root, family=settings.font_family, size=settings.font_size)
        self._small = tkfont.Font(root, family=settings.font_family,
                                  size=settings.source_font_size)
        self._slots: list[tuple[int, int]] = []
        self._make_items()
        self._partial = self.canvas.create_text(PAD, 0, anchor="nw", text="",
                                                font=self._small, fill=settings.partial_color)
        self._status = self.canvas.create_text(PAD, 0, anchor="sw", text="", font=self._small,
                                               fill="#ffb74d", width=settings.width - 2 * PAD)
        self._place()
        for sequence, handler in (("<ButtonPress-1>", self._press), ("<B1-Motion>", self._motion),
                                  ("<ButtonRelease-1>", self._release)):
            self.canvas.bind(sequence, handler)
        root.update_idletasks()
        root.attributes("-topmost", True)
        self.set_visible(settings.visible)
        root.after(100, self._apply_alpha)  # alpha only takes once the window is mapped
        root.after(1000, self._fade_tick)

    # -- layout ---------------------------------------------------------------------------
    def _make_items(self) -> None:
        for first, second in self._slots:
            self.canvas.delete(first, second)
        self._slots = []
        s = self.settings
        for _ in range(s.max_lines):
            translation = self.canvas.create_text(PAD, 0, anchor="nw", text="", font=self._big,
                                                  fill=s.text_color)
            source = self.canvas.create_text(PAD, 0, anchor="nw", text="", font=self._small,
                                             fill=s.text_color)
            self._slots.append((translation, source))

    def _place(self) -> None:
        s = self.settings
        sw, sh = self.root.winfo_screenwidth(), self.root.winfo_screenheight()
        x, y = (sw - s.width) // 2, sh - s.height - 80  # centred near the bottom
        key = layout_key(self.root)
        for saved_key, saved_x, saved_y in s.positions:
            if saved_key == key:
                x, y = saved_x, saved_y
        x, y = clamp(x, y, s.width, s.height, sw, sh)
        self.root.geometry(f"{s.width}x{s.height}+{x}+{y}")
        for item in self._all_text_items():
            self.canvas.itemconfigure(item, width=s.width - 2 * PAD)

    def _all_text_items(self) -> list[int]:
        return [i for pair in self._slots for i in pair] + [self._partial]

    def _apply_alpha(self) -> None:
        try:
            self.root.attributes("-alpha", self.settings.opacity)
        except tk.TclError as exc:
            log.info("Window opacity not supported here: %s", exc)
        platform_ui.set_click_through(self.root, self.settings.locked)

    # -- public API -----------------------------------------------------------------------
    def show(self, lines: Sequence[Line], partial: str) -> None:
        """Paint the newest ``lines`` and the partial line, reconfiguring items in place.

        Layout runs from the bottom up, like subtitles: the partial line at the bottom, the
        newest sentence above it; an old sentence that no longer fits slides off the top.
        """
        s = self.settings
        shown = list(lines)[-s.max_lines:]
        failed = tr("translate.failed_marker", self.ui_language)
        stack: list[tuple[int, str]] = []  # top-to-bottom items with their text
        for slot, line in zip(self._slots, [*shown, *[None] * (s.max_lines - len(shown))]):
            translation_item, source_item = slot
            if line is None:
                self.canvas.itemconfigure(translation_item, text="")
                self.canvas.itemconfigure(source_item, text="")
                continue
            translation = line.translation or (failed if line.status == "failed" else "")
            source = line.sentence.text if s.show_source or not translation else ""
            pair = [(translation_item, translation), (source_item, source)]
            stack.extend(pair if s.translation_on_top else pair[::-1])
        stack.append((self._partial, partial))
        bottom = self.root.winfo_height() or s.height
        cursor = bottom - PAD - self._small.metrics("linespace")  # room for the status line
        for item, text in reversed(stack):
            self.canvas.itemconfigure(item, text=text)
            if not text:
                continue
            box = self.canvas.bbox(item)
            height = (box[3] - box[1]) if box else 0
            cursor -= height
            if cursor < 0:  # no room left: older text slides off rather than showing cut
                self.canvas.itemconfigure(item, text="")
                continue
            self.canvas.coords(item, PAD, cursor)
            cursor -= 4
        if shown or partial:
            self._last_text_at = time.monotonic()
            if self._faded:
                self._faded = False
                for item in self._all_text_items():
                    self.canvas.itemconfigure(item, state="normal")

    def set_status(self, text: str) -> None:
        self.canvas.itemconfigure(self._status, text=text)
        self.canvas.coords(self._status, PAD, self.settings.height - 4)

    def set_visible(self, visible: bool) -> None:
        if visible:
            self.root.deiconify()
            self.root.attributes("-topmost", True)
        else:
            self.root.withdraw()

    def set_locked(self, locked: bool) -> None:
        self.settings = _replace(self.settings, locked=locked)
        platform_ui.set_click_through(self.root, locked)

    def apply_settings(self, settings: OverlaySettings) -> None:
        self.settings = settings
        self.root.configure(bg=settings.background)
        self.canvas.configure(bg=settings.background)
        self._big.configure(family=settings.font_family, size=settings.font_size)
        self._small.configure(family=settings.font_family, size=settings.source_font_size)
        self._make_items()
        self.canvas.itemconfigure(self._partial, fill=settings.partial_color)
        self._place()
        self._apply_alpha()
        self.set_visible(settings.visible)

    # -- mouse ----------------------------------------------------------------------------
    def _press(self, event: tk.Event) -> None:
        if self.settings.locked:
            return
        s = self.settings
        self._resizing = event.x > s.width - GRIP and event.y > s.height - GRIP
        self._drag = (event.x_root, event.y_root, self.root.winfo_x(), self.root.winfo_y())

    def _motion(self, event: tk.Event) -> None:
        if self._drag is None:
            return
        x0, y0, wx, wy = self._drag
        dx, dy = event.x_root - x0, event.y_root - y0
        if self._resizing:
            width = max(200, self.settings.width + dx)
            height = max(60, self.settings.height + dy)
            self.root.geometry(f"{width}x{height}+{wx}+{wy}")
        else:
            self.root.geometry(f"+{wx + dx}+{wy + dy}")

    def _release(self, event: tk.Event) -> None:
        if self._drag is None:
            return
        self._drag = None
        self.root.update_idletasks()
        width, height = self.root.winfo_width(), self.root.winfo_height()
        x, y = clamp(self.root.winfo_x(), self.root.winfo_y(), width, height,
                     self.root.winfo_screenwidth(), self.root.winfo_screenheight())
        self.root.geometry(f"{width}x{height}+{x}+{y}")
        self.settings = _replace(self.settings, width=width, height=height)
        for item in self._all_text_items():
            self.canvas.itemconfigure(item, width=width - 2 * PAD)
        if self._on_moved:
            self._on_moved(layout_key(self.root), x, y, width, height)

    def _fade_tick(self) -> None:
        fade = self.settings.fade_after_s
        if fade and not self._faded and time.monotonic() - self._last_text_at > fade:
            self._faded = True
            for item in self._all_text_items():
                self.canvas.itemconfigure(item, state="hidden")
        self.root.after(1000, self._fade_tick)


def _replace(settings: OverlaySettings, **changes: object) -> OverlaySettings:
    import dataclasses

    return dataclasses.replace(settings, **changes)  # type: ignore[arg-type]
