"""The one-folder bundle (installer/whispertrans-tray.spec), built once per session with
PyInstaller into a temp folder, then run: ``--version``, ``transcribe`` on a clip with the
model it carries, and the tray app on Xvfb + PulseAudio (overlay shown, a clip played into the
speaker transcribed, quit on SIGTERM)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import srt

from tests.app_harness import app_env, app_log, history, wait_for
from tests.conftest import DATA
from tests.desktop_env import ARTIFACTS
from tests.pulse import play, write_wav
from whispertrans_tray import __version__
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.app.live import read_audio

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "whispertrans-tray.spec"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="session")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built bundle folder; the build time and size go to tests/artifacts/bundle.txt."""
    work = tmp_path_factory.mktemp("bundle")
    start = time.monotonic()
    built = subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build")],
        capture_output=True, text=True, timeout=1800, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds = time.monotonic() - start
    assert built.returncode == 0, built.stderr[-4000:]
    folder = work / "dist" / "WhisperTrans Tray"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "bundle.txt").write_text(
        f"PyInstaller build: {seconds:.0f} s; bundle: {folder_size(folder) / 2**20:.0f} MiB\n")
    return folder


def clean_env(tmp_path: Path) -> dict[str, str]:
    """No PYTHONPATH (the bundle must not need this checkout), fresh app folders, and this
    test's own single-instance lock (TMPDIR without XDG_RUNTIME_DIR)."""
    return {k: v for k, v in app_env(tmp_path).items() if k != "PYTHONPATH"}


def test_the_bundle_runs_the_cli_on_the_model_it_carries(bundle: Path, tmp_path: Path) -> None:
    app = bundle / "whispertrans-tray"
    env = clean_env(tmp_path)
    version = subprocess.run([str(app), "--version"], capture_output=True, text=True,
                             timeout=60, env=env, cwd=tmp_path, check=False)
    assert version.stdout.strip() == f"whispertrans-tray {__version__}", version.stderr
    out = tmp_path / "jfk.srt"
    done = subprocess.run([str(app), "--ui-language", "en", "transcribe", str(DATA / "jfk.flac"),
                           "-o", str(out)], capture_output=True, text=True, timeout=300,
                          env=env, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    said = " ".join(line.content for line in srt.parse(out.read_text("utf-8"))).lower()
    assert "fellow americans" in said and "what your country can do for you" in said
    # the joined model inside the bundle is used in place: no first-start copy
    assert not (tmp_path / "cache").exists()
    assert (bundle / "_internal" / "models" / "whisper-base-ct2" / "model.bin").is_file()
    assert (bundle / "_internal" / "whispertrans_tray" / "desktop" / "settings_window" / "web"
            / "settings.html").is_file()


def sentences(folder: Path) -> str:
    return " ".join(str(r["text"]) for r in history(folder / "data", "sentence")).lower()


@pytest.mark.usefixtures("desktop", "pulse")
def test_the_bundled_tray_app_shows_subtitles_and_quits_on_sigterm(
        bundle: Path, tmp_path: Path) -> None:
    wav = write_wav(read_audio(DATA / "jfk.flac"), tmp_path / "jfk.wav")
    path = settings_mod.save(settings_mod.replace(settings_mod.Settings(),
                                                  "overlay.fade_after_s", 0),
                             tmp_path / "settings.json")
    env = clean_env(tmp_path)
    log = app_log(tmp_path)
    app = subprocess.Popen([str(bundle / "whispertrans-tray"), "--settings", str(path)],
                           env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: log.exists() and "正在錄音：Speaker" in log.read_text("utf-8"),
                        90), app.stderr.read() if app.poll() is not None else "no start"
        shown = subprocess.run(["xdotool", "search", "--onlyvisible", "--class",
                                "WhisperTrans"], capture_output=True, text=True, check=False)
        assert shown.stdout.split(), "the overlay window is on screen"
        play(wav, "spk").wait(30)
        assert wait_for(lambda: "country" in sentences(tmp_path), 120)  # decoded late when busy
        app.send_signal(signal.SIGTERM)
        code = app.wait(60)  # the quit deadline and its grace, on a loaded machine
    finally:
        if app.poll() is None:
            app.kill()
            app.wait(10)
    assert code == 0, app.stderr.read()[-3000:]
    assert "Traceback" not in log.read_text("utf-8")
