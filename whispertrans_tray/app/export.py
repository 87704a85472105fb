"""Writing a session's subtitles: ``.srt``, ``.vtt``, ``.txt`` and ``.jsonl``.

SRT and VTT cues are bilingual: the source line, then the translation line when there is one.
JSONL has one object per sentence: ``start``, ``end``, ``committed_at`` (when the sentence was
committed, by the source's clock), ``language``, ``text``, ``translation`` (null when not
translated), ``first_token_at`` and ``translated_at`` (when its first translated text and its
final translation were shown, same clock) and ``translation_error`` when it failed.

:func:`write` writes a whole session at once (atomically); :class:`LiveExport` writes one as it
goes: every format here is append-only (a cue's times depend only on the cues before it), so
each sentence is appended once its translation is final, and a late failure keeps all before.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from whispertrans_tray import causes
from whispertrans_tray.core.subtitles import Line
from whispertrans_tray.errors import OutputError

log = logging.getLogger(__name__)

FORMATS = (".srt", ".vtt", ".txt", ".jsonl")
MIN_CUE_S = 0.5


def _timestamp(seconds: float, separator: str) -> str:
    millis = max(round(seconds * 1000), 0)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _cue_text(line: Line) -> str:
    text = line.sentence.text
    if line.translation:
        text += "\n" + line.translation
    return text


def _cue_time(line: Line, previous_end: float) -> tuple[float, float]:
    """A cue's times: from its sentence, never before the previous cue's end (no overlap),
    at least :data:`MIN_CUE_S` long."""
    start = max(line.sentence.start, previous_end)
    return start, max(line.sentence.end, start + MIN_CUE_S)


def _srt_cue(number: int, line: Line, times: tuple[float, float]) -> str:
    gap = "\n" if number > 1 else ""
    return (f"{gap}{number}\n{_timestamp(times[0], ',')} --> {_timestamp(times[1], ',')}\n"
            f"{_cue_text(line)}\n")


def _vtt_cue(number: int, line: Line, times: tuple[float, float]) -> str:
    return f"\n{_timestamp(times[0], '.')} --> {_timestamp(times[1], '.')}\n{_cue_text(line)}\n"


def _txt_line(number: int, line: Line, times: tuple[float, float]) -> str:
    return _cue_text(line) + "\n"


def _jsonl_line(number: int, line: Line, times: tuple[float, float]) -> str:
    sentence = line.sentence
    record: dict[str, object] = {"start": round(sentence.start, 3), "end": round(sentence.end, 3)}
    if sentence.committed_at is not None:
        record["committed_at"] = round(sentence.committed_at, 3)
    record.update(language=sentence.language, text=sentence.text,
                  translation=line.translation or None)
    for name in ("first_token_at", "translated_at"):
        value = getattr(line, name)
        if value is not None and line.translation:
            record[name] = round(value, 3)
    if line.error:
        record["translation_error"] = line.error
    return json.dumps(record, ensure_ascii=False) + "\n"


_Entry = Callable[[int, Line, tuple[float, float]], str]
_FORMATS: dict[str, tuple[str, _Entry]] = {
    ".srt": ("", _srt_cue), ".vtt": ("WEBVTT\n", _vtt_cue), ".txt": ("", _txt_line),
    ".jsonl": ("", _jsonl_line),
}


class _Formatter:
    """One format's text, one line at a time (the header first)."""

    def __init__(self, suffix: str) -> None:
        self.header, self._entry = _FORMATS[suffix.lower()]
        self._count = 0
        self._end = 0.0

    def entry(self, line: Line) -> str:
        self._count += 1
        times = _cue_time(line, self._end)
        self._end = times[1]
        return self._entry(self._count, line, times)


def _render(lines: Sequence[Line], suffix: str) -> str:
    formatter = _Formatter(suffix)
    return formatter.header + "".join(formatter.entry(line) for line in lines)


def to_srt(lines: Sequence[Line]) -> str:
    return _render(lines, ".srt")


def to_vtt(lines: Sequence[Line]) -> str:
    return _render(lines, ".vtt")


def to_txt(lines: Sequence[Line]) -> str:
    return _render(lines, ".txt")


def to_jsonl(lines: Sequence[Line]) -> str:
    return _render(lines, ".jsonl")


def check_format(path: Path) -> None:
    """Raise :class:`OutputError` unless ``path`` has a supported extension."""
    if path.suffix.lower() not in _FORMATS:
        raise OutputError("output.unknown_format", ext=path.suffix or path.name)


def check_writable(path: Path, source: Path | None = None) -> None:
    """Raise :class:`OutputError` unless ``path`` has a supported extension and a file can be
    written there now (its folder exists or can be made, and takes a new file): checked before
    a long transcription, not after it.  ``path`` must not be the input file ``source`` (the
    same file, also through a symbolic or hard link): writing it would destroy the audio."""
    check_format(path)
    if source is not None and _same_file(path, source):
        raise OutputError("output.is_input", path=path, source=source)
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "it is a folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".out-", dir=path.parent)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise _write_error(path, exc) from exc


def write(lines: Sequence[Line], path: Path) -> None:
    """Write ``lines`` in the format ``path``'s extension names, atomically."""
    check_format(path)
    text = _render(lines, path.suffix)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".out-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise _write_error(path, exc) from exc


def _final(line: Line) -> bool:
    """A line whose translation will not change any more (or none was asked for)."""
    return line.status not in ("pending", "streaming")


class LiveExport:
    """Writes a session to ``path`` as it goes: each line is appended (and flushed to disk) as
    soon as it and every line before it are final, so whatever stops the run later, all that
    was committed before is in the file.  :meth:`close` appends the rest as it stands, and
    rewrites the file (atomically) if a line written as failed got a late translation since."""

    def __init__(self, path: Path) -> None:
        check_format(path)
        self.path = path
        self._formatter = _Formatter(path.suffix)
        self.written = 0
        self._shown: list[Line] = []  # the lines as written
        self._file: IO[str] | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise _write_error(path, exc) from exc
        self._append(self._formatter.header)

    def update(self, lines: Sequence[Line]) -> None:
        """Append the lines that became final (in order: a line waits for those before it)."""
        end = self.written
        while end < len(lines) and _final(lines[end]):
            end += 1
        self._write(lines[self.written:end])

    def close(self, lines: Sequence[Line]) -> None:
        """Append every line not written yet, final or not, and close the file."""
        try:
            self._write(lines[self.written:])
        finally:
            if self._file is not None:
                self._file.close()
                self._file = None
        if any(now != shown for now, shown in zip(lines, self._shown)):
            write(lines, self.path)  # late translations replace the failures written before

    def _write(self, lines: Sequence[Line]) -> None:
        if lines:
            self._append("".join(self._formatter.entry(line) for line in lines))
            self.written += len(lines)
            self._shown += lines

    def _append(self, text: str) -> None:
        if not text or self._file is None:
            return
        try:
            self._file.write(text)
            self._file.flush()
            os.fsync(self._file.fileno())
        except OSError as exc:
            raise _write_error(self.path, exc) from exc


def _same_file(path: Path, source: Path) -> bool:
    """``path`` and ``source`` name one file (st_dev and st_ino: links too); False when
    either does not exist or cannot be looked at (the write itself then says why)."""
    try:
        return os.path.samefile(path, source)
    except (OSError, ValueError):
        return False


def _write_error(path: Path, exc: OSError) -> OutputError:
    log.info("Cannot write %s: %r", path, exc)
    return OutputError("output.write_failed", path=path, detail=causes.os_error(exc))
