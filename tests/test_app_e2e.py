"""End to end: the tray app started with no subcommand, on Xvfb + PulseAudio + a translation
server; a clip played into the speaker sink ends up translated on the overlay."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import DATA
from tests.desktop_env import screenshot
from tests.pulse import play, write_wav
from tests.servers.fake_openai import FakeServer
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.app.live import read_audio

pytestmark = pytest.mark.usefixtures("desktop", "pulse")


def wait_for(predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def records(folder: Path) -> list[dict[str, object]]:
    files = sorted((folder / "history").glob("session-*.jsonl"))
    if not files:
        return []
    return [json.loads(line) for line in files[-1].read_text("utf-8").splitlines()
            if line.endswith("}")]


def test_loopback_audio_becomes_translated_subtitles(tmp_path: Path, model_cache: Path) -> None:
    wav = write_wav(read_audio(DATA / "jfk.flac"), tmp_path / "jfk.wav")
    with FakeServer("ok", reply="我的美國同胞們，不要問國家能為你做什麼。") as server:
        settings = settings_mod.Settings()
        for dotted, value in (("translation.enabled", True), ("translation.url", server.url),
                              ("translation.model", "test-model"), ("overlay.fade_after_s", 0)):
            settings = settings_mod.replace(settings, dotted, value)
        path = settings_mod.save(settings, tmp_path / "settings.json")
        env = {**os.environ, "WHISPERTRANS_DATA_DIR": str(tmp_path / "data"),
               "WHISPERTRANS_CACHE_DIR": str(model_cache),
               "WHISPERTRANS_LOG_DIR": str(tmp_path / "logs"),
               "XDG_CACHE_HOME": str(tmp_path / "cache"),
               "TMPDIR": str(tmp_path)}  # the single-instance lock: this test's own
        env.pop("XDG_RUNTIME_DIR", None)
        cli = [sys.executable, "-m", "whispertrans_tray", "--settings", str(path)]
        app = subprocess.Popen(cli, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
        try:
            log = tmp_path / "logs" / "whispertrans-tray.log"
            assert wait_for(lambda: log.exists() and "正在錄音：Speaker" in log.read_text("utf-8"),
                            90), app.stderr.read() if app.poll() is not None else "no start"
            player = play(wav, "spk")
            player.wait(30)
            # the whole clip is transcribed (the last sentence commits after its pause) and
            # translations arrive
            assert wait_for(lambda: any(r["type"] == "translation" and r["text"]
                                        for r in records(tmp_path / "data"))
                            and "country" in " ".join(str(r["text"]) for r in records(
                                tmp_path / "data") if r["type"] == "sentence").lower(), 60)
            time.sleep(1.0)
            shot = np.asarray(Image.open(screenshot("app_e2e.png")).convert("L"))
            second = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=60,
                                    check=False)
        finally:
            app.terminate()
            app.wait(10)
    sentences = [r["text"] for r in records(tmp_path / "data") if r["type"] == "sentence"]
    assert "country" in " ".join(sentences).lower()  # kept in the session history
    said = [m["content"] for req in server.requests for m in req["messages"][-1:]]
    assert any("country" in text.lower() for text in said)
    overlay = shot[540:820, 300:1300]  # the default place: centred near the bottom
    assert (overlay > 180).sum() > 800, "subtitle text is painted"
    assert second.returncode == 0 and "已在執行中" in second.stderr  # single instance
