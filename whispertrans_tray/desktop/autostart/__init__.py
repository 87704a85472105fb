"""Start on login, per OS, chosen once (:func:`backend`).

Every backend module (``windows``, ``xdg``) is a :class:`StartOnLogin`:

* ``is_enabled() -> bool`` — whether the OS will start the app at the next login (the OS
  entry is the truth: the installer, Task Manager or the user may change it too).
* ``enable(command)`` — start ``command`` (an argv list) at login: Windows: a value in
  ``HKCU\\...\\CurrentVersion\\Run``; Linux: ``$XDG_CONFIG_HOME/autostart/*.desktop``.
* ``disable()`` — remove that entry (nothing to remove is fine).

Both raise ``OSError``; :func:`set_enabled` turns it into an :class:`AutostartError` that names
the entry and the fix.
"""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from whispertrans_tray import causes
from whispertrans_tray.errors import AutostartError
from whispertrans_tray.i18n import tr

log = logging.getLogger(__name__)

WINDOWED_EXE = "WhisperTrans Tray.exe"
"""The Windows bundle's app without a console (installer/whispertrans-tray.spec)."""


class StartOnLogin(Protocol):
    """The start-on-login entry one OS offers."""

    def is_enabled(self) -> bool: ...

    def enable(self, command: Sequence[str]) -> None: ...

    def disable(self) -> None: ...

    def location(self) -> str: ...


@functools.cache
def backend() -> StartOnLogin | None:
    """``windows`` or ``xdg`` (Linux, BSD), chosen once; None on macOS.

    Imported here: only this OS's module can load (``winreg``)."""
    if sys.platform == "win32":
        from whispertrans_tray.desktop.autostart import windows

        return windows
    if sys.platform == "darwin":
        return None
    from whispertrans_tray.desktop.autostart import xdg

    return xdg


def login_command(executable: str | None = None, frozen: bool | None = None,
                  windows: bool | None = None) -> list[str]:
    """The command that starts the tray app at login (defaults: this process's).

    The bundle starts its own executable (on Windows the windowed one, even when the console
    twin ``whispertrans-tray.exe`` runs now); an install (pip, pipx) starts this Python on the
    package, on Windows through ``pythonw.exe`` when there is one, so no console window opens.
    """
    executable = executable or sys.executable
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    windows = sys.platform == "win32" if windows is None else windows
    path = Path(executable)
    if frozen:
        windowed = path.with_name(WINDOWED_EXE)
        return [str(windowed) if windows and windowed.is_file() else executable]
    quiet = path.with_name("pythonw.exe")
    if windows and path.name.lower() == "python.exe" and os.path.exists(quiet):
        executable = str(quiet)
    return [executable, "-m", "whispertrans_tray"]


def available() -> bool:
    """Whether this OS has a start-on-login entry the app can manage."""
    return backend() is not None


def is_enabled() -> bool:
    """Whether the app starts at login (False when unsupported or unreadable)."""
    found = backend()
    try:
        return found is not None and found.is_enabled()
    except OSError:
        return False


def set_enabled(enabled: bool) -> None:
    """Add or remove the start-on-login entry for :func:`login_command`."""
    found = backend()
    if found is None:
        raise AutostartError("autostart.unsupported")
    try:
        if enabled:
            found.enable(login_command())
        else:
            found.disable()
    except OSError as exc:
        log.info("Cannot change start on login at %s: %r", found.location(), exc)
        raise AutostartError(place=found.location(), detail=causes.os_error(exc)) from exc


def desktop_entry(install: bool, ui_language: str) -> tuple[bool, str]:
    """``install-desktop`` (``install`` True) or ``uninstall-desktop``: whether it worked and
    what to tell the user.  Linux only (where :func:`backend` is ``xdg``): on Windows the
    installer adds the Start-menu entry."""
    from whispertrans_tray.desktop.autostart import xdg

    if backend() is not xdg:
        return False, tr("desktop.linux_only", ui_language)
    try:
        if install:
            paths = xdg.install_launcher(login_command())
            return True, tr("desktop.installed", ui_language, paths=", ".join(map(str, paths)))
        removed = xdg.uninstall_launcher()
    except OSError as exc:
        log.info("Cannot write the menu entry: %r", exc)
        return False, tr("desktop.failed", ui_language, path=exc.filename or "",
                         detail=causes.os_error(exc))
    return True, (tr("desktop.removed", ui_language, paths=", ".join(map(str, removed)))
                  if removed else tr("desktop.nothing", ui_language))
