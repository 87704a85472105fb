"""The lines now on screen, as the events that rebuild them: what a client that connects
mid-session is sent first.  Pure state, updated by the feed's one broadcaster thread."""

from __future__ import annotations

from collections import OrderedDict

from whispertrans_tray.app.outputs import LineEvent

REPLAYED_LINES = 20
"""Newest sentences (with their translations) a new client is sent: the overlay shows the last
few, the reader page scrolls back through these."""


class Screen:
    """The newest ``keep`` sentences with their translation state, and the partial line."""

    def __init__(self, keep: int = REPLAYED_LINES) -> None:
        self.keep = keep
        self._lines: OrderedDict[int, tuple[LineEvent, LineEvent | None]] = OrderedDict()
        self.partial: LineEvent | None = None

    def apply(self, event: LineEvent) -> None:
        if event.type == "partial":
            self.partial = event if event.text else None
        elif event.type == "sentence":
            self._lines[event.id] = (event, None)
            self._lines.move_to_end(event.id)
            if self.partial is not None and self.partial.id <= event.id:
                self.partial = None
            while len(self._lines) > self.keep:
                self._lines.popitem(last=False)
        elif event.id in self._lines:  # translation, draft, translation_failed
            sentence, _ = self._lines[event.id]
            self._lines[event.id] = (sentence, event)

    def replay(self) -> list[LineEvent]:
        """The events that show the screen as it is now, oldest first."""
        events: list[LineEvent] = []
        for sentence, translation in self._lines.values():
            events.append(sentence)
            if translation is not None:
                events.append(translation)
        if self.partial is not None:
            events.append(self.partial)
        return events
