"""Ctrl+C and SIGTERM in the terminal commands: the run ends the way the user meant it to.

The first signal sets :attr:`StopSignals.stop`: the audio stops, the sentence being spoken is
finished and the output written.  A second one interrupts at once (``KeyboardInterrupt``).
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType, TracebackType

from whispertrans_tray.app.live import Stop

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopSignals:
    """A context manager: SIGINT and SIGTERM set :attr:`stop` while it is active."""

    def __init__(self) -> None:
        self.stop = Stop()
        self.signum = 0
        self._previous: dict[int, object] = {}

    @property
    def exit_code(self) -> int:
        """The shell's code for the signal that stopped the run (130, 143), or 0."""
        return 128 + self.signum if self.signum else 0

    def __enter__(self) -> StopSignals:
        self._previous = {sig: signal.signal(sig, self._handle) for sig in SIGNALS}
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signum:  # asked twice: stop now
            raise KeyboardInterrupt
        self.signum = signum
        self.stop.set()


def on_signals(request: Callable[[], object]) -> None:
    """The tray: SIGINT or SIGTERM asks ``request`` for a clean quit (the sentence being
    spoken is committed); a second one acts as it would have (the process ends at once)."""
    defaults = {sig: signal.getsignal(sig) for sig in SIGNALS}

    def handle(signum: int, frame: FrameType | None) -> None:
        for sig, handler in defaults.items():
            signal.signal(sig, handler)
        request()

    for sig in SIGNALS:
        signal.signal(sig, handle)
