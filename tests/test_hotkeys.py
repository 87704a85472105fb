"""Global hotkeys through the real pynput backend on Xvfb, driven by xdotool key events."""

from __future__ import annotations

import subprocess
import threading

import pytest

from whispertrans_tray.desktop.hotkeys import Hotkeys, backend
from whispertrans_tray.desktop.hotkeys.notation import (
    from_keyboard_notation,
    normalize,
    parse,
    to_keyboard_notation,
)
from whispertrans_tray.errors import HotkeyError
from whispertrans_tray.settings import HotkeySettings

pytestmark = pytest.mark.usefixtures("desktop")


class Toggles:
    """Real callbacks that flip state, like the app's (recording, overlay)."""

    def __init__(self) -> None:
        self.recording = False
        self.overlay_visible = True
        self.changed = threading.Event()

    def toggle_recording(self) -> None:
        self.recording = not self.recording
        self.changed.set()

    def toggle_overlay(self) -> None:
        self.overlay_visible = not self.overlay_visible
        self.changed.set()


def press(keys: str, toggles: Toggles) -> None:
    toggles.changed.clear()
    subprocess.run(["xdotool", "key", keys], check=True)
    assert toggles.changed.wait(30), f"{keys} did not reach the hotkey listener"


def test_key_events_toggle_recording_and_overlay() -> None:
    defaults = HotkeySettings()
    toggles = Toggles()
    hotkeys = Hotkeys({defaults.toggle_recording: toggles.toggle_recording,
                       defaults.toggle_overlay: toggles.toggle_overlay})
    hotkeys.start()
    try:
        press("ctrl+alt+r", toggles)
        assert toggles.recording and toggles.overlay_visible
        press("ctrl+alt+s", toggles)
        assert not toggles.overlay_visible and toggles.recording
        press("ctrl+alt+r", toggles)
        assert not toggles.recording
        handle = hotkeys.handle
        assert backend().alive(handle)
    finally:
        hotkeys.stop()
    assert not backend().alive(handle), "stop() ends the listener thread"
    hotkeys.stop()  # twice is harmless
    toggles.changed.clear()
    subprocess.run(["xdotool", "key", "ctrl+alt+r"], check=True)
    assert not toggles.changed.wait(0.5) and not toggles.recording, "stopped means stopped"


def test_an_invalid_hotkey_is_reported_and_the_others_still_work() -> None:
    toggles = Toggles()
    hotkeys = Hotkeys({"<ctrl>+<bogus>+r": toggles.toggle_overlay,
                       "<ctrl>+<alt>+r": toggles.toggle_recording}, language="en")
    with pytest.raises(HotkeyError) as info:
        hotkeys.start()
    try:
        message = info.value.message("en")
        assert "<ctrl>+<bogus>+r" in message and "unknown key <bogus>" in message
        assert "<ctrl>+<alt>+r" not in message
        assert "無法註冊快捷鍵「<ctrl>+<bogus>+r」" in info.value.message("zh-TW")
        assert set(hotkeys.failed) == {"<ctrl>+<bogus>+r"}
        press("ctrl+alt+r", toggles)
        assert toggles.recording
    finally:
        hotkeys.stop()


def test_a_duplicate_hotkey_is_reported() -> None:
    hotkeys = Hotkeys({"<ctrl>+<alt>+t": lambda: None, "<alt>+<ctrl>+T": lambda: None})
    try:
        with pytest.raises(HotkeyError):
            hotkeys.start()
        assert "<ctrl>+<alt>+t" in hotkeys.failed["<alt>+<ctrl>+T"]
    finally:
        hotkeys.stop()


@pytest.mark.parametrize(("hotkey", "reason"), [
    ("", "write it like"), ("<ctrl>++r", "write it like"), ("<ctrl>+<ctrl>+r", "write it like"),
    ("<ctrl>+ab", "unknown key ab"), ("<ctrl>+r+t", "exactly one key"),
    ("<ctrl>+<alt>", "exactly one key"),
    ("r", "needs Ctrl"),
])
def test_parse_rejects_with_a_reason(hotkey: str, reason: str) -> None:
    with pytest.raises(HotkeyError) as info:
        parse(hotkey, "en")
    assert reason in info.value.message("en")


def test_notations() -> None:
    assert parse("<alt>+<CTRL>+R") == (("ctrl", "alt"), "r")
    assert parse("<f9>") == ((), "f9")
    assert normalize("<shift>+<ctrl>+<page_up>") == "<ctrl>+<shift>+<page_up>"
    assert to_keyboard_notation("<ctrl>+<alt>+r") == "ctrl+alt+r"
    assert to_keyboard_notation("<cmd>+<page_up>") == "windows+page up"
    for hotkey in ("<ctrl>+<alt>+r", "<shift>+<cmd>+<print_screen>", "<alt>+<f4>",
                   "<ctrl>+<media_volume_up>"):
        assert from_keyboard_notation(to_keyboard_notation(hotkey)) == hotkey
    assert from_keyboard_notation("Control+Alt+R") == "<ctrl>+<alt>+r"


def test_linux_uses_pynput() -> None:
    assert getattr(backend(), "__name__", "").endswith(".hotkeys.pynput")


def test_settings_form_names_bad_and_clashing_hotkeys_next_to_the_field(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from whispertrans_tray import settings as settings_mod
    from whispertrans_tray.__main__ import settings_services
    from whispertrans_tray.desktop.settings_window.api import SettingsApi

    api = SettingsApi(settings_services(tmp_path / "settings.json"))
    form = settings_mod.to_dict(settings_mod.Settings(ui_language="en"))
    assert api.validate(form) == {}
    form["hotkeys"]["toggle_lock"] = "<alt>+<ctrl>+S"  # same keys as show/hide, other order
    form["hotkeys"]["toggle_translation"] = "<ctrl>+<hyper>+t"
    messages = api.validate(form)
    assert set(messages) == {"hotkeys.toggle_lock", "hotkeys.toggle_translation"}
    assert "Show/hide subtitles" in messages["hotkeys.toggle_lock"]
    assert "<hyper>" in messages["hotkeys.toggle_translation"]
    saved = api.save(form)
    assert not saved["ok"] and not (tmp_path / "settings.json").exists()
    form["ui_language"] = "zh-TW"
    assert "顯示／隱藏字幕" in api.validate(form)["hotkeys.toggle_lock"]
