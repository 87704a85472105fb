"""A data folder that cannot be written (a path through a file, a read-only disk) does not stop
the app or lose the session: the history goes to the temporary folder and the user is told
where, in the UI language, with the fix.  Real processes: the CLI and the tray app."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app_harness import app_env, app_log, wait_for
from tests.conftest import DATA
from tests.pulse import play, private_sink, write_wav
from tests.test_tray import dunst_history
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.app.live import read_audio


def fallback_sentences(tmp: Path) -> list[str]:
    """The sentences of the session kept in the temporary folder ``tmp`` (TMPDIR)."""
    rows = []
    for path in sorted((tmp / "whispertrans-tray" / "history").glob("session-*.jsonl")):
        rows += [json.loads(line) for line in path.read_text("utf-8").splitlines()
                 if line.endswith("}")]
    return [str(r["text"]) for r in rows if r["type"] == "sentence"]


def test_the_cli_keeps_the_session_in_the_temporary_folder_and_says_so(
        tmp_path: Path, model_cache: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    env = app_env(tmp_path, model_cache) | {"WHISPERTRANS_DATA_DIR": str(blocker / "data")}
    out = tmp_path / "jfk.srt"
    result = subprocess.run(
        [sys.executable, "-m", "whispertrans_tray", "--ui-language", "en", "--settings",
         str(tmp_path / "s.json"), "transcribe", str(DATA / "jfk.flac"), "--language", "en",
         "-o", str(out)], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert f"cannot be saved in {blocker / 'data' / 'history'}" in result.stderr
    assert "nothing is lost" in result.stderr and "WHISPERTRANS_DATA_DIR" in result.stderr
    said = fallback_sentences(tmp_path)
    assert said and "country" in " ".join(said).lower()
    assert out.exists()


@pytest.mark.usefixtures("desktop", "pulse")
def test_the_tray_starts_records_and_tells_where_the_history_went(
        tmp_path: Path, model_cache: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    env = app_env(tmp_path, model_cache) | {"WHISPERTRANS_DATA_DIR": str(blocker / "data")}
    wav = write_wav(read_audio(DATA / "jfk.flac"), tmp_path / "jfk.wav")
    with private_sink("hist") as sink, (tmp_path / "stderr.txt").open("w") as errors:
        settings = settings_mod.Settings()
        for dotted, value in (("ui_language", "zh-TW"), ("asr.language", "en"),
                              ("audio.device", sink)):
            settings = settings_mod.replace(settings, dotted, value)
        path = settings_mod.save(settings, tmp_path / "settings.json")
        dunst_history()  # earlier notifications out of the way
        app = subprocess.Popen([sys.executable, "-m", "whispertrans_tray", "--settings",
                                str(path)], env=env, stdout=subprocess.DEVNULL, stderr=errors)
        log = app_log(tmp_path)
        player = None
        try:
            assert wait_for(lambda: log.exists() and f"正在錄音：{sink}" in
                            log.read_text("utf-8"), 90, every=0.1), \
                (tmp_path / "stderr.txt").read_text()[-3000:]
            player = play(wav, sink)
            assert wait_for(lambda: "country" in " ".join(fallback_sentences(tmp_path)).lower(),
                            90), log.read_text("utf-8")[-3000:]
            assert app.poll() is None
            notices = dunst_history()
        finally:
            app.terminate()
            app.wait(30)
            if player is not None:
                player.kill()
    assert f"無法在 {blocker / 'data' / 'history'} 儲存本次的歷史紀錄" in notices, notices
    assert "不會遺失" in notices and "WHISPERTRANS_DATA_DIR" in notices
