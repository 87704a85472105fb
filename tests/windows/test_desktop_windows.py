"""The Windows desktop backends against the real Win32 API, registry, credential store and
low-level keyboard hook (under Wine in scripts/test.sh): the overlay's window flags read back
with GetWindowLongPtrW, the outline style's colour key, the monitors and the placement, the
Run key, ``keyboard`` hotkeys with injected keys, the single-instance lock, the folders under
%LOCALAPPDATA% and keyring's Windows backend."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import tkinter as tk
import uuid
import winreg
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.windows import win32
from tests.windows.conftest import CHECKOUT
from whispertrans_tray.desktop import window as os_window
from whispertrans_tray.desktop.autostart import windows as autostart_windows
from whispertrans_tray.desktop.overlay import Overlay
from whispertrans_tray.desktop.overlay.surface import KEY_COLOR
from whispertrans_tray.desktop.window import win32 as window_win32
from whispertrans_tray.settings import OverlaySettings


@pytest.fixture
def root() -> Iterator[tk.Tk]:
    window = tk.Tk()
    try:
        yield window
    finally:
        window.destroy()


def pump(root: tk.Tk, condition: object = None, seconds: float = 10.0) -> None:
    end = threading.Event()
    root.after(int(seconds * 1000), end.set)
    while not end.is_set():
        root.update()
        if callable(condition) and condition():
            return
        end.wait(0.02)


def overlay(root: tk.Tk, **fields: object) -> tuple[Overlay, int]:
    shown = Overlay(root, OverlaySettings(fade_after_s=0, **fields), "en")  # type: ignore[arg-type]
    pump(root, root.winfo_ismapped)
    pump(root, seconds=0.3)
    return shown, win32.toplevel(root.winfo_id())


def test_the_windows_backends_are_chosen() -> None:
    assert os_window.backend() is window_win32
    from whispertrans_tray.desktop import hotkeys
    from whispertrans_tray.desktop.hotkeys import keyboard as hotkeys_keyboard

    assert hotkeys.backend() is hotkeys_keyboard


def test_the_overlay_is_topmost_layered_and_click_through_only_when_locked(root: tk.Tk) -> None:
    shown, hwnd = overlay(root, locked=False, opacity=0.8)
    style = win32.ex_style(hwnd)
    assert style & win32.WS_EX_TOPMOST, hex(style)
    assert style & win32.WS_EX_LAYERED, hex(style)
    assert not style & win32.WS_EX_TRANSPARENT, hex(style)
    assert shown.click_through is False or not style & win32.WS_EX_TRANSPARENT
    _key, alpha, flags = win32.layered_attributes(hwnd)
    assert flags & win32.LWA_ALPHA and alpha == round(0.8 * 255)

    shown.apply_settings(OverlaySettings(fade_after_s=0, locked=True, opacity=0.8))
    pump(root, seconds=0.3)
    style = win32.ex_style(hwnd)
    assert shown.click_through is True
    assert style & win32.WS_EX_TRANSPARENT and style & win32.WS_EX_LAYERED, hex(style)
    assert style & win32.WS_EX_TOPMOST, hex(style)

    shown.apply_settings(OverlaySettings(fade_after_s=0, locked=False, opacity=0.8))
    pump(root, seconds=0.3)
    style = win32.ex_style(hwnd)
    assert not style & win32.WS_EX_TRANSPARENT, hex(style)
    assert style & win32.WS_EX_LAYERED, hex(style)  # the window alpha still needs it


def test_the_outline_style_makes_its_key_colour_transparent(root: tk.Tk) -> None:
    shown, hwnd = overlay(root, style="outline")
    assert shown.see_through == "key"
    assert str(root.attributes("-transparentcolor")).lower() == KEY_COLOR
    key, _alpha, flags = win32.layered_attributes(hwnd)
    assert flags & win32.LWA_COLORKEY, flags
    assert key == 0x030201  # COLORREF 0x00BBGGRR of #010203

    shown.apply_settings(OverlaySettings(fade_after_s=0, style="box"))
    pump(root, seconds=0.3)
    assert shown.see_through == ""
    _key, _alpha, flags = win32.layered_attributes(hwnd)
    assert not flags & win32.LWA_COLORKEY, flags


def test_monitors_and_the_first_placement(root: tk.Tk) -> None:
    width, height = win32.screen_size()
    found = window_win32.monitors(root)
    assert len(found) == 1
    x, y, w, h = found[0]
    assert (x, y) == (0, 0) and w == width and 0 < h <= height  # the work area
    _shown, hwnd = overlay(root, width=900, height=160)
    wx, wy, ww, wh = win32.window_rect(hwnd)
    assert (ww, wh) == (900, 160)
    assert wx == (w - 900) // 2  # centred
    assert wy == h - 160 - 80  # near the bottom of the work area
    # a window asked for beyond the screen is kept on it
    _shown, hwnd = overlay(root, width=900, height=160,
                           positions=((f"{w}x{h}", width + 500, height + 500),))
    wx, wy, ww, wh = win32.window_rect(hwnd)
    assert 0 <= wx <= w - ww and 0 <= wy <= h - wh, (wx, wy, ww, wh)


@pytest.fixture
def run_value() -> Iterator[None]:
    """The user's own Run value and Task Manager mark, put back after the test."""
    saved = {path: autostart_windows._query(path)
             for path in (autostart_windows.RUN_KEY, autostart_windows.APPROVED_KEY)}
    try:
        yield
    finally:
        for path, value in saved.items():
            if value is None:
                autostart_windows._delete(path)
            else:
                with winreg.CreateKey(winreg.HKEY_CURRENT_USER, path) as key:
                    kind = winreg.REG_BINARY if isinstance(value, bytes) else winreg.REG_SZ
                    winreg.SetValueEx(key, autostart_windows.VALUE_NAME, 0, kind, value)


def read_run(path: str) -> object | None:
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as key:
            return winreg.QueryValueEx(key, autostart_windows.VALUE_NAME)[0]
    except FileNotFoundError:
        return None


@pytest.mark.usefixtures("run_value")
def test_autostart_writes_the_run_value_in_the_real_registry() -> None:
    program = r"C:\Program Files\WhisperTrans Tray\WhisperTrans Tray.exe"
    autostart_windows.disable()
    assert not autostart_windows.is_enabled()
    autostart_windows.enable([program, "tray", "--ui-language", "zh-TW"])
    assert read_run(autostart_windows.RUN_KEY) == f'"{program}" tray --ui-language zh-TW'
    assert autostart_windows.is_enabled()
    # Task Manager's Startup tab disables it (an odd first byte): off, the value kept
    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, autostart_windows.APPROVED_KEY) as key:
        winreg.SetValueEx(key, autostart_windows.VALUE_NAME, 0, winreg.REG_BINARY,
                          b"\x03" + bytes(11))
    assert not autostart_windows.is_enabled()
    assert read_run(autostart_windows.RUN_KEY) is not None
    autostart_windows.enable([program])  # turning it on clears the mark
    assert autostart_windows.is_enabled()
    assert read_run(autostart_windows.APPROVED_KEY) is None
    autostart_windows.disable()
    assert read_run(autostart_windows.RUN_KEY) is None
    assert not autostart_windows.is_enabled()
    # reg.exe, Windows' own reader, sees the same
    autostart_windows.enable([program])
    listed = subprocess.run(["reg", "query", "HKCU\\" + autostart_windows.RUN_KEY, "/v",
                             autostart_windows.VALUE_NAME], capture_output=True, text=True,
                            timeout=60, check=False)
    assert listed.returncode == 0 and program in listed.stdout, listed.stdout + listed.stderr


SEND_KEYS = "import keyboard, sys, time; time.sleep(0.2); keyboard.send(sys.argv[1])"


def test_keyboard_hotkeys_hear_keys_injected_by_another_process() -> None:
    from whispertrans_tray.desktop.hotkeys import Hotkeys

    heard = {"lock": threading.Event(), "record": threading.Event()}
    hotkeys = Hotkeys([("<ctrl>+<alt>+l", heard["lock"].set),
                       ("<ctrl>+<alt>+r", heard["record"].set)], "en")
    hotkeys.start()
    try:
        assert not hotkeys.failed
        subprocess.run([sys.executable, "-c", SEND_KEYS, "ctrl+alt+l"], timeout=60, check=True)
        assert heard["lock"].wait(20), "ctrl+alt+l never reached the hook"
        assert not heard["record"].is_set()
        subprocess.run([sys.executable, "-c", SEND_KEYS, "ctrl+alt+r"], timeout=60, check=True)
        assert heard["record"].wait(20), "ctrl+alt+r never reached the hook"
    finally:
        hotkeys.stop()
    heard["lock"].clear()
    subprocess.run([sys.executable, "-c", SEND_KEYS, "ctrl+alt+l"], timeout=60, check=True)
    assert not heard["lock"].wait(2), "a stopped hotkey still fired"


SECOND = """
import sys
from pathlib import Path
from whispertrans_tray.desktop.single_instance import SingleInstance
second = SingleInstance(Path(sys.argv[1]), lambda: None)
if second.acquire():
    sys.exit(3)
sys.exit(0 if second.notify_first() else 4)
"""


def test_single_instance_a_second_process_asks_the_first_to_show(tmp_path: Path) -> None:
    from whispertrans_tray.desktop.single_instance import SingleInstance, runtime_folder

    local = Path(os.environ["LOCALAPPDATA"])
    assert runtime_folder().is_relative_to(local), runtime_folder()
    shown = threading.Event()
    first = SingleInstance(tmp_path, shown.set)
    assert first.acquire()
    try:
        env = dict(os.environ, PYTHONPATH=str(CHECKOUT))
        second = subprocess.run([sys.executable, "-c", SECOND, str(tmp_path)], env=env,
                                timeout=120, check=False)
        assert second.returncode == 0, second.returncode
        assert shown.wait(10)
    finally:
        first.release()
    # released (as when the first app quits or dies): the next one is first again
    again = SingleInstance(tmp_path, shown.set)
    assert again.acquire()
    again.release()


def test_the_folders_are_the_users_under_localappdata() -> None:
    from whispertrans_tray import logs, settings
    from whispertrans_tray.app import history
    from whispertrans_tray.providers import model_store

    local = Path(os.environ["LOCALAPPDATA"])
    env = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("WHISPERTRANS_")}
    try:
        for path in (settings.default_path(), logs.log_dir(), history.history_dir(),
                     model_store.cache_dir()):
            assert path.is_relative_to(local / "WhisperTrans Tray"), path
    finally:
        os.environ.update(env)


def test_the_api_key_is_kept_by_the_windows_credential_manager() -> None:
    import keyring
    from keyring.backends.Windows import WinVaultKeyring

    from whispertrans_tray import credentials

    os.environ.pop("PYTHON_KEYRING_BACKEND", None)
    assert isinstance(keyring.get_keyring(), WinVaultKeyring), keyring.get_keyring()
    url = f"http://127.0.0.1:9/{uuid.uuid4().hex}"  # an entry of this test's own
    try:
        credentials.store("sk-windows-stage-0123456789", url)
        assert credentials.stored(url) == "sk-windows-stage-0123456789"
        assert keyring.get_password(credentials.KEYRING_SERVICE, f"api_key {url}") \
            == "sk-windows-stage-0123456789"
    finally:
        credentials.store("", url)
    assert credentials.stored(url) is None
