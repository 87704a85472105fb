"""The first-run welcome: the real app on Xvfb with its tray, dunst and D-Bus; once per user."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.desktop_env import screenshot
from tests.servers._http import free_port
from tests.test_tray import dunst_history
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.types import Sentence

pytestmark = pytest.mark.usefixtures("desktop")


def bodies() -> list[str]:
    """The bodies of the notifications dunst received, oldest first."""
    data = json.loads(dunst_history())["data"][0]
    return [entry["body"]["data"] for entry in reversed(data)]


def count(text: str) -> int:
    return sum(text in body for body in bodies())


def records(app) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    lines = app.history.path.read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.endswith("}")]


def run_app(path: Path, until: Callable[[object], bool], seconds: float = 20) -> object:
    """Start the tray app (not recording) as ``whispertrans-tray --idle`` does; quit it when
    ``until(app)`` holds or after ``seconds``."""
    from whispertrans_tray.__main__ import tray_parts
    from whispertrans_tray.app.tray_app import App

    app = App(settings_mod.load(path).settings, path, None, tray_parts())
    deadline = time.monotonic() + seconds

    def poll() -> None:
        try:
            finished = until(app) or time.monotonic() > deadline
        except Exception:
            app.quit()  # the test fails, it does not hang
            raise
        if finished:
            app.quit()
        else:
            app.root.after(200, poll)

    app.root.after(200, poll)
    app.run(start_recording=False)
    return app


def test_the_welcome_shows_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(tmp_path / "data"))
    path = settings_mod.save(settings_mod.Settings(), tmp_path / "settings.json")
    before = count("歡迎使用 WhisperTrans Tray")
    seen: dict[str, str] = {}

    def welcomed(app) -> bool:  # type: ignore[no-untyped-def]
        seen["line"] = app.overlay.canvas.itemcget(app.overlay.partial_item, "text")
        if count("歡迎使用 WhisperTrans Tray") == before:
            return False
        app.root.update()
        screenshot("welcome.png")  # the line on the subtitles, the notification (dunst)
        return True

    app = run_app(path, welcomed, seconds=90)  # a busy machine starts the app slowly
    history = "\n".join(bodies())
    assert count("歡迎使用 WhisperTrans Tray") == before + 1
    assert "Ctrl+Alt+R 開始／停止錄音" in history and "測試連線" in history
    assert seen["line"].startswith("歡迎！選單在系統匣") and "Ctrl+Alt+R" in seen["line"]
    assert (tmp_path / "data" / "welcome-shown").is_file()
    assert app.status == "idle"  # type: ignore[attr-defined]

    run_app(path, lambda app: False, seconds=4)  # the second start: no welcome
    assert count("歡迎使用 WhisperTrans Tray") == before + 1


def test_an_unreachable_server_is_named_once_and_transcription_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(tmp_path / "data"))
    port = free_port()  # nobody listens on it
    settings = settings_mod.Settings(ui_language="en")
    for dotted, value in (("translation.enabled", True),
                          ("translation.url", f"http://127.0.0.1:{port}/v1"),
                          ("translation.timeout_s", 2.0)):
        settings = settings_mod.replace(settings, dotted, value)
    path = settings_mod.save(settings, tmp_path / "settings.json")
    marker = "The translation server cannot be used right now"
    before = count(marker)
    told: list[bool] = []

    def done(app) -> bool:  # type: ignore[no-untyped-def]
        if not told:  # the check at the start says it first …
            if count(marker) == before:
                return False
            told.append(True)
            app.emit(Sentence(0, 0.0, 2.0, "en", "And so, ask not."))
        # … and a sentence whose translation fails after it is not told again
        return any(r.get("type") == "translation" and r.get("error") for r in records(app))

    app = run_app(path, done, seconds=90)
    history = "\n".join(bodies())
    assert count(marker) == before + 1, history  # a second notice would have replaced it
    # the cause names the server by its host, not by its URL and port
    assert "Cannot connect to the translation server at 127.0.0.1" in history
    assert f"127.0.0.1:{port}" not in history and "Errno" not in history
    assert "Welcome to WhisperTrans Tray" in history
    assert app.status == "idle"  # type: ignore[attr-defined]  # not the error state
    records = app.history.path.read_text("utf-8")  # type: ignore[attr-defined]
    assert "ask not" in records  # the sentence is kept, with its failed translation
    assert app.outage.active  # type: ignore[attr-defined]
