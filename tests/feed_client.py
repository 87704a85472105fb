"""A real Server-Sent Events reader for the feed tests (http.client on a thread): it collects
the JSON of every ``data:`` line, and waits on conditions, never on fixed sleeps."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit


class SseReader:
    """Reads ``url`` (``/events``) until closed or the server ends the stream."""

    def __init__(self, url: str, headers: dict[str, str] | None = None,
                 connect_timeout: float = 60.0) -> None:
        self.url = url
        self.headers = headers or {}
        self.events: list[dict[str, Any]] = []
        self.status: int | None = None
        self.ended = threading.Event()
        self._cond = threading.Condition()
        self._connect_timeout = connect_timeout
        self._sock: socket.socket | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        parts = urlsplit(self.url)
        deadline = time.monotonic() + self._connect_timeout
        try:
            while True:  # the app may still be starting: retry refused connections
                conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
                try:
                    conn.request("GET", parts.path or "/", headers=self.headers)
                    self._sock = conn.sock  # the response keeps it; close() shuts it
                    response = conn.getresponse()
                    break
                except ConnectionRefusedError:
                    conn.close()
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            with self._cond:
                self.status = response.status
                self._cond.notify_all()
            while True:
                line = response.fp.readline()
                if not line:
                    break
                if line.startswith(b"data: "):
                    with self._cond:
                        self.events.append(json.loads(line[6:]))
                        self._cond.notify_all()
        except OSError:
            pass
        finally:
            self.ended.set()
            with self._cond:
                self._cond.notify_all()

    def wait_for(self, predicate: Callable[[list[dict[str, Any]]], bool],
                 timeout: float = 60.0) -> list[dict[str, Any]]:
        """The events once ``predicate`` holds for them; AssertionError after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate(self.events):
                left = deadline - time.monotonic()
                if left <= 0:
                    last = [(e["type"], e["id"], e["text"][:60]) for e in self.events[-5:]]
                    raise AssertionError(f"timed out after {len(self.events)} events: {last}")
                self._cond.wait(min(left, 0.5))
            return list(self.events)

    def wait_connected(self, timeout: float = 60.0) -> int:
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.status is None:
                left = deadline - time.monotonic()
                if left <= 0 or self.ended.is_set():
                    raise AssertionError("never connected")
                self._cond.wait(min(left, 0.5))
            return self.status

    def close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(10)
