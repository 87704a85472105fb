"""A password in a URL (``http://user:password@host/v1``) and the HTTP Basic credentials made
of it (``Authorization: Basic …``, which a careless server echoes) are masked wherever keys
are: the screen (stdout, stderr), the log file, the session history, subtitle files, desktop
notifications, the overlay's status line and the tray tooltip.  Real processes, a real server
on 127.0.0.1 that echoes the Authorization header, a real tray on Xvfb and PulseAudio."""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.app_harness import history, recording_app, wait_for
from tests.conftest import DATA
from tests.pulse import play, private_sink, write_wav
from tests.servers.fake_openai import FakeServer
from tests.test_tray import Recorder, dunst_history
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.logs import redact

CLI = [sys.executable, "-m", "whispertrans_tray"]
USER, PASSWORD = "alice", "Pa55-w0rd-7f3a"
BASIC = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def with_userinfo(url: str) -> str:
    return url.replace("http://", f"http://{USER}:{PASSWORD}@", 1)


def assert_clean(*texts: str) -> None:
    for text in texts:
        assert PASSWORD not in text and BASIC not in text


@pytest.mark.parametrize(("text", "masked"), [
    ("http://alice:pw@host:8000/v1", "http://***@host:8000/v1"),
    ("at https://u:p@ss@[::1]:80/v1/x and http://h/v1", "at https://***@[::1]:80/v1/x and "
     "http://h/v1"),
    (f"{{'authorization': 'Basic {BASIC}'}}", "{'authorization': 'Basic ***'}"),
    (f"authorization: basic {BASIC}", "authorization: basic ***"),
    ("Basic settings are kept, and basic words too", "Basic settings are kept, and basic "
     "words too"),
    ("mail alice@example.com; http://h/v1?to=a@b", "mail alice@example.com; http://h/v1?to=a@b"),
])
def test_url_passwords_and_basic_credentials_are_masked(text: str, masked: str) -> None:
    assert redact(text) == masked


def test_an_endpoint_label_has_no_password() -> None:
    endpoint = settings_mod.Endpoint("custom", with_userinfo("http://box:8000/v1"), "m")
    assert endpoint.label == "m @ box:8000"


def run(*args: str, home: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(home), "WHISPERTRANS_CACHE_DIR": str(cache),
           "WHISPERTRANS_DATA_DIR": str(home / "data"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    return subprocess.run([*CLI, "-v", *args], capture_output=True, text=True, env=env,
                          timeout=300, check=False)


@pytest.mark.parametrize("mode", ["ok", "echo_auth"])
def test_test_connection_never_shows_a_url_password(tmp_path: Path, model_cache: Path,
                                                   mode: str) -> None:
    settings = tmp_path / "settings.json"  # a fallback row of the wrong shape is quoted
    settings.write_text(json.dumps({"translation": {"fallbacks": [
        ["custom", with_userinfo("http://box:8000/v1"), "m", "extra"]]}}), "utf-8")
    with FakeServer(mode) as server:
        result = run("--ui-language", "en", "--settings", str(settings), "test-connection",
                     "--url", with_userinfo(server.url), "--model", "test-model",
                     home=tmp_path, cache=model_cache)
    assert server.headers_seen[0]["authorization"] == f"Basic {BASIC}"  # it was sent
    assert_clean(result.stdout, result.stderr)
    assert ("✓ Connected" in result.stdout) == (mode == "ok"), result.stderr[-2000:]
    if mode == "echo_auth":
        assert "Basic ***" in result.stderr
    assert "http://***@box:8000/v1" in result.stderr  # the bad row, named


def test_transcribe_writes_no_url_password_anywhere(tmp_path: Path, model_cache: Path) -> None:
    """The echoed credentials in each failed translation: not on the screen, not in the
    subtitle file, not in the session history."""
    out = tmp_path / "jfk.jsonl"
    with FakeServer("echo_auth") as server:
        result = run("--ui-language", "zh-TW", "transcribe", str(DATA / "jfk.flac"), "-o",
                     str(out), "--translate", "--url", with_userinfo(server.url), "--model",
                     "test-model", home=tmp_path, cache=model_cache)
    assert result.returncode == 0, result.stderr[-2000:]
    assert server.headers_seen and server.headers_seen[0]["authorization"] == f"Basic {BASIC}"
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert rows and all("Basic ***" in r["translation_error"] for r in rows)
    written = [p.read_text("utf-8") for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert any("Basic ***" in text for text in written)  # the history has the errors
    assert_clean(out.read_text("utf-8"), result.stdout, result.stderr, *written)


@pytest.mark.usefixtures("desktop")
def test_the_tooltip_masks_a_url_password() -> None:
    from whispertrans_tray.desktop.tray import Tray

    recorder = Recorder()
    recorder.state = dataclasses.replace(
        recorder.state, endpoint=f"m @ {with_userinfo('http://box:8000/v1')}",
        problem=f"the server said: Authorization: Basic {BASIC}")
    tray = Tray(lambda: recorder.state, recorder.actions())
    try:
        tray.refresh()
        assert "***" in tray.icon.title
        assert_clean(tray.icon.title)
    finally:
        tray.stop()


@pytest.mark.usefixtures("desktop", "pulse")
def test_the_tray_shows_and_logs_no_url_password(tmp_path: Path, model_cache: Path) -> None:
    """JFK played into the tray's own sink, translated through a server that echoes the
    credentials: the notification, the overlay status, the log file and the history are
    clean."""
    from whispertrans_tray.app.live import read_audio

    wav = write_wav(read_audio(DATA / "jfk.flac"), tmp_path / "jfk.wav")
    with FakeServer("echo_auth") as server, private_sink("secret") as sink:
        settings = settings_mod.Settings()
        for dotted, value in (("ui_language", "en"), ("asr.language", "en"),
                              ("audio.device", sink), ("translation.enabled", True),
                              ("translation.url", with_userinfo(server.url)),
                              ("translation.model", "test-model")):
            settings = settings_mod.replace(settings, dotted, value)
        path = settings_mod.save(settings, tmp_path / "settings.json")
        with recording_app(tmp_path, path, sink, model_cache, "-v") as (_, log):
            player = play(wav, sink)
            try:
                assert wait_for(lambda: any(
                    row.get("error") for row in history(tmp_path / "data", "translation")),
                    90), (tmp_path / "stderr.txt").read_text()[-3000:]
                deadline = time.monotonic() + 30
                while "Basic ***" not in dunst_history() and time.monotonic() < deadline:
                    time.sleep(0.3)
                shown = dunst_history()
            finally:
                player.kill()
    assert server.headers_seen[0]["authorization"] == f"Basic {BASIC}"
    assert "Basic ***" in shown
    logged = log.read_text("utf-8")
    assert "***" in logged
    stored = [p.read_text("utf-8") for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert_clean(shown, logged, (tmp_path / "stderr.txt").read_text(), *stored)
