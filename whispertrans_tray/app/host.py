"""What the tray app's parts ask of the app: one narrow protocol per part.

The parts (:mod:`~whispertrans_tray.app.commands`, :mod:`~whispertrans_tray.app.recording`,
:mod:`~whispertrans_tray.app.translation_view`, :mod:`~whispertrans_tray.app.welcome`) are
given the app as the protocol of what they use, never import it: only
:class:`~whispertrans_tray.app.tray_app.App` imports them, and implements every protocol here.
The small ones (:class:`Post`, :class:`Notify`, :class:`Fail`, :class:`Words`) are the
plumbing; each part's protocol adds the state it reads.
"""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from typing import Protocol

from whispertrans_tray.app.draft_view import DraftView
from whispertrans_tray.app.history import SessionWriter
from whispertrans_tray.app.parts import Parts
from whispertrans_tray.app.publisher import Publisher
from whispertrans_tray.app.translation_service import TranslationService
from whispertrans_tray.core.outage import Outage
from whispertrans_tray.core.subtitles import SubtitleModel
from whispertrans_tray.core.types import Event
from whispertrans_tray.desktop.overlay import Overlay
from whispertrans_tray.desktop.tray import Tray
from whispertrans_tray.settings import (
    AsrSettings,
    AudioSettings,
    OverlaySettings,
    Settings,
    TranslationSettings,
)


class Post(Protocol):
    def post(self, fn: Callable[[], None], droppable: bool = False) -> None:
        """Run ``fn`` on Tk's thread soon (from any thread)."""
        ...


class Notify(Protocol):
    def notify(self, message: str, title: str = ...) -> None:
        """A desktop notification (through the tray icon)."""
        ...


class Fail(Protocol):
    def fail(self, message: str) -> None:
        """The error state, with ``message`` on the overlay and as a notification."""
        ...


class Words(Protocol):
    def t(self, key: str, **params: object) -> str:
        """The message ``key`` in the UI language."""
        ...


class Toggle(Protocol):
    def toggle(self) -> None: ...


class Settled(Protocol):
    """The running settings, the API key and the collaborators' factories."""

    @property
    def settings(self) -> Settings: ...

    @property
    def api_key(self) -> str | None: ...

    @property
    def parts(self) -> Parts: ...


class Shown(Protocol):
    """The subtitle window and the tray icon (``None`` until it is started)."""

    @property
    def overlay(self) -> Overlay: ...

    @property
    def tray(self) -> Tray | None: ...


class Linkable(Protocol):
    def show_link(self) -> None:
        """The viewer link window (Tk's thread)."""
        ...


class CommandsHost(Post, Notify, Fail, Words, Settled, Shown, Protocol):
    """What the menu and hotkey commands use."""

    @property
    def room(self) -> Linkable: ...

    @property
    def history(self) -> SessionWriter: ...

    @property
    def recording(self) -> Toggle: ...

    def change(self, *, audio: AudioSettings | None = None,
               translation: TranslationSettings | None = None,
               overlay: OverlaySettings | None = None, asr: AsrSettings | None = None) -> None:
        """Change whole settings sections at once, save, apply."""
        ...

    def open_settings(self) -> None: ...

    def quit(self) -> None: ...


class WelcomeHost(Post, Notify, Words, Settled, Shown, Protocol):
    """What the first-run welcome uses."""

    @property
    def outage(self) -> Outage: ...


class RecordingHost(Post, Fail, Words, Protocol):
    """What the recording worker uses."""

    @property
    def settings(self) -> Settings: ...

    @property
    def overlay(self) -> Overlay: ...

    @property
    def status(self) -> str: ...

    def set_status(self, status: str, message: str = "") -> None: ...

    def post_status(self, text: str) -> None:
        """A status line from any thread (droppable)."""
        ...

    def post_notice(self, text: str) -> None:
        """A passing notice from any thread (the subtitles are late)."""
        ...

    def emit(self, event: Event) -> None:
        """A recognizer event: history, translation, and the overlay."""
        ...


class TranslationHost(Post, Notify, Fail, Words, Settled, Shown, Protocol):
    """What the translation view uses; it sets ``service``."""

    service: TranslationService | None

    @property
    def history(self) -> SessionWriter: ...

    @property
    def outage(self) -> Outage: ...

    @property
    def subtitles(self) -> SubtitleModel: ...

    @property
    def publisher(self) -> Publisher:
        """Where the translation updates go besides the subtitles (the run's outputs)."""
        ...

    @property
    def root(self) -> tk.Misc: ...

    @property
    def drafts(self) -> DraftView:
        """The overlay's draft line (``translation.drafts``)."""
        ...

    def tell_settings_window(self) -> None:
        """The open settings window shows the translation endpoint in use."""
        ...


class RoomHost(Notify, Words, Settled, Protocol):
    """What the feed and its viewer link use."""

    @property
    def root(self) -> tk.Misc: ...

    def tell_settings_window(self) -> None:
        """The open settings window shows the viewer link."""
        ...


class StudioHost(Post, Notify, Settled, Protocol):
    """What OBS and the live text file use (:mod:`~whispertrans_tray.app.studio`)."""
