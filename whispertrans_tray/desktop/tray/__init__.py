"""The tray icon and its menu (pystray; on Linux the SNI or the X11 backend, see
:mod:`whispertrans_tray.desktop.tray.backend`).

The menu is rebuilt from a :class:`TrayState` snapshot, so radio and check marks always show
the current settings.  Menu callbacks run on pystray's thread: the :class:`TrayActions` the app
passes in must only post commands to the app's queue.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from whispertrans_tray.core.languages import LANGUAGES
from whispertrans_tray.desktop.icons import tray_image
from whispertrans_tray.desktop.tray import backend as tray_backend
from whispertrans_tray.i18n import tr
from whispertrans_tray.logs import redact
from whispertrans_tray.presets import PRESETS
from whispertrans_tray.settings import Provider

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrayState:
    """What the menu shows."""

    status: str = "idle"  # idle, loading, recording, error
    source: str = "loopback"
    device: str = ""
    devices: tuple[tuple[str, str], ...] = ()  # (kind, name)
    provider: str = "vllm"
    target: str = "繁體中文"
    translating: bool = False
    overlay_visible: bool = True
    locked: bool = False
    ui_language: str = "zh-TW"
    endpoint: str = ""  # the translation endpoint in use, for the tooltip ("" when off)
    problem: str = ""  # a translation outage's cause and fix, for the tooltip
    autostart: bool | None = None  # start on login; None: this OS has no entry for it
    asr_backend: str = "local"  # speech recognition: local, or a remote server
    drafts: bool = False  # translation.drafts: off shows stable (committed) translations only


@dataclass(frozen=True)
class TrayActions:
    """Callbacks of the menu items (called on the tray thread)."""

    toggle_recording: Callable[[], None]
    set_source: Callable[[str, str], None]
    set_provider: Callable[[Provider], None]
    set_target: Callable[[str], None]
    toggle_translation: Callable[[], None]
    test_connection: Callable[[], None]
    toggle_overlay: Callable[[], None]
    toggle_lock: Callable[[], None]
    export_history: Callable[[], None]
    open_settings: Callable[[], None]
    toggle_autostart: Callable[[], None]
    quit: Callable[[], None]
    set_asr_backend: Callable[[str], None] = lambda backend: None
    show_viewer_link: Callable[[], None] = lambda: None
    toggle_drafts: Callable[[], None] = lambda: None


def build_menu(get_state: Callable[[], TrayState], actions: TrayActions) -> Any:
    """The tray menu; labels and marks are evaluated from ``get_state()`` each time."""
    from pystray import _base

    item, menu = _base.MenuItem, _base.Menu

    def t(key: str) -> str:
        return tr(key, get_state().ui_language)

    def source_items() -> list[Any]:
        state = get_state()
        entries = [item(lambda _: t("tray.system_audio"), lambda: actions.set_source(
            "loopback", ""), checked=lambda _: get_state().source == "loopback"
            and not get_state().device, radio=True),
            item(lambda _: t("tray.microphone"), lambda: actions.set_source("mic", ""),
                 checked=lambda _: get_state().source == "mic" and not get_state().device,
                 radio=True),
            item(lambda _: t("tray.both_sources"), lambda: actions.set_source("both", ""),
                 checked=lambda _: get_state().source == "both", radio=True)]
        if state.devices:
            entries.append(menu.SEPARATOR)
        for kind, name in state.devices:
            label = f"{t('devices.loopback' if kind == 'loopback' else 'devices.mic')}: {name}"
            entries.append(item(label, _bind2(actions.set_source, kind, name),
                                checked=_is_device(get_state, kind, name), radio=True))
        return entries

    return menu(
        item(lambda _: t("tray.stop") if get_state().status in ("recording", "loading")
             else t("tray.start"), lambda: actions.toggle_recording(), default=True),
        menu.SEPARATOR,
        item(lambda _: t("tray.source"), menu(lambda: source_items())),
        item(lambda _: t("tray.asr"), menu(*[
            item(lambda _, key=key: t("tray.asr_" + key), _bind1(actions.set_asr_backend, key),
                 radio=True, checked=_is(get_state, "asr_backend", key))
            for key in ("local", "remote")])),
        item(lambda _: t("tray.provider"), menu(*[
            item(label, _bind1(actions.set_provider, key), radio=True,
                 checked=_is(get_state, "provider", key)) for key, label in
            ((key, preset.label) for key, preset in PRESETS.items())])),
        item(lambda _: t("tray.target"), menu(*[
            item(name, _bind1(actions.set_target, name), radio=True,
                 checked=_is(get_state, "target", name)) for name in LANGUAGES])),
        item(lambda _: t("tray.translate"), lambda: actions.toggle_translation(),
             checked=lambda _: get_state().translating),
        item(lambda _: t("tray.stable_only"), lambda: actions.toggle_drafts(),
             checked=lambda _: not get_state().drafts),
        item(lambda _: t("tray.test_connection"), lambda: actions.test_connection()),
        menu.SEPARATOR,
        item(lambda _: t("tray.show_subtitles"), lambda: actions.toggle_overlay(),
             checked=lambda _: get_state().overlay_visible),
        item(lambda _: t("tray.lock"), lambda: actions.toggle_lock(),
             checked=lambda _: get_state().locked),
        item(lambda _: t("tray.history"), lambda: actions.export_history()),
        item(lambda _: t("tray.viewer_link"), lambda: actions.show_viewer_link()),
        item(lambda _: t("tray.settings"), lambda: actions.open_settings()),
        item(lambda _: t("tray.autostart"), lambda: actions.toggle_autostart(),
             checked=lambda _: bool(get_state().autostart),
             visible=get_state().autostart is not None),
        menu.SEPARATOR,
        item(lambda _: t("tray.quit"), lambda: actions.quit()),
    )


T = TypeVar("T")


def _bind1(fn: Callable[[T], None], value: T) -> Callable[[], None]:
    return lambda: fn(value)


def _bind2(fn: Callable[[str, str], None], a: str, b: str) -> Callable[[], None]:
    return lambda: fn(a, b)


def _is(get_state: Callable[[], TrayState], name: str, value: str) -> Callable[[Any], bool]:
    return lambda _: bool(getattr(get_state(), name) == value)


def _is_device(get_state: Callable[[], TrayState], kind: str, name: str) \
        -> Callable[[Any], bool]:
    return lambda _: get_state().source == kind and get_state().device == name


class Tray:
    """The running tray icon.

    Construct and :meth:`start` it on Tk's thread; :meth:`refresh` after every state change
    (any thread: pystray's GTK backend schedules the update on its loop); :meth:`stop` on quit.
    """

    def __init__(self, get_state: Callable[[], TrayState], actions: TrayActions,
                 backend: str | None = None) -> None:
        self.backend = backend or tray_backend.choose()
        log.info("Tray backend: %s", self.backend)
        self._get_state = get_state
        self._status = get_state().status
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._ready = False
        self._pending: list[tuple[str, str]] = []  # notifications asked for before ready
        backend_module = tray_backend.load(self.backend)
        self.icon: Any = backend_module.Icon("whispertrans-tray", tray_image(self._status),
                                             "WhisperTrans Tray", build_menu(get_state, actions))

    def start(self) -> None:
        """Show the icon.

        On macOS pystray shares the Cocoa loop that Tk runs (``run_detached``).  Elsewhere the
        icon gets its own thread running pystray's loop: the GTK backend does all its work
        (showing the icon, menu and icon updates, notifications) from a GLib main loop, and
        ``run_detached`` alone leaves nobody running one, so nothing would ever appear.
        """
        if sys.platform == "darwin":
            self.icon.run_detached(self._setup)
            return
        self._thread = threading.Thread(target=self.icon.run, args=(self._setup,), name="tray",
                                        daemon=True)
        self._thread.start()

    def _setup(self, icon: Any) -> None:
        """pystray calls this once its loop is ready: show the icon, send held notifications.

        pystray's GTK backend silently drops a notification asked for before its loop has
        set up the D-Bus notifier, so :meth:`notify` holds them until now.
        """
        icon.visible = True
        with self._lock:
            self._ready = True
            pending, self._pending = self._pending, []
        for message, title in pending:
            self._send(message, title)

    def refresh(self) -> None:
        """Update the marks, labels, icon colour and tooltip from the current state."""
        state = self._get_state()
        if state.status != self._status:
            self._status = state.status
            self.icon.icon = tray_image(state.status)
        title = f"WhisperTrans Tray — {tr('status.' + state.status, state.ui_language)}"
        lines = (title, state.endpoint, state.problem)
        self.icon.title = "\n".join(redact(line) for line in lines if line)  # no secrets
        self.icon.update_menu()

    def notify(self, message: str, title: str = "WhisperTrans Tray") -> None:
        """A desktop notification (e.g. the 測試連線 result), secrets masked; logged if none
        can be shown.

        Asked for before the icon is ready, it is sent as soon as it is (never blocks).
        """
        with self._lock:
            if not self._ready:
                self._pending.append((message, title))
                return
        self._send(message, title)

    def _send(self, message: str, title: str) -> None:
        message, title = redact(message), redact(title)
        if sys.platform == "win32":  # a balloon holds 255 characters of text, 63 of title
            message, title = _cut(message, WIN32_TEXT_MAX), _cut(title, WIN32_TITLE_MAX)
        try:
            self.icon.notify(message, title)
        except Exception as exc:  # no notification daemon: the status line still shows it
            log.info("Notification failed: %s", exc)

    def stop(self) -> None:
        """Remove the icon and end its loop (waits up to a second for the tray thread)."""
        self.icon.stop()
        if self._thread is not None:
            self._thread.join(1.0)
            self._thread = None


WIN32_TEXT_MAX = 255
"""Characters a Windows notification's text holds (``NOTIFYICONDATAW.szInfo``, 256 with the NUL);
pystray refuses a longer one, so the welcome (363 characters in English) never showed."""
WIN32_TITLE_MAX = 63
"""Characters of its title (``szInfoTitle``)."""


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in "…" when cut."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
