"""The local feed's server (feed/server.py) with real HTTP clients on 127.0.0.1: the events,
the lines on screen for a late joiner, a stuck client dropped without slowing anyone, the
pages, the Host/Origin checks, and a port in use named in both UI languages."""

from __future__ import annotations

import http.client
import socket
import time
from collections.abc import Iterator

import pytest

from tests.feed_client import SseReader
from tests.servers._http import free_port
from whispertrans_tray.app.outputs import LineEvent, Outputs
from whispertrans_tray.feed.server import CLIENT_QUEUE, FeedError, FeedServer
from whispertrans_tray.settings import FeedSettings, OverlaySettings


@pytest.fixture
def feed() -> Iterator[FeedServer]:
    server = FeedServer(FeedSettings(enabled=True, port=free_port()), OverlaySettings(),
                        "en")
    server.start()
    yield server
    server.close()


def get(port: int, path: str, headers: dict[str, str] | None = None) \
        -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), body


def wait_clients(feed: FeedServer, count: int) -> None:
    deadline = time.monotonic() + 30
    while feed.clients != count:
        assert time.monotonic() < deadline, feed.clients
        time.sleep(0.01)


SESSION = [
    LineEvent("partial", 0, "ask not"),
    LineEvent("sentence", 0, "Ask not.", "en", 1.0, 2.0),
    LineEvent("translation", 0, "不要", "zh", 1.0, 2.0, done=False),
    LineEvent("translation", 0, "不要問。", "zh", 1.0, 2.0),
    LineEvent("partial", 1, "what your country"),
]


def test_events_arrive_in_order_one_json_per_data_line(feed: FeedServer) -> None:
    reader = SseReader(f"{feed.local_url}events")
    assert reader.wait_connected() == 200
    outputs = Outputs([feed])
    for event in SESSION:
        outputs.publish(event)
    events = reader.wait_for(lambda e: len(e) == len(SESSION))
    assert [(e["type"], e["id"], e["text"]) for e in events] == \
        [(e.type, e.id, e.text) for e in SESSION]
    assert events[1] == {"type": "sentence", "id": 0, "text": "Ask not.", "language": "en",
                         "start": 1.0, "end": 2.0, "speaker": "", "done": True}
    assert events[2]["done"] is False
    reader.close()


def test_a_client_connecting_mid_session_first_gets_the_lines_on_screen(
        feed: FeedServer) -> None:
    for event in SESSION:
        feed.publish(event)
    feed.publish(LineEvent("sentence", 1, "What your country can do.", "en", 2.5, 4.0))
    feed.publish(LineEvent("translation_failed", 1, "Translation failed", "", 2.5, 4.0))
    first = SseReader(f"{feed.local_url}events")
    events = first.wait_for(lambda e: len(e) >= 4)
    # each sentence with its newest translation state; the partial was committed since
    assert [(e["type"], e["id"], e["text"]) for e in events] == [
        ("sentence", 0, "Ask not."), ("translation", 0, "不要問。"),
        ("sentence", 1, "What your country can do."),
        ("translation_failed", 1, "Translation failed")]
    feed.publish(LineEvent("partial", 2, "ask what"))
    first.wait_for(lambda e: e[-1]["text"] == "ask what")
    late = SseReader(f"{feed.local_url}events")
    assert late.wait_for(lambda e: len(e) == 5)[-1] == first.events[-1]
    first.close()
    late.close()


def test_a_stuck_client_is_dropped_and_never_slows_the_others(
        feed: FeedServer, caplog: pytest.LogCaptureFixture) -> None:
    stuck = socket.socket()
    stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    stuck.connect(("127.0.0.1", feed.port))
    stuck.sendall(b"GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")  # and never reads
    reader = SseReader(f"{feed.local_url}events")
    reader.wait_connected()
    wait_clients(feed, 2)
    burst, bursts = CLIENT_QUEUE // 2, 16
    text = "字" * 2000  # big events: the stuck socket's buffers fill soon
    publishing = 0.0
    for n in range(bursts):  # bursts the healthy reader keeps up with
        started = time.perf_counter()
        for m in range(burst):
            feed.publish(LineEvent("sentence", n * burst + m, text, "zh"))
        publishing = max(publishing, time.perf_counter() - started)
        reader.wait_for(lambda e, n=n: len(e) == (n + 1) * burst, timeout=60)
    assert [e["id"] for e in reader.events] == list(range(burst * bursts))
    wait_clients(feed, 1)
    assert feed.dropped == 1
    assert "read too slowly and was disconnected" in caplog.text
    # the live path only queued: a burst never waited for a reader
    assert publishing < 1.0
    stuck.close()
    reader.close()


def test_pages_carry_the_overlay_settings_and_no_cdn(feed: FeedServer) -> None:
    status, headers, body = get(feed.port, "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert '"font": "Noto Sans CJK TC"' in page and '"waiting": "Waiting for subtitles…"' in page
    assert "http://" not in page.split("<script>", 1)[1] and "https://" not in page
    status, _, body = get(feed.port, "/overlay?style=outline&size=40")
    assert status == 200 and b'"style": "box"' in body and b"background: transparent" in body
    assert get(feed.port, "/nothing")[0] == 404
    assert get(feed.port, "/overlay/../events")[0] == 404


def test_other_sites_and_rebound_names_are_refused(feed: FeedServer) -> None:
    assert get(feed.port, "/events", {"Host": "evil.example:80"})[0] == 403
    assert get(feed.port, "/", {"Origin": "http://evil.example"})[0] == 403
    assert get(feed.port, "/", {"Host": "localhost:1",
                                "Origin": "http://localhost:1"})[0] == 200


@pytest.mark.parametrize("language, words", [
    ("en", ["port {port} is already in use", "--feed PORT"]),
    ("zh-TW", ["連接埠 {port} 已被其他程式使用", "--feed 連接埠"])])
def test_a_port_in_use_names_the_cause_and_the_fix(language: str, words: list[str]) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        feed = FeedServer(FeedSettings(enabled=True, port=port), OverlaySettings(), language)
        with pytest.raises(FeedError) as caught:
            feed.start()
    message = caught.value.message(language)
    for word in words:
        assert word.format(port=port) in message
    feed.close()  # closing a feed that never started is harmless
