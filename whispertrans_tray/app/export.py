"""Writing a session's subtitles: ``.srt``, ``.vtt``, ``.txt`` and ``.jsonl``.

SRT and VTT cues are bilingual: the source line, then the translation line when there is one.
JSONL has one object per sentence: ``start``, ``end``, ``language``, ``text``, ``translation``
(null when not translated) and ``translation_error`` when it failed.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from whispertrans_tray.core.subtitles import Line
from whispertrans_tray.errors import OutputError

FORMATS = (".srt", ".vtt", ".txt", ".jsonl")


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


def _cue_times(lines: Sequence[Line]) -> list[tuple[float, float]]:
    """Cue times: at least 0.5 s long and never overlapping the next cue."""
    times = []
    for i, line in enumerate(lines):
        start, end = line.sentence.start, max(line.sentence.end, line.sentence.start + 0.5)
        if i + 1 < len(lines):
            end = max(min(end, lines[i + 1].sentence.start), start + 0.001)
        times.append((start, end))
    return times


def to_srt(lines: Sequence[Line]) -> str:
    blocks = [
        f"{n}\n{_timestamp(a, ',')} --> {_timestamp(b, ',')}\n{_cue_text(line)}\n"
        for n, (line, (a, b)) in enumerate(zip(lines, _cue_times(lines)), start=1)
    ]
    return "\n".join(blocks)


def to_vtt(lines: Sequence[Line]) -> str:
    blocks = [
        f"{_timestamp(a, '.')} --> {_timestamp(b, '.')}\n{_cue_text(line)}\n"
        for line, (a, b) in zip(lines, _cue_times(lines))
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def to_txt(lines: Sequence[Line]) -> str:
    return "".join(_cue_text(line) + "\n" for line in lines)


def to_jsonl(lines: Sequence[Line]) -> str:
    out = []
    for line in lines:
        record: dict[str, object] = {
            "start": round(line.sentence.start, 3),
            "end": round(line.sentence.end, 3),
            "language": line.sentence.language,
            "text": line.sentence.text,
            "translation": line.translation or None,
        }
        if line.error:
            record["translation_error"] = line.error
        out.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(out)


_WRITERS: dict[str, Callable[[Sequence[Line]], str]] = {
    ".srt": to_srt, ".vtt": to_vtt, ".txt": to_txt, ".jsonl": to_jsonl,
}


def check_format(path: Path) -> None:
    """Raise :class:`OutputError` unless ``path`` has a supported extension."""
    if path.suffix.lower() not in _WRITERS:
        raise OutputError("output.unknown_format", ext=path.suffix or path.name)


def check_writable(path: Path) -> None:
    """Raise :class:`OutputError` unless ``path`` has a supported extension and a file can be
    written there now (its folder exists or can be made, and takes a new file): checked before
    a long transcription, not after it."""
    check_format(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "it is a folder")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".out-", dir=path.parent)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise OutputError("output.write_failed", path=path,
                          detail=exc.strerror or type(exc).__name__) from exc


def write(lines: Sequence[Line], path: Path) -> None:
    """Write ``lines`` in the format ``path``'s extension names, atomically."""
    check_format(path)
    text = _WRITERS[path.suffix.lower()](lines)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".out-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError("output.write_failed", path=path,
                          detail=exc.strerror or type(exc).__name__) from exc
