"""The session history keeps what it promises: one file per session whatever the timing, no
empty files, translations paired with their own session's sentences, and old sessions removed
only beyond the documented limits (age, size), with the user told.  Real files."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

from whispertrans_tray import settings as settings_mod
from whispertrans_tray.app import history
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.settings import HistorySettings

SECOND = dt.datetime(2026, 3, 4, 5, 6, 7)
DAY = 86400.0


def test_two_sessions_started_in_the_same_second_keep_their_own_files(tmp_path: Path) -> None:
    first = history.SessionWriter(tmp_path, SECOND)
    second = history.SessionWriter(tmp_path, SECOND)
    for n in range(3):  # interleaved, as two processes write
        first.sentence(Sentence(n, n, n + 1.0, "en", f"first {n}"))
        second.sentence(Sentence(n, n, n + 1.0, "en", f"second {n}"))
        second.translation(n, f"第二 {n}")
        first.translation(n, f"第一 {n}")
    first.close()
    second.close()
    assert first.path != second.path and len(history.sessions(tmp_path)) == 2
    assert [(x.sentence.text, x.translation) for x in history.load(first.path)] == [
        (f"first {n}", f"第一 {n}") for n in range(3)]
    assert [(x.sentence.text, x.translation) for x in history.load(second.path)] == [
        (f"second {n}", f"第二 {n}") for n in range(3)]


def test_a_file_two_sessions_wrote_pairs_each_translation_with_its_sentence(
        tmp_path: Path) -> None:
    writers = [history.SessionWriter(tmp_path / name, SECOND) for name in ("a", "b")]
    for n, writer in enumerate(writers):
        writer.sentence(Sentence(0, 0.0, 1.0, "en", f"sentence of {n}"))
    writers[1].translation(0, "一的翻譯")
    writers[0].translation(0, "零的翻譯")
    for writer in writers:
        writer.close()
    rows = [w.path.read_text("utf-8").splitlines() for w in writers]
    shared = tmp_path / "shared.jsonl"  # both sessions' records, interleaved in one file
    shared.write_text("\n".join([rows[0][0], rows[1][0], rows[1][1], rows[0][1]]) + "\n",
                      encoding="utf-8")
    assert [(x.sentence.text, x.translation) for x in history.load(shared)] == [
        ("sentence of 0", "零的翻譯"), ("sentence of 1", "一的翻譯")]


def test_a_session_that_committed_nothing_leaves_no_file(tmp_path: Path) -> None:
    writer = history.SessionWriter(tmp_path)
    assert not writer.started
    writer.close()
    assert list(tmp_path.iterdir()) == []
    stale = tmp_path / "session-20200101-000000.jsonl"  # an older version's empty file
    stale.write_text("")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    history.SessionWriter(tmp_path).close()
    assert not stale.exists()


def session(folder: Path, name: str, age_days: float, size: int = 100) -> Path:
    path = folder / f"session-{name}.jsonl"
    path.write_text(json.dumps({"type": "sentence", "text": "x" * size}) + "\n")
    stamp = time.time() - age_days * DAY
    os.utime(path, (stamp, stamp))
    return path


def test_recent_sessions_are_kept_however_many(tmp_path: Path) -> None:
    recent = [session(tmp_path, f"2026{n:04d}", 0.01) for n in range(80)]
    writer = history.SessionWriter(tmp_path)
    assert writer.removed == () and all(p.exists() for p in recent)
    assert history.pruned_notice(writer, "en") == ""


def test_sessions_older_than_the_limit_are_removed_and_the_user_is_told(tmp_path: Path) -> None:
    old = session(tmp_path, "20200101-000000", 120)
    kept = session(tmp_path, "20260101-000000", 30)
    writer = history.SessionWriter(tmp_path, limits=HistorySettings(keep_days=90))
    assert writer.removed == (old,) and not old.exists() and kept.exists()
    english, chinese = (history.pruned_notice(writer, ui) for ui in ("en", "zh-TW"))
    assert "Removed 1 old session histories" in english and "90 days" in english
    assert "Settings" in english and "已刪除 1 個舊的歷史紀錄" in chinese and "90 天" in chinese


def test_the_oldest_sessions_go_when_all_take_more_than_the_size_limit(tmp_path: Path) -> None:
    paths = [session(tmp_path, f"2026010{n}-000000", 10 - n, 600_000) for n in range(3)]
    writer = history.SessionWriter(tmp_path, limits=HistorySettings(max_mb=1))
    assert writer.removed == (paths[0], paths[1])
    assert [p.exists() for p in paths] == [False, False, True]
    assert "1 MB" in history.pruned_notice(writer, "en")


def test_the_limits_are_settings_and_bad_values_are_named() -> None:
    result = settings_mod.from_dict({"history": {"keep_days": 0, "max_mb": 2000}}, "en")
    assert result.settings.history == HistorySettings(keep_days=90, max_mb=2000)
    assert result.fields == ("history.keep_days",) and "history.keep_days" in result.problems[0]


def test_both_sides_of_a_call_keep_their_labels_in_the_history(tmp_path: Path) -> None:
    writer = history.SessionWriter(tmp_path, SECOND)
    writer.sentence(Sentence(0, 0.0, 1.0, "en", "Can you hear me?", 1.5, "對方"))
    writer.sentence(Sentence(1, 1.5, 2.5, "en", "Yes.", 3.0, "我"))
    writer.sentence(Sentence(2, 3.0, 4.0, "en", "One source.", 4.5))
    writer.close()
    assert [x.sentence.speaker for x in history.load(writer.path)] == ["對方", "我", ""]
    records = [json.loads(line) for line in writer.path.read_text("utf-8").splitlines()]
    assert "speaker" not in records[2]  # one source: no field
