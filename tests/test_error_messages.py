"""What a user reads when translation fails: the cause and the fix in the UI language, never an
exception's repr, an errno, a traceback or the URL with its port.

The real app path on Xvfb (tray, dunst, overlay) against a real closed port and real
misbehaving servers on 127.0.0.1 (``tests/servers/fake_openai.py``): the outage notification
as dunst received it, the subtitles' status line, the tray tooltip, the settings window's
測試連線 result (its form API and services) and the ``test-connection`` command's output.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.fake_openai import FakeServer
from tests.test_tray import dunst_history
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.types import Sentence

pytestmark = pytest.mark.usefixtures("desktop")

SAID = "And so, my fellow Americans, ask not what your country can do for you."

# (fault, UI language, words that must be in the full message: the cause, then the fix)
CASES = [
    ("closed", "en", ("the connection was refused", "no program is listening on that port",
                      "the server (e.g. vLLM) is running", "at 127.0.0.1")),
    ("closed", "zh-TW", ("連線被拒", "沒有程式在接收連線", "已啟動", "127.0.0.1 上的翻譯伺服器")),
    ("error500", "en", ("HTTP 500", "the server said: \"CUDA out of memory\"",
                        "Check the server's log")),
    ("error500", "zh-TW", ("HTTP 500", "伺服器說：「CUDA out of memory」", "請查看伺服器的日誌")),
    ("cut", "zh-TW", ("連線在回應途中被切斷", "請查看伺服器的日誌")),
    ("html", "en", ("not an OpenAI-compatible API", "at 127.0.0.1",
                    "/v1/chat/completions or /v1")),
]


def leaks(text: str, port: int) -> list[str]:
    """What must never be shown to a user, found in ``text``."""
    bad = ("Error(", "Errno", "Traceback", "errno", f"http://127.0.0.1:{port}",
           f"127.0.0.1:{port}", "Exception", "{'", "<html")
    return [b for b in bad if b in text]


@contextlib.contextmanager
def fault(kind: str) -> Iterator[int]:
    """A port where ``kind`` happens: nobody listening (``closed``) or a fake server mode."""
    if kind == "closed":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            yield int(probe.getsockname()[1])  # bound, never listening: refused
        return
    with FakeServer(kind) as server:
        yield int(server.server_address[1])


def bodies() -> list[str]:
    data = json.loads(dunst_history())["data"][0]
    return [entry["body"]["data"] for entry in reversed(data)]


def settings_for(port: int, language: str) -> settings_mod.Settings:
    settings = settings_mod.Settings(ui_language=language)  # type: ignore[arg-type]
    for dotted, value in (("translation.enabled", True),
                          ("translation.url", f"http://127.0.0.1:{port}/v1/chat/completions"),
                          ("translation.model", "test-model"), ("translation.timeout_s", 3.0)):
        settings = settings_mod.replace(settings, dotted, value)
    return settings


def app_texts(path: Path) -> dict[str, str]:
    """Run the tray app (not recording), commit one sentence, and read what the user is shown
    once its translation failed: notification, status line, tooltip."""
    from whispertrans_tray.__main__ import tray_parts
    from whispertrans_tray.app.tray_app import App

    app = App(settings_mod.load(path).settings, path, None, tray_parts())
    try:
        app.tray = app.parts.tray(app.tray_state, app.commands.tray_actions())
        app.tray.start()
        app.translation.start()
        app.emit(Sentence(0, 0.0, 4.0, "en", SAID))
        end = time.monotonic() + 60
        notification = ""
        while time.monotonic() < end and not notification:
            app.root.update()
            if app.outage.active:
                head = app.outage.problem[:30]
                notification = next((b for b in reversed(bodies()) if head in b), "")
            time.sleep(0.1)
        app.root.update()
        assert notification, (app.outage.problem, app.subtitles.lines)
        line = app.subtitles.lines[0]
        assert line.sentence.text == SAID and line.status == "failed"  # the sentence stays
        return {"notification": notification, "problem": app.outage.problem,
                "status": app.overlay.canvas.itemcget(app.overlay.status_item, "text"),
                "tooltip": str(app.tray.icon.title)}
    finally:
        if app.service is not None:
            app.service.close(0.5)
        if app.tray is not None:
            app.tray.stop()
        app.history.close()
        app.root.destroy()


def settings_window_text(path: Path) -> str:
    """測試連線 as the settings window's form calls it (its API and the real services)."""
    from whispertrans_tray.__main__ import settings_services
    from whispertrans_tray.desktop.settings_window.api import SettingsApi

    api = SettingsApi(settings_services(path))
    result = api.test_connection(settings_mod.to_dict(settings_mod.load(path).settings))
    assert not result["ok"]
    return str(result["message"])


def cli_text(port: int, language: str, tmp_path: Path) -> str:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    result = subprocess.run(
        [sys.executable, "-m", "whispertrans_tray", "--ui-language", language,
         "test-connection", "--url", f"http://127.0.0.1:{port}/v1/chat/completions",
         "--model", "test-model"], capture_output=True, text=True, env=env, timeout=90,
        check=False)
    assert result.returncode == 1, result.stdout
    return result.stderr.strip()


@pytest.mark.parametrize(("kind", "language", "words"), CASES)
def test_a_failed_translation_tells_cause_and_fix_in_the_ui_language(
        kind: str, language: str, words: tuple[str, ...], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(tmp_path / "data"))
    with fault(kind) as port:
        path = settings_mod.save(settings_for(port, language), tmp_path / "settings.json")
        shown = app_texts(path)
        shown["settings window"] = settings_window_text(path)
        shown["cli"] = cli_text(port, language, tmp_path)
    print(f"\n[{kind} {language}]", json.dumps(shown, ensure_ascii=False, indent=1))
    for place in ("notification", "settings window", "cli"):
        for word in words:
            assert word in shown[place], (place, word, shown[place])
    assert shown["problem"] in shown["tooltip"]  # the cause and fix, under the endpoint
    for place, text in shown.items():
        if place == "tooltip":  # names the endpoint in use as "model @ host:port"
            text = text.replace(f"test-model @ 127.0.0.1:{port}", "test-model @ …")
        assert not leaks(text, port), (place, leaks(text, port), text)
    han = any("\u4e00" <= c <= "\u9fff" for c in shown["notification"] + shown["status"])
    assert han == (language == "zh-TW")  # all in the UI language
    assert shown["status"] and len(shown["status"]) < 60  # one short line on the subtitles


def test_the_first_run_check_names_the_cause(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The welcome's 測試連線 (app/welcome.py) starts the outage with the same clean text."""
    from tests.test_welcome import run_app

    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(tmp_path / "data"))
    with fault("closed") as port:
        path = settings_mod.save(settings_for(port, "zh-TW"), tmp_path / "settings.json")
        found: list[str] = []

        def told(app) -> bool:  # type: ignore[no-untyped-def]
            found[:] = [b for b in bodies() if "翻譯伺服器目前無法使用" in b]
            return bool(found)

        app = run_app(path, told, seconds=40)
    assert found, bodies()
    text = found[-1]
    print("\n[welcome zh-TW]", text)
    assert "連線被拒" in text and "已啟動" in text and "歡迎使用" in text
    assert not leaks(text, port) and not leaks(app.outage.problem, port)  # type: ignore[attr-defined]
