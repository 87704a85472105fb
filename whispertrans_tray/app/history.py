"""Session history, autosaved: what was said is on disk even if the app crashes.

Each committed sentence and each finished (or failed) translation is appended to a JSONL file
in the app's data folder as it happens, and flushed to disk.  :func:`load` reads a session
file back into subtitle lines (a torn last line from a crash is skipped); nothing reopens a
crashed session automatically, the file simply stays in ``history/``.

A data folder that cannot be written (a read-only disk, a path through a file, no space) does
not stop the app: :func:`open_session` keeps the session in the temporary folder instead and
says where (:attr:`SessionWriter.moved_from`), so the user can be told, and nothing is lost.

What it promises:

* one file per session, whatever the timing: ``session-<time>-<pid>-<random>.jsonl``, created
  (exclusively) with the first record, so two sessions started in the same second never share
  one, and a session that committed nothing leaves no file;
* each record names its session, and :func:`load` pairs a translation with the sentence of the
  same session and index (a file two old versions wrote into is read back without mixing them);
* nothing is removed silently: sessions older than ``history.keep_days`` days, then the oldest
  while all of them take more than ``history.max_mb`` MB (the limits the settings window
  shows), are removed when a session starts, each one logged, and
  :attr:`SessionWriter.removed` lists them so the user is told (:func:`pruned_notice`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from whispertrans_tray.causes import os_error
from whispertrans_tray.core.subtitles import Line
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.i18n import tr
from whispertrans_tray.settings import HistorySettings

log = logging.getLogger(__name__)

EMPTY_GRACE_S = 60.0
"""An empty session file (left by an older version, or a crash) untouched this long is removed."""


def history_dir() -> Path:
    """``history/`` in the OS data folder (``WHISPERTRANS_DATA_DIR`` overrides it)."""
    override = os.environ.get("WHISPERTRANS_DATA_DIR")
    if override:
        return Path(override) / "history"
    import platformdirs

    return Path(platformdirs.user_data_dir("WhisperTrans Tray", appauthor=False)) / "history"


class SessionWriter:
    """Appends a session's sentences and translations to its own
    ``session-<time>-<pid>-<random>.jsonl``, created with the first record.

    Thread-safe: the pipeline worker writes sentences, the translation worker translations.
    Raises OSError when ``folder`` cannot be written (checked at once, not at the first record).
    """

    def __init__(self, folder: Path | None = None, now: dt.datetime | None = None,
                 limits: HistorySettings | None = None) -> None:
        folder = folder or history_dir()
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".probe-"):
            pass  # the folder can be written: the session will be kept here
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        self.session = f"{stamp}-{os.getpid()}-{secrets.token_hex(3)}"
        """This session's id: in its file name and in every record."""
        self.path = folder / f"session-{self.session}.jsonl"
        self._file: IO[str] | None = None
        self._closed = False
        self._created = False
        self._lock = threading.Lock()
        self.moved_from: tuple[Path, OSError] | None = None
        """The data folder that could not be written, and why (the session is elsewhere)."""
        self.limits = limits or HistorySettings()
        self.removed: tuple[Path, ...] = prune(folder, self.limits)
        """Old sessions removed when this one started (the user is told: :func:`pruned_notice`)."""

    @property
    def started(self) -> bool:
        """Whether the session's file exists (something was recorded)."""
        return self._created

    def sentence(self, sentence: Sentence) -> None:
        self._write({"type": "sentence", "session": self.session, "index": sentence.index,
                     "start": sentence.start, "end": sentence.end,
                     "committed_at": sentence.committed_at, "language": sentence.language,
                     "text": sentence.text})

    def translation(self, index: int, text: str, error: str = "", late: bool = False,
                    first_token_at: float | None = None,
                    translated_at: float | None = None) -> None:
        """Record a finished translation (or its failure) of sentence ``index``; a ``late``
        one (made once the server was back) replaces the failure recorded before it.  The
        times (seconds by the source's clock, like ``committed_at``): when its first text and
        its final text were shown."""
        record: dict[str, Any] = {"type": "translation", "session": self.session,
                                  "index": index, "text": text, "error": error}
        if late:
            record["late"] = True
        if first_token_at is not None:
            record["first_token_at"] = first_token_at
        if translated_at is not None:
            record["translated_at"] = translated_at
        self._write(record)

    def _write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            if self._closed:
                log.warning("Session history already closed; not saved: %s", line.strip())
                return
            try:
                if self._file is None:
                    self._file = self.path.open("x", encoding="utf-8")
                    self._created = True
                self._file.write(line)
                self._file.flush()
                os.fsync(self._file.fileno())
            except OSError as exc:  # a full disk must not stop the subtitles
                log.error("Could not write the session history to %s: %s", self.path, exc)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._file is not None:
                self._file.close()
                self._file = None


def fallback_dir() -> Path:
    """Where a session goes when the data folder cannot be written: the temporary folder."""
    return Path(tempfile.gettempdir()) / "whispertrans-tray" / "history"


def open_session(folder: Path | None = None, now: dt.datetime | None = None,
                 limits: HistorySettings | None = None) -> SessionWriter:
    """A new session in ``folder`` (the data folder), or in :func:`fallback_dir` if that
    cannot be written (:attr:`SessionWriter.moved_from` says so; OSError only if neither
    can); old sessions beyond ``limits`` are removed (:attr:`SessionWriter.removed`)."""
    folder = folder or history_dir()
    try:
        return SessionWriter(folder, now, limits)
    except OSError as exc:
        log.warning("Cannot keep the session history in %s (%s); using %s", folder,
                    exc.strerror or exc, fallback_dir())
        writer = SessionWriter(fallback_dir(), now, limits)
        writer.moved_from = (folder, exc)
        return writer


def moved_notice(writer: SessionWriter, ui_language: str) -> str:
    """What to tell the user when ``writer`` is not in the data folder (where, why, the fix),
    or "" when it is."""
    if writer.moved_from is None:
        return ""
    folder, why = writer.moved_from
    return tr("history.moved", ui_language, path=folder, detail=os_error(why),
              fallback=writer.path.parent)


def pruned_notice(writer: SessionWriter, ui_language: str) -> str:
    """What to tell the user when old sessions were removed as this one started (how many,
    the limits, where to change them), or "" when none were."""
    if not writer.removed:
        return ""
    return tr("history.pruned", ui_language, count=len(writer.removed),
              days=writer.limits.keep_days, mb=writer.limits.max_mb,
              path=writer.removed[0].parent)


def load(path: Path) -> list[Line]:
    """Read a session file back into subtitle lines (torn or unknown lines are skipped).

    A translation fills the line of the sentence with its session and index, never another
    session's sentence with the same index."""
    lines: list[Line] = []
    where: dict[tuple[str, int], int] = {}
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                record = json.loads(raw)
                key = (str(record.get("session", "")), int(record["index"]))
                if record["type"] == "sentence":
                    committed = record.get("committed_at")
                    where[key] = len(lines)
                    lines.append(Line(Sentence(key[1], float(record["start"]),
                                               float(record["end"]), str(record["language"]),
                                               str(record["text"]),
                                               None if committed is None else float(committed))))
                elif record["type"] == "translation" and key in where:
                    error = str(record.get("error", ""))
                    lines[where[key]] = replace(
                        lines[where[key]], translation=str(record["text"]),
                        status="failed" if error else "done", error=error,
                        late=bool(record.get("late", False)),
                        first_token_at=_seconds(record.get("first_token_at")),
                        translated_at=_seconds(record.get("translated_at")))
            except (ValueError, KeyError, TypeError, AttributeError):
                log.warning("Skipping unreadable line %d of %s", number, path)
    return lines


def _seconds(value: object) -> float | None:
    """A time of a record (None when absent)."""
    return None if value is None else float(value)  # type: ignore[arg-type]


def sessions(folder: Path | None = None) -> list[Path]:
    """Session files, newest first."""
    folder = folder or history_dir()
    return sorted(folder.glob("session-*.jsonl"), reverse=True)


def prune(folder: Path, limits: HistorySettings, now: float | None = None) -> tuple[Path, ...]:
    """Remove the sessions in ``folder`` older than ``limits.keep_days``, then the oldest while
    the rest take more than ``limits.max_mb``; each one is logged.  Empty session files (an
    older version's, or a crash's) are removed too, once untouched for
    :data:`EMPTY_GRACE_S`.  The sessions removed (empty files not counted), oldest first."""
    now = time.time() if now is None else now
    found: list[tuple[float, int, Path]] = []
    for path in folder.glob("session-*.jsonl"):
        try:
            info = path.stat()
        except OSError:
            continue  # removed meanwhile
        if info.st_size == 0:
            if now - info.st_mtime > EMPTY_GRACE_S:
                _remove(path, "empty")
            continue
        found.append((info.st_mtime, info.st_size, path))
    found.sort()
    too_old = now - limits.keep_days * 86400.0
    total = sum(size for _, size, _ in found)
    removed: list[Path] = []
    for mtime, size, path in found:
        if mtime >= too_old and total <= limits.max_mb * 1_000_000:
            break
        reason = (f"older than {limits.keep_days} days" if mtime < too_old
                  else f"history over {limits.max_mb} MB")
        if _remove(path, reason):
            removed.append(path)
            total -= size
    return tuple(removed)


def _remove(path: Path, reason: str) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        log.warning("Could not remove the old session history %s (%s): %s", path, reason, exc)
        return False
    log.warning("Removed the old session history %s (%s)", path, reason)
    return True
