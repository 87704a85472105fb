"""Command-line flags are checked like settings, and ``--ui-language`` decides every message:
a real process, real files, a real server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA
from tests.servers.fake_openai import FakeServer

CLI = [sys.executable, "-m", "whispertrans_tray"]


def run(*args: str, home: Path, cache: Path | None = None,
        **extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(home),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring", **extra}
    if cache is not None:
        env["WHISPERTRANS_CACHE_DIR"] = str(cache)
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=300,
                          check=False)


@pytest.mark.parametrize(
    ("flags", "flag", "lang", "words"),
    [(["--beam-size", "0"], "--beam-size 0", "en", "from 1 to 10"),
     (["--temperature", "nan"], "--temperature nan", "en", "from 0 to 2"),
     (["--temperature", "inf"], "--temperature inf", "zh-TW", "命令列選項"),
     (["--threads", "-1"], "--threads -1", "zh-TW", "0 到 64")],
)
def test_a_flag_out_of_range_is_named_before_any_work(tmp_path: Path, model_cache: Path,
                                                      flags: list[str], flag: str, lang: str,
                                                      words: str) -> None:
    result = run("--ui-language", lang, "transcribe", str(DATA / "jfk.flac"), *flags,
                 "-o", str(tmp_path / "out.srt"), home=tmp_path, cache=model_cache)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    name, value = flag.split()
    assert name in result.stderr and value in result.stderr and words in result.stderr
    assert not (tmp_path / "out.srt").exists()


def test_the_ui_language_flag_decides_the_settings_messages(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text("{broken", encoding="utf-8")
    chinese = tmp_path / "chinese.json"  # a file that says zh-TW, with one bad field
    chinese.write_text(json.dumps({"ui_language": "zh-TW", "asr": {"beam_size": 0}}),
                       encoding="utf-8")
    with FakeServer("ok") as server:
        flags = ["test-connection", "--url", server.url, "--model", "test-model"]
        broken = run("--ui-language", "en", "--settings", str(corrupt), *flags, home=tmp_path)
        bad_field = run("--ui-language", "en", "--settings", str(chinese), *flags, home=tmp_path)
        in_chinese = run("--settings", str(chinese), *flags, home=tmp_path)
    assert broken.returncode == 0 and "is corrupt" in broken.stderr
    assert "已損毀" not in broken.stderr and "✓ Connected" in broken.stdout
    assert "Setting 'asr.beam_size'" in bad_field.stderr and "設定欄位" not in bad_field.stderr
    assert "設定欄位「asr.beam_size」" in in_chinese.stderr  # without the flag: the file's


@pytest.mark.parametrize(("flags", "lang", "words"), [
    (["--compute-type", "bogus"], "en", "one of auto, default, int8"),
    (["--compute-type", "float8"], "zh-TW", "必須是以下之一：auto, default, int8"),
    (["--language", "xx"], "en", "Whisper knows no such language"),
    (["--language", "klingon"], "zh-TW", "Whisper 不認得這個語言")])
def test_a_bad_choice_flag_is_named_not_blamed_on_the_model(tmp_path: Path, model_cache: Path,
                                                            flags: list[str], lang: str,
                                                            words: str) -> None:
    """``--compute-type bogus`` once said the model files were damaged; ``--language xx`` was
    a ValueError traceback."""
    result = run("--ui-language", lang, "-v", "transcribe", str(DATA / "jfk.flac"), *flags,
                 "-o", str(tmp_path / "out.srt"), home=tmp_path, cache=model_cache)
    assert result.returncode == 1, result.stderr[-2000:]
    assert flags[0] in result.stderr and flags[1] in result.stderr and words in result.stderr
    assert "Traceback" not in result.stderr and "damaged" not in result.stderr
    assert "Loaded Whisper" not in result.stderr and not (tmp_path / "out.srt").exists()


def test_an_unknown_spoken_language_in_the_settings_is_named_and_the_work_goes_on(
        tmp_path: Path, model_cache: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"asr": {"language": "xx"}}), encoding="utf-8")
    out = tmp_path / "jfk.txt"
    result = run("--ui-language", "en", "--settings", str(settings), "transcribe",
                 str(DATA / "jfk.flac"), "-o", str(out), home=tmp_path, cache=model_cache)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Setting 'asr.language' has an invalid value 'xx'" in result.stderr
    assert "Traceback" not in result.stderr and "ValueError" not in result.stderr
    assert "what you can do for your country" in out.read_text("utf-8").lower()
    language = run("--ui-language", "en", "--settings", str(settings), "transcribe",
                   str(DATA / "jfk.flac"), "--language", "English", "-o", str(out),
                   home=tmp_path, cache=model_cache)
    assert language.returncode == 0, language.stderr[-2000:]


@pytest.mark.parametrize(
    ("args", "flag", "needs", "lang"),
    [(["transcribe", str(DATA / "jfk.flac"), "--feed", "8765"], "--feed", "--realtime", "en"),
     (["transcribe", str(DATA / "jfk.flac"), "--live-file", "LIVE"], "--live-file",
      "--realtime", "zh-TW"),
     (["listen", "--source", "mic", "--mic", "Some mic"], "--mic", "--source both", "en"),
     (["listen", "--speaker", "Some speaker"], "--speaker", "--source both", "zh-TW"),
     (["listen", "--replay", str(DATA / "jfk.flac"), "--source", "both"], "--source",
      "--replay", "en")],
)
def test_a_flag_that_would_do_nothing_is_named_with_what_it_needs(
        tmp_path: Path, args: list[str], flag: str, needs: str, lang: str) -> None:
    live = tmp_path / "live.txt"
    args = [str(live) if a == "LIVE" else a for a in args]
    result = run("--ui-language", lang, *args, home=tmp_path)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert flag in result.stderr and needs in result.stderr
    assert ("命令列選項" in result.stderr) == (lang == "zh-TW")
    assert not live.exists()


@pytest.mark.usefixtures("pulse")
def test_mic_alone_picks_the_microphone_of_a_saved_both(tmp_path: Path) -> None:
    """--mic without --source applies to the saved source "both" (it used to be ignored): the
    microphone named is looked for, and its absence is what the message names."""
    saved = tmp_path / "both.json"
    saved.write_text(json.dumps({"audio": {"source": "both"}}), encoding="utf-8")
    # the daemon is found through the real config folder's runtime link, not tmp_path's
    server = subprocess.run(["pactl", "info"], capture_output=True, text=True, check=True)
    address = next(line.split(": ", 1)[1] for line in server.stdout.splitlines()
                   if line.startswith("Server String"))
    result = run("--ui-language", "en", "--settings", str(saved), "listen", "--mic",
                 "No Such Microphone 42", "--duration", "1", home=tmp_path,
                 PULSE_SERVER=address)
    assert result.returncode == 1, result.stderr[-2000:]
    assert "No Such Microphone 42" in result.stderr and "Traceback" not in result.stderr
