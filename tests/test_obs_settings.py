"""The settings window's OBS section: the real window (GTK WebKit2) on Xvfb, its "Test OBS"
against a real OBS Studio, the password saved in the keyring, the fields in the settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop_env import ARTIFACTS
from tests.obs_studio import ObsStudio
from whispertrans_tray import settings as settings_mod

pytestmark = pytest.mark.usefixtures("desktop")
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "obs-窗口-123"


def test_the_obs_section_tests_obs_and_saves_the_password_in_the_keyring(
        tmp_path: Path) -> None:
    studio = ObsStudio(tmp_path / "obs-home", PASSWORD)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"),
           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"}
    path = settings_mod.save(settings_mod.Settings(), tmp_path / "settings.json")
    shot = ARTIFACTS / "settings_window-obs.png"
    try:
        studio.start()
        result = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "webview_obs_driver.py"), str(path),
             studio.url, PASSWORD, str(shot)],
            capture_output=True, text=True, timeout=180, check=False, env=env)
    finally:
        studio.close()
    lines = [x for x in result.stdout.splitlines() if x.startswith("{")]
    assert lines, result.stderr[-3000:]
    seen = json.loads(lines[-1])
    assert "error" not in seen, seen
    assert seen["url_before"] == "ws://127.0.0.1:4455" and not seen["has_password_before"]
    assert seen["no_password"].startswith("bad ") and "需要密碼，但尚未設定" in seen["no_password"]
    assert seen["wrong_source"].startswith("bad ") and "「Subtitels」" in seen["wrong_source"]
    assert seen["ok"] == "ok 已連線到 OBS：字幕寫入文字來源「Subtitles」。"
    assert "ws://主機:端口" in seen["url_error"]
    assert seen["saved"] == "✓ 已儲存"
    saved = settings_mod.load(path).settings
    assert saved.obs.enabled and saved.obs.url == studio.url and saved.obs.source == "Subtitles"
    assert saved.output.live_file == "/tmp/obs-subtitles.txt" and saved.output.live_lines == 3
    assert PASSWORD not in path.read_text(encoding="utf-8")
    stored = subprocess.run(
        [sys.executable, "-c", "from whispertrans_tray import credentials; "
         "print(credentials.stored(credentials.OBS_ENTRY))"],
        capture_output=True, text=True, env=env, timeout=60, check=True)
    assert stored.stdout.strip() == PASSWORD
