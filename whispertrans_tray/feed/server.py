"""The feed's HTTP server: a :class:`~whispertrans_tray.app.outputs.LineSink` that serves
``GET /events`` (Server-Sent Events), ``GET /overlay`` (an OBS Browser Source) and ``GET /``
(the reader page), on 127.0.0.1, and with the room on (``feed.lan``) on the local network too
under the viewer link's token (:mod:`~whispertrans_tray.feed.access`).

The live path never waits for a client: :meth:`FeedServer.publish` puts the event in one
bounded inbox and returns; one broadcaster thread encodes it once, updates the lines on screen
(:class:`~whispertrans_tray.feed.screen.Screen`) and writes it to every client's non-blocking
socket; what a socket does not take waits in that client's bounded backlog.  A client whose
backlog is full (a stuck or too slow reader) is dropped with a log line and its connection
shut.  One thread writes to all clients (a thread per client, each woken per event, fell
seconds behind at 200 events a second with 100 readers: benchmarks/RESULTS.md).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import logging
import queue
import socket
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from whispertrans_tray.app.outputs import LineEvent
from whispertrans_tray.causes import os_error
from whispertrans_tray.errors import WhisperTransError
from whispertrans_tray.feed import access
from whispertrans_tray.feed.screen import Screen
from whispertrans_tray.i18n import tr
from whispertrans_tray.settings import FeedSettings, OverlaySettings

log = logging.getLogger(__name__)

CLIENT_QUEUE = 256
"""Events waiting for one client (its socket full); a client this far behind is dropped."""
INBOX = 10_000
"""Events waiting for the broadcaster (it only encodes and offers: never near this)."""
KEEPALIVE_S = 15.0
"""A comment line after this long without events: a gone client is noticed, proxies stay."""


HEADERS = (
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),  # the token stays in the room
    ("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; "
     "style-src 'unsafe-inline'; img-src 'self' data:"),
)


class FeedError(WhisperTransError):
    """The feed could not start (port in use, cannot bind); the app goes on without it."""


def encode(event: LineEvent) -> bytes:
    """One SSE message: the event as one JSON object on one ``data:`` line."""
    data = json.dumps(dataclasses.asdict(event), ensure_ascii=False, separators=(",", ":"))
    return b"data: " + data.encode("utf-8") + b"\n\n"


class Client:
    """One ``/events`` reader: its non-blocking socket and its bounded backlog (events the
    socket has not taken yet).  Written to by the broadcaster only."""

    def __init__(self, name: str, connection: socket.socket) -> None:
        self.name = name
        self.connection = connection
        self.backlog: deque[bytes] = deque()
        self.gone = threading.Event()
        """Set once dropped or disconnected: its request thread ends."""

    def offer(self, data: bytes) -> bool:
        """Queue ``data`` and send what the socket takes; False when the backlog is full."""
        if len(self.backlog) >= CLIENT_QUEUE:
            return False
        self.backlog.append(data)
        self.flush()
        return True

    def flush(self) -> None:
        """Send the backlog as far as the socket takes it (never blocks)."""
        while self.backlog and not self.gone.is_set():
            data = self.backlog[0]
            try:
                sent = self.connection.send(data)
            except BlockingIOError:
                return
            except OSError:  # the reader went away
                self.drop()
                return
            if sent < len(data):
                self.backlog[0] = data[sent:]
                return
            self.backlog.popleft()

    def drop(self) -> None:
        """Too slow, or gone: the connection is shut and its request thread ends."""
        self.gone.set()
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class FeedServer:
    """The feed as a line sink; :meth:`start` binds (raises :class:`FeedError`)."""

    def __init__(self, settings: FeedSettings, overlay: OverlaySettings,
                 ui_language: str = "zh-TW") -> None:
        self.settings = settings
        self.overlay = overlay
        self.ui_language = ui_language
        self.token = settings.token or access.new_token()
        self.host = "0.0.0.0" if settings.lan else "127.0.0.1"  # the room: every interface
        self.port = settings.port
        self.dropped = 0
        """Clients dropped for reading too slowly (for the tests and the benchmark)."""
        self._inbox: queue.Queue[LineEvent | None] = queue.Queue(maxsize=INBOX)
        self._lock = threading.Lock()
        self._clients: list[Client] = []
        self._screen = Screen()
        self._pages: dict[str, bytes] = {}
        self._httpd: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    # -- the sink -------------------------------------------------------------------------
    def publish(self, event: LineEvent) -> None:
        try:
            self._inbox.put_nowait(event)
        except queue.Full:
            log.warning("Feed inbox full: a %s event was not sent", event.type)

    def close(self) -> None:
        if self._httpd is None:
            return
        self._inbox.put(None)
        self._httpd.shutdown()
        self._httpd.server_close()
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            client.drop()
        for thread in self._threads:
            thread.join(5)
        self._httpd = None

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        """Listen on the port; :class:`FeedError` names the cause and the fix."""
        self._pages = {"/": self._page("reader.html"), "/overlay": self._page("overlay.html")}
        try:
            httpd = ThreadingHTTPServer((self.host, self.port), _handler(self))
        except OSError as exc:
            log.info("Feed cannot bind %s:%s: %r", self.host, self.port, exc)
            if exc.errno == errno.EADDRINUSE:
                raise FeedError("feed.port_in_use", port=self.port) from exc
            raise FeedError("feed.cannot_bind", host=self.host, port=self.port,
                            detail=os_error(exc)) from exc
        httpd.daemon_threads = True
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._threads = [threading.Thread(target=httpd.serve_forever, name="feed-http",
                                          kwargs={"poll_interval": 0.2}, daemon=True),
                         threading.Thread(target=self._broadcast, name="feed-broadcast",
                                          daemon=True)]
        for thread in self._threads:
            thread.start()
        log.info("Feed on http://%s:%d/ (room %s)", self.host, self.port,
                 "on" if self.settings.lan else "off")

    @property
    def local_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def viewer_url(self, address: str | None = None) -> str:
        """The room's link (``address``: this computer's LAN address, found if not given);
        the local one when the room is off or there is no LAN address."""
        if not self.settings.lan:
            return self.local_url
        address = address or access.lan_address()
        if address is None:
            return self.local_url
        return f"http://{address}:{self.port}/{self.token}/"

    @property
    def clients(self) -> int:
        with self._lock:
            return len(self._clients)

    # -- the fan-out ----------------------------------------------------------------------
    def _broadcast(self) -> None:
        while True:
            with self._lock:
                waiting = any(client.backlog for client in self._clients)
            try:  # a backlog is retried often; otherwise a keepalive now and then
                event = self._inbox.get(timeout=0.02 if waiting else KEEPALIVE_S)
            except queue.Empty:
                event = LineEvent("partial", -1, "")  # no event: flush, or keep alive
                data = b"" if waiting else b": keepalive\n\n"
            else:
                if event is None:
                    return
                data = encode(event)
            with self._lock:
                if event.id >= 0:
                    self._screen.apply(event)
                slow = []
                for client in self._clients:
                    if client.gone.is_set():
                        slow.append(client)
                    elif data and not client.offer(data):
                        self.dropped += 1
                        log.warning("%s", tr("feed.client_dropped", self.ui_language,
                                             client=client.name))
                        slow.append(client)
                    elif not data:
                        client.flush()
                for client in slow:
                    self._clients.remove(client)
                    client.drop()

    def join(self, client: Client, head: bytes) -> None:
        """Register ``client``: the answer's ``head`` and the lines now on screen go first."""
        client.connection.setblocking(False)
        with self._lock:
            client.backlog.append(head + b"retry: 1000\n\n" + b"".join(
                encode(event) for event in self._screen.replay()))
            client.flush()
            self._clients.append(client)

    def leave(self, client: Client) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)

    # -- the pages ------------------------------------------------------------------------
    def _page(self, name: str) -> bytes:
        text = resources.files("whispertrans_tray.feed").joinpath("web").joinpath(name).read_text(
            encoding="utf-8")
        config = json.dumps(self._config(), ensure_ascii=False).replace("</", "<\\/")
        return text.replace("/*FEED_CONFIG*/null", config).encode("utf-8")

    def _config(self) -> dict[str, Any]:
        """What the pages start from (the query string overrides it): the overlay's look and
        the words in the UI language."""
        o = self.overlay
        words = {key: tr(f"feed.page.{key}", self.ui_language)
                 for key in ("title", "waiting", "offline", "failed", "follow")}
        return {"font": o.font_family, "size": o.font_size, "sourceSize": o.source_font_size,
                "color": o.text_color, "partialColor": o.partial_color,
                "background": o.background, "opacity": o.opacity, "style": o.style,
                "translationOnTop": o.translation_on_top, "showSource": o.show_source,
                "lines": o.max_lines, "lang": self.ui_language, "words": words}

    def page(self, path: str) -> bytes:
        return self._pages[path]


def _handler(feed: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_FeedHandler):
        server_feed = feed
    return Handler


class _FeedHandler(BaseHTTPRequestHandler):
    server_feed: FeedServer
    server_version = "WhisperTransFeed"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("Feed %s: %s", self.client_address[0], format % args)

    def do_GET(self) -> None:
        feed = self.server_feed
        decision = access.decide(self.client_address[0], urlsplit(self.path).path,
                                 self.headers.get("Host", ""), self.headers.get("Origin"),
                                 feed.token)
        if decision.status == 301:
            self.send_response(301)
            self.send_header("Location", decision.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if decision.status != 200:
            self._plain(decision.status)
            return
        if decision.path == "/events":
            self._events()
            return
        body = feed.page(decision.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self._common_headers()
        self.end_headers()
        self.wfile.write(body)

    def _plain(self, status: int) -> None:
        body = {403: b"Forbidden\n", 404: b"Not found\n"}.get(status, b"")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self._common_headers()
        self.end_headers()
        self.wfile.write(body)

    def _common_headers(self) -> None:
        for name, value in HEADERS:
            self.send_header(name, value)

    def _events(self) -> None:
        """Hand the connection to the broadcaster (the answer's head, then the lines on
        screen, then every event, in that order) and wait until the client is gone (dropped,
        or closed: the broadcaster's next write notices)."""
        feed = self.server_feed
        client = Client(f"{self.client_address[0]}:{self.client_address[1]}", self.connection)
        head = [f"{self.protocol_version} 200 OK", f"Server: {self.version_string()}",
                "Content-Type: text/event-stream; charset=utf-8",
                *(f"{name}: {value}" for name, value in HEADERS)]
        feed.join(client, ("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        client.gone.wait()
        feed.leave(client)
        self.close_connection = True
