"""UTF-8 output on every OS, whatever the console code page.

On Windows, Python writes a real console through the console's UTF-16 API (PEP 528), so any
text shows whatever the console's code page is.  Redirected to a file or a pipe, though, its
stdout and stderr encode with the ANSI code page: cp1252 on an English Windows, cp950 on a
Traditional Chinese one.  cp1252 cannot encode the ``→`` of the subtitle lines (the first
sentence raised UnicodeEncodeError), cp950 lacks many characters other languages need, and
the same program's output would be read in a different encoding on each machine.
``PYTHONUTF8=1`` would fix it from a source checkout, but a PyInstaller bundle ignores that
variable: so :func:`utf8_output` re-encodes both streams as UTF-8 at the command line's entry,
also in the frozen app.

Why not write through the console API ourselves: Python already does for a real console,
and for a file or a pipe there is no console to write to; UTF-8 is what a file or a pipe
should carry (PowerShell 7, ``type``, editors and our own SRT/VTT/TXT exports read it).
"""

from __future__ import annotations

import codecs
import io
import sys
from typing import TextIO


def utf8_output() -> None:
    """Make ``sys.stdout`` and ``sys.stderr`` write UTF-8 (a stream that is missing, as in a
    windowed app, or already UTF-8, as a Windows console is, is left alone).  A character UTF-8
    cannot carry (a lone surrogate) is replaced on stdout, escaped on stderr, never an error."""
    _reencode(sys.stdout, "replace")
    _reencode(sys.stderr, "backslashreplace")


def _reencode(stream: TextIO | None, errors: str) -> None:
    if not isinstance(stream, io.TextIOWrapper):  # missing, or replaced (a test's capture)
        return
    try:
        if codecs.lookup(stream.encoding or "ascii").name == "utf-8":
            return
    except LookupError:
        pass
    stream.flush()
    stream.reconfigure(encoding="utf-8", errors=errors)
