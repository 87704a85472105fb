"""The bundle's hidden imports per OS (installer/whispertrans-tray.spec reads them).

pystray and pynput pick their backend when imported (their PyInstaller hooks import them to
list it, which fails without a display), pywebview its platform, and the app its desktop
backends (``desktop/window``, ``hotkeys``, ``autostart`` choose one module at run time):
each named here for the OS the bundle is built on.  Windows uses ``keyboard`` for its global
hotkeys and has no pynput (pyproject.toml installs it only off Windows); Linux is the reverse.
tests/windows/test_bundle_imports.py checks that every Windows name can be imported there.
"""

from __future__ import annotations

COMMON = ["keyring.backends.SecretService", "keyring.backends.Windows",
          "keyring.backends.fail", "keyring.backends.null",
          "whispertrans_tray.desktop.window.generic"]

WINDOWS = ["pystray._win32", "pystray._util.win32",
           "keyboard", "keyboard._winkeyboard",
           "webview.platforms.winforms", "webview.platforms.edgechromium",
           "whispertrans_tray.desktop.window.win32",
           "whispertrans_tray.desktop.hotkeys.keyboard",
           "whispertrans_tray.desktop.autostart.windows"]

LINUX = ["pystray._gtk", "pystray._appindicator", "pystray._xorg",
         "pystray._util.gtk", "pystray._util.notify_dbus",
         "pynput.keyboard._xorg", "pynput.mouse._xorg", "pynput._util.xorg",
         "pynput._util.xorg_keysyms", "pynput.keyboard._uinput", "pynput._util.uinput",
         "webview.platforms.gtk", "gi.repository.Gtk", "gi.repository.Gdk",
         "gi.repository.GLib", "gi.repository.WebKit2",
         "whispertrans_tray.desktop.window.x11",
         "whispertrans_tray.desktop.hotkeys.pynput",
         "whispertrans_tray.desktop.autostart.xdg"]


def hidden_imports(windows: bool) -> list[str]:
    """What the bundle built on Windows (``windows``) or Linux must carry besides what
    PyInstaller finds by itself."""
    return [*COMMON, *(WINDOWS if windows else LINUX)]
