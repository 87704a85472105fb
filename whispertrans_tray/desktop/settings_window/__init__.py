"""The settings window: packaged HTML/JS/CSS in pywebview, run in a child process.

The app opens it with :func:`spawn` (``whispertrans-tray settings-window``, composed in
``__main__``), so it never blocks the tray app's Tk loop.  Each save writes ``settings.json``
and the child says so over its stdout pipe (:func:`tell_parent_saved`); the app then applies
the file at once.  The other way, over the child's stdin, the app tells the window which
translation endpoint is in use (:func:`tell_child`, shown at the top of the translation
section).  No remote content is loaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from whispertrans_tray.desktop.settings_window.api import SettingsApi

PAGE = Path(__file__).with_name("web") / "settings.html"
SAVED = "saved"
"""The line the window process writes to its stdout after each save."""
NOTICE_ENV = "WHISPERTRANS_SETTINGS_NOTICE"
"""The window process finds the app's current translation problem here."""


def spawn(settings_path: Path | None, on_saved: Callable[[], None],
          notice: str = "") -> subprocess.Popen[str]:
    """Open the window in a child process; ``on_saved`` runs (on a reader thread) after each
    save.  ``notice`` (a translation problem: cause and fix) shows in the 測試連線 area."""
    args = app_command()
    if settings_path is not None:
        args += ["--settings", str(settings_path)]
    env = {**os.environ, NOTICE_ENV: notice}
    child = subprocess.Popen([*args, "settings-window"], stdout=subprocess.PIPE,
                             stdin=subprocess.PIPE, text=True, env=env)
    threading.Thread(target=listen, args=(child, on_saved), name="settings-window",
                     daemon=True).start()
    return child


def app_command() -> list[str]:
    """How to start this app again: the bundle's executable, or this Python on the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "whispertrans_tray"]


def listen(child: subprocess.Popen[str], on_saved: Callable[[], None]) -> None:
    """Call ``on_saved`` for each save the window process reports, until it exits."""
    assert child.stdout is not None
    with child.stdout:
        for line in child.stdout:
            if line.strip() == SAVED:
                on_saved()
    child.wait()


ACTIVE = "active\t"
"""The start of the line the app writes to the window's stdin: the endpoint in use."""


def tell_child(child: object, endpoint: str) -> None:
    """In the app: tell an open window (a :func:`spawn` child) the endpoint in use."""
    stdin = getattr(child, "stdin", None)
    if stdin is None or getattr(child, "returncode", None) is not None:
        return
    try:
        stdin.write(ACTIVE + endpoint.replace("\n", " ") + "\n")
        stdin.flush()
    except (OSError, ValueError):  # the window was closed
        pass


VIEWER = "viewer\t"
"""The start of the line that tells the window the app's viewer link ("" while no feed)."""


def tell_child_link(child: object, url: str) -> None:
    """In the app: tell an open window the viewer link (shown with its QR code)."""
    stdin = getattr(child, "stdin", None)
    if stdin is None or getattr(child, "returncode", None) is not None:
        return
    try:
        stdin.write(VIEWER + url.replace("\n", " ") + "\n")
        stdin.flush()
    except (OSError, ValueError):  # the window was closed
        pass


def listen_for_status(api: SettingsApi, lines: Iterable[str]) -> None:
    """In the window process: keep ``api.active_endpoint`` and ``api.viewer_link`` up to date
    from ``lines``."""
    for line in lines:
        if line.startswith(ACTIVE):
            api.active_endpoint = line[len(ACTIVE):].rstrip("\n")
        elif line.startswith(VIEWER):
            api.viewer_link = line[len(VIEWER):].rstrip("\n")


def tell_parent_saved() -> None:
    """In the window process: tell the app (reading our stdout) that the file changed."""
    print(SAVED, flush=True)


def create_window(api: SettingsApi) -> object:
    import webview

    return webview.create_window("WhisperTrans Tray", url=str(PAGE), js_api=api,
                                 width=760, height=820, min_size=(560, 480))


def notice() -> str:
    """In the window process: the translation problem the app handed over, or ""."""
    return os.environ.get(NOTICE_ENV, "")


def run(api: SettingsApi) -> int:
    """Show the window until it is closed (in the window process)."""
    import webview

    threading.Thread(target=listen_for_status, args=(api, sys.stdin), name="app-status",
                     daemon=True).start()
    create_window(api)
    try:
        webview.start(gui="gtk" if sys.platform.startswith("linux") else None)
    finally:
        api.shutdown()  # no half-downloaded model is left behind
    return 0
