"""One app per user, whatever ``HOME`` says: real processes, real locks, real signals."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="XDG_RUNTIME_DIR is Linux's")


def tray_env(tmp_path: Path, home: Path, cache: Path) -> dict[str, str]:
    """A tray app's environment without XDG_RUNTIME_DIR and without XDG_CACHE_HOME, so only
    HOME tells the two starts apart (the temp folder is the test's own)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("XDG_RUNTIME_DIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")}
    home.mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), TMPDIR=str(tmp_path / "tmp"), WHISPERTRANS_CACHE_DIR=str(cache),
               WHISPERTRANS_DATA_DIR=str(home / "data"), WHISPERTRANS_LOG_DIR=str(home / "logs"),
               PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    return env


@pytest.mark.usefixtures("desktop")
def test_the_same_user_with_another_home_finds_the_running_app(tmp_path: Path,
                                                               model_cache: Path) -> None:
    (tmp_path / "tmp").mkdir()
    cli = [sys.executable, "-m", "whispertrans_tray", "--ui-language", "en", "tray", "--idle"]
    first_home, second_home = tmp_path / "home-a", tmp_path / "home-b"
    first = subprocess.Popen(cli, env=tray_env(tmp_path, first_home, model_cache),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        log = first_home / "logs" / "whispertrans-tray.log"
        end = time.monotonic() + 60
        while not (log.exists() and " started" in log.read_text("utf-8")):
            assert first.poll() is None and time.monotonic() < end, "the first app did not start"
            time.sleep(0.2)
        second = subprocess.Popen(cli, env=tray_env(tmp_path, second_home, model_cache),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            _, err = second.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()
            second.communicate()
            pytest.fail("a second app started: the lock followed HOME, not the user")
        assert second.returncode == 0 and "already running" in err
        lock = tmp_path / "tmp" / f"whispertrans-tray-{os.getuid()}" / "instance.lock"
        assert lock.exists()
        assert stat.S_IMODE(lock.parent.stat().st_mode) == 0o700  # private to the user
    finally:
        first.send_signal(signal.SIGTERM)
        try:
            first.wait(15)
        except subprocess.TimeoutExpired:
            first.kill()
            first.wait()


def test_the_runtime_folder_is_per_user_and_private(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from whispertrans_tray.desktop.single_instance import runtime_folder

    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    expected = tmp_path / f"whispertrans-tray-{os.getuid()}"
    expected.mkdir(mode=0o755)  # left readable by others: made private
    expected.chmod(0o755)
    for home in ("home-a", "home-b"):
        monkeypatch.setenv("HOME", str(tmp_path / home))
        assert runtime_folder() == expected
    assert stat.S_IMODE(expected.stat().st_mode) == 0o700
    expected.rmdir()
    expected.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert runtime_folder() == tmp_path / "cache" / "WhisperTrans Tray" / f"run-{os.getuid()}"
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "run"))
    assert runtime_folder() == tmp_path / "run" / "WhisperTrans Tray"
