"""Desktop entries on Linux (freedesktop.org): start on login, and the app launcher.

* Start on login: ``$XDG_CONFIG_HOME/autostart/whispertrans-tray.desktop`` (XDG Autostart);
  an entry the user marked ``Hidden=true`` counts as off.
* The launcher (``whispertrans-tray install-desktop``): ``$XDG_DATA_HOME/applications/`` and
  the icon in the ``hicolor`` theme; :func:`uninstall_launcher` removes them and the autostart
  entry.

Files are written atomically.  ``Exec`` lines are quoted by the Desktop Entry rules, so a
program path with spaces, quotes, ``$`` or ``%`` starts as written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from whispertrans_tray.desktop.icons import asset

APP_ID = "whispertrans-tray"
FILE_NAME = f"{APP_ID}.desktop"
ICON = asset("icon.png")
ICON_SIZE = "256x256"
_RESERVED = frozenset(" \t\"'\\><~|&;$*?#()`")


def _home_dir(variable: str, default: str) -> Path:
    value = os.environ.get(variable, "")
    return Path(value) if os.path.isabs(value) else Path.home() / default


def autostart_file() -> Path:
    return _home_dir("XDG_CONFIG_HOME", ".config") / "autostart" / FILE_NAME


def launcher_file() -> Path:
    return _home_dir("XDG_DATA_HOME", ".local/share") / "applications" / FILE_NAME


def icon_file() -> Path:
    return (_home_dir("XDG_DATA_HOME", ".local/share") / "icons" / "hicolor" / ICON_SIZE
            / "apps" / f"{APP_ID}.png")


def exec_value(argv: Sequence[str]) -> str:
    """``argv`` as an ``Exec`` value: each argument quoted when it needs it (``"`` `` ` ``
    ``$`` ``\\`` escaped inside), ``%`` doubled, then the string-value escapes of ``\\`` and
    tab."""
    parts = []
    for arg in argv:
        if "\n" in arg or "\r" in arg:
            raise ValueError(f"a command line argument cannot hold a line break: {arg!r}")
        arg = arg.replace("%", "%%")
        if not arg or any(ch in _RESERVED for ch in arg):
            arg = '"' + "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg) + '"'
        parts.append(arg)
    return " ".join(parts).replace("\\", "\\\\").replace("\t", "\\t")


def desktop_entry(argv: Sequence[str], autostart: bool = False) -> str:
    """The text of the app's desktop entry starting ``argv``."""
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.0",
        "Name=WhisperTrans Tray",
        "GenericName=Live subtitles",
        "GenericName[zh_TW]=即時雙語字幕",
        "Comment=Live speech transcription and translation subtitles",
        "Comment[zh_TW]=即時語音轉錄與翻譯字幕",
        f"Exec={exec_value(argv)}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=AudioVideo;Audio;",
        "Keywords=subtitles;transcription;translation;whisper;",
        "StartupNotify=false",
    ]
    if autostart:
        lines.append("X-GNOME-Autostart-enabled=true")
    return "\n".join(lines) + "\n"


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


# -- start on login (a StartOnLogin backend) ------------------------------------------------
def location() -> str:
    return str(autostart_file())


def is_enabled() -> bool:
    path = autostart_file()
    if not path.is_file():
        return False
    text = path.read_text(encoding="utf-8", errors="replace")
    return not any(line.strip().replace(" ", "").lower() == "hidden=true"
                   for line in text.splitlines())


def enable(command: Sequence[str]) -> None:
    _write(autostart_file(), desktop_entry(command, autostart=True).encode("utf-8"))


def disable() -> None:
    autostart_file().unlink(missing_ok=True)


# -- the launcher ---------------------------------------------------------------------------
def install_launcher(command: Sequence[str]) -> list[Path]:
    """Write the menu entry and its icon; the paths written."""
    _write(icon_file(), ICON.read_bytes())
    _write(launcher_file(), desktop_entry(command).encode("utf-8"))
    _refresh_menus()
    return [launcher_file(), icon_file()]


def uninstall_launcher() -> list[Path]:
    """Remove the menu entry, its icon and the autostart entry; the paths removed."""
    removed = []
    for path in (launcher_file(), icon_file(), autostart_file()):
        if path.is_file():
            path.unlink()
            removed.append(path)
    _refresh_menus()
    return removed


def _refresh_menus() -> None:
    """Menus re-read the folder on their own; this only speeds it up where the tool exists."""
    import subprocess

    tool = shutil.which("update-desktop-database")
    if tool:
        subprocess.run([tool, "-q", str(launcher_file().parent)], check=False, timeout=30,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
