"""The app applies the settings file when told it changed (the settings window saved it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.app_harness import pump_until, tray_app
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.types import Sentence

pytestmark = pytest.mark.usefixtures("desktop")


def test_edits_apply_at_once_and_bad_fields_are_named(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(tmp_path / "data"))
    path = settings_mod.save(settings_mod.Settings(ui_language="en"), tmp_path / "s.json")
    with tray_app(path) as app:
        data = json.loads(path.read_text("utf-8"))
        data["overlay"]["font_size"] = 30
        data["overlay"]["translation_on_top"] = False
        path.write_text(json.dumps(data), "utf-8")
        app.reload_settings()
        assert app.overlay.settings.font_size == 30
        assert app.overlay.translation_font.cget("size") == 30
        assert app.status == "idle"
        data["translation"]["temperature"] = "warm"
        path.write_text(json.dumps(data), "utf-8")
        app.reload_settings()
        assert app.status == "error"
        status = app.overlay.canvas.itemcget(app.overlay.status_item, "text")
        assert "'translation.temperature'" in status
        assert app.settings.overlay.font_size == 30  # the valid edits stay


def test_edited_hotkeys_are_registered_again_and_work(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(tmp_path / "data"))
    path = settings_mod.save(settings_mod.Settings(ui_language="en"), tmp_path / "s.json")
    with tray_app(path) as app:
        app.start_hotkeys()
        data = json.loads(path.read_text("utf-8"))
        data["hotkeys"]["toggle_overlay"] = "<ctrl>+<shift>+<f9>"
        path.write_text(json.dumps(data), "utf-8")
        app.reload_settings()
        assert app.status == "idle"
        subprocess.run(["xdotool", "key", "ctrl+shift+F9"], check=True)
        assert pump_until(app, lambda: not app.settings.overlay.visible), "new hotkey not working"
        subprocess.run(["xdotool", "key", "ctrl+alt+s"], check=True)  # the old one is gone
        assert not pump_until(app, lambda: app.settings.overlay.visible, 1.5)
        data["hotkeys"]["toggle_lock"] = "<ctrl>+<shift>+<f9>"
        path.write_text(json.dumps(data), "utf-8")
        app.reload_settings()
        assert app.status == "error"  # a clash is reported by name, not ignored
        # the whole message (it also goes to the notification); the status line on the
        # subtitles shows its first line's worth, ending in "…" when cut
        status = app.overlay.status
        assert "<ctrl>+<shift>+<f9>" in status and "Show/hide subtitles" in status
        shown = app.overlay.canvas.itemcget(app.overlay.status_item, "text")
        assert shown == status or status.startswith(shown.rstrip("…"))


def test_menu_commands_save_and_apply_each_change_as_one(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from whispertrans_tray.presets import PRESETS

    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(tmp_path / "data"))
    path = settings_mod.save(settings_mod.Settings(ui_language="en"), tmp_path / "s.json")
    with tray_app(path) as app:
        app.commands.set_provider("ollama")  # provider, URL and model: one batch
        app.commands.set_source("mic", "VirtualMic")  # source and device: one batch
        app.commands.set_target("English")
        app.commands.toggle_lock()
        assert pump_until(app, lambda: app.settings.overlay.locked)
        saved = settings_mod.load(path).settings
        assert saved == app.settings
        assert (saved.translation.provider, saved.translation.url, saved.translation.model) == (
            "ollama", PRESETS["ollama"].url, PRESETS["ollama"].model)
        assert saved.translation.target_language == "English"
        assert (saved.audio.source, saved.audio.device) == ("mic", "VirtualMic")
        assert app.overlay.settings.locked and app.status == "idle"
        app.emit(Sentence(0, 0.0, 1.0, "en", "Hello there."))
        app.commands.export_history()
        exported = app.history.path.with_suffix(".srt")
        assert pump_until(app, exported.exists)
        assert "Hello there." in exported.read_text("utf-8")
