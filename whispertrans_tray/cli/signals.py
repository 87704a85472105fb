"""Ctrl+C and SIGTERM in the terminal commands: the run ends the way the user meant it to.

The first signal sets :attr:`StopSignals.stop`: the audio stops, the sentence being spoken is
finished and the output written.  A second one interrupts at once (``KeyboardInterrupt``).

Python runs a signal handler only between bytecodes of the main thread, so a signal that comes
during a decode would be handled (and the stop stamped) one decode late, and the replay would go
on past the point the user stopped it.  A wakeup socket, written by the C-level handler the
moment the signal arrives, lets a small thread stamp the stop at once.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
from collections.abc import Callable
from types import FrameType, TracebackType

from whispertrans_tray.app.live import Stop

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_NUMBERS = frozenset(int(sig) for sig in SIGNALS)  # as the wakeup socket carries them


class StopSignals:
    """A context manager: SIGINT and SIGTERM set :attr:`stop` while it is active."""

    def __init__(self) -> None:
        self.stop = Stop()
        self.signum = 0
        self._handled = 0
        self._previous: dict[int, object] = {}
        self._wakeup: tuple[socket.socket, socket.socket] | None = None
        self._previous_fd = -1

    @property
    def exit_code(self) -> int:
        """The shell's code for the signal that stopped the run (130, 143), or 0."""
        return 128 + self.signum if self.signum else 0

    def __enter__(self) -> StopSignals:
        self._previous = {sig: signal.signal(sig, self._handle) for sig in SIGNALS}
        reader, writer = socket.socketpair()
        writer.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
        self._wakeup = (reader, writer)
        threading.Thread(target=self._watch, args=(reader,), name="signal-stamp",
                         daemon=True).start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        signal.set_wakeup_fd(self._previous_fd)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        if self._wakeup is not None:
            reader, writer = self._wakeup
            self._wakeup = None
            with contextlib.suppress(OSError):
                reader.shutdown(socket.SHUT_RDWR)  # wakes the thread
            writer.close()
            reader.close()

    def _watch(self, reader: socket.socket) -> None:
        """Stamp the stop as soon as a signal arrives (the main thread may be in a decode)."""
        while True:
            try:
                data = reader.recv(16)
            except OSError:
                return
            if not data:
                return
            if _NUMBERS.intersection(data):
                self.stop.set()

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self._handled += 1
        if self._handled > 1:  # asked twice: stop now
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
