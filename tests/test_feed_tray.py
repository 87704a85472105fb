"""The tray app's feed (app/room.py) on Xvfb: started from the settings, fed by the app's own
lines, moved when its port changes, a port in use told while the app goes on; the tray menu's
「顯示觀看連結」 opens the viewer link with its QR code (a screenshot to look at)."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
from pathlib import Path

import pytest

from tests.app_harness import pump_until, tray_app
from tests.desktop_env import screenshot
from tests.feed_client import SseReader
from tests.servers._http import free_port
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.types import Partial, Sentence
from whispertrans_tray.desktop.tray import build_menu
from whispertrans_tray.desktop.viewer_link import qr_png

pytestmark = pytest.mark.usefixtures("desktop")


def settings_file(tmp_path: Path, port: int, lan: bool = False) -> Path:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"ui_language": "zh-TW", "feed": {
        "enabled": True, "port": port, "lan": lan, "token": "tray-token"}}), "utf-8")
    return path


def refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 1).close()
    except OSError:
        return True
    return False


def test_the_app_serves_its_lines_and_moves_with_its_port(tmp_path: Path) -> None:
    port = free_port()
    with tray_app(settings_file(tmp_path, port)) as app:
        app.room.start()  # as run() does
        assert app.room.feed is not None and app.room.feed.local_url.endswith(f":{port}/")
        reader = SseReader(f"http://127.0.0.1:{port}/events")
        reader.wait_connected()
        worker = threading.Thread(target=lambda: (app.emit(Partial("ask not")), app.emit(
            Sentence(0, 0.5, 1.8, "en", "Ask not."))))
        worker.start()
        worker.join()
        events = reader.wait_for(lambda e: len(e) == 2)
        assert [(e["type"], e["id"], e["text"]) for e in events] == [
            ("partial", 0, "ask not"), ("sentence", 0, "Ask not.")]
        moved = free_port()
        app.apply(dataclasses.replace(app.settings, feed=dataclasses.replace(
            app.settings.feed, port=moved)))
        assert reader.ended.wait(30) and refused(port)
        late = SseReader(f"http://127.0.0.1:{moved}/events")
        late.wait_connected()
        # a new feed: the app's next lines reach it
        app.emit(Sentence(1, 2.0, 3.0, "en", "Ask what you can do."))
        assert late.wait_for(lambda e: any(x["id"] == 1 for x in e))[-1]["text"] == \
            "Ask what you can do."
        late.close()


def test_a_port_in_use_is_told_and_the_app_goes_on(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        told: list[str] = []
        with tray_app(settings_file(tmp_path, port)) as app:
            app.notify = lambda message, title="": told.append(message)  # type: ignore
            app.room.start()
            assert app.room.feed is None and app.status != "error"
            assert any(f"連接埠 {port} 已被其他程式使用" in text for text in told)
            app.room.show_link()  # no feed: the link says how to turn it on
            assert any("字幕串流未開啟" in text for text in told)


def test_the_tray_menu_shows_the_viewer_link_with_its_qr_code(tmp_path: Path) -> None:
    port = free_port()
    with tray_app(settings_file(tmp_path, port, lan=True)) as app:
        app.room.start()
        actions = app.commands.tray_actions()
        labels = [str(item.text) for item in build_menu(app.tray_state, actions).items]
        assert "顯示觀看連結" in labels
        actions.show_viewer_link()  # as the menu item does: posted to Tk's thread
        assert pump_until(app, lambda: app.room.window is not None)
        window = app.room.window
        assert window is not None
        url = window.entry.get()
        assert url.endswith(f":{port}/tray-token/") and url.startswith("http://")
        assert window.image.width() == window.image.height() > 150  # the QR code, square
        pump_until(app, lambda: window.window.winfo_ismapped())
        app.root.update()
        shot = screenshot("feed-viewer-link.png")
        assert shot.exists()
        assert qr_png(url)[:8] == b"\x89PNG\r\n\x1a\n"
        window.close()
    settings = settings_mod.load(tmp_path / "settings.json").settings
    assert settings.feed.token == "tray-token"  # the file is never rewritten by the link
