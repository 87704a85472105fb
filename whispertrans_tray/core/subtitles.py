"""The subtitle model: the session history of sentences with their translations.

Pure state, updated from recognizer events and translation updates; the overlay paints its
:meth:`SubtitleModel.visible` view, exporters write its :attr:`SubtitleModel.lines`.  A sentence
is never dropped: a failed translation leaves the line with ``status == "failed"``.

A model made with ``keep`` holds only about the newest ``keep`` lines (between ``keep`` and
twice that), so a session that runs all day does not grow with its length: the tray app keeps
its whole session in the history file (``app.history``) and exports from there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from whispertrans_tray.core.types import Event, Partial, Sentence, Speculative

Status = Literal["none", "pending", "streaming", "done", "failed"]


@dataclass(frozen=True)
class Line:
    """One subtitle: a committed sentence and its translation so far."""

    sentence: Sentence
    translation: str = ""
    status: Status = "none"
    error: str = ""
    late: bool = False  # translated after the server was back (it had failed)
    first_token_at: float | None = None  # source clock: the translation's first text shown
    translated_at: float | None = None  # source clock: the final translation shown


class SubtitleModel:
    """History of the session plus the line being spoken."""

    def __init__(self, max_visible: int = 2, keep: int | None = None) -> None:
        """``keep``: hold only the newest lines (at least ``keep``, at most twice that);
        None: every line of the session."""
        if keep is not None and keep < max(max_visible, 1):
            raise ValueError("keep must be at least max_visible")
        self.max_visible = max_visible
        self.keep = keep
        self.lines: list[Line] = []
        self.partial = ""
        self._by_index: dict[int, int] = {}

    def apply(self, event: Event, translating: bool = False) -> None:
        if isinstance(event, Partial):
            self.partial = event.text
            return
        if isinstance(event, Speculative):  # a forecast for the translator, not a line
            return
        self._by_index[event.index] = len(self.lines)
        self.lines.append(Line(event, status="pending" if translating else "none"))
        if self.keep is not None and len(self.lines) > 2 * self.keep:
            self._forget_oldest()

    def _forget_oldest(self) -> None:
        """Keep the newest ``keep`` lines (done in steps of ``keep`` lines: amortized O(1))."""
        assert self.keep is not None
        del self.lines[:len(self.lines) - self.keep]
        self._by_index = {line.sentence.index: pos for pos, line in enumerate(self.lines)}

    def apply_translation(self, index: int, text: str, done: bool, error: str = "",
                          late: bool = False, first_token_at: float | None = None,
                          translated_at: float | None = None) -> None:
        """Record translation progress of sentence ``index`` (unknown indexes are ignored);
        ``late``: a failed line translated once the server was back; the times (source
        clock) come with the final translation."""
        pos = self._by_index.get(index)
        if pos is None:
            return
        status: Status = "failed" if error else ("done" if done else "streaming")
        self.lines[pos] = replace(self.lines[pos], translation=text, status=status, error=error,
                                  late=late, first_token_at=first_token_at,
                                  translated_at=translated_at)

    def visible(self) -> list[Line]:
        """The newest lines, as many as fit on screen."""
        return self.lines[-self.max_visible:] if self.max_visible else []
