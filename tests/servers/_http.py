"""What the fake HTTP servers share: a free port, a threaded server on 127.0.0.1 that serves on
a daemon thread while it is used as a context manager, and a quiet HTTP/1.1 handler that sends
whole bodies.  Each server module keeps only its behaviour (its handler's ``do_*`` methods)."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar

S = TypeVar("S", bound="LoopbackServer")


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listened on a moment ago (for a server to start on
    later, or for a client to find nobody there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LoopbackServer(ThreadingHTTPServer):
    """``handler`` on 127.0.0.1:``port`` (0: a free port, see :attr:`port`).  ``with server:``
    serves on a daemon thread and shuts the server down and closes its socket on the way out.
    Errors of clients that hang up are not printed: the fault tests do that on purpose."""

    daemon_threads = True
    url_path = ""
    """What :attr:`url` adds after the host and port (the endpoint clients are given)."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), handler)
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.url_path}"

    def __enter__(self: S) -> S:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 (keep-alive, as real servers), no request log on stderr."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_body(self, status: int, body: bytes, kind: str,
                  headers: dict[str, str] | None = None) -> None:
        """A whole answer: status, ``Content-Type``, ``Content-Length``, ``headers``, body."""
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status: int, body: object,
                  headers: dict[str, str] | None = None) -> None:
        self.send_body(status, json.dumps(body).encode(), "application/json", headers)
