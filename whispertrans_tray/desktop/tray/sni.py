"""The StatusNotifierItem tray backend: pystray's ``appindicator`` icon with named icons.

pystray hands libayatana-appindicator a temporary file without an extension as the icon
name.  SNI hosts look icons up by name in the item's ``IconThemePath``, so each state icon is
written there once, under a name derived from its pixels (a new state gives a new name, which
hosts reload; the same state the same file), flat and in the ``hicolor/64x64/apps`` layout
that KDE's icon loader searches.  The middle click starts or stops recording (the menu's
default item), as a click on the X11 icon does.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

from pystray import _appindicator
from pystray._util.gtk import mainloop

ICON_PREFIX = "whispertrans-tray-"
_SUBDIRS = ("", "hicolor/64x64/apps")


class Icon(_appindicator.Icon):  # type: ignore[misc]
    """pystray's AppIndicator icon; icons by name from a private theme folder."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._theme_dir = Path(tempfile.mkdtemp(prefix="whispertrans-tray-icons-"))
        self._icon_name = ""
        self._default_item: Any = None
        super().__init__(*args, **kwargs)
        self._appindicator.set_icon_theme_path(str(self._theme_dir))

    def _update_fs_icon(self) -> None:
        buffer = io.BytesIO()
        self.icon.save(buffer, "PNG")
        data = buffer.getvalue()
        self._icon_name = ICON_PREFIX + hashlib.sha1(data).hexdigest()[:12]
        for sub in _SUBDIRS:
            folder = self._theme_dir / sub
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{self._icon_name}.png"
            if not path.exists():
                path.write_bytes(data)
        self._icon_path = str(self._theme_dir / f"{self._icon_name}.png")  # notifications
        self._icon_valid = True

    def _remove_fs_icon(self) -> None:
        self._icon_valid = False  # the files stay: a state shown again reuses its icon

    @mainloop  # type: ignore[untyped-decorator]
    def _show(self) -> None:
        self._set_icon()
        self._set_menu(self._menu_handle or self._create_default_menu())
        self._appindicator.set_title(self.title)
        self._appindicator.set_status(_appindicator.AppIndicator.IndicatorStatus.ACTIVE)

    @mainloop  # type: ignore[untyped-decorator]
    def _update_icon(self) -> None:
        self._update_fs_icon()
        self._set_icon()

    @mainloop  # type: ignore[untyped-decorator]
    def _update_menu(self) -> None:
        self._menu_handle = self._create_menu(self.menu) or self._create_default_menu()
        self._set_menu(self._menu_handle)

    def _set_icon(self) -> None:
        self._appindicator.set_icon_full(self._icon_name, self.title or self.name)

    def _set_menu(self, menu: Any) -> None:
        self._appindicator.set_secondary_activate_target(None)  # the old menu's item goes
        self._appindicator.set_menu(menu)
        if self._default_item is not None:
            self._appindicator.set_secondary_activate_target(self._default_item)

    def _create_menu_item(self, descriptor: Any) -> Any:
        widget = super()._create_menu_item(descriptor)
        if getattr(descriptor, "default", False) and not descriptor.submenu:
            self._default_item = widget
        return widget

    def _finalize(self) -> None:
        super()._finalize()
        shutil.rmtree(self._theme_dir, ignore_errors=True)
