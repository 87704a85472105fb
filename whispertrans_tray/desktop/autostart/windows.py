"""Start on login on Windows: a value in the user's ``Run`` key (no admin rights needed).

The Inno Setup installer (``installer/whispertrans-tray.iss``) writes the same value for its
"start on login" task, so the app's toggle and the installer see each other's choice.  Task
Manager's Startup tab disables an entry without removing it (``StartupApproved``): such an
entry counts as off, and turning it on clears that mark.

The pure parts (the command line, the ``StartupApproved`` flag) are tested on every OS; only
:func:`is_enabled`, :func:`enable` and :func:`disable` touch the registry.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from typing import Any

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
VALUE_NAME = "WhisperTrans Tray"


def command_line(argv: Sequence[str]) -> str:
    """The Run value for ``argv``: the program always in quotes (a path with spaces is never
    read as ``C:\\Program`` plus arguments), the arguments quoted by the MS C runtime rules."""
    program, *args = argv
    if '"' in program:
        raise ValueError(f"a program path cannot contain quotes: {program!r}")
    quoted = f'"{program}"'
    return f"{quoted} {subprocess.list2cmdline(args)}" if args else quoted


def approved(flag: bytes | None) -> bool:
    """Whether Task Manager lets a Run entry start: no mark, or an even first byte (02, 06);
    an odd one (03) means the user disabled it there."""
    return not flag or flag[0] % 2 == 0


def _winreg() -> Any:
    if sys.platform != "win32":
        raise OSError("the Windows registry exists only on Windows")
    import winreg

    return winreg


def _query(key_path: str) -> object | None:
    winreg = _winreg()
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key_path) as key:
            value: object = winreg.QueryValueEx(key, VALUE_NAME)[0]
            return value
    except FileNotFoundError:
        return None


def location() -> str:
    return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{VALUE_NAME}"


def is_enabled() -> bool:
    if _query(RUN_KEY) is None:
        return False
    flag = _query(APPROVED_KEY)
    return approved(flag if isinstance(flag, bytes) else None)


def enable(command: Sequence[str]) -> None:
    winreg = _winreg()
    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
        winreg.SetValueEx(key, VALUE_NAME, 0, winreg.REG_SZ, command_line(command))
    _delete(APPROVED_KEY)  # a "disabled in Task Manager" mark would keep it off


def disable() -> None:
    _delete(RUN_KEY)
    _delete(APPROVED_KEY)


def _delete(key_path: str) -> None:
    winreg = _winreg()
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key_path, 0, winreg.KEY_SET_VALUE) as key:
            winreg.DeleteValue(key, VALUE_NAME)
    except FileNotFoundError:
        pass
