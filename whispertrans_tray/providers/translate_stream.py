"""Reading a streamed chat completion: the text as it arrives, within a deadline.

:class:`StreamReader` reads the deltas of one answer (from a
:class:`~whispertrans_tray.providers.chat_stream.ChatStream`: thinking left out, the text so
far handed on, an answer far past ``max_tokens`` cut at its cap);
:class:`Watchdog` aborts the stream at the request's deadline or when it is cancelled.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from whispertrans_tray.providers.prompt import ThinkFilter

log = logging.getLogger(__name__)


class Watchdog:
    """Aborts a streaming response at its deadline or when it is cancelled.

    Closing an HTTP response from another thread does not wake a blocking read, so the
    watchdog shuts the socket down, which does; the reader then sees a connection error and
    :attr:`reason` says why.
    """

    def __init__(self, deadline: float, cancelled: Callable[[], bool]) -> None:
        self.deadline = deadline
        self.cancelled = cancelled
        self.reason = ""  # "timeout" or "cancelled" once it fired
        self._response: Any = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="translate-watchdog",
                                        daemon=True)

    def watch(self, response: Any) -> None:
        self._response = response
        self._thread.start()

    def stop(self) -> None:
        self._done.set()

    def _run(self) -> None:
        while not self._done.wait(0.05):
            if self.cancelled():
                self.reason = "cancelled"
            elif time.monotonic() >= self.deadline:
                self.reason = "timeout"
            else:
                continue
            abort(self._response)
            return


def abort(response: Any) -> None:
    """Shut down the socket under an httpx response (or at least close the response)."""
    try:
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            sock.shutdown(socket.SHUT_RDWR)
            return
    except (AttributeError, OSError) as exc:
        log.debug("Could not shut the stream's socket down: %s", exc)
    with contextlib.suppress(Exception):
        response.close()


class StreamReader:
    """Reads one answer's chunks; what it holds stays readable if the stream breaks.

    Attributes:
        text: The visible text so far (``<think>…</think>`` left out).
        first: Seconds from ``started`` to the first content.
        chunks: Chunks that carried content.
        received: Characters received, thinking (``<think>``, reasoning fields) included.
        capped: The answer ran past ``cap`` characters and the rest was not read.
    """

    def __init__(self, cap: int, on_text: Callable[[str], None] | None,
                 cancelled: Callable[[], bool], started: float) -> None:
        self.cap = cap
        self._on_text = on_text
        self._cancelled = cancelled
        self._started = started
        self._think = ThinkFilter()
        self.received = 0
        self.text = ""
        self.first = 0.0
        self.chunks = 0
        self.capped = False

    def read(self, stream: Iterable[tuple[str, int]]) -> None:
        """Read ``(content, thought)`` deltas until the stream ends, is cancelled, or passes
        the cap."""
        for delta, thought in stream:
            if self._cancelled():
                break
            if self.received + thought + len(delta) > self.cap:  # far past max_tokens: stop
                delta = delta[:max(self.cap - self.received - thought, 0)]
                self.capped = True
            self.received += thought + len(delta)
            visible = self._think.feed(delta)
            if (delta or thought) and not self.first:
                self.first = time.perf_counter() - self._started
            self.chunks += 1 if delta else 0
            if visible:
                self.text += visible
                if self._on_text:
                    self._on_text(self.text.strip())
            if self.capped:
                break

    def end(self) -> None:
        """The stream is over: text held back as a possible ``<think>`` tag is let out."""
        self.text += self._think.finish()
