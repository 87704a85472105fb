"""The draft line on the overlay (``translation.drafts``), on Tk's thread.

The translation service hands on each finished draft of the open line; :class:`DraftView`
paces it (:class:`~whispertrans_tray.core.drafts.DraftPacer`: at most one visible change a
second, never an older draft after a newer one) and paints it under the partial line.  The
sentence's own translation (its first streamed text or its final) removes the draft at once, as
does a sentence committed without translation, the end of the recording, or drafts turned off.
Drafts go nowhere else: not to the history, the feed, OBS or the live text file.
"""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable

from whispertrans_tray.core.drafts import DraftPacer
from whispertrans_tray.desktop.overlay import Overlay


class DraftView:
    """Feeds the overlay's draft line; every method runs on Tk's thread.

    Args:
        overlay: Where the draft line is painted.
        root: For the ``after()`` timer of a draft waiting for its turn.
        active: Whether drafts may show now (recording, drafts on).
        clock: Monotonic seconds.
    """

    def __init__(self, overlay: Overlay, root: tk.Misc, active: Callable[[], bool],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.overlay = overlay
        self.root = root
        self.active = active
        self.clock = clock
        self.pacer = DraftPacer()
        self._job: str | None = None

    def offer(self, index: int, text: str) -> None:
        """A finished draft of the open line that will commit as sentence ``index``."""
        if self.active() and self.pacer.offer(index, text, self.clock()):
            self._paint()
        self._schedule()

    def final(self, index: int) -> None:
        """Sentence ``index`` shows its own translation (or none will come)."""
        if self.pacer.final(index, self.clock()):
            self._paint()
        self._schedule()

    def clear(self) -> None:
        """Recording stopped, or drafts were turned off."""
        if self._job is not None:
            self.root.after_cancel(self._job)
            self._job = None
        self.pacer.clear()
        self._paint()

    def _tick(self) -> None:
        self._job = None
        if self.active() and self.pacer.tick(self.clock()):
            self._paint()
        self._schedule()

    def _schedule(self) -> None:
        due = self.pacer.due(self.clock())
        if due is not None and self._job is None:
            self._job = self.root.after(int(due * 1000) + 1, self._tick)

    def _paint(self) -> None:
        self.overlay.set_draft(self.pacer.text)
