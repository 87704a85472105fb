"""The live text file (app/live_file.py) and the board of last lines it shows (app/line_board.py):
atomic replacement under concurrent readers, never someone else's file, clear messages."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from whispertrans_tray.app.line_board import LineBoard
from whispertrans_tray.app.live_file import LiveFile, Registry, check
from whispertrans_tray.app.outputs import LineEvent, Outputs
from whispertrans_tray.errors import LiveFileError


def wait_for(condition, what: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"not reached in {timeout:.0f} s: {what}")
        time.sleep(0.01)


def test_the_board_keeps_the_last_sentences_with_their_translations_then_the_partial() -> None:
    board = LineBoard(2)
    assert board.apply(LineEvent("partial", 0, "And so my"))
    assert board.text() == "And so my"
    board.apply(LineEvent("sentence", 0, "And so, my fellow Americans,"))
    board.apply(LineEvent("translation", 0, "所以，我的美國同胞", "zh", done=False))
    board.apply(LineEvent("translation", 0, "所以，我的美國同胞們，", "zh"))
    assert board.text() == "And so, my fellow Americans,\n所以，我的美國同胞們，"
    board.apply(LineEvent("partial", 1, "ask not"))
    assert board.text() == "And so, my fellow Americans,\n所以，我的美國同胞們，\nask not"
    board.apply(LineEvent("sentence", 1, "ask not what your country can do for you,"))
    board.apply(LineEvent("sentence", 2, "ask what you can do for your country."))
    # two sentences: the first is gone; a draft and a failed translation are never shown
    assert not board.apply(LineEvent("draft", 2, "問你能"))
    assert not board.apply(LineEvent("translation_failed", 1, "翻譯失敗：連線被拒"))
    assert board.text() == ("ask not what your country can do for you,\n"
                            "ask what you can do for your country.")
    assert not board.apply(LineEvent("translation", 0, "late, for a sentence off the board"))
    board.apply(LineEvent("partial", 3, "Thank"))
    assert board.text() == "ask what you can do for your country.\nThank"


def test_a_file_it_did_not_write_is_refused_and_left_exactly_as_it_was(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "data" / "live_files.json")
    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes\n", encoding="utf-8")
    with pytest.raises(LiveFileError) as caught:
        LiveFile.open(notes, 2, print, "en", registry)
    assert str(notes) in caught.value.message("en")
    assert "not written by this app" in caught.value.message("en")
    assert "不是本程式寫的" in caught.value.message("zh-TW")
    assert notes.read_text(encoding="utf-8") == "my own notes\n"
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(LiveFileError, match="not a regular file"):
        check(folder, registry)
    link = tmp_path / "link.txt"
    link.symlink_to(notes)
    with pytest.raises(LiveFileError, match="not a regular file"):
        check(link, registry)
    empty = tmp_path / "empty.txt"  # made by the user for OBS to point at: nothing to lose
    empty.touch()
    assert check(empty, registry) == empty


def test_its_own_file_is_taken_again_but_not_once_the_user_edited_it(tmp_path: Path) -> None:
    registry = Registry(tmp_path / "data" / "live_files.json")
    path = tmp_path / "live.txt"
    sink = LiveFile.open(path, 2, print, "en", registry)
    sink.publish(LineEvent("sentence", 0, "Hello there."))
    wait_for(lambda: path.exists() and path.read_text(encoding="utf-8") == "Hello there.",
             "the first line in the file")
    sink.close()
    assert path.read_text(encoding="utf-8") == ""  # the session's end empties it
    path.write_text("Hello there.", encoding="utf-8")  # as a crash would have left it
    again = LiveFile.open(path, 2, print, "en", registry)  # the app's own text: taken
    again.publish(LineEvent("sentence", 0, "Second session."))
    wait_for(lambda: path.read_text(encoding="utf-8") == "Second session.", "the new line")
    again.close()
    path.write_text("Second session.\nand what the user added", encoding="utf-8")
    with pytest.raises(LiveFileError):
        LiveFile.open(path, 2, print, "en", registry)
    assert path.read_text(encoding="utf-8") == "Second session.\nand what the user added"


def test_readers_never_see_a_torn_file_while_it_changes_fast(tmp_path: Path) -> None:
    """Readers in other threads (and OBS would be another process) read the file as fast as
    they can while 400 different texts, long and short, CJK and Latin, replace each other:
    every read is one whole text that was written, and the file is never missing."""
    registry = Registry(tmp_path / "registry.json")
    path = tmp_path / "live.txt"
    sink = LiveFile.open(path, 3, print, "zh-TW", registry)
    outputs = Outputs([sink])
    written: set[str] = {""}
    texts = []
    for n in range(400):
        body = f"第{n}句：" + "字幕" * (n % 37) + f" sentence {n} " + "x" * (n % 300)
        texts.append(body)
    sink.publish(LineEvent("sentence", 0, "start"))
    wait_for(path.exists, "the file")
    stop = threading.Event()
    reads: list[str] = []
    problems: list[str] = []

    def read() -> None:
        while not stop.is_set():
            try:
                with path.open("rb") as handle:
                    reads.append(handle.read().decode("utf-8"))
            except FileNotFoundError:
                problems.append("missing")
            except UnicodeDecodeError:
                problems.append("cut inside a character")

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    board = LineBoard(3)
    board.apply(LineEvent("sentence", 0, "start"))
    written.add(board.text())
    for n, text in enumerate(texts, start=1):
        event = LineEvent("sentence", n, text)
        board.apply(event)
        written.add(board.text())
        outputs.publish(event)
        if n % 50 == 0:  # let the writer catch up now and then, so many versions land
            wait_for(lambda: sink.delivered == board.text(), "the writer")
    wait_for(lambda: path.read_text(encoding="utf-8") == board.text(), "the last text")
    stop.set()
    for reader in readers:
        reader.join()
    outputs.close()
    assert not problems
    torn = [r for r in reads if r not in written]
    assert not torn, f"{len(torn)} torn reads, e.g. {torn[0][:80]!r}"
    assert len(set(reads)) > 5, "the readers saw the file change"
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")], "no temp file left"


def test_a_folder_it_cannot_write_is_told_once_and_the_subtitles_go_on(tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    folder.mkdir()
    told: list[str] = []
    sink = LiveFile.open(folder / "live.txt", 2, told.append, "zh-TW",
                         Registry(tmp_path / "registry.json"))
    folder.rmdir()  # the folder disappears (a USB stick pulled out)
    for n in range(5):
        sink.publish(LineEvent("sentence", n, f"line {n}"))  # returns at once every time
    wait_for(lambda: bool(told), "the message")
    assert "無法寫入即時文字檔" in told[0] and str(folder / "live.txt") in told[0]
    folder.mkdir()  # back: the newest text is written on the next try
    wait_for(lambda: (folder / "live.txt").exists()
             and (folder / "live.txt").read_text(encoding="utf-8") == "line 3\nline 4",
             "the file written once the folder is back")
    sink.close()
    assert len(told) == 1
