"""The live text file: the last N sentences (source, then translation) in a UTF-8 text file,
for OBS's text source option "Read from file" and for any tool that watches a file.

Each change is written to a temporary file in the same folder and moved over the live file
with ``os.replace``: a reader sees the old text or the new one, never half of one, and the
file is always there once written.  Writing runs on the sink's own thread
(:class:`~whispertrans_tray.app.line_board.BoardWorker`); the subtitles never wait for a disk.
When the session ends the file is emptied (a stream does not keep showing the last line).

**Never someone else's file.**  The app replaces only a file it wrote itself: a missing file,
an empty one, or one whose contents are what the app last wrote there.  What it wrote is kept
in a small registry in the app's data folder (``live_files.json``: each live file's path and
the SHA-256 of its last two contents, written before the file is replaced, so a crash between
the two writes still leaves the file recognised).  A non-empty file with other contents (a
user's notes, a file edited since) is refused with :class:`LiveFileError`, which says so and
how to choose another name: the user's file is left exactly as it was.  A path that is not a
regular file (a folder, a symbolic link, a device) is refused the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from whispertrans_tray import causes
from whispertrans_tray.app.line_board import BoardWorker
from whispertrans_tray.errors import LiveFileError

log = logging.getLogger(__name__)

REGISTRY = "live_files.json"
REPLACE_TRIES = 20
"""Tries of ``os.replace`` 10 ms apart: on Windows a file another program (OBS) is reading
cannot be replaced for that moment."""


def registry_path() -> Path:
    """``live_files.json`` in the app's data folder."""
    import platformdirs

    return Path(platformdirs.user_data_dir("WhisperTrans Tray", appauthor=False)) / REGISTRY


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    """``data`` into ``path`` through a temporary file in its folder and ``os.replace``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide it from another reader (OBS)
        for attempt in range(REPLACE_TRIES):
            try:
                os.replace(tmp, path)
                break
            except PermissionError:  # Windows: a reader has the file open right now
                if attempt == REPLACE_TRIES - 1:
                    raise
                time.sleep(0.01)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Registry:
    """The files the app wrote: path → the digests of its last two contents."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or registry_path()

    def read(self) -> dict[str, list[str]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            files = data.get("files", {}) if isinstance(data, dict) else {}
            return {str(k): [str(d) for d in v] for k, v in files.items()
                    if isinstance(v, list)}
        except (OSError, ValueError, AttributeError):
            return {}

    def digests(self, file: Path) -> list[str]:
        return self.read().get(str(file), [])

    def record(self, file: Path, digest: str) -> None:
        files = self.read()
        known = files.get(str(file), [])
        if known[-1:] == [digest]:
            return
        files[str(file)] = [*known[-1:], digest]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.path, json.dumps({"files": files}, ensure_ascii=False,
                                            indent=1).encode("utf-8"))


def check(path: Path, registry: Registry) -> Path:
    """The absolute live-file path if the app may write it; else :class:`LiveFileError`."""
    path = Path(os.path.abspath(path.expanduser()))
    try:
        info = path.lstat()
    except FileNotFoundError:
        return path
    except OSError as exc:
        log.info("Cannot inspect the live file %s: %r", path, exc)
        raise LiveFileError("live_file.write_failed", path=path,
                            detail=causes.os_error(exc)) from exc
    if not stat.S_ISREG(info.st_mode):
        raise LiveFileError("live_file.not_file", path=path)
    if info.st_size == 0:
        return path
    try:
        digest = _digest(path.read_bytes())
    except OSError as exc:
        raise LiveFileError("live_file.write_failed", path=path,
                            detail=causes.os_error(exc)) from exc
    if digest not in registry.digests(path):
        log.info("The live file %s has contents the app did not write: left alone", path)
        raise LiveFileError("live_file.foreign", path=path)
    return path


class LiveFile(BoardWorker):
    """The live text file sink; :func:`check` the path first (``open`` does)."""

    name = "live-file"

    def __init__(self, path: Path, lines: int, notice: Callable[[str], None], ui_language: str,
                 registry: Registry) -> None:
        super().__init__(lines)
        self.path = path
        self._registry = registry
        self._notice = notice
        self._lang = ui_language
        self._told = False
        self.problem = ""

    @classmethod
    def open(cls, path: Path, lines: int, notice: Callable[[str], None], ui_language: str,
             registry: Registry | None = None) -> LiveFile:
        """A started sink writing ``path`` (checked: :class:`LiveFileError` if refused)."""
        registry = registry or Registry()
        sink = cls(check(path, registry), lines, notice, ui_language, registry)
        sink.start()
        return sink

    def deliver(self, text: str) -> bool:
        data = text.encode("utf-8")
        try:
            self._registry.record(self.path, _digest(data))  # first: a crash keeps it ours
            _atomic_write(self.path, data)
        except OSError as exc:
            log.info("Cannot write the live file %s: %r", self.path, exc)
            self.problem = LiveFileError("live_file.write_failed", path=self.path,
                                         detail=causes.os_error(exc)).message(self._lang)
            if not self._told:
                self._told = True
                self._notice(self.problem)
            return False
        self.problem = ""
        self._told = False
        return True

    def retry_after(self) -> float:
        return 2.0

    def finish(self) -> None:
        """The session is over: the file is emptied (still ours, still there)."""
        with contextlib.suppress(OSError):
            if self.path.exists() and self.delivered:
                self.deliver("")
