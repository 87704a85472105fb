"""The settings window's feed section: its fields, and the running app's viewer link with its
QR code (the real window on Xvfb; a screenshot to look at)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.desktop_env import ARTIFACTS
from whispertrans_tray import settings as settings_mod

pytestmark = pytest.mark.usefixtures("desktop")
ROOT = Path(__file__).resolve().parent.parent


def test_the_settings_window_shows_the_feed_and_its_viewer_link(tmp_path: Path) -> None:
    settings = settings_mod.from_dict({"feed": {"enabled": True, "port": 8790, "lan": True}})
    path = settings_mod.save(settings.settings, tmp_path / "settings.json")
    url = "http://192.0.2.10:8790/some-token/"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "webview_feed_driver.py"), str(path), url,
         str(ARTIFACTS / "settings_feed.png")],
        capture_output=True, text=True, timeout=180, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path / "c")})
    lines = [x for x in result.stdout.splitlines() if x.startswith("{")]
    assert lines, result.stderr[-3000:]
    seen = json.loads(lines[-1])
    assert "error" not in seen, seen
    assert seen["port"] == "8790" and seen["lan"] is True
    assert seen["hidden_before"] == "none"  # no app told it a link yet
    assert seen["link"] == f"觀看連結: {url}"
    assert seen["qr_width"] > 150
