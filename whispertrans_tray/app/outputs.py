"""Where subtitle lines go besides the overlay: a fan-out of line events to sinks.

The live paths (the tray app, ``listen``, ``transcribe --realtime``) publish every line they
show to one :class:`Outputs`; each sink (the local feed, OBS, a live text file, …) receives
every event.  :meth:`LineSink.publish` is called from the thread that made the line (a
recognition or translation worker) and must not block: a sink that talks to a slow peer
queues the event and returns.  A sink that raises is logged; the other sinks and the
subtitles go on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

log = logging.getLogger(__name__)

LineType = Literal["partial", "sentence", "translation", "draft", "translation_failed"]
StudioKind = Literal["live_file", "obs"]
"""The outputs for a stream built from the settings by ``__main__``: the live text file
(``output.*``) and OBS's text source (``obs.*``)."""
STUDIO_KINDS: tuple[StudioKind, ...] = ("live_file", "obs")


@dataclass(frozen=True)
class LineEvent:
    """One subtitle line as it changes.

    Attributes:
        type: ``partial`` (the line being spoken, may change), ``sentence`` (committed source
            text, never changes), ``translation`` (the sentence's translation; ``done`` says
            whether it is final or still streaming), ``draft`` (a translation of the unstable
            tail, replaced later), ``translation_failed`` (``text`` is the message shown).
        id: The sentence's number in the session, from 0; a partial carries the number the
            sentence will get, a translation the number of its sentence.
        text: The line's text.
        language: Whisper language code of the source (for translations: the target code).
        start: Stream time of the first word, in seconds (0 when unknown).
        end: Stream time of the last word, in seconds (0 when unknown).
        speaker: Who spoke, when the source says (empty when there is one speaker).
        done: For translations: the final text (False while tokens still arrive).
    """

    type: LineType
    id: int
    text: str
    language: str = ""
    start: float = 0.0
    end: float = 0.0
    speaker: str = ""
    done: bool = True


class LineSink(Protocol):
    """A consumer of line events (must not block in :meth:`publish`)."""

    def publish(self, event: LineEvent) -> None: ...

    def close(self) -> None: ...


class Outputs:
    """The sinks of one app run; publishing to none costs a lock and a loop."""

    def __init__(self, sinks: Iterable[LineSink] = ()) -> None:
        self._lock = threading.Lock()
        self._sinks: list[LineSink] = list(sinks)

    def add(self, sink: LineSink) -> None:
        with self._lock:
            self._sinks.append(sink)

    def remove(self, sink: LineSink) -> None:
        with self._lock:
            if sink in self._sinks:
                self._sinks.remove(sink)

    @property
    def sinks(self) -> tuple[LineSink, ...]:
        with self._lock:
            return tuple(self._sinks)

    def publish(self, event: LineEvent) -> None:
        for sink in self.sinks:
            try:
                sink.publish(event)
            except Exception:  # a broken sink must not stop the subtitles
                log.exception("Output %s failed on a %s event", type(sink).__name__, event.type)

    def close(self) -> None:
        for sink in self.sinks:
            try:
                sink.close()
            except Exception:
                log.exception("Output %s failed to close", type(sink).__name__)
