"""Values that cannot be used are named and nothing stops.  A URL that cannot even be parsed
(``http://[::1``: an IPv6 host without its ``]``) is named with the field it is in, in the UI
language: each command that reads it (a real process) and the tray app (a real process on
Xvfb and PulseAudio) keeps going.  So does the tray with a spoken language Whisper does not
know (``asr.language: "xx"``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app_harness import recording_app, wait_for
from tests.conftest import DATA
from tests.pulse import private_sink
from tests.test_tray import dunst_history
from whispertrans_tray import settings as settings_mod

CLI = [sys.executable, "-m", "whispertrans_tray"]
BAD = "http://[::1"
TRANSLATION_EN = f"The API URL '{BAD}' is not valid: its host is malformed"
ASR_EN = f"The recognition server URL '{BAD}' is not valid: its host is malformed"


def run(*args: str, home: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(home), "WHISPERTRANS_CACHE_DIR": str(cache),
           "WHISPERTRANS_DATA_DIR": str(home / "data"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=300,
                          check=False)


@pytest.mark.parametrize(("args", "told"), [
    (["test-connection", "--url", BAD, "--api-key", "k-123456"], TRANSLATION_EN),
    (["test-asr", "--asr-url", BAD], ASR_EN),
    (["transcribe", str(DATA / "jfk.flac"), "--translate", "--url", BAD], TRANSLATION_EN)])
def test_each_command_names_an_unparsable_url(tmp_path: Path, model_cache: Path,
                                              args: list[str], told: str) -> None:
    result = run("--ui-language", "en", *args, home=tmp_path, cache=model_cache)
    assert result.returncode == 1 and told in result.stderr + result.stdout
    assert "Traceback" not in result.stderr and "ValueError" not in result.stderr
    chinese = run("--ui-language", "zh-TW", *args, home=tmp_path, cache=model_cache)
    assert "方括號" in chinese.stderr + chinese.stdout and "Traceback" not in chinese.stderr


@pytest.mark.usefixtures("desktop", "pulse")
def test_the_tray_starts_records_and_names_unparsable_urls(tmp_path: Path,
                                                           model_cache: Path) -> None:
    """Translation on, recognition on a remote server, both URLs unparsable: the tray says so
    (a notification) and records with the local model."""
    with private_sink("badurl") as sink:
        settings = settings_mod.Settings()
        for dotted, value in (("ui_language", "en"), ("audio.device", sink),
                              ("translation.enabled", True), ("translation.url", BAD),
                              ("asr.backend", "remote"), ("asr.remote_url", BAD)):
            settings = settings_mod.replace(settings, dotted, value)
        path = settings_mod.save(settings, tmp_path / "settings.json")
        with recording_app(tmp_path, path, sink, model_cache) as (app, log):
            assert wait_for(lambda: TRANSLATION_EN in dunst_history(), 30)
            assert app.poll() is None  # still running
        text = log.read_text("utf-8") + (tmp_path / "stderr.txt").read_text()
        assert "Traceback" not in text and "Recording worker failed" not in text


def test_an_unparsable_recognition_server_url_decodes_locally(tmp_path: Path,
                                                              model_cache: Path) -> None:
    out = tmp_path / "jfk.txt"
    result = run("--ui-language", "en", "transcribe", str(DATA / "jfk.flac"), "--asr", "remote",
                 "--asr-url", BAD, "-o", str(out), home=tmp_path, cache=model_cache)
    assert result.returncode == 0, result.stderr[-2000:]
    assert ASR_EN in result.stderr and "asr.remote_url" in result.stderr
    assert "what you can do for your country" in out.read_text("utf-8").lower()


@pytest.mark.usefixtures("desktop", "pulse")
def test_the_tray_records_with_a_spoken_language_whisper_does_not_know(
        tmp_path: Path, model_cache: Path) -> None:
    """``asr.language: "xx"`` in the file once made every decode fail ("Recording worker
    failed", an empty history): it is named, ``auto`` is used and the speech is written."""
    from tests.app_harness import history
    from tests.pulse import play, write_wav
    from whispertrans_tray.app.live import read_audio

    wav = write_wav(read_audio(DATA / "jfk.flac"), tmp_path / "jfk.wav")
    with private_sink("badlang") as sink:
        path = tmp_path / "settings.json"
        path.write_text(json.dumps({"ui_language": "en", "asr": {"language": "xx"},
                                    "audio": {"device": sink}}), "utf-8")
        with recording_app(tmp_path, path, sink, model_cache) as (_, log):
            player = play(wav, sink)
            try:
                assert wait_for(lambda: any("your country" in str(row["text"]).lower() for row
                                            in history(tmp_path / "data", "sentence")), 90), \
                    log.read_text("utf-8")[-3000:]
            finally:
                player.kill()
    told = (tmp_path / "stderr.txt").read_text()
    assert "Setting 'asr.language' has an invalid value 'xx'" in told
    assert "Recording worker failed" not in log.read_text("utf-8")
