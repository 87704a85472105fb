"""End to end: the tray app started with no subcommand, on Xvfb + PulseAudio + a translation
server; a clip played into the speaker sink ends up translated on the overlay."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.app_harness import app_env, app_log, history, wait_for
from tests.conftest import DATA
from tests.desktop_env import screenshot
from tests.pulse import play, write_wav
from tests.servers.fake_openai import FakeServer
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.app.live import read_audio

pytestmark = pytest.mark.usefixtures("desktop", "pulse")


def painted(shot: np.ndarray) -> bool:
    """Whether subtitle text is on the screen (grey levels) at the overlay's default place,
    centred near the bottom."""
    return bool((shot[540:820, 300:1300] > 180).sum() > 800)


def test_loopback_audio_becomes_translated_subtitles(tmp_path: Path, model_cache: Path) -> None:
    wav = write_wav(read_audio(DATA / "jfk.flac"), tmp_path / "jfk.wav")
    with FakeServer("ok", reply="我的美國同胞們，不要問國家能為你做什麼。") as server:
        settings = settings_mod.Settings()
        for dotted, value in (("translation.enabled", True), ("translation.url", server.url),
                              ("translation.model", "test-model"), ("overlay.fade_after_s", 0)):
            settings = settings_mod.replace(settings, dotted, value)
        path = settings_mod.save(settings, tmp_path / "settings.json")
        env = app_env(tmp_path, model_cache)
        cli = [sys.executable, "-m", "whispertrans_tray", "--settings", str(path)]
        app = subprocess.Popen(cli, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
        try:
            log = app_log(tmp_path)
            assert wait_for(lambda: log.exists() and "正在錄音：Speaker" in log.read_text("utf-8"),
                            90), app.stderr.read() if app.poll() is not None else "no start"
            player = play(wav, "spk")
            player.wait(30)
            # the whole clip is transcribed (the last sentence commits after its pause) and
            # translations arrive
            assert wait_for(lambda: any(r["text"] for r in history(tmp_path / "data",
                                                                   "translation"))
                            and "country" in " ".join(str(r["text"]) for r in history(
                                tmp_path / "data", "sentence")).lower(), 120)
            # the app paints in its own process, the compositor after it: the screen is
            # looked at until the subtitle text is there (or the deadline passes)
            shots: list[np.ndarray] = []

            def look() -> bool:
                shots.append(np.asarray(Image.open(screenshot("app_e2e.png")).convert("L")))
                return painted(shots[-1])
            wait_for(look, 30)
            shot = shots[-1]
            second = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=60,
                                    check=False)
        finally:
            app.terminate()
            app.wait(60)  # a loaded machine quits slowly (Tk, the tray, the history)
    sentences = [r["text"] for r in history(tmp_path / "data", "sentence")]
    assert "country" in " ".join(sentences).lower()  # kept in the session history
    # each translation says when it was shown, by the capture's clock, after its sentence
    ends = {r["index"]: r["end"] for r in history(tmp_path / "data", "sentence")}
    shown = [r for r in history(tmp_path / "data", "translation") if r["text"]]
    assert shown and all(ends[r["index"]] < r["first_token_at"] <= r["translated_at"]
                         for r in shown), shown
    # the chat requests (a control post or a stray client on a reused port carries none)
    said = [m["content"] for req in server.requests if "messages" in req
            for m in req["messages"][-1:]]
    assert any("country" in text.lower() for text in said)
    assert painted(shot), "subtitle text is painted"
    assert second.returncode == 0 and "已在執行中" in second.stderr  # single instance
