"""The translation server goes away mid-talk and comes back: the tray app on Xvfb, speech
played into a PulseAudio null sink, the bundled Whisper model, a real HTTP server.

The viewer keeps reading every sentence in the big line with one quiet status; the cause and
fix are told once (notification, tooltip, log); the server's return is told once."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.app_harness import pump_until, tray_app
from tests.conftest import DATA
from tests.desktop_env import screenshot
from tests.pulse import play, write_wav
from tests.servers._http import free_port
from tests.servers.fake_openai import FakeServer
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.app.live import read_audio

pytestmark = pytest.mark.usefixtures("desktop", "pulse")


def overlay_texts(app) -> list[str]:  # type: ignore[no-untyped-def]
    canvas = app.overlay.canvas
    return [canvas.itemcget(i, "text") for i in canvas.find_all()
            if canvas.type(i) == "text" and canvas.itemcget(i, "text")]


def test_server_unplugged_mid_talk_then_back(tmp_path: Path, model_cache: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture,
                                             own_sink: str) -> None:
    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(tmp_path / "data"))
    caplog.set_level(logging.INFO, logger="whispertrans_tray.app.translation_view")
    caplog.set_level(logging.INFO, logger="whispertrans_tray.desktop.audio")
    port = free_port()  # nothing listens here yet: connection refused, as when unplugged
    settings = settings_mod.Settings(ui_language="en")
    for dotted, value in (("translation.enabled", True),
                          ("translation.url", f"http://127.0.0.1:{port}/v1/chat/completions"),
                          ("translation.model", "test-model"), ("translation.timeout_s", 3.0),
                          ("overlay.fade_after_s", 0), ("overlay.max_lines", 2),
                          ("audio.device", own_sink)):  # loopback of the test's own speaker
        settings = settings_mod.replace(settings, dotted, value)
    path = settings_mod.save(settings, tmp_path / "settings.json")
    jfk = write_wav(read_audio(DATA / "jfk.flac"), tmp_path / "jfk.wav")
    libri = write_wav(read_audio(DATA / "en_librispeech.wav"), tmp_path / "libri.wav")
    with tray_app(path) as app:
        app.tray = app.parts.tray(app.tray_state, app.commands.tray_actions())
        app.tray.start()
        app.translation.start()
        app.recording.start()
        # the capture records (the status says so) before anything is played
        assert pump_until(app, lambda: any(r.getMessage() == f"Recording: {own_sink}"
                                           for r in caplog.records), 120), app.overlay.status
        player = play(jfk, own_sink)
        assert pump_until(app, lambda: player.poll() is not None, 30)
        player = play(libri, own_sink)
        assert pump_until(app, lambda: player.poll() is not None, 30)

        def failed() -> list:  # type: ignore[type-arg]
            return [line for line in app.subtitles.lines if line.status == "failed"]
        assert pump_until(app, lambda: len(failed()) >= 2, 120), app.subtitles.lines

        # every sentence said is on screen in the big line, with one short status
        big = [app.overlay.canvas.itemcget(large, "text") for large, _ in app.overlay.line_items]
        shown_failed = [line for line in app.subtitles.visible() if line.status == "failed"]
        assert shown_failed
        for line in shown_failed:
            assert line.sentence.text in big
        status = app.overlay.canvas.itemcget(app.overlay.status_item, "text")
        assert status == "Translation server unreachable · subtitles go on"
        for bad in ("Errno", "Error(", "Traceback", f":{port}", "Check that"):
            assert not any(bad in text for text in overlay_texts(app)), bad
        said = {word.strip(".,?!").lower() for line in app.subtitles.visible()
                for word in line.sentence.text.split() if len(word.strip(".,?!")) >= 5}

        def ocr() -> str:
            """The subtitle window as read from the screen (the compositor paints it in its
            own time, so what Tk drew may reach the screen a moment later)."""
            shot = screenshot("app_translation_down.png")
            ox, oy = app.root.winfo_rootx(), app.root.winfo_rooty()
            crop = Image.open(shot).crop((ox, oy, ox + app.root.winfo_width(),
                                          oy + app.root.winfo_height()))
            crop.resize((crop.width * 2, crop.height * 2)).save(tmp_path / "crop.png")
            return subprocess.run(["tesseract", str(tmp_path / "crop.png"), "-", "-l", "eng"],
                                  capture_output=True, text=True, check=True,
                                  timeout=120).stdout
        reads = [ocr()]
        while not ("unreachable" in reads[-1].lower()
                   and any(w in reads[-1].lower() for w in said)) and len(reads) < 5:
            pump_until(app, lambda: False, 1.0)
            reads.append(ocr())
        read = reads[-1]
        assert "unreachable" in read.lower() and any(w in read.lower() for w in said), reads
        for bad in ("Errno", "Error(", "refused", "Check that", str(port)):
            assert bad not in read, read
        # the cause and the fix: told once, in the log and the tray tooltip
        down = [r for r in caplog.records if "Translation is down" in r.getMessage()]
        assert len(down) == 1, [r.getMessage() for r in down]
        assert "Cannot connect to the translation server" in down[0].getMessage()
        assert "Cannot connect to the translation server" in app.tray.icon.title
        assert app.outage.problem.startswith("Cannot connect")

        # the server comes back: the next sentence is translated, "resumed" is said once
        with FakeServer("ok", reply="所以，我的美國同胞們。", port=port):
            player = play(jfk, own_sink)
            assert pump_until(app, lambda: player.poll() is not None, 30)
            assert pump_until(app, lambda: any(line.status == "done"
                                               for line in app.subtitles.lines), 120)
            # the translation is painted (a late one of a line no longer shown is not) and
            # the outage's status line gives way (to "resumed", or since to a lag notice)
            assert pump_until(app, lambda: "所以，我的美國同胞們。" in overlay_texts(app), 120), \
                overlay_texts(app)
            assert pump_until(app, lambda: "unreachable" not in app.overlay.status, 30), \
                app.overlay.status
        resumed = [r for r in caplog.records if r.getMessage() == "Translation resumed"]
        assert len(resumed) == 1  # the status line and a notification said it, once
        assert not app.outage.active and "Cannot connect" not in app.tray.icon.title
