"""The first-run welcome: once per user, a notification and a line on the subtitles that point
at the tray icon, the hotkeys and 測試連線 (in the UI language).

"Once" is a marker file, ``welcome-shown`` in the app's data folder (``WHISPERTRANS_DATA_DIR``
overrides it), written when the welcome is shown.  When translation is on, the first run also
checks the server (測試連線, on a worker); a server that cannot be used starts the app's
translation outage (told once, as a notification and on the status line, by this check or by
the first sentence that fails, whichever comes first); transcription goes on either way (the
app does not enter its error state for it).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from whispertrans_tray.app.commands import HOTKEY_ACTIONS
from whispertrans_tray.app.host import WelcomeHost

log = logging.getLogger(__name__)

MARKER = "welcome-shown"


def marker_path() -> Path:
    """``welcome-shown`` in the OS data folder (``WHISPERTRANS_DATA_DIR`` overrides it)."""
    override = os.environ.get("WHISPERTRANS_DATA_DIR")
    if override:
        return Path(override) / MARKER
    import platformdirs

    return Path(platformdirs.user_data_dir("WhisperTrans Tray", appauthor=False)) / MARKER


def readable_hotkey(hotkey: str) -> str:
    """``<ctrl>+<alt>+r`` → ``Ctrl+Alt+R``; empty stays empty."""
    keys = [key.strip("<>") for key in hotkey.split("+") if key]
    return "+".join(key.upper() if len(key) == 1 else key.replace("_", " ").title()
                    for key in keys)


def texts(app: WelcomeHost) -> tuple[str, str]:
    """The notification and the shorter overlay line, in the UI language."""
    hotkeys = app.settings.hotkeys
    listed = [(readable_hotkey(getattr(hotkeys, name)), app.t("hotkey.action." + name))
              for name in HOTKEY_ACTIONS]
    keys = " · ".join(f"{key} {label}" for key, label in listed if key)
    record = readable_hotkey(hotkeys.toggle_recording)
    line = app.t("welcome.line", hotkey=record) if record else app.t("welcome.line_menu")
    return app.t("welcome.notification", hotkeys=keys or app.t("welcome.no_hotkeys")), line


def greet(app: WelcomeHost) -> bool:
    """Welcome the user if this is the first run (Tk's thread); True if it was."""
    path = marker_path()
    if path.exists():
        return False
    notification, line = texts(app)
    app.notify(notification)
    app.overlay.show([], line)  # the dim "being spoken" line, until the first words
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("1\n", encoding="utf-8")
    except OSError as exc:  # shown again next time; nothing else depends on it
        log.warning("Cannot record that the welcome was shown (%s): %s", path, exc)
    if app.settings.translation.enabled:
        threading.Thread(target=_check_server, args=(app, notification),
                         name="welcome-check", daemon=True).start()
    return True


def _check_server(app: WelcomeHost, welcome: str) -> None:
    """測試連線 once; a server that cannot be used is named once, transcription goes on.

    The notification repeats the welcome: desktop notifications of the app replace each
    other, and the welcome would otherwise be gone before it was read.
    """
    report = app.parts.server_check(app.settings.translation, app.api_key,
                                    app.settings.ui_language)
    if report.ok:
        return
    if report.limited:  # there, only rate-limited for now: no outage to announce
        log.info("First-run check: the translation server is rate-limiting (HTTP 429)")
        return
    message = app.t("welcome.server_unusable", detail=report.message)

    def show() -> None:
        # the app's outage: told once, whether this check or a failed sentence comes first
        brief = app.t("translate.brief.failed")
        if app.outage.failed(brief, report.message):
            app.notify(f"{message}\n\n{welcome}", app.t("translate.outage_title"))
            if app.tray is not None:
                app.tray.refresh()
        app.overlay.set_status(brief)

    app.post(show)
