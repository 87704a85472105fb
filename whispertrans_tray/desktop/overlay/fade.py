"""The overlay's fade: after ``fade_after_s`` without new text the window fades out in a few
steps and hides; the next text brings it back at once.  Tk's thread only (``after()`` timers).
"""

from __future__ import annotations

import time
import tkinter as tk
from collections.abc import Callable

from whispertrans_tray.settings import OverlaySettings

FADE_STEPS = 6
FADE_STEP_MS = 80


class Fade:
    """The silence timer and the fade steps of one overlay window.

    ``set_alpha`` sets the window's opacity; ``show(faded)`` hides the text and the window
    (``faded`` True, the fade is over) or shows them again (False, new text came).
    """

    def __init__(self, root: tk.Misc, settings: Callable[[], OverlaySettings],
                 set_alpha: Callable[[float], None], show: Callable[[bool], None]) -> None:
        self.root = root
        self._settings = settings
        self._set_alpha = set_alpha
        self._show = show
        self.faded = False
        """Whether the text has faded out (the window is hidden until new text comes)."""
        self._job: str | None = None
        self._last_text_at = time.monotonic()

    def wake(self) -> None:
        """New text: end a fade (or a fade in progress) and restart the silence timer."""
        self._last_text_at = time.monotonic()
        if self.faded or self._job is not None:
            self.cancel()
            self.faded = False
            self._set_alpha(self._settings().opacity)
            self._show(False)
        self.schedule()

    def schedule(self) -> None:
        """Start the silence timer (if fading is on and no timer runs)."""
        fade = self._settings().fade_after_s
        if fade and self._job is None and not self.faded:
            self._job = self.root.after(int(fade * 1000) + 50, self._check)

    def cancel(self) -> None:
        """Stop the timer or the fade in progress (the window is closing, or text came)."""
        if self._job is not None:
            self.root.after_cancel(self._job)
            self._job = None

    def _check(self) -> None:
        self._job = None
        fade = self._settings().fade_after_s
        if not fade or self.faded:
            return
        remaining = self._last_text_at + fade - time.monotonic()
        if remaining > 0.02:
            self._job = self.root.after(int(remaining * 1000) + 20, self._check)
        else:
            self._step(1)

    def _step(self, step: int) -> None:
        if step < FADE_STEPS:
            self._set_alpha(self._settings().opacity * (1 - step / FADE_STEPS))
            self._job = self.root.after(FADE_STEP_MS, self._step, step + 1)
            return
        self._job = None
        self.faded = True
        self._show(True)
