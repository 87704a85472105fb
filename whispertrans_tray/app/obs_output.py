"""The subtitles in OBS Studio: a sink that writes the last lines into an OBS text source and,
while OBS streams, sends Latin-script lines as closed captions.

It runs on its own thread (:class:`~whispertrans_tray.app.line_board.BoardWorker`): the
subtitles never wait for OBS.  A connection that cannot be made or breaks is retried with
backoff (0.5 s, doubling, at most ``max_backoff``); each new problem (OBS not running, a wrong
password, no such text source) is told once, in the UI language, with its fix, and so is the
connection coming back.  The connection itself is the engine's
(:class:`~whispertrans_tray.providers.obs_websocket.ObsConnection`, handed in by
``__main__`` as ``connect``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from whispertrans_tray.app.line_board import BoardWorker
from whispertrans_tray.app.outputs import LineEvent
from whispertrans_tray.core.scripts import script
from whispertrans_tray.errors import ObsError
from whispertrans_tray.i18n import tr
from whispertrans_tray.settings import ObsSettings

log = logging.getLogger(__name__)

OUTPUT_NOT_RUNNING = 501
"""obs-websocket's answer to a caption while OBS does not stream."""
CAPTIONS_KEPT = 16
"""Captions waiting for OBS at most (older ones are dropped: a late caption is no use)."""


class ObsLink(Protocol):
    """What the sink uses of a connection to OBS."""

    streaming: bool

    def text_source(self, name: str) -> str: ...

    def set_text(self, source: str, text: str) -> None: ...

    def stream_status(self) -> bool: ...

    def caption(self, text: str) -> None: ...

    def close(self) -> None: ...


def latin(text: str) -> bool:
    """Whether ``text`` has letters and all of them are Latin (what CEA-608 can carry)."""
    scripts = [script(char) for char in text if char.isalpha()]
    return bool(scripts) and all(s == "LATIN" for s in scripts)


class ObsOutput(BoardWorker):
    """Writes the subtitles into OBS (see the module docstring).

    ``captions_from``: the committed line captions are made of, ``translation`` while the
    app translates, else ``sentence``.
    """

    name = "obs-output"

    def __init__(self, settings: ObsSettings, connect: Callable[[], ObsLink],
                 notice: Callable[[str], None], ui_language: str,
                 captions_from: str = "sentence", max_backoff: float = 15.0) -> None:
        super().__init__(settings.lines)
        self.source = settings.source
        self._captions_on = settings.captions
        self._captions_from = captions_from
        self._connect = connect
        self._notice = notice
        self._lang = ui_language
        self._max_backoff = max_backoff
        self._backoff = 0.0
        self._next_try = 0.0
        self._link: ObsLink | None = None
        self._captions: deque[str] = deque(maxlen=CAPTIONS_KEPT)
        self._captions_lock = threading.Lock()
        self.problem = ""
        """The message of the problem now (empty while OBS takes the lines)."""
        self._told = ""
        self.captions_sent: list[str] = []
        """Captions OBS accepted this session (the last :data:`CAPTIONS_KEPT`)."""

    @classmethod
    def start_new(cls, settings: ObsSettings, connect: Callable[[], ObsLink],
                  notice: Callable[[str], None], ui_language: str,
                  captions_from: str = "sentence", max_backoff: float = 15.0) -> ObsOutput:
        """A started sink (it connects on its own thread)."""
        sink = cls(settings, connect, notice, ui_language, captions_from, max_backoff)
        sink.start()
        return sink

    @property
    def connected(self) -> bool:
        return self._link is not None

    def on_event(self, event: LineEvent) -> None:
        if (self._captions_on and event.type == self._captions_from and event.done
                and latin(event.text)):
            with self._captions_lock:
                self._captions.append(event.text.strip())
            self.wake()

    def work(self) -> float | None:
        link = self._link
        if link is None:
            wait = self._next_try - time.monotonic()
            if wait > 0:
                return wait
            link = self._open()
            if link is None:
                return self._backoff
        text = self._take()
        try:
            if text is not None:
                link.set_text(self.source, text)
                self.delivered = text
            self._send_captions(link)
        except ObsError as exc:
            self._drop(link)
            if text is not None:
                self._redo(text)
            return self._failed(exc)
        except Exception:  # a bug: logged, the subtitles go on, the link is made again
            log.exception("Writing to OBS failed")
            self._drop(link)
            return self._failed(None)
        return None

    def _open(self) -> ObsLink | None:
        try:
            link = self._connect()
        except ObsError as exc:
            self._failed(exc)
            return None
        except Exception:
            log.exception("Connecting to OBS failed")
            self._failed(None)
            return None
        try:
            link.text_source(self.source)
            link.stream_status()
        except Exception as exc:
            link.close()
            self._failed(exc if isinstance(exc, ObsError) else None)
            if not isinstance(exc, ObsError):
                log.exception("Checking OBS's text source failed")
            return None
        self._link = link
        self._backoff = 0.0
        self.problem = ""
        if self._told:  # it was not working, and said so: say that it works again
            self._told = ""
            self._notice(tr("obs.connected", self._lang, source=self.source))
        self._redo(self.board_text())
        return link

    def board_text(self) -> str:
        with self._lock:
            return self.board.text()

    def _redo(self, text: str) -> None:
        """Send ``text`` again on the next round (unless newer text came meanwhile)."""
        with self._lock:
            if not self._dirty:
                self._text = text
                self._dirty = True

    def _send_captions(self, link: ObsLink) -> None:
        while True:
            with self._captions_lock:
                if not self._captions:
                    return
                caption = self._captions[0]
            if link.streaming:
                try:
                    link.caption(caption)
                    self.captions_sent = [*self.captions_sent[-CAPTIONS_KEPT + 1:], caption]
                except ObsError as exc:
                    if exc.params.get("code") != OUTPUT_NOT_RUNNING:
                        raise
                    link.streaming = False  # the stream stopped: no caption, no failure
            with self._captions_lock:
                if self._captions and self._captions[0] == caption:
                    self._captions.popleft()

    def _drop(self, link: ObsLink) -> None:
        self._link = None
        try:
            link.close()
        except Exception:
            log.debug("Closing the OBS connection failed", exc_info=True)

    def _failed(self, exc: ObsError | None) -> float:
        """Tell a new kind of problem once; the backoff before the next try."""
        message = exc.message(self._lang) if exc is not None else tr(
            "obs.unreachable", self._lang, url="OBS", detail=tr("cause.unexpected", self._lang))
        self.problem = message
        key = exc.key if exc is not None else "bug"
        if key != self._told:  # told once while the same problem lasts (each retry: logged)
            self._told = key
            log.warning("OBS output: %s", exc.message("en") if exc is not None else message)
            self._notice(message)
        self._backoff = min(self._max_backoff, max(0.5, self._backoff * 2))
        self._next_try = time.monotonic() + self._backoff
        return self._backoff

    def finish(self) -> None:
        """The session is over: the text source is emptied (a stream does not keep showing the
        last line), then the connection closed."""
        link, self._link = self._link, None
        if link is None:
            return
        if self.delivered:
            try:
                link.set_text(self.source, "")
            except Exception:
                log.info("Could not empty OBS's text source on the way out", exc_info=True)
        self._drop(link)


def check(connect: Callable[[], ObsLink], source: str, ui_language: str) \
        -> dict[str, object]:
    """"Test OBS" (the settings window): connect, find the text source; ``ok`` and the
    ``message`` (in the UI language) as a JSON-able dict."""
    try:
        link = connect()
        try:
            link.text_source(source)
        finally:
            link.close()
    except ObsError as exc:
        return {"ok": False, "message": exc.message(ui_language)}
    return {"ok": True, "message": tr("obs.connected", ui_language, source=source)}
