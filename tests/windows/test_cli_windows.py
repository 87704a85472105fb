"""The command line on Windows, end to end: ``--version``, ``transcribe`` JFK to a file, to a
pipe, to a redirected stdout and to a real console, in both UI languages; whatever the ANSI
code page (scripts/test.sh runs the ``codepage`` tests under cp1252 and under cp950), what the
app prints is UTF-8 (a redirected stdout used to be encoded in the code page: cp1252 raised
UnicodeEncodeError on the first sentence's ``→``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.windows.conftest import (
    CHECKOUT,
    DATA,
    JFK_WORDS,
    ansi_code_page,
    app_command,
    app_env,
    run_app,
    words,
)
from whispertrans_tray import __version__

LANGUAGES = ["en", "zh-TW"]
# What the second run (under cp950, a Traditional Chinese Windows) repeats: each transcription
# costs half a minute under Wine.
ZH_TW_TOO = ["en", pytest.param("zh-TW", marks=pytest.mark.codepage)]
CONSOLE_HOST = CHECKOUT / "tests" / "windows" / "console_host.py"


def test_the_installed_launcher_prints_the_version(tmp_path: Path) -> None:
    here = Path(sys.executable).parent  # a venv's Scripts, or C:\py311 under Wine
    launcher = next((str(p) for p in (here / "whispertrans-tray.exe",
                                      here / "Scripts" / "whispertrans-tray.exe") if p.exists()),
                    shutil.which("whispertrans-tray.exe"))
    assert launcher, "no whispertrans-tray.exe (scripts/wine-env.sh, setup.ps1 install it)"
    result = subprocess.run([launcher, "--version"], env=app_env(tmp_path), capture_output=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert result.stdout.decode("utf-8").strip() == f"whispertrans-tray {__version__}"


@pytest.mark.parametrize("language", ZH_TW_TOO)
def test_transcribe_to_a_pipe_writes_utf8_whatever_the_code_page(tmp_path: Path,
                                                                 language: str) -> None:
    result = run_app(tmp_path, "--ui-language", language, "transcribe", str(DATA / "jfk.flac"))
    errors = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, f"code page {ansi_code_page()}: {errors[-2000:]}"
    text = result.stdout.decode("utf-8")  # strict: cp950's "→" would be b"\xa1\xf6" here
    assert "→" in text
    assert JFK_WORDS in words(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_transcribe_with_stdout_redirected_to_a_file(tmp_path: Path, language: str) -> None:
    """``whispertrans-tray transcribe jfk.flac > out.txt``, as cmd.exe or PowerShell does it."""
    out = tmp_path / "out.txt"
    with out.open("wb") as handle:
        result = subprocess.run(
            app_command("--ui-language", language, "transcribe", str(DATA / "jfk.flac")),
            env=app_env(tmp_path), stdout=handle, stderr=subprocess.PIPE, timeout=300,
            check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    text = out.read_bytes().decode("utf-8")
    assert "→" in text
    assert JFK_WORDS in words(text)


def test_transcribe_to_an_srt_file(tmp_path: Path) -> None:
    srt_path = tmp_path / "jfk.srt"
    result = run_app(tmp_path, "--ui-language", "en", "transcribe",
                     str(DATA / "jfk.flac"), "-o", str(srt_path))
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    import srt

    subtitles = list(srt.parse(srt_path.read_text(encoding="utf-8")))
    assert subtitles and subtitles[0].start.total_seconds() < 1.0
    assert JFK_WORDS in words(" ".join(s.content for s in subtitles))


@pytest.mark.codepage
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_error_on_a_pipe_is_utf8_in_the_ui_language(tmp_path: Path, language: str) -> None:
    """A message in Chinese on a redirected stderr is UTF-8 too (cp1252 would escape it to
    ``\\u....``, cp950 would write Big5)."""
    missing = tmp_path / "沒有這個檔案.wav"
    result = run_app(tmp_path, "--ui-language", language, "transcribe", str(missing))
    assert result.returncode == 1
    message = result.stderr.decode("utf-8")
    assert str(missing) in message
    chinese = any("\u4e00" <= c <= "\u9fff" for c in message.replace(missing.name, ""))
    assert chinese == (language == "zh-TW"), message


@pytest.mark.parametrize("language", ZH_TW_TOO)
def test_transcribe_to_a_console(tmp_path: Path, language: str) -> None:
    """A real console (its own, of the code page under test): the sentence is shown."""
    code_page = ansi_code_page()
    shown = tmp_path / "screen.txt"
    host = subprocess.Popen(
        [sys.executable, str(CONSOLE_HOST), str(code_page), str(shown),
         *app_command("--ui-language", language, "transcribe", str(DATA / "jfk.flac"))],
        env=app_env(tmp_path), creationflags=subprocess.CREATE_NEW_CONSOLE)
    assert host.wait(300) == 0, shown.read_text(encoding="utf-8") if shown.exists() else ""
    status, screen = shown.read_text(encoding="utf-8").split("\n", 1)
    assert status == f"0 {code_page}", screen[-2000:]
    assert "→" in screen
    assert JFK_WORDS in words(screen)
