"""The room (``feed.lan``): the real app runs in one network namespace, a phone in another,
joined by a veth pair; the phone gets nothing without the viewer link's token (404, and 403
from another site or a rebound name), and with it the pages and the events.  The namespaces
are removed in the teardown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.test_feed_cli import rows, tiny_en
from whispertrans_tray.feed.server import FeedServer
from whispertrans_tray.settings import FeedSettings, OverlaySettings

ROOT = Path(__file__).parents[1]
APP_ADDRESS, PHONE_ADDRESS = "10.231.77.1", "10.231.77.2"
PORT = 8765


def ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture
def room() -> Iterator[tuple[str, str]]:
    """Two namespaces (the app's, the phone's) joined by a veth pair."""
    tag = str(os.getpid())[-5:]
    app, phone = f"wtf-app-{tag}", f"wtf-phone-{tag}"
    ip("netns", "add", app)
    try:
        ip("netns", "add", phone)
        try:
            ip("link", "add", f"wtfa{tag}", "type", "veth", "peer", "name", f"wtfp{tag}")
            ip("link", "set", f"wtfa{tag}", "netns", app)
            ip("link", "set", f"wtfp{tag}", "netns", phone)
            for ns, dev, address in ((app, f"wtfa{tag}", APP_ADDRESS),
                                     (phone, f"wtfp{tag}", PHONE_ADDRESS)):
                ip("-n", ns, "addr", "add", f"{address}/24", "dev", dev)
                ip("-n", ns, "link", "set", dev, "up")
                ip("-n", ns, "link", "set", "lo", "up")
            # the app's way out is the room (its viewer link names its address there)
            ip("-n", app, "route", "add", "default", "dev", f"wtfa{tag}")
            yield app, phone
        finally:
            ip("netns", "del", phone)
    finally:
        ip("netns", "del", app)  # the veth pair goes with its namespaces


def test_the_phone_needs_the_token_and_then_reads_the_events(
        tmp_path: Path, room: tuple[str, str]) -> None:
    app, phone = room
    token = "room-test-token-42"
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"feed": {"lan": True, "token": token}}), "utf-8")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "WHISPERTRANS_DATA_DIR":
           str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        ["ip", "netns", "exec", app, sys.executable, "-m", "whispertrans_tray",
         "--ui-language", "en", "--settings", str(settings), "listen", "--replay",
         str(DATA / "jfk.flac"), "--no-translate", "--feed", str(PORT), "--whisper-model",
         tiny_en(), "--language", "en", "-o", str(tmp_path / "out.jsonl")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = subprocess.run(
        ["ip", "netns", "exec", phone, sys.executable, "-m", "tests.feed_phone",
         f"http://{APP_ADDRESS}:{PORT}", token],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    assert seen.returncode == 0, seen.stderr
    result = json.loads(seen.stdout)
    assert result["checks"] == {
        "no token /": 404, "no token /overlay": 404, "no token /events": 404,
        "wrong token": 404, "token prefix only": 404, "other site": 403,
        "rebound name": 403, "post": 501, "token /": 200, "token /overlay": 200,
        "token without /": 301}
    assert result["status"] == 200
    sentences = [e["text"] for e in result["events"] if e["type"] == "sentence"]
    assert sentences == [row["text"] for row in rows(tmp_path)] and sentences
    link = f"http://{APP_ADDRESS}:{PORT}/{token}/"
    assert f"Viewer link (phones on the same network): {link}" in err


def test_the_token_is_new_each_session_unless_set() -> None:
    lan = FeedSettings(enabled=True, lan=True)
    first, second = FeedServer(lan, OverlaySettings()), FeedServer(lan, OverlaySettings())
    assert first.token != second.token and len(first.token) >= 16
    fixed = FeedSettings(enabled=True, lan=True, token="chosen")
    assert FeedServer(fixed, OverlaySettings()).viewer_url("192.0.2.7") == \
        f"http://192.0.2.7:{fixed.port}/chosen/"
    assert FeedServer(FeedSettings(), OverlaySettings()).viewer_url("192.0.2.7") == \
        f"http://127.0.0.1:{FeedSettings().port}/"
