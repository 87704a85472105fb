"""Drafts under the tail: when to translate the line being spoken, and how often its draft
line may change on screen.  Pure logic, no threads, no I/O; times are seconds on any
monotonic clock.

**When (:func:`draft_due`).**  The open line (``Partial.text``: the committed words of the
open sentence plus the unstable tail) is translated once it has not changed for ``STEADY_S``,
and no sooner than ``GAP_S`` after the line began or after the previous draft was sent.  The
live recognizer decodes the open window every second of new audio
(``RecognizerConfig.partial_interval_s``) and hands a partial on only when its text changed:

* ``STEADY_S`` (0.6 s) is shorter than that interval, so a line that stands until the next
  decode is drafted, but one replaced at once (a decode catching up, re-reading the tail) is
  not: its translation would be stale before it arrived;
* ``GAP_S`` (3 s) bounds the waste to one draft request per 3 s of speech, and leaves a short
  sentence to its commit (and the forecast at the dip), which come within about that time: a
  draft is for the long sentence whose line would otherwise stand untranslated.  (With 2 s, the
  shared clips cost 2.2 requests per committed sentence with the forecasts at the dip, above
  the budget of 2.)

The translator waits for that moment itself (a newer partial replaces the waiting draft before
it is sent), so no timer is needed here.

**How often (:class:`DraftPacer`).**  The dim draft line shows the newest finished draft, but
changes at most once every ``MIN_CHANGE_S``: a newer draft waits for its turn (and is itself
replaced by a still newer one while it waits), so the line never churns and never goes back
to an older draft.  The final translation of the draft's sentence removes it at once (the
final is painted in the sentence's own line), as does the end of the recording.
"""

from __future__ import annotations

from dataclasses import dataclass

STEADY_S = 0.6
"""The open line is drafted once unchanged for this long (less than one partial interval)."""

GAP_S = 3.0
"""No draft sooner than this after the open line began or after the previous draft was sent."""

MIN_CHANGE_S = 1.0
"""The draft line shows a new text at most once in this many seconds."""


def draft_due(now: float, line_began: float, last_sent: float | None,
              steady_s: float = STEADY_S, gap_s: float = GAP_S) -> float:
    """When a draft of the open line offered at ``now`` may be sent (the same clock): once
    steady, and ``gap_s`` after the line began and after the last draft sent (if any)."""
    due = max(now + steady_s, line_began + gap_s)
    return due if last_sent is None else max(due, last_sent + gap_s)


@dataclass(frozen=True)
class Draft:
    """A finished draft translation: ``index`` is the sentence the open line will commit as,
    ``serial`` counts drafts in the order they were offered."""

    index: int
    text: str
    serial: int


class DraftPacer:
    """What the draft line shows, rate-limited.

    Feed it :meth:`offer` (a finished draft), :meth:`final` (the final translation of a
    sentence was painted, or the sentence was committed untranslated) and :meth:`clear` (the
    recording stopped); call :meth:`tick` when :meth:`due` says a waiting draft may show.
    Each of them returns whether the visible line changed (:attr:`text`).
    """

    def __init__(self, min_change_s: float = MIN_CHANGE_S) -> None:
        self.min_change_s = min_change_s
        self.shown: Draft | None = None
        self.waiting: Draft | None = None
        self.changes = 0
        """Visible changes to a new draft text (appearing or rewritten; not removals)."""
        self._changed_at: float | None = None
        self._done_below = 0  # drafts of sentences before this one are over
        self._serial = 0

    @property
    def text(self) -> str:
        return self.shown.text if self.shown is not None else ""

    def offer(self, index: int, text: str, now: float) -> bool:
        """A finished draft of the open line that will commit as sentence ``index``."""
        text = text.strip()
        if not text or index < self._done_below:
            return False
        if self.shown is not None and index < self.shown.index:
            return False  # the line has moved on to a later sentence
        self._serial += 1
        self.waiting = Draft(index, text, self._serial)
        return self.tick(now)

    def tick(self, now: float) -> bool:
        """Show the waiting draft if its turn has come."""
        draft, wait = self.waiting, self.due(now)
        if draft is None or wait is None or wait > 0:
            return False
        self.waiting = None
        if self.shown is not None and draft.text == self.shown.text:
            self.shown = draft  # same words: nothing visible changes
            return False
        self.shown = draft
        self._changed_at = now
        self.changes += 1
        return True

    def due(self, now: float) -> float | None:
        """Seconds until the waiting draft may show (0: now); None when none waits."""
        if self.waiting is None:
            return None
        if self._changed_at is None:
            return 0.0
        return max(0.0, self._changed_at + self.min_change_s - now)

    def final(self, index: int, now: float) -> bool:
        """Sentence ``index`` has its final line: no draft of it (or before it) shows again."""
        self._done_below = max(self._done_below, index + 1)
        if self.waiting is not None and self.waiting.index <= index:
            self.waiting = None
        if self.shown is not None and self.shown.index <= index:
            self.shown = None
            self._changed_at = now
            return True
        return False

    def clear(self) -> bool:
        """The recording stopped (or the session was cleared): no draft, and the next
        session's sentences count from 0 again."""
        shown = self.shown is not None
        self.shown = self.waiting = None
        self._done_below = 0
        self._changed_at = None
        return shown
