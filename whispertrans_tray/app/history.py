"""Session history, autosaved: what was said is on disk even if the app crashes.

Each committed sentence and each finished (or failed) translation is appended to a JSONL file
in the app's data folder as it happens, and flushed to disk.  :func:`load` reads a session
file back into subtitle lines (a torn last line from a crash is skipped); nothing reopens a
crashed session automatically, the file simply stays in ``history/``.

A data folder that cannot be written (a read-only disk, a path through a file, no space) does
not stop the app: :func:`open_session` keeps the session in the temporary folder instead and
says where (:attr:`SessionWriter.moved_from`), so the user can be told, and nothing is lost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

from whispertrans_tray.causes import os_error
from whispertrans_tray.core.subtitles import Line, SubtitleModel
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.i18n import tr

log = logging.getLogger(__name__)

KEEP_SESSIONS = 50


def history_dir() -> Path:
    """``history/`` in the OS data folder (``WHISPERTRANS_DATA_DIR`` overrides it)."""
    override = os.environ.get("WHISPERTRANS_DATA_DIR")
    if override:
        return Path(override) / "history"
    import platformdirs

    return Path(platformdirs.user_data_dir("WhisperTrans Tray", appauthor=False)) / "history"


class SessionWriter:
    """Appends a session's sentences and translations to ``session-<time>.jsonl``.

    Thread-safe: the pipeline worker writes sentences, the translation worker translations.
    """

    def __init__(self, folder: Path | None = None, now: dt.datetime | None = None) -> None:
        folder = folder or history_dir()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        self.path = folder / f"session-{stamp}.jsonl"
        self._file: IO[str] | None = self.path.open("a", encoding="utf-8")
        self._lock = threading.Lock()
        self.moved_from: tuple[Path, OSError] | None = None
        """The data folder that could not be written, and why (the session is elsewhere)."""
        _prune(folder)

    def sentence(self, sentence: Sentence) -> None:
        self._write({"type": "sentence", "index": sentence.index, "start": sentence.start,
                     "end": sentence.end, "committed_at": sentence.committed_at,
                     "language": sentence.language, "text": sentence.text})

    def translation(self, index: int, text: str, error: str = "", late: bool = False) -> None:
        """Record a finished translation (or its failure) of sentence ``index``; a ``late``
        one (made once the server was back) replaces the failure recorded before it."""
        record: dict[str, Any] = {"type": "translation", "index": index, "text": text,
                                  "error": error}
        if late:
            record["late"] = True
        self._write(record)

    def _write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            if self._file is None:
                log.warning("Session history already closed; not saved: %s", line.strip())
                return
            try:
                self._file.write(line)
                self._file.flush()
                os.fsync(self._file.fileno())
            except OSError as exc:  # a full disk must not stop the subtitles
                log.error("Could not write the session history to %s: %s", self.path, exc)

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None


def fallback_dir() -> Path:
    """Where a session goes when the data folder cannot be written: the temporary folder."""
    return Path(tempfile.gettempdir()) / "whispertrans-tray" / "history"


def open_session(folder: Path | None = None, now: dt.datetime | None = None) -> SessionWriter:
    """A new session file in ``folder`` (the data folder), or in :func:`fallback_dir` if that
    cannot be written (:attr:`SessionWriter.moved_from` says so; OSError only if neither
    can)."""
    folder = folder or history_dir()
    try:
        return SessionWriter(folder, now)
    except OSError as exc:
        log.warning("Cannot keep the session history in %s (%s); using %s", folder,
                    exc.strerror or exc, fallback_dir())
        writer = SessionWriter(fallback_dir(), now)
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


def load(path: Path) -> list[Line]:
    """Read a session file back into subtitle lines (torn or unknown lines are skipped)."""
    model = SubtitleModel()
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                record = json.loads(raw)
                if record["type"] == "sentence":
                    committed = record.get("committed_at")
                    model.apply(Sentence(int(record["index"]), float(record["start"]),
                                         float(record["end"]), str(record["language"]),
                                         str(record["text"]),
                                         None if committed is None else float(committed)))
                elif record["type"] == "translation":
                    model.apply_translation(int(record["index"]), str(record["text"]), True,
                                            str(record.get("error", "")),
                                            bool(record.get("late", False)))
            except (ValueError, KeyError, TypeError):
                log.warning("Skipping unreadable line %d of %s", number, path)
    return model.lines


def sessions(folder: Path | None = None) -> list[Path]:
    """Session files, newest first."""
    folder = folder or history_dir()
    return sorted(folder.glob("session-*.jsonl"), reverse=True)


def _prune(folder: Path) -> None:
    for old in sessions(folder)[KEEP_SESSIONS:]:
        with contextlib.suppress(OSError):
            old.unlink()
