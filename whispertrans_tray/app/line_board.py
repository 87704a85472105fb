"""The last lines of the subtitles as a text (OBS's text source, the live text file), and the
worker thread that delivers that text whenever it changes.

:class:`LineBoard` keeps the last N sentences (each: the source text, then its translation)
and the line being spoken; it is fed :class:`~whispertrans_tray.app.outputs.LineEvent`\\ s.
:class:`BoardWorker` is the base of the sinks that send the board somewhere slow: ``publish``
only updates the board and wakes the worker (it never blocks the subtitles); the worker sends
the newest text, so a slow peer gets fewer updates, never a growing queue.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from whispertrans_tray.app.outputs import LineEvent

log = logging.getLogger(__name__)


@dataclass
class _Sentence:
    source: str
    translation: str = ""


class LineBoard:
    """The last ``lines`` sentences and the partial line, as plain text.

    Drafts (translations of the unstable tail) and failed translations are left out: what
    a stream's audience or a file reader sees is the source and its final or streaming
    translation, never an error message.
    """

    def __init__(self, lines: int, show_partial: bool = True) -> None:
        self.lines = max(1, lines)
        self.show_partial = show_partial
        self._sentences: OrderedDict[int, _Sentence] = OrderedDict()
        self._partial: tuple[int, str] | None = None
        self._text = ""

    def apply(self, event: LineEvent) -> bool:
        """Take ``event``; whether the text changed."""
        if event.type == "partial":
            self._partial = (event.id, event.text.strip()) if self.show_partial else None
        elif event.type == "sentence":
            self._sentences[event.id] = _Sentence(event.text.strip())
            self._sentences.move_to_end(event.id)
            while len(self._sentences) > self.lines:
                self._sentences.popitem(last=False)
            if self._partial is not None and self._partial[0] <= event.id:
                self._partial = None
        elif event.type == "translation" and event.id in self._sentences:
            self._sentences[event.id].translation = event.text.strip()
        else:
            return False
        before, self._text = self._text, self._render()
        return self._text != before

    def text(self) -> str:
        """The board as lines of text (source, translation, …, then the partial)."""
        return self._text

    def _render(self) -> str:
        rows: list[str] = []
        shown = list(self._sentences.values())
        if self._partial is not None and self._partial[1]:
            shown = shown[-(self.lines - 1):] if self.lines > 1 else []
        for sentence in shown:
            rows.append(sentence.source)
            if sentence.translation:
                rows.append(sentence.translation)
        if self._partial is not None and self._partial[1]:
            rows.append(self._partial[1])
        return "\n".join(rows)


class BoardWorker:
    """A sink whose thread delivers the board's text when it changed (subclasses: ``deliver``).

    ``deliver`` runs on the worker thread only; it may block (a network, a disk).  An
    exception from it is the subclass's business: ``deliver`` returns whether the text was
    delivered, and one that was not is tried again on the next wake (``retry_after``).
    """

    name = "output"

    def __init__(self, lines: int, show_partial: bool = True) -> None:
        self.board = LineBoard(lines, show_partial)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._text = ""
        self._dirty = False
        self.delivered = ""
        """The text last delivered (for the tests and the status)."""
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def start(self) -> None:
        """Start the worker; its first round runs at once (a sink that connects somewhere
        connects now, and tells a problem before the first line)."""
        self._thread.start()
        self._wake.set()

    def publish(self, event: LineEvent) -> None:
        with self._lock:
            if self.board.apply(event):
                self._text = self.board.text()
                self._dirty = True
            changed = self._dirty
        self.on_event(event)
        if changed:
            self._wake.set()

    def on_event(self, event: LineEvent) -> None:
        """A hook for subclasses (called on the publishing thread: must not block)."""

    def wake(self) -> None:
        self._wake.set()

    def _take(self) -> str | None:
        with self._lock:
            if not self._dirty:
                return None
            self._dirty = False
            return self._text

    def _run(self) -> None:
        retry: float | None = None
        while not self._stop.is_set():
            self._wake.wait(retry)
            self._wake.clear()
            if self._stop.is_set():
                break
            retry = self.work()
        self.finish()

    def work(self) -> float | None:
        """One round on the worker thread; the seconds until the next round even without a
        new event (None: wait for one).  By default: deliver the newest text if it changed."""
        text = self._take()
        if text is None:
            return None
        if self.deliver(text):
            self.delivered = text
            return None
        with self._lock:  # not delivered: keep it for the next round (unless newer came)
            self._dirty = True
        return self.retry_after()

    def deliver(self, text: str) -> bool:
        raise NotImplementedError

    def retry_after(self) -> float:
        return 1.0

    def finish(self) -> None:
        """On the worker thread, after :meth:`close`."""

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)
