"""A terminal session (file mode, replay, live capture): events to a view and to translation.

Every event goes to the view; each committed sentence also goes to the translation service
(when translating).  :meth:`Session.close` waits for the pending translations and writes the
subtitles to the output file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from whispertrans_tray.app import export
from whispertrans_tray.app.translation_service import TranslationService
from whispertrans_tray.core.subtitles import Line
from whispertrans_tray.core.types import Event, Sentence


class Session:
    """Routes events; ``lines()`` gives the subtitles the view has collected."""

    def __init__(self, view: Callable[[Event], None], service: TranslationService | None,
                 lines: Callable[[], list[Line]]) -> None:
        self.view = view
        self.service = service
        self.lines = lines

    def on_event(self, event: Event) -> None:
        self.view(event)
        if self.service is not None and isinstance(event, Sentence):
            self.service.submit(event)

    def close(self, output: Path | None) -> int:
        """Wait for pending translations, then write ``output``; the number of lines."""
        if self.service is not None:
            timeout = (self.service.waiting + 1) * (self.service.settings.timeout_s * 2 + 1)
            self.service.drain(timeout, late=True)  # and sentences that failed, if a
            # server is back: the output file gets their late translations
            self.service.close()
        lines = self.lines()
        if output is not None:
            export.write(lines, output)
        return len(lines)
