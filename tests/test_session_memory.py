"""A session that runs all day does not grow with its length: the subtitle model of the tray
app holds only the newest lines, and the export reads the whole session from the history file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import srt

from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.subtitles import SubtitleModel
from whispertrans_tray.core.types import Partial, Sentence


def sentence(i: int) -> Sentence:
    return Sentence(i, 3.0 * i, 3.0 * i + 2.5, "en", f"Sentence number {i}.")


def test_a_kept_model_stays_bounded_however_many_sentences() -> None:
    model = SubtitleModel(2, keep=50)
    for i in range(5000):
        model.apply(sentence(i), translating=True)
        model.apply(Partial(f"partial {i}", ""))
        model.apply_translation(i, f"句子 {i}", done=True)
        assert len(model.lines) <= 100
    assert [line.sentence.index for line in model.lines][-50:] == list(range(4950, 5000))
    assert [line.translation for line in model.visible()] == ["句子 4998", "句子 4999"]
    model.apply_translation(4960, "later", done=True, late=True)  # still held: updated
    assert next(x for x in model.lines if x.sentence.index == 4960).translation == "later"
    model.apply_translation(10, "too late", done=True, late=True)  # forgotten: ignored
    assert all(line.translation != "too late" for line in model.lines)


def test_keep_below_the_visible_lines_is_refused() -> None:
    with pytest.raises(ValueError, match="keep"):
        SubtitleModel(3, keep=2)


def test_a_model_without_keep_holds_the_whole_session() -> None:
    model = SubtitleModel()
    for i in range(500):
        model.apply(sentence(i))
    assert len(model.lines) == 500


@pytest.mark.usefixtures("desktop")
def test_the_app_holds_the_newest_lines_and_exports_every_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from whispertrans_tray.__main__ import tray_parts
    from whispertrans_tray.app.tray_app import KEEP_LINES, App

    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(tmp_path / "data"))
    path = settings_mod.save(settings_mod.Settings(ui_language="en"), tmp_path / "s.json")
    app = App(settings_mod.load(path).settings, path, None, tray_parts())
    count = 2 * KEEP_LINES + 60
    try:
        for i in range(count):
            app.emit(sentence(i))
            if i % 50 == 49:
                app.root.update()  # the overlay takes what was posted
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
                not app.subtitles.lines or app.subtitles.lines[-1].sentence.index != count - 1):
            app.root.update()
            time.sleep(0.02)
        assert app.subtitles.lines[-1].sentence.index == count - 1
        assert len(app.subtitles.lines) <= 2 * KEEP_LINES
        app.commands.export_history()
        exported = app.history.path.with_suffix(".srt")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not exported.exists():
            app.root.update()
            time.sleep(0.02)
        cues = list(srt.parse(exported.read_text("utf-8")))
        assert [cue.content for cue in cues] == [f"Sentence number {i}." for i in range(count)]
    finally:
        app.history.close()
        app.root.destroy()


LOAD_AND_SAY = (
    "import os\n"
    "from whispertrans_tray.providers import asr_faster_whisper as asr\n"
    "from whispertrans_tray.settings import AsrSettings\n"
    "model = asr.load(AsrSettings(device='cpu', cpu_threads=1))\n"
    "assert model.transcribe(__import__('numpy').zeros(16000, 'float32'), 'en') is not None\n"
    "print(os.environ.get(asr.KERNEL_CACHE_ENV))\n")


@pytest.mark.parametrize(("given", "expected"), [(None, "8"), ("64", "64")])
def test_the_model_loads_with_a_bounded_kernel_cache_unless_one_is_given(
        model_cache: Path, given: str | None, expected: str) -> None:
    """oneDNN's cache of compiled kernels (one per encoder input length) is what made a live
    session's memory climb; the product bounds it, and a value the user set is kept."""
    from whispertrans_tray.providers import asr_faster_whisper

    env = {k: v for k, v in os.environ.items() if k != asr_faster_whisper.KERNEL_CACHE_ENV}
    if given is not None:
        env[asr_faster_whisper.KERNEL_CACHE_ENV] = given
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    result = subprocess.run([sys.executable, "-c", LOAD_AND_SAY], env=env, capture_output=True,
                            text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == expected
