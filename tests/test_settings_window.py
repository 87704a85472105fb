"""The settings window: the real pywebview window (GTK WebKit2) on Xvfb, driven through its
page, talking to a real OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop_env import ARTIFACTS
from tests.servers.fake_asr import FakeAsrServer
from tests.servers.fake_openai import FakeServer
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.desktop.settings_window import SAVED, listen

pytestmark = pytest.mark.usefixtures("desktop")
ROOT = Path(__file__).resolve().parent.parent


def test_settings_window_edits_tests_and_saves(tmp_path: Path) -> None:
    path = settings_mod.save(settings_mod.Settings(), tmp_path / "settings.json")
    login = tmp_path / "config" / "autostart" / "whispertrans-tray.desktop"
    with FakeServer("ok") as server, FakeAsrServer("slow") as asr:
        result = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "webview_driver.py"), str(path), server.url,
             str(ARTIFACTS / "settings_window"), asr.url],
            capture_output=True, text=True, timeout=180, check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT),
                 "XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert SAVED in result.stdout.splitlines(), "the window tells the app after a save"
    lines = [x for x in result.stdout.splitlines() if x.startswith("{")]
    assert lines, result.stderr[-3000:]
    seen = json.loads(lines[-1])
    assert "error" not in seen, seen
    assert seen["title"] == "WhisperTrans 設定"
    assert seen["url_before"] == "http://localhost:8000/v1/chat/completions"
    # the app's translation problem (cause and fix) waits in the 測試連線 area
    assert seen["notice"] == "bad " + seen["notice_sent"]
    # the style preview: a box (no outline), then outlined text with no box
    shadow, background = seen["preview_box"]
    assert shadow == "none" and background not in ("transparent", "rgba(0, 0, 0, 0)")
    shadow, background = seen["preview_outline"]
    assert shadow.count("rgb(0, 0, 0)") >= 8 and background in ("transparent", "rgba(0, 0, 0, 0)")
    assert seen["url_ollama"] == "http://localhost:11434/v1/chat/completions"  # auto-filled
    assert seen["connection"].startswith("✓ 連線成功！")
    assert seen["active"] == ""  # no app told it an endpoint yet
    assert seen["active_later"] == "翻譯：test-model @ 127.0.0.1:2"
    first, second = seen["connection_each"].splitlines()  # 測試連線 tests each entry
    assert first.startswith("1. ") and second.startswith("2. ") and "✓ 連線成功！" in second
    assert seen["asr_connection"].startswith("✓ 連線成功！") and "ms" in seen["asr_connection"]
    assert "ftp://nowhere" in seen["url_error"]  # the message sits next to the field
    assert seen["saved"] == "✓ 已儲存"
    assert seen["autostart_before"] is False and login.is_file()  # 登入時啟動, saved
    saved = settings_mod.load(path).settings
    assert saved.overlay.font_size == 30
    assert saved.translation.drafts  # 顯示翻譯草稿, a check box like the others
    assert saved.translation.provider == "ollama" and saved.translation.url == server.url
    assert saved.translation.fallbacks == (("ollama", server.url, "test-model"),)
    assert saved.asr.backend == "remote" and saved.asr.remote_url == asr.url
    assert seen["title_en"] == "WhisperTrans settings"


def test_the_app_hears_each_save_over_the_pipe() -> None:
    """What the app runs on the window process's stdout (the saves, in between other output)."""
    saves: list[float] = []
    child = subprocess.Popen(
        [sys.executable, "-c", f"print({SAVED!r}); print('GTK says hello'); print({SAVED!r})"],
        stdout=subprocess.PIPE, text=True)
    listen(child, lambda: saves.append(0.0))
    assert len(saves) == 2 and child.returncode == 0
