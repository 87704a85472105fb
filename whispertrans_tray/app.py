"""The tray daemon: capture → recognizer → translation → overlay, with tray menu and hotkeys.

Threads: Tk owns the main thread (overlay); a pipeline worker captures and recognizes; the
translation service has its own worker; pystray and the hotkey listener call back on theirs.
Every other thread talks to Tk only through :meth:`App.post` — a bounded queue drained with
``after()``.  State machine: idle → loading → recording → idle, or error (with a message).
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
import tkinter as tk
from collections.abc import Callable
from pathlib import Path
from typing import Any

from whispertrans_tray import export, history
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.subtitles import SubtitleModel
from whispertrans_tray.core.types import Partial, Sentence
from whispertrans_tray.errors import WhisperTransError
from whispertrans_tray.i18n import tr
from whispertrans_tray.settings import Settings

log = logging.getLogger(__name__)

DRAIN_MS = 50  # while recording: subtitles appear within a frame or three
IDLE_DRAIN_MS = 250  # idle: wake Tk less often (idle CPU)
LAG_WARNING_S = 3.0
WATCH_MS = 2000  # how often the settings file is checked for edits made outside the app


class App:
    """Owns the components and the state; all state changes happen on Tk's thread."""

    def __init__(self, settings: Settings, settings_path: Path | None = None,
                 api_key: str | None = None) -> None:
        from whispertrans_tray.desktop.overlay import Overlay

        self.settings = settings
        self.settings_path = settings_path
        self.api_key = api_key
        self.status = "idle"
        self.root = tk.Tk(className="WhisperTrans")
        self.root.title("WhisperTrans Tray")
        self.overlay = Overlay(self.root, settings.overlay, settings.ui_language,
                               self._overlay_moved)
        self.subtitles = SubtitleModel(settings.overlay.max_lines)
        self.history = history.SessionWriter()
        self._ui: queue.Queue[Callable[[], None]] = queue.Queue(maxsize=1000)
        self._stop_worker = threading.Event()
        self._worker: threading.Thread | None = None
        self._model: Any = None
        self._service: Any = None
        self._devices: tuple[tuple[str, str], ...] = ()
        self.tray: Any = None
        self.hotkeys: Any = None
        self.root.after(DRAIN_MS, self._drain)
        self._settings_mtime = self._mtime()
        self.root.after(WATCH_MS, self._watch_settings)

    # -- plumbing -------------------------------------------------------------------------
    def post(self, fn: Callable[[], None], droppable: bool = False) -> None:
        """Run ``fn`` on Tk's thread soon.  Droppable updates (partials) give way when full."""
        try:
            self._ui.put(fn, block=not droppable, timeout=2)
        except queue.Full:
            if not droppable:
                log.error("UI queue full; an update was lost")

    def _drain(self) -> None:
        try:
            while True:
                self._ui.get_nowait()()
        except queue.Empty:
            pass
        except Exception:
            log.exception("UI update failed")
        busy = self.status in ("recording", "loading") or self._service is not None
        self.root.after(DRAIN_MS if busy else IDLE_DRAIN_MS, self._drain)

    def t(self, key: str, **params: object) -> str:
        return tr(key, self.settings.ui_language, **params)

    # -- lifecycle ------------------------------------------------------------------------
    def run(self, start_recording: bool = True) -> int:
        from whispertrans_tray.desktop.tray import Tray

        self._refresh_devices()
        self.tray = Tray(self.tray_state, self._tray_actions())
        self.tray.start()
        self._start_hotkeys()
        if self.settings.translation.enabled:
            self._start_translation()
        if start_recording:
            self.start_recording()
        self.root.mainloop()
        return 0

    def quit(self) -> None:
        """Stop everything; returns within about two seconds."""
        self.stop_recording(wait=1.5)
        if self._service is not None:
            self._service.close(0.5)
        if self.hotkeys is not None:
            self.hotkeys.stop()
        if self.tray is not None:
            self.tray.stop()
        self.history.close()
        self.root.after(0, self.root.destroy)

    def set_status(self, status: str, message: str = "") -> None:
        self.status = status
        self.overlay.set_status(message)
        if self.tray is not None:
            self.tray.refresh()

    # -- recording ------------------------------------------------------------------------
    def start_recording(self) -> None:
        if self._worker is not None and self._worker.is_alive():
            return
        self._stop_worker.clear()
        self.set_status("loading" if self._model is None else "recording")
        self._worker = threading.Thread(target=self._pipeline, name="pipeline", daemon=True)
        self._worker.start()

    def stop_recording(self, wait: float = 2.0) -> None:
        self._stop_worker.set()
        if self._worker is not None:
            self._worker.join(wait)
            self._worker = None
        if self.status in ("recording", "loading"):
            self.set_status("idle")

    def toggle_recording(self) -> None:
        if self._worker is not None and self._worker.is_alive():
            self.stop_recording()
        else:
            self.start_recording()

    def _pipeline(self) -> None:
        """Worker thread: load the model once, capture, recognize, post events."""
        from whispertrans_tray import pipeline
        from whispertrans_tray.desktop.audio import AudioCapture
        from whispertrans_tray.providers import asr_faster_whisper

        lang = self.settings.ui_language
        try:
            if self._model is None:
                self._model = asr_faster_whisper.load(self.settings.asr, lang)
                if self._model.info.notice:
                    self.post(lambda: self.overlay.set_status(self._model.info.notice))
            recognizer = pipeline.build_recognizer(self.settings.asr, self._model, live=True)
            audio = self.settings.audio
            capture = AudioCapture(audio.source, audio.device,
                                   lambda m: self.post(lambda: self.overlay.set_status(m),
                                                       droppable=True), lang)
        except WhisperTransError as exc:
            message = exc.message(lang)
            self.post(lambda: self._fail(message))
            return
        self.post(lambda: self.set_status("recording"))
        capture.start()
        dropped = 0.0
        try:
            while not self._stop_worker.is_set():
                chunk = capture.read(0.1)
                if chunk is None:
                    continue
                if capture.dropped_seconds > dropped:  # the pipeline fell behind the audio
                    dropped = capture.dropped_seconds
                    self._post_status(self.t("status.dropped", seconds=dropped))
                for event in recognizer.feed(chunk):
                    self._emit(event)
                if recognizer.behind > LAG_WARNING_S:
                    self._post_status(self.t("status.lag", seconds=recognizer.behind))
        except Exception:
            log.exception("Pipeline worker failed")
            self.post(lambda: self._fail(self.t("status.error")))
        finally:
            capture.stop(1.0)
            rest = capture.read(0)  # audio captured before the stop is still transcribed
            events = [*(recognizer.feed(rest) if rest is not None else []),
                      *recognizer.finish()]  # the sentence being spoken is not lost
            for event in events:
                self._emit(event)

    def _post_status(self, text: str) -> None:
        self.post(lambda: self.overlay.set_status(text), droppable=True)

    def _emit(self, event: Partial | Sentence) -> None:
        if isinstance(event, Sentence):
            self.history.sentence(event)
            if self._service is not None:
                self._service.submit(event)
            self.post(lambda: self._show(event))
        else:
            self.post(lambda: self._show(event), droppable=True)

    def _show(self, event: Partial | Sentence) -> None:
        self.subtitles.apply(event, translating=self._service is not None)
        self.overlay.show(self.subtitles.visible(), self.subtitles.partial)

    def _fail(self, message: str) -> None:
        self.set_status("error", message)
        if self.tray is not None:
            self.tray.notify(message)

    # -- translation ----------------------------------------------------------------------
    def _start_translation(self) -> None:
        from whispertrans_tray.translation_service import TranslationService, TranslationUpdate

        def on_update(update: TranslationUpdate) -> None:
            if update.done:
                self.history.translation(update.index, update.text, update.error)
            self.post(lambda: self._show_translation(update), droppable=not update.done)

        from whispertrans_tray.providers.translate_openai import plain_http_warning

        try:
            self._service = TranslationService(self.settings.translation, self.api_key,
                                               on_update, self.settings.ui_language)
        except WhisperTransError as exc:
            self._fail(exc.message(self.settings.ui_language))
            return
        warning = plain_http_warning(self.settings.translation.url, self.api_key,
                                     self.settings.ui_language)
        if warning:
            self.overlay.set_status(warning)
            if self.tray is not None:
                self.tray.notify(warning)

    def _show_translation(self, update: Any) -> None:
        self.subtitles.apply_translation(update.index, update.text, update.done, update.error)
        self.overlay.show(self.subtitles.visible(), self.subtitles.partial)
        self.overlay.set_status(update.error)

    def _restart_translation(self) -> None:
        if self._service is not None:
            self._service.close(0.5)
            self._service = None
        if self.settings.translation.enabled:
            self._start_translation()

    # -- settings -------------------------------------------------------------------------
    def change(self, dotted: str, value: object) -> None:
        """Change one setting, save it at once, and apply it."""
        try:
            self.settings = settings_mod.replace(self.settings, dotted, value)
            settings_mod.save(self.settings, self.settings_path)
            self._settings_mtime = self._mtime()
        except WhisperTransError as exc:
            self._fail(exc.message(self.settings.ui_language))
            return
        section = dotted.split(".")[0]
        if section == "translation":
            self._restart_translation()
        elif section == "audio" and self._worker is not None:
            self.stop_recording()
            self.start_recording()
        elif section == "overlay":
            self.overlay.apply_settings(self.settings.overlay)
        if self.tray is not None:
            self.tray.refresh()

    def _overlay_moved(self, overlay: settings_mod.OverlaySettings) -> None:
        self.settings = dataclasses.replace(self.settings, overlay=overlay)
        try:
            settings_mod.save(self.settings, self.settings_path)
            self._settings_mtime = self._mtime()
        except WhisperTransError as exc:
            log.warning("%s", exc)

    # -- tray and hotkeys -----------------------------------------------------------------
    def tray_state(self) -> Any:
        from whispertrans_tray.desktop.tray import TrayState

        s = self.settings
        return TrayState(self.status, s.audio.source, s.audio.device, self._devices,
                         s.translation.provider, s.translation.target_language,
                         s.translation.enabled, s.overlay.visible, s.overlay.locked,
                         s.ui_language)

    def _refresh_devices(self) -> None:
        try:
            from whispertrans_tray.desktop.audio import list_devices

            self._devices = tuple((d.kind, d.name) for d in list_devices())
        except WhisperTransError as exc:
            log.warning("No audio devices: %s", exc)

    def _tray_actions(self) -> Any:
        from whispertrans_tray.desktop.tray import TrayActions
        def set_source(kind: str, device: str) -> None:
            def apply() -> None:
                self.change("audio.source", kind)
                self.change("audio.device", device)
            self.post(apply)

        def set_provider(provider: settings_mod.Provider) -> None:
            def apply() -> None:
                translation = settings_mod.with_provider(self.settings.translation, provider)
                self.change("translation.provider", provider)
                self.change("translation.url", translation.url)
                self.change("translation.model", translation.model)
            self.post(apply)

        return TrayActions(
            toggle_recording=lambda: self.post(self.toggle_recording),
            set_source=set_source,
            set_provider=set_provider,
            set_target=lambda name: self.post(
                lambda: self.change("translation.target_language", name)),
            toggle_translation=lambda: self.post(lambda: self.change(
                "translation.enabled", not self.settings.translation.enabled)),
            test_connection=lambda: self.post(self.test_connection),
            toggle_overlay=lambda: self.post(self.toggle_overlay),
            toggle_lock=lambda: self.post(lambda: self.change(
                "overlay.locked", not self.settings.overlay.locked)),
            export_history=lambda: self.post(self.export_history),
            open_settings=lambda: self.post(self.open_settings),
            quit=lambda: self.post(self.quit),
        )

    def toggle_overlay(self) -> None:
        self.change("overlay.visible", not self.settings.overlay.visible)

    def _start_hotkeys(self) -> None:
        from whispertrans_tray.desktop.hotkeys import Hotkeys

        if self.hotkeys is not None:  # re-registered after the settings changed
            self.hotkeys.stop()
        actions: dict[str, Callable[[], None]] = {  # HotkeySettings field → action
            "toggle_recording": lambda: self.post(self.toggle_recording),
            "toggle_overlay": lambda: self.post(self.toggle_overlay),
            "toggle_translation": lambda: self.post(lambda: self.change(
                "translation.enabled", not self.settings.translation.enabled)),
            "toggle_lock": lambda: self.post(lambda: self.change(
                "overlay.locked", not self.settings.overlay.locked)),
        }
        self.hotkeys = Hotkeys(
            [(getattr(self.settings.hotkeys, name), action) for name, action in actions.items()],
            self.settings.ui_language, [self.t("hotkey.action." + name) for name in actions])
        try:
            self.hotkeys.start()
        except WhisperTransError as exc:
            self._fail(exc.message(self.settings.ui_language))

    def test_connection(self) -> None:
        from whispertrans_tray import connection_test

        def work() -> None:
            report = connection_test.run(self.settings.translation, self.api_key,
                                         self.settings.ui_language)
            text = report.message + (f"\n{report.sample}" if report.sample else "")

            def show() -> None:
                self.overlay.set_status(report.message)
                if self.tray is not None:
                    self.tray.notify(text)
            self.post(show)

        threading.Thread(target=work, name="test-connection", daemon=True).start()

    def export_history(self) -> None:
        """Write this session as bilingual SRT, VTT and TXT next to the history file."""
        base = self.history.path.with_suffix("")
        paths = []
        for ext in (".srt", ".vtt", ".txt"):
            path = base.with_suffix(ext)
            export.write(self.subtitles.lines, path)
            paths.append(str(path))
        if self.tray is not None:
            self.tray.notify(self.t("tray.exported", paths=", ".join(paths)))

    def _mtime(self) -> float:
        try:
            return (self.settings_path or settings_mod.default_path()).stat().st_mtime
        except OSError:
            return 0.0

    def _watch_settings(self) -> None:
        mtime = self._mtime()
        if mtime and mtime != self._settings_mtime:
            self._settings_mtime = mtime
            self.reload_settings()
        self.root.after(WATCH_MS, self._watch_settings)

    def reload_settings(self) -> None:
        """Apply the settings file as edited outside the app; problems name the field."""
        result = settings_mod.load(self.settings_path, self.settings.ui_language)
        old, new = self.settings, result.settings
        self.settings = new
        if result.problems:
            self._fail("\n".join(result.problems))
        if new.overlay != old.overlay:
            self.overlay.apply_settings(new.overlay)
        if new.ui_language != old.ui_language:
            self.overlay.set_ui_language(new.ui_language)
        if new.hotkeys != old.hotkeys or new.ui_language != old.ui_language:
            self._start_hotkeys()
        if new.translation != old.translation or new.ui_language != old.ui_language:
            self._restart_translation()
        if (new.audio != old.audio or new.asr != old.asr) and self._worker is not None:
            if new.asr != old.asr:
                self._model = None
            self.stop_recording()
            self.start_recording()
        if self.tray is not None:
            self.tray.refresh()

    def open_settings(self) -> None:
        """The settings window, in a child process; saved edits apply at once (file watch)."""
        path = self.settings_path or settings_mod.default_path()
        if not path.exists():
            settings_mod.save(self.settings, path)
        try:
            from whispertrans_tray.desktop.settings_window import spawn

            spawn(path)
        except OSError as exc:
            self._fail(str(exc))
