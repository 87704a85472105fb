"""What the tray app is built from: :class:`Parts`, the factories of its collaborators, built by
the composition root (``__main__``) and handed to :class:`~whispertrans_tray.app.tray_app.App`
and its recording worker."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from whispertrans_tray.app.history import SessionWriter
from whispertrans_tray.app.live import AudioSource, StreamClock
from whispertrans_tray.app.outputs import LineSink, StudioKind
from whispertrans_tray.app.server_check import ConnectionReport
from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
from whispertrans_tray.core.recognizer import StreamingRecognizer
from whispertrans_tray.core.types import Transcriber
from whispertrans_tray.desktop.audio import DeviceInfo
from whispertrans_tray.desktop.hotkeys import Hotkeys
from whispertrans_tray.desktop.overlay import Overlay
from whispertrans_tray.desktop.tray import Tray, TrayActions, TrayState
from whispertrans_tray.providers.asr_faster_whisper import LoadedModel
from whispertrans_tray.settings import (
    AsrSettings,
    HistorySettings,
    OverlaySettings,
    Settings,
    TranslationSettings,
)


class LoadedTranscriber(Transcriber, Protocol):
    """A loaded speech model: a :class:`Transcriber` that says what was loaded."""

    @property
    def info(self) -> LoadedModel:
        """Name, device, and a ``notice`` for the status line."""
        ...


class ViewerFeed(LineSink, Protocol):
    """A running local feed (``whispertrans_tray.feed``): a line sink with its links."""

    @property
    def local_url(self) -> str: ...

    def viewer_url(self, address: str | None = None) -> str:
        """The room's link (the local one when the room is off)."""
        ...


@dataclass(frozen=True)
class Parts:
    """Factories of the app's collaborators, built by the composition root (``__main__``).

    Attributes:
        overlay: The subtitle window on the Tk root; ``on_moved`` gets its new settings.
        tray: The tray icon for a state getter and the menu actions.
        hotkeys: Global hotkeys for ``(hotkey, callback)`` pairs, UI language, action labels.
        translation: The translation workers for settings, API key, update callback, language
            and a callback for the changes of the endpoint in use (failover, failback).
        load_model: Loads the speech model for the settings (slow: called on the recording
            worker); the callback shows a status line (a recognition server's failover).
        recognizer: A live recognizer on a loaded model.
        capture: An audio source for source, device, status callback, UI language.
        devices: The capture devices, for the tray menu.
        history: The session history writer.
        server_check: 測試連線 (blocking: called on a worker).
        settings_window: Opens the settings window for a settings file; the callback runs
            after each save (on a reader thread); the text is a translation problem to show
            in its 測試連線 area ("" for none).
        feed: Starts the local feed for the settings (None when it cannot: the reason goes to
            the callback, in the UI language); by default there is none.
        studio_output: Starts one output for a stream, ``live_file`` (``output.live_file``)
            or ``obs`` (``obs.enabled``), for the settings: None when the settings turn it
            off or it cannot start (a file that is not the app's, a bad OBS address: told to
            the callback, in the UI language); the callback also gets its later problems (OBS
            not running, a wrong password), from its own thread.  By default there is none.
        clock: The recording's clock (the recording sets it), which the translation reads
            for its time stamps (``first_token_at``, ``translated_at``).
    """

    overlay: Callable[[tk.Tk, OverlaySettings, str, Callable[[OverlaySettings], None]], Overlay]
    tray: Callable[[Callable[[], TrayState], TrayActions], Tray]
    hotkeys: Callable[[Sequence[tuple[str, Callable[[], None]]], str, Sequence[str]], Hotkeys]
    translation: Callable[[TranslationSettings, str | None, Callable[[TranslationUpdate], None],
                           str, Callable[[str, str], None]], TranslationService]
    load_model: Callable[[Settings, Callable[[str], None]], LoadedTranscriber]
    recognizer: Callable[[AsrSettings, Transcriber], StreamingRecognizer]
    capture: Callable[[str, str, Callable[[str], None], str], AudioSource]
    devices: Callable[[], list[DeviceInfo]]
    history: Callable[[HistorySettings], SessionWriter]
    server_check: Callable[[TranslationSettings, str | None, str], ConnectionReport]
    settings_window: Callable[[Path | None, Callable[[], None], str], object]
    feed: Callable[[Settings, Callable[[str], None]], ViewerFeed | None] = \
        lambda settings, tell: None
    studio_output: Callable[[StudioKind, Settings, Callable[[str], None]], LineSink | None] = \
        lambda kind, settings, tell: None
    clock: StreamClock = field(default_factory=StreamClock)
