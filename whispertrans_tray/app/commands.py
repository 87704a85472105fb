"""What the user can ask for: one action table for the tray menu and the hotkeys.

Menu items and hotkeys call back on their own threads; every command here posts its work to
the app's Tk thread.  Changes that belong together are one batch: choosing a device sets the
source and the device, choosing a provider sets its URL and model, each saved and applied
once.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

from whispertrans_tray.app import export, history
from whispertrans_tray.app.host import CommandsHost
from whispertrans_tray.desktop import autostart
from whispertrans_tray.desktop.tray import TrayActions
from whispertrans_tray.errors import WhisperTransError
from whispertrans_tray.presets import with_provider
from whispertrans_tray.settings import AsrBackend, AudioSource, HotkeySettings, Provider

HOTKEY_ACTIONS = tuple(f.name for f in dataclasses.fields(HotkeySettings))
"""Commands that have a hotkey: the :class:`HotkeySettings` field names."""
EXPORT_FORMATS = (".srt", ".vtt", ".txt")


class Commands:
    """The app's commands; callable from any thread."""

    def __init__(self, app: CommandsHost) -> None:
        self.app = app

    # -- the action table -----------------------------------------------------------------
    def toggle_recording(self) -> None:
        self.app.post(self.app.recording.toggle)

    def set_source(self, kind: str, device: str) -> None:
        """``kind`` is a device kind, ``loopback`` or ``mic``, or ``both`` (system audio and
        the microphone at once, on the devices the settings name)."""
        if kind == "both":
            self.app.post(lambda: self.app.change(audio=dataclasses.replace(
                self.app.settings.audio, source="both")))
            return
        source: AudioSource = "mic" if kind == "mic" else "loopback"
        self.app.post(lambda: self.app.change(audio=dataclasses.replace(
            self.app.settings.audio, source=source, device=device)))

    def set_asr_backend(self, backend: str) -> None:
        """Recognize locally, or on the recognition server of the settings."""
        chosen: AsrBackend = "remote" if backend == "remote" else "local"
        self.app.post(lambda: self.app.change(asr=dataclasses.replace(
            self.app.settings.asr, backend=chosen)))

    def set_provider(self, provider: Provider) -> None:
        self.app.post(lambda: self.app.change(
            translation=with_provider(self.app.settings.translation, provider)))

    def set_target(self, name: str) -> None:
        self.app.post(lambda: self.app.change(translation=dataclasses.replace(
            self.app.settings.translation, target_language=name)))

    def toggle_translation(self) -> None:
        self.app.post(lambda: self.app.change(translation=dataclasses.replace(
            self.app.settings.translation, enabled=not self.app.settings.translation.enabled)))

    def toggle_drafts(self) -> None:
        """「僅顯示穩定翻譯」: drafts of the line being spoken off, or on again."""
        self.app.post(lambda: self.app.change(translation=dataclasses.replace(
            self.app.settings.translation, drafts=not self.app.settings.translation.drafts)))

    def toggle_overlay(self) -> None:
        self.app.post(lambda: self.app.change(overlay=dataclasses.replace(
            self.app.settings.overlay, visible=not self.app.settings.overlay.visible)))

    def show_overlay(self) -> None:
        """A second launch of the app asks for the subtitles."""
        self.app.post(lambda: self.app.change(overlay=dataclasses.replace(
            self.app.settings.overlay, visible=True)))

    def toggle_lock(self) -> None:
        self.app.post(lambda: self.app.change(overlay=dataclasses.replace(
            self.app.settings.overlay, locked=not self.app.settings.overlay.locked)))

    def test_connection(self) -> None:
        """測試連線 on a worker; the result goes to the status line and a notification."""
        app = self.app

        def work() -> None:
            report = app.parts.server_check(app.settings.translation, app.api_key,
                                            app.settings.ui_language)
            status = f"{report.warning}  {report.message}" if report.warning else report.message
            text = "\n".join(t for t in (report.warning, report.message, report.sample) if t)

            def show() -> None:
                app.overlay.set_status(status)
                app.notify(text)
            app.post(show)

        threading.Thread(target=work, name="test-connection", daemon=True).start()

    def export_history(self) -> None:
        self.app.post(self._export)

    def open_settings(self) -> None:
        self.app.post(self.app.open_settings)

    def show_viewer_link(self) -> None:
        """顯示觀看連結: the room's link and its QR code."""
        self.app.post(self.app.room.show_link)

    def quit(self) -> None:
        self.app.post(self.app.quit)

    def toggle_autostart(self) -> None:
        """Start on login on/off: the OS entry (Run key, XDG autostart file) is the state."""
        def toggle() -> None:
            try:
                autostart.set_enabled(not autostart.is_enabled())
            except WhisperTransError as exc:
                self.app.fail(exc.message(self.app.settings.ui_language))
            if self.app.tray is not None:
                self.app.tray.refresh()
        self.app.post(toggle)

    # -- bindings -------------------------------------------------------------------------
    def tray_actions(self) -> TrayActions:
        return TrayActions(
            toggle_recording=self.toggle_recording, set_source=self.set_source,
            set_provider=self.set_provider, set_target=self.set_target,
            toggle_translation=self.toggle_translation, test_connection=self.test_connection,
            toggle_overlay=self.toggle_overlay, toggle_lock=self.toggle_lock,
            export_history=self.export_history, open_settings=self.open_settings,
            quit=self.quit, toggle_autostart=self.toggle_autostart,
            set_asr_backend=self.set_asr_backend, show_viewer_link=self.show_viewer_link,
            toggle_drafts=self.toggle_drafts)

    def hotkey_bindings(self) -> tuple[list[tuple[str, Callable[[], None]]], list[str]]:
        """``(hotkey, command)`` pairs of the current settings, and the commands' labels."""
        hotkeys = self.app.settings.hotkeys
        return ([(getattr(hotkeys, name), getattr(self, name)) for name in HOTKEY_ACTIONS],
                [self.app.t("hotkey.action." + name) for name in HOTKEY_ACTIONS])

    def _export(self) -> None:
        """Write this session as bilingual SRT, VTT and TXT next to the history file.  The
        lines come from that file (every sentence of the session, with the translations
        recorded so far): the app holds only the newest lines in memory."""
        base = self.app.history.path.with_suffix("")
        try:
            lines = history.load(self.app.history.path) if self.app.history.started else []
        except OSError as exc:
            self.app.fail(self.app.t("tray.export_unreadable", path=self.app.history.path,
                                     detail=exc.strerror or type(exc).__name__))
            return
        paths = []
        for ext in EXPORT_FORMATS:
            path = base.with_suffix(ext)
            try:
                export.write(lines, path)
            except WhisperTransError as exc:  # a folder that cannot be written
                self.app.fail(exc.message(self.app.settings.ui_language))
                return
            paths.append(str(path))
        self.app.notify(self.app.t("tray.exported", paths=", ".join(paths)))
