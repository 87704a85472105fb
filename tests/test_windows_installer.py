"""The Windows installer, built and installed under Wine (slow: one module, one build).

``bash scripts/windows-installer.sh --fast`` builds the PyInstaller bundle with the Windows
Python and compiles installer/whispertrans-tray.iss with ISCC (lzma2/fast instead of the
release's lzma2/max); the setup.exe is cached under ~/.cache/whispertrans-tray/installer-test/
by a hash of what it is made from, so an unchanged checkout skips the build.  It is installed
silently, for the current user (the installer's default), into a fresh Wine prefix with only
Wine's fixes (``wine-env.sh --bare``); the installed app is run (console exe: ``--version`` and
``transcribe``; windowed exe: the overlay on Xvfb), the Start-menu entry and the Run value of the
"start on login" task are read back, then it is uninstalled silently (user data kept) and once
more with ``/PURGE=1`` (user data removed)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import srt

from tests.conftest import DATA
from tests.desktop_env import ARTIFACTS, screenshot
from tests.wine import ROOT, env, run, start, windows_path
from whispertrans_tray import __version__

pytestmark = pytest.mark.slow
NAME = "WhisperTrans Tray"
SETUP = f"WhisperTrans-Tray-{__version__}-setup.exe"
RUN_KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run"
# what the installer is made from: a change in any of these builds it again
SOURCES = ["whispertrans_tray", "installer", "pyproject.toml", "scripts/windows-installer.sh",
           "scripts/wine-env.sh", "scripts/wine"]


def sources_hash() -> str:
    digest = hashlib.sha256()
    for top in SOURCES:
        path = ROOT / top
        files = [path] if path.is_file() else sorted(
            p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def setup_exe() -> Path:
    """The test build of the installer (cached while its sources are unchanged)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) \
        / "whispertrans-tray" / "installer-test"
    folder = cache / sources_hash()
    if not (folder / SETUP).is_file():
        if cache.exists():  # an older build's installer: replaced by this one
            shutil.rmtree(cache)
        work = cache / "building"
        start_s = time.monotonic()
        built = subprocess.run(["bash", str(ROOT / "scripts" / "windows-installer.sh"), "--fast",
                                "--out", str(work)], capture_output=True, text=True,
                               timeout=3600, check=False)
        assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
        shutil.rmtree(work / NAME)  # the bundle is inside the installer
        work.rename(folder)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "windows-installer.txt").write_text(
            f"{built.stdout}\nwindows-installer.sh --fast: {time.monotonic() - start_s:.0f} s\n")
    return folder / SETUP


@dataclass
class Windows:
    """A fresh Wine prefix and where the app's folders are in it."""

    prefix: Path
    user: Path  # C:\users\<name>

    @property
    def app(self) -> Path:
        return self.user / "AppData" / "Local" / "Programs" / NAME

    @property
    def data(self) -> Path:
        return self.user / "AppData" / "Local" / NAME

    @property
    def start_menu(self) -> Path:
        return self.user / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" \
            / "Programs" / f"{NAME}.lnk"

    def exe(self, name: str) -> str:
        return windows_path(self.app / name).replace(windows_path(self.prefix / "drive_c"),
                                                     "C:")

    def install(self, setup: Path, log: Path) -> None:
        done = run(self.prefix, windows_path(setup), "/VERYSILENT", "/SUPPRESSMSGBOXES",
                   "/NORESTART", "/TASKS=startonlogin", f"/LOG={windows_path(log)}",
                   timeout=900)
        assert done.returncode == 0, log.read_text("utf-8", "replace")[-3000:]

    def uninstall(self, *args: str) -> None:
        done = run(self.prefix, self.exe("unins000.exe"), "/VERYSILENT", "/SUPPRESSMSGBOXES",
                   "/NORESTART", *args, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        # the uninstaller goes on in a copy of itself: its last step (usPostUninstall) removes
        # the Run value and, with /PURGE=1, the user data
        subprocess.run(["wineserver", "-w"], env=env(self.prefix), timeout=300, check=False)

    def run_value(self) -> str | None:
        done = run(self.prefix, "reg", "query", RUN_KEY, "/v", NAME, timeout=120)
        if done.returncode != 0:
            return None
        line = next(line for line in done.stdout.splitlines() if NAME in line)
        return line.split("REG_SZ", 1)[1].strip()


@pytest.fixture(scope="module")
def windows(setup_exe: Path, desktop: dict[str, str],
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Windows]:
    """The app installed silently into a fresh prefix.  On the test display: Setup creates its
    (hidden) wizard window even when very silent, and without an X display Wine fails it ("A
    call to an OS function failed")."""
    prefix = tmp_path_factory.mktemp("clean-windows") / "prefix"
    made = subprocess.run(["bash", str(ROOT / "scripts" / "wine-env.sh"), "--bare", str(prefix)],
                          capture_output=True, text=True, timeout=600, check=False)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    users = [p for p in (prefix / "drive_c" / "users").iterdir() if p.name != "Public"]
    machine = Windows(prefix, users[0])
    machine.install(setup_exe, prefix.parent / "install.log")
    yield machine
    subprocess.run(["wineserver", "-k"], env=env(prefix), timeout=60, check=False)


def test_installed_for_the_user_with_a_start_menu_entry_and_start_on_login(
        windows: Windows) -> None:
    assert (windows.app / f"{NAME}.exe").is_file()
    assert (windows.app / "whispertrans-tray.exe").is_file()
    assert windows.start_menu.is_file()
    assert windows.run_value() == f'"{windows.exe(NAME + ".exe")}"'


def test_the_installed_console_exe_transcribes(windows: Windows, tmp_path: Path) -> None:
    exe = windows.exe("whispertrans-tray.exe")
    version = run(windows.prefix, exe, "--version", timeout=180)
    assert version.stdout.strip() == f"whispertrans-tray {__version__}", version.stderr[-2000:]
    out = tmp_path / "jfk.srt"
    done = run(windows.prefix, exe, "--ui-language", "en", "transcribe",
               windows_path(DATA / "jfk.flac"), "-o", windows_path(out), timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    said = " ".join(line.content for line in srt.parse(out.read_text("utf-8"))).lower()
    assert "fellow americans" in said and "what your country can do for you" in said


@pytest.mark.usefixtures("pulse")
def test_the_installed_windowed_app_shows_its_overlay(windows: Windows) -> None:
    # left running: the uninstall ends it (its [UninstallRun] taskkill), as on Windows
    app = start(windows.prefix, windows.exe(f"{NAME}.exe"))
    deadline = time.monotonic() + 180
    shown: list[str] = []
    while not shown:
        assert app.poll() is None, app.stderr.read() if app.stderr else ""
        assert time.monotonic() < deadline, "no overlay window on screen"
        found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "WhisperTrans"],
                               capture_output=True, text=True, check=False)
        shown = found.stdout.split()
        time.sleep(0.5)
    time.sleep(2)  # its first subtitle line painted
    screenshot("wine-installed-overlay.png")
    assert app.poll() is None


def test_uninstall_keeps_user_data_and_purge_removes_it(windows: Windows, setup_exe: Path) -> None:
    windows.data.mkdir(parents=True, exist_ok=True)
    keep = windows.data / "settings.json"
    if not keep.exists():
        keep.write_text("{}", "utf-8")
    windows.uninstall()
    assert not windows.app.exists()
    assert not windows.start_menu.exists()
    assert windows.run_value() is None
    assert keep.is_file()  # the user's settings, history and logs stay
    windows.install(setup_exe, windows.prefix.parent / "reinstall.log")
    assert windows.run_value() is not None
    windows.uninstall("/PURGE=1")
    assert not windows.app.exists()
    assert not windows.data.exists()
