"""A real Windows console for a command, and what it showed (the Windows stage's helper).

    python console_host.py CODEPAGE OUT.txt COMMAND...

Started by a test in a console of its own (``CREATE_NEW_CONSOLE``): sets the console's output
and input code page to ``CODEPAGE`` (1252: an English Windows, 950: a Traditional Chinese one),
runs ``COMMAND`` in that console, then reads the console's screen buffer back
(``ReadConsoleOutputCharacterW``, wrapped lines joined) and writes it to ``OUT.txt`` as UTF-8,
with the command's exit code and the console's code page on the first line.
"""

from __future__ import annotations

import ctypes
import subprocess
import sys
from ctypes import wintypes
from pathlib import Path

STD_OUTPUT_HANDLE = -11


class _COORD(ctypes.Structure):
    _fields_ = [("X", wintypes.SHORT), ("Y", wintypes.SHORT)]


class _SMALL_RECT(ctypes.Structure):  # noqa: N801 - the Win32 name
    _fields_ = [("Left", wintypes.SHORT), ("Top", wintypes.SHORT), ("Right", wintypes.SHORT),
                ("Bottom", wintypes.SHORT)]


class _SCREEN_INFO(ctypes.Structure):  # noqa: N801 - CONSOLE_SCREEN_BUFFER_INFO
    _fields_ = [("dwSize", _COORD), ("dwCursorPosition", _COORD), ("wAttributes", wintypes.WORD),
                ("srWindow", _SMALL_RECT), ("dwMaximumWindowSize", _COORD)]


def screen_text() -> str:
    """The console's screen buffer up to the cursor's line, trailing blanks cut."""
    kernel32 = ctypes.windll.kernel32
    kernel32.GetStdHandle.restype = wintypes.HANDLE
    handle = kernel32.GetStdHandle(STD_OUTPUT_HANDLE)
    info = _SCREEN_INFO()
    if not kernel32.GetConsoleScreenBufferInfo(handle, ctypes.byref(info)):
        raise OSError(ctypes.get_last_error(), "GetConsoleScreenBufferInfo failed")
    width = info.dwSize.X
    text = ""
    for row in range(info.dwCursorPosition.Y + 1):
        buffer = ctypes.create_unicode_buffer(width)
        read = wintypes.DWORD()
        kernel32.ReadConsoleOutputCharacterW(handle, buffer, width, _COORD(0, row),
                                             ctypes.byref(read))
        line = buffer.value[:read.value].rstrip()
        text += line if len(line) == width else line + "\n"  # a full row: the line wraps
    return text.rstrip() + "\n"


def main() -> int:
    codepage, out, command = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    kernel32 = ctypes.windll.kernel32
    if not (kernel32.SetConsoleOutputCP(codepage) and kernel32.SetConsoleCP(codepage)):
        out.write_text(f"error: code page {codepage} refused\n", encoding="utf-8")
        return 1
    code = subprocess.call(command)
    shown = kernel32.GetConsoleOutputCP()
    out.write_text(f"{code} {shown}\n{screen_text()}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
