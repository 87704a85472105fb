"""Start on login and the Linux launcher: real files under a temporary XDG_CONFIG_HOME and
XDG_DATA_HOME, checked by desktop-file-validate and launched by GLib (as a desktop would);
the Windows Run key through its pure parts (the command line, Task Manager's flag)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from whispertrans_tray import settings as settings_mod
from whispertrans_tray.desktop import autostart
from whispertrans_tray.desktop.autostart import windows as autostart_windows
from whispertrans_tray.desktop.autostart import xdg as autostart_xdg
from whispertrans_tray.errors import AutostartError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fresh XDG config and data folders for this test (and its children)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path


def validate(path: Path) -> None:
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_start_on_login_writes_and_removes_the_autostart_file(xdg: Path) -> None:
    entry = xdg / "config" / "autostart" / "whispertrans-tray.desktop"
    assert not autostart.is_enabled()
    autostart.set_enabled(True)
    assert entry.is_file() and autostart.is_enabled()
    validate(entry)
    text = entry.read_text("utf-8")
    assert f"Exec={autostart_xdg.exec_value(autostart.login_command())}\n" in text
    assert "X-GNOME-Autostart-enabled=true" in text
    autostart.set_enabled(True)  # again: still one entry, still on
    assert autostart.is_enabled()
    entry.write_text(text + "Hidden=true\n", "utf-8")  # the user turned it off elsewhere
    assert not autostart.is_enabled()
    autostart.set_enabled(False)
    assert not entry.exists() and not autostart.is_enabled()
    autostart.set_enabled(False)  # nothing to remove is fine


def test_an_unwritable_autostart_folder_is_named_with_the_fix(
        xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = xdg / "not-a-folder"
    blocker.write_text("a file where the config folder should be")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    with pytest.raises(AutostartError) as caught:
        autostart.set_enabled(True)
    assert str(blocker / "autostart" / "whispertrans-tray.desktop") in caught.value.message("en")
    assert "writable" in caught.value.message("en")
    assert "登入時啟動" in caught.value.message("zh-TW")
    assert not autostart.is_enabled()


def test_exec_lines_start_exactly_the_argv_when_glib_launches_them(xdg: Path) -> None:
    """The Exec quoting, checked by the launcher GNOME and others use (GLib)."""
    import gi

    gi.require_version("Gio", "2.0")
    from gi.repository import Gio

    out = xdg / "argv.json"
    written = xdg / "argv.part"  # renamed when complete: never read half-written
    script = ("import json, os, sys; "
              f"open({str(written)!r}, 'w').write(json.dumps(sys.argv[1:])); "
              f"os.replace({str(written)!r}, {str(out)!r})")
    odd = ["plain", "two words", "$HOME", "50%", 'say "hi"', "back\\slash", "`uname`",
           "semi;colon", "tab\there", "~", "it's", "中文 路徑", "Zoë"]
    folder = xdg / "a dir with $pace & 'quotes'"
    folder.mkdir()
    python = folder / "py thon"
    python.symlink_to(sys.executable)
    path = xdg / "probe.desktop"
    path.write_text(autostart_xdg.desktop_entry([str(python), "-c", script, *odd[:-2]]), "utf-8")
    validate(path)  # the validator wants ASCII in Exec; GLib launches UTF-8 paths all the same
    path.write_text(autostart_xdg.desktop_entry([str(python), "-c", script, *odd]), "utf-8")
    info = Gio.DesktopAppInfo.new_from_filename(str(path))
    assert info is not None and info.launch([], None)
    deadline = time.monotonic() + 60  # a Python started on a busy machine
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert json.loads(out.read_text("utf-8")) == odd
    with pytest.raises(ValueError):
        autostart_xdg.exec_value(["app", "line\nbreak"])


def test_install_desktop_adds_the_menu_entry_and_icon_and_uninstall_removes_them(
        xdg: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "whispertrans_tray", "--ui-language", "en"]
    autostart.set_enabled(True)
    done = subprocess.run([*cli, "install-desktop"], capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    launcher = xdg / "data" / "applications" / "whispertrans-tray.desktop"
    icon = xdg / "data" / "icons" / "hicolor" / "256x256" / "apps" / "whispertrans-tray.png"
    assert done.returncode == 0, done.stderr
    assert str(launcher) in done.stdout and str(icon) in done.stdout
    validate(launcher)
    text = launcher.read_text("utf-8")
    assert f"Exec={sys.executable} -m whispertrans_tray\n" in text
    assert "Icon=whispertrans-tray\n" in text and "Terminal=false\n" in text
    with Image.open(icon) as image:
        assert image.size == (256, 256) and image.mode == "RGBA"
    done = subprocess.run([*cli, "uninstall-desktop"], capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert not launcher.exists() and not icon.exists()
    assert not autostart.is_enabled(), "uninstalling also stops the start on login"
    again = subprocess.run([*cli, "uninstall-desktop"], capture_output=True, text=True,
                           env=env, timeout=60, check=False)
    assert again.returncode == 0 and "Nothing to remove." in again.stdout
    (xdg / "blocked").write_text("")
    failed = subprocess.run([*cli, "install-desktop"], capture_output=True, text=True,
                            env=env | {"XDG_DATA_HOME": str(xdg / "blocked")}, timeout=60,
                            check=False)
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "Could not write the menu entry" in failed.stderr and "XDG_DATA_HOME" in failed.stderr


@pytest.mark.usefixtures("desktop")
def test_the_app_toggles_start_on_login_and_names_a_failure(
        xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.app_harness import pump_until, tray_app

    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(xdg / "history"))
    path = settings_mod.save(settings_mod.Settings(ui_language="en"), xdg / "s.json")
    entry = xdg / "config" / "autostart" / "whispertrans-tray.desktop"
    with tray_app(path) as app:
        assert app.tray_state().autostart is False
        app.commands.toggle_autostart()
        assert pump_until(app, entry.is_file)
        assert app.tray_state().autostart is True
        app.commands.toggle_autostart()
        assert pump_until(app, lambda: not entry.exists())
        assert app.tray_state().autostart is False
        blocker = xdg / "blocker"
        blocker.write_text("")
        monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
        app.commands.toggle_autostart()
        assert pump_until(app, lambda: app.status == "error")
        status = app.overlay.canvas.itemcget(app.overlay.status_item, "text")
        assert status.startswith("Could not change start on login (")  # the whole message:
        # test_an_unwritable_autostart_folder_is_named_with_the_fix (the overlay shortens it)


def test_login_command_starts_the_bundle_or_this_python_without_a_console(
        tmp_path: Path) -> None:
    assert autostart.login_command("/opt/WhisperTrans Tray/whispertrans-tray", frozen=True,
                                   windows=False) == ["/opt/WhisperTrans Tray/whispertrans-tray"]
    bundle = tmp_path / "WhisperTrans Tray"
    bundle.mkdir()
    console = bundle / "whispertrans-tray.exe"
    assert autostart.login_command(str(console), frozen=True, windows=True) == [str(console)]
    (bundle / "WhisperTrans Tray.exe").write_bytes(b"")  # the windowed twin starts at login
    assert autostart.login_command(str(console), frozen=True, windows=True) == [
        str(bundle / "WhisperTrans Tray.exe")]
    assert autostart.login_command("/venv/bin/python", frozen=False, windows=False) == [
        "/venv/bin/python", "-m", "whispertrans_tray"]
    scripts = tmp_path / "Scripts"
    scripts.mkdir()
    python = scripts / "python.exe"
    python.write_bytes(b"")
    assert autostart.login_command(str(python), frozen=False, windows=True)[0] == str(python)
    (scripts / "pythonw.exe").write_bytes(b"")  # a venv on Windows has both
    assert autostart.login_command(str(python), frozen=False, windows=True) == [
        str(scripts / "pythonw.exe"), "-m", "whispertrans_tray"]
    assert autostart.login_command() == [sys.executable, "-m", "whispertrans_tray"]


@pytest.mark.parametrize(("argv", "expected"), [
    ([r"C:\Program Files\WhisperTrans Tray\WhisperTrans Tray.exe"],
     r'"C:\Program Files\WhisperTrans Tray\WhisperTrans Tray.exe"'),
    ([r"C:\Users\Zoë Li\pipx\venvs\whispertrans-tray\Scripts\pythonw.exe", "-m",
      "whispertrans_tray"],
     r'"C:\Users\Zoë Li\pipx\venvs\whispertrans-tray\Scripts\pythonw.exe" -m whispertrans_tray'),
    ([r"C:\app.exe", "--settings", r"C:\My Settings\s.json", 'say "hi"', "C:\\dir\\", ""],
     r'"C:\app.exe" --settings "C:\My Settings\s.json" "say \"hi\"" C:\dir\ ""'),
    ([r"C:\app.exe", "C:\\with space\\"], r'"C:\app.exe" "C:\with space\\"'),
])
def test_run_key_command_line_quoting(argv: list[str], expected: str) -> None:
    assert autostart_windows.command_line(argv) == expected


def test_run_key_refuses_a_program_path_with_quotes_and_reads_task_manager_flags() -> None:
    with pytest.raises(ValueError):
        autostart_windows.command_line(['C:\\odd".exe'])
    assert autostart_windows.approved(None) and autostart_windows.approved(b"")
    assert autostart_windows.approved(bytes([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
    assert autostart_windows.approved(bytes([6]))
    assert not autostart_windows.approved(bytes([3, 0, 0, 0, 0x10, 0x2A, 0, 0, 0, 0, 0, 0]))
    assert autostart_windows.location().endswith(r"CurrentVersion\Run\WhisperTrans Tray")
    if sys.platform != "win32":
        with pytest.raises(OSError):
            autostart_windows.is_enabled()
