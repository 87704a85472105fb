"""The tray daemon: capture → recognizer → translation → overlay, with tray menu and hotkeys.

Threads: Tk owns the main thread (overlay); a recording worker captures and recognizes (the
live loop, :mod:`whispertrans_tray.app.live`); the translation service has its own worker;
pystray and the hotkey listener call back on theirs.  Every other thread talks to Tk only
through :meth:`App.post` — a bounded queue drained with ``after()``.  State machine: idle →
loading → recording → idle, or error (with a message).

Settings reach the running app by one route, :meth:`App.apply`: the new settings are compared
with the old ones and only what changed is restarted.  The collaborators come from
:class:`~whispertrans_tray.app.parts.Parts`, built by ``__main__`` (the composition root).  The
recording worker is :mod:`~whispertrans_tray.app.recording`'s; the translation service, its
answers on the subtitles and the outages told once are
:mod:`~whispertrans_tray.app.translation_view`'s.  Those parts and the commands and welcome
never import the app: each is given it as the narrow protocol of what it uses
(:mod:`~whispertrans_tray.app.host`).
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import tkinter as tk
from collections.abc import Callable
from pathlib import Path

from whispertrans_tray import settings as settings_mod
from whispertrans_tray.app import both, history, welcome
from whispertrans_tray.app.commands import Commands
from whispertrans_tray.app.draft_view import DraftView
from whispertrans_tray.app.outputs import Outputs
from whispertrans_tray.app.parts import Parts
from whispertrans_tray.app.publisher import Publisher
from whispertrans_tray.app.recording import Recording
from whispertrans_tray.app.room import Room
from whispertrans_tray.app.studio import Studio
from whispertrans_tray.app.translation_service import TranslationService
from whispertrans_tray.app.translation_view import TranslationView
from whispertrans_tray.causes import os_error
from whispertrans_tray.core.outage import Outage
from whispertrans_tray.core.subtitles import SubtitleModel
from whispertrans_tray.core.types import Event, Partial, Sentence, Speculative
from whispertrans_tray.desktop import autostart, settings_window
from whispertrans_tray.desktop.hotkeys import Hotkeys
from whispertrans_tray.desktop.tray import Tray, TrayState
from whispertrans_tray.errors import WhisperTransError
from whispertrans_tray.i18n import tr
from whispertrans_tray.settings import (
    AsrSettings,
    AudioSettings,
    OverlaySettings,
    Settings,
    TranslationSettings,
)

log = logging.getLogger(__name__)

DRAIN_MS = 50  # while recording: subtitles appear within a frame or three
IDLE_DRAIN_MS = 250  # idle: wake Tk less often (idle CPU)
KEEP_LINES = 200
"""Subtitle lines held in memory (up to twice this): the overlay shows the newest few, and the
whole session is in the history file, which the export reads; so memory does not grow with the
length of a session (benchmarks/RESULTS.md, "Memory over a live session")."""


class App:
    """Owns the components and the state; all state changes happen on Tk's thread.
    ``outputs``: where every line goes besides the overlay (the local feed, …), published
    from the thread that made it (:attr:`publisher`)."""

    def __init__(self, settings: Settings, settings_path: Path | None, api_key: str | None,
                 parts: Parts, outputs: Outputs | None = None) -> None:
        self.settings = settings
        outputs = outputs if outputs is not None else Outputs()
        self.publisher = Publisher(outputs, lambda: self.settings.translation)
        self.settings_path = settings_path
        self.api_key = api_key
        self.parts = parts
        self.status = "idle"
        self.root = tk.Tk(className="WhisperTrans")
        self.root.title("WhisperTrans Tray")
        self.overlay = parts.overlay(self.root, settings.overlay, settings.ui_language,
                                     self._overlay_moved)
        self.subtitles = SubtitleModel(settings.overlay.max_lines,
                                       keep=max(KEEP_LINES, settings.overlay.max_lines))
        self.history = parts.history(settings.history)
        self.commands = Commands(self)
        self.recording = Recording(self, parts)
        self.service: TranslationService | None = None
        self.outage = Outage()
        """Whether translation is down (the status line, tooltip and notices follow it)."""
        self.translation = TranslationView(self)
        self.drafts = DraftView(self.overlay, self.root, lambda: self.status == "recording"
                                and self.settings.translation.drafts)
        """The overlay's draft line (``translation.drafts``)."""
        self.room = Room(self, outputs)
        """The local feed (when ``feed.enabled``) and the viewer link."""
        self.studio = Studio(self, outputs)
        """OBS (when ``obs.enabled``) and the live text file (when ``output.live_file``)."""
        self.devices: tuple[tuple[str, str], ...] = ()
        self.tray: Tray | None = None
        self.hotkeys: Hotkeys | None = None
        self._settings_window: object = None  # the open settings window's process
        self._ui: queue.Queue[Callable[[], None]] = queue.Queue(maxsize=1000)
        self.root.after(DRAIN_MS, self._drain)

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
        busy = self.status in ("recording", "loading") or self.service is not None
        self.root.after(DRAIN_MS if busy else IDLE_DRAIN_MS, self._drain)

    def t(self, key: str, **params: object) -> str:
        return tr(key, self.settings.ui_language, **params)

    # -- lifecycle ------------------------------------------------------------------------
    def run(self, start_recording: bool = True) -> int:
        self._refresh_devices()
        self.tray = self.parts.tray(self.tray_state, self.commands.tray_actions())
        self.tray.start()
        self.start_hotkeys()
        welcome.greet(self)  # the first run only
        for notice in (history.moved_notice(self.history, self.settings.ui_language),
                       history.pruned_notice(self.history, self.settings.ui_language)):
            if notice:  # after the welcome: a notice replaces it
                self.notify(notice)
        self.room.start()
        self.studio.start()
        if self.settings.translation.enabled:
            self.translation.start()  # the service, its updates, outages: translation_view
        if start_recording:
            self.recording.start()
        self.root.mainloop()
        return 0

    def quit(self) -> None:
        """Stop everything; returns within about two seconds (the sentence being spoken is
        committed: decoded if there is time, else as its partial line; with no partial line
        yet, the decode is given up to ``recording.NO_PARTIAL_GRACE_S`` more)."""
        self.recording.stop(wait=1.5, final=True)
        if self.service is not None:
            self.service.close(0.5)
        if self.hotkeys is not None:
            self.hotkeys.stop()
        if self.tray is not None:
            self.tray.stop()
        self.room.stop()
        self.studio.stop()
        self.history.close()
        self.root.after(0, self.root.destroy)

    def set_status(self, status: str, message: str = "") -> None:
        self.status = status
        if status != "recording":
            self.drafts.clear()  # a draft never outlives the recording
        self.overlay.set_status(message)
        if self.tray is not None:
            self.tray.refresh()

    def fail(self, message: str) -> None:
        """The error state, with ``message`` on the overlay and as a notification."""
        self.set_status("error", message)
        self.notify(message)

    def notify(self, message: str, title: str = "WhisperTrans Tray") -> None:
        if self.tray is not None:
            self.tray.notify(message, title)

    # -- events (any thread) --------------------------------------------------------------
    def emit(self, event: Event) -> None:
        """A recognizer event: history, translation, the outputs and the overlay (a
        speculative final only goes to the translation, which may start on it at the dip)."""
        if isinstance(event, Speculative):
            if self.service is not None:
                self.service.speculate(event)
            return
        self.publisher.event(event)
        if isinstance(event, Sentence):
            self.history.sentence(event)
            translate = self.service is not None and both.translated(self.settings)(event)
            # shown first: an adopted answer (at the dip, a draft) may be handed on at once,
            # inside submit(), and must find its line
            self.post(lambda: self._show(event, translate))
            if self.service is not None and translate:
                self.service.submit(event)
        else:
            if self.service is not None:
                self.service.draft(event)  # translated once steady (translation.drafts)
            self.post(lambda: self._show(event), droppable=True)

    def post_status(self, text: str) -> None:
        self.post(lambda: self.overlay.set_status(text), droppable=True)

    def post_notice(self, text: str) -> None:
        """A passing notice (the subtitles are late): while translation is down the status
        line keeps the outage's one line, and the notice goes to the log."""
        def show() -> None:
            if self.outage.active:
                log.info("%s", text)
            else:
                self.overlay.set_status(text)
        self.post(show, droppable=True)

    def _show(self, event: Partial | Sentence, translating: bool = False) -> None:
        if isinstance(event, Sentence) and not translating:
            self.drafts.final(event.index)  # no translation will replace its draft
        self.subtitles.apply(event, translating=translating)
        self.overlay.show(self.subtitles.visible(), self.subtitles.partial)

    # -- settings: one route --------------------------------------------------------------
    def change(self, *, audio: AudioSettings | None = None,
               translation: TranslationSettings | None = None,
               overlay: OverlaySettings | None = None, asr: AsrSettings | None = None) -> None:
        """Change whole settings sections at once, save, apply.

        A batch (source and device; provider, URL and model) is saved once and restarts what
        it touches once.
        """
        s = self.settings
        new = dataclasses.replace(s, audio=audio or s.audio,
                                  translation=translation or s.translation,
                                  overlay=overlay or s.overlay, asr=asr or s.asr)
        try:
            settings_mod.save(new, self.settings_path)
        except WhisperTransError as exc:  # applied for this session all the same
            self.fail(exc.message(new.ui_language))
        self.apply(new)

    def reload_settings(self) -> None:
        """Apply the settings file (saved by the settings window); problems name the field."""
        result = settings_mod.load(self.settings_path, self.settings.ui_language)
        self.apply(result.settings)
        if result.problems:
            self.fail("\n".join(result.problems))

    def apply(self, new: Settings) -> None:
        """Make ``new`` the running settings: only what differs is applied or restarted."""
        old, self.settings = self.settings, new
        language = new.ui_language != old.ui_language
        if new.overlay != old.overlay:
            self.overlay.apply_settings(new.overlay)
        if language:
            self.overlay.set_ui_language(new.ui_language)
        if (new.hotkeys != old.hotkeys or language) and self.hotkeys is not None:
            self.start_hotkeys()
        if new.translation != old.translation or language:
            if language or dataclasses.replace(new.translation, drafts=old.translation.drafts) \
                    != old.translation:
                self.translation.restart()
            self.translation.set_drafts(new.translation.drafts)
        if new.feed != old.feed or new.overlay != old.overlay or language:
            self.room.restart()  # the pages start from the overlay's look
        self.studio.apply(old, new)  # OBS, the live file: the one whose settings changed
        asr_changed = (new.asr != old.asr
                       or new.translation.glossary != old.translation.glossary)  # hotwords
        if new.audio != old.audio or asr_changed:
            self.recording.restart(model_changed=asr_changed)
        if self.tray is not None:
            self.tray.refresh()

    def _overlay_moved(self, overlay: OverlaySettings) -> None:
        self.change(overlay=overlay)

    # -- tray and hotkeys -----------------------------------------------------------------
    def tray_state(self) -> TrayState:
        s = self.settings
        return TrayState(self.status, s.audio.source, s.audio.device, self.devices,
                         s.translation.provider, s.translation.target_language,
                         s.translation.enabled, s.overlay.visible, s.overlay.locked,
                         s.ui_language, self.endpoint_status(), self.outage.problem,
                         autostart=autostart.is_enabled() if autostart.available() else None,
                         asr_backend=s.asr.backend, drafts=s.translation.drafts)

    def endpoint_status(self) -> str:
        """``翻譯：model @ host`` for the endpoint in use ("" when not translating)."""
        if self.service is None:
            return ""
        active = self.service.active_endpoint
        return (self.t("translate.active", endpoint=active) if active
                else self.t("translate.none_active"))

    def _refresh_devices(self) -> None:
        try:
            self.devices = tuple((d.kind, d.name) for d in self.parts.devices())
        except WhisperTransError as exc:
            log.warning("No audio devices: %s", exc)

    def start_hotkeys(self) -> None:
        """Register the hotkeys of the current settings (again, after they changed)."""
        if self.hotkeys is not None:
            self.hotkeys.stop()
        bindings, labels = self.commands.hotkey_bindings()
        self.hotkeys = self.parts.hotkeys(bindings, self.settings.ui_language, labels)
        try:
            self.hotkeys.start()
        except WhisperTransError as exc:
            self.fail(exc.message(self.settings.ui_language))

    def open_settings(self) -> None:
        """The settings window, in a child process; each save is applied at once."""
        path = self.settings_path or settings_mod.default_path()
        if not path.exists():
            settings_mod.save(self.settings, path)
        try:
            self._settings_window = self.parts.settings_window(
                self.settings_path, lambda: self.post(self.reload_settings),
                self.outage.problem)
        except OSError as exc:
            log.info("Cannot open the settings window: %r", exc)
            self.fail(self.t("app.settings_window_failed", detail=os_error(exc),
                             path=path))
            return
        self.tell_settings_window()

    def tell_settings_window(self) -> None:
        """The open settings window shows the translation endpoint in use."""
        if self._settings_window is not None:
            settings_window.tell_child(self._settings_window, self.endpoint_status())
            settings_window.tell_child_link(self._settings_window, self.room.link())
