"""The tray app's outputs for a stream: OBS's text source and the live text file, started from
the settings, rebuilt when theirs change, closed on quit.

Each is built by the composition root (``Parts.studio_output``: the same code as ``listen``'s
and ``transcribe --realtime``'s) and is one more sink of the app's
:class:`~whispertrans_tray.app.outputs.Outputs`.  A change rebuilds only the output it
concerns: ``obs.*`` or whether the app translates (the committed line OBS's captions are made
of) the OBS output, ``output.*`` the live file, the UI language both (their notices are worded
in it).  An output is taken out of the fan-out before it is closed, so the others never miss a
line nor get one twice; a live file left behind (another path, or none) stays on disk, emptied
as at the end of a session, never deleted.  Problems (OBS not running, a wrong password, a file
that is not the app's) are notifications in the UI language; the app goes on.
"""

from __future__ import annotations

import logging

from whispertrans_tray.app.host import StudioHost
from whispertrans_tray.app.outputs import STUDIO_KINDS, LineSink, Outputs, StudioKind
from whispertrans_tray.settings import Settings

log = logging.getLogger(__name__)


def changed(old: Settings, new: Settings) -> list[StudioKind]:
    """The outputs that ``new`` builds differently from ``old``."""
    language = new.ui_language != old.ui_language
    kinds: list[StudioKind] = []
    if new.output != old.output or language:
        kinds.append("live_file")
    if (new.obs != old.obs or language
            or new.translation.enabled != old.translation.enabled):
        kinds.append("obs")
    return kinds


class Studio:
    """OBS and the live text file of the running settings, sinks of ``outputs``."""

    def __init__(self, app: StudioHost, outputs: Outputs) -> None:
        self.app = app
        self.outputs = outputs
        self.sinks: dict[StudioKind, LineSink] = {}

    def start(self) -> None:
        for kind in STUDIO_KINDS:
            self._start(kind)

    def stop(self) -> None:
        for kind in STUDIO_KINDS:
            self._stop(kind)

    def apply(self, old: Settings, new: Settings) -> None:
        """The settings changed from ``old`` to ``new`` (the app's already): rebuild what they
        concern, each output closed before its successor starts (the same file, or the same
        OBS text source, is never written by two)."""
        for kind in changed(old, new):
            self._stop(kind)
            self._start(kind)

    def _start(self, kind: StudioKind) -> None:
        if kind in self.sinks:
            return
        sink = self.app.parts.studio_output(kind, self.app.settings, self._tell)
        if sink is not None:
            self.sinks[kind] = sink
            self.outputs.add(sink)
            log.info("Output started: %s", kind)

    def _stop(self, kind: StudioKind) -> None:
        sink = self.sinks.pop(kind, None)
        if sink is None:
            return
        self.outputs.remove(sink)  # first: no line reaches it once it closes
        try:
            sink.close()
        except Exception:  # a broken output must not stop the app
            log.exception("Output %s failed to close", kind)
        log.info("Output stopped: %s", kind)

    def _tell(self, message: str) -> None:
        """An output's problem (any thread: OBS's worker, a file's), as a notification."""
        self.app.post(lambda: self.app.notify(message))
