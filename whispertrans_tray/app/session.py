"""A terminal session (file mode, replay, live capture): events to a view, translation, the
output file and the session history.

Every event goes to the view and to the run's outputs (the local feed, …: a
:class:`~whispertrans_tray.app.publisher.Publisher`); each committed sentence also goes to the
session history (as in the tray app), to the translation service (when translating), and, once
final, to the output file (:class:`~whispertrans_tray.app.export.LiveExport`): what was
committed is on disk as it happens, whatever ends the run.  :meth:`Session.close` waits for
the pending translations and writes the rest.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from whispertrans_tray.app.export import LiveExport
from whispertrans_tray.app.history import SessionWriter
from whispertrans_tray.app.live import StreamClock
from whispertrans_tray.app.publisher import Publisher
from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
from whispertrans_tray.core.subtitles import Line
from whispertrans_tray.core.types import Event, Sentence, Speculative

log = logging.getLogger(__name__)


class View(Protocol):
    """Where the session's subtitles are collected and shown (the terminal)."""

    def apply(self, event: Event) -> None:
        """Record ``event`` in the subtitles."""

    def show(self, event: Event) -> None:
        """Show ``event`` (recorded): once it is shown, it is on disk."""

    def translation(self, update: TranslationUpdate) -> None:
        """Record and show a translation update (any thread)."""


class Session:
    """Routes events and translation updates; ``lines()`` gives the subtitles the view has
    collected; ``publisher`` hands each line to the run's outputs."""

    def __init__(self, view: View, lines: Callable[[], list[Line]], output: Path | None,
                 history: SessionWriter | None, publisher: Publisher | None = None) -> None:
        self.view = view
        self.publisher = publisher
        self.service: TranslationService | None = None
        self.lines = lines
        self.history = history
        self.output = LiveExport(output) if output is not None else None
        self.clock = StreamClock()
        """The running stream's clock (the runner sets it): the translations' time stamps."""
        self._lock = threading.Lock()

    def on_event(self, event: Event) -> None:
        if isinstance(event, Speculative):  # the translator may start on it (at the dip)
            if self.service is not None:
                self.service.speculate(event)
            return
        with self._lock:
            self.view.apply(event)
            if isinstance(event, Sentence):
                if self.history is not None:
                    self.history.sentence(event)
                self._update_output()
            self.view.show(event)
        if self.publisher is not None:
            self.publisher.event(event)
        if self.service is not None and isinstance(event, Sentence):
            self.service.submit(event)

    def on_translation(self, update: TranslationUpdate) -> None:
        """A translation update (on the translation thread)."""
        with self._lock:
            self.view.translation(update)
            if update.done:
                if self.history is not None:
                    self.history.translation(update.index, update.text, update.error,
                                             update.late, update.first_token_at,
                                             update.translated_at)
                self._update_output()
        if self.publisher is not None:
            self.publisher.translation(update)

    def _update_output(self) -> None:
        if self.output is not None:
            self.output.update(list(self.lines()))

    def close(self, drain: bool = True) -> int:
        """Wait for pending translations (unless ``drain`` is False), write the rest of the
        output and close the history; the number of lines."""
        try:
            if self.service is not None:
                if drain:
                    timeout = (self.service.waiting + 1) * (
                        self.service.settings.timeout_s * 2 + 1)
                    self.service.drain(timeout, late=True)  # and sentences that failed,
                    # if a server is back: the output file gets their late translations
                counts = self.service.counts
                log.info("Translation: %d requests, %d tokens; at the dip %d sent, %d adopted, "
                         "%d wasted (%d tokens), %d not sent", counts.requests, counts.tokens,
                         counts.speculative, counts.adopted, counts.wasted,
                         counts.wasted_tokens, counts.skipped)
                self.service.close()
            with self._lock:
                lines = list(self.lines())
                if self.output is not None:
                    self.output.close(lines)
        finally:
            if self.history is not None:
                self.history.close()
        return len(lines)
