"""Which pystray backend draws the tray icon: chosen in one place, :func:`choose`.

Linux desktops host tray icons in two ways.  GNOME (with its AppIndicator extension, stock on
Ubuntu) and KDE Plasma 6 show only StatusNotifierItem (SNI) icons, announced to a
``org.kde.StatusNotifierWatcher`` on the session bus; plain X11 trays (XFCE, MATE, LXDE,
trayer, stalonetray) embed ``Gtk.StatusIcon`` windows (XEmbed).  So: the ``appindicator``
backend (libayatana-appindicator, SNI + com.canonical.dbusmenu) when a watcher is on the bus,
the ``gtk`` backend otherwise; ``PYSTRAY_BACKEND`` overrides both.  The menu and the state
icons are the same pystray objects in either backend.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

WATCHER = "org.kde.StatusNotifierWatcher"


def choose(environ: Mapping[str, str] = os.environ) -> str:
    """The backend name for this desktop: ``PYSTRAY_BACKEND`` if set; ``darwin`` and
    ``win32`` on those systems; on Linux and the BSDs ``appindicator`` when a
    StatusNotifierWatcher with a host is on the session bus and libayatana-appindicator is
    installed, else ``gtk``."""
    override = environ.get("PYSTRAY_BACKEND", "").strip()
    if override:
        return override
    if sys.platform == "darwin":
        return "darwin"
    if sys.platform == "win32":
        return "win32"
    if watcher_present() and _appindicator_installed():
        return "appindicator"
    return "gtk"


def load(name: str) -> Any:
    """The backend module (it has ``Icon``) for a name from :func:`choose`."""
    if name == "appindicator":
        return importlib.import_module("whispertrans_tray.desktop.tray.sni")
    importlib.import_module("pystray")  # the package first: its __init__ picks its own default
    return importlib.import_module(f"pystray._{name}")


def watcher_present(timeout_ms: int = 5000) -> bool:
    """Whether a StatusNotifierWatcher owns its name on the session bus and a host (a panel
    that shows the items) has registered with it (False without a bus or without PyGObject).

    Each question waits up to ``timeout_ms``: at login the bus and the panel are busy
    starting everything, and a hasty "no answer" would put the icon in an X11 tray that a
    GNOME or KDE panel never shows.
    """
    try:
        from gi.repository import Gio, GLib

        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        reply = bus.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                              "org.freedesktop.DBus", "NameHasOwner",
                              GLib.Variant("(s)", (WATCHER,)), GLib.VariantType("(b)"),
                              Gio.DBusCallFlags.NONE, timeout_ms, None)
        if not reply.unpack()[0]:
            return False
    except Exception as exc:  # no session bus (a bare X session), or no gi
        log.debug("No StatusNotifierWatcher: %s", exc)
        return False
    try:
        reply = bus.call_sync(WATCHER, "/StatusNotifierWatcher",
                              "org.freedesktop.DBus.Properties", "Get",
                              GLib.Variant("(ss)", (WATCHER, "IsStatusNotifierHostRegistered")),
                              GLib.VariantType("(v)"), Gio.DBusCallFlags.NONE, timeout_ms, None)
        return bool(reply.unpack()[0])
    except Exception as exc:  # a watcher that does not say: trust it
        log.debug("StatusNotifierWatcher does not tell its host: %s", exc)
        return True


def _appindicator_installed() -> bool:
    try:
        import gi

        for namespace in ("AyatanaAppIndicator3", "AppIndicator3"):
            try:
                gi.require_version(namespace, "0.1")
                return True
            except ValueError:
                continue
    except ImportError:
        pass
    log.warning("A StatusNotifierWatcher is running but libayatana-appindicator is not "
                "installed (apt install gir1.2-ayatanaappindicator3-0.1): the tray icon uses "
                "the X11 tray and may not show")
    return False
