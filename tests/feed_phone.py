"""A phone in the room (run inside its own network namespace by tests/test_feed_room.py): it
waits for the feed at ``BASE`` (``http://ADDRESS:PORT``), tries every page without the token,
with a wrong one and from another site, then reads ``/TOKEN/events`` to the end; it prints
what it saw as JSON."""

from __future__ import annotations

import http.client
import json
import sys
import time
from urllib.parse import urlsplit

from tests.feed_client import SseReader


def status(base: str, path: str, method: str = "GET",
           headers: dict[str, str] | None = None) -> int:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    conn.request(method, path, headers=headers or {})
    code = conn.getresponse().status
    conn.close()
    return code


def main(base: str, token: str) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if status(base, f"/{token}/") == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("the feed never answered")
        time.sleep(0.2)
    reader = SseReader(f"{base}/{token}/events")
    checks = {
        "no token /": status(base, "/"),
        "no token /overlay": status(base, "/overlay"),
        "no token /events": status(base, "/events"),
        "wrong token": status(base, f"/{token[:-1]}x/events"),
        "token prefix only": status(base, f"/{token}x/events"),
        "other site": status(base, f"/{token}/events",
                             headers={"Origin": "http://evil.example"}),
        "rebound name": status(base, f"/{token}/", headers={"Host": "evil.example"}),
        "post": status(base, f"/{token}/events", method="POST"),
        "token /": status(base, f"/{token}/"),
        "token /overlay": status(base, f"/{token}/overlay"),
        "token without /": status(base, f"/{token}"),
    }
    reader.ended.wait(300)
    print(json.dumps({"checks": checks, "status": reader.status, "events": reader.events}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
