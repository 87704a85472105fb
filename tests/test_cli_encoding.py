"""The command line writes UTF-8 to a pipe whatever encoding Python would pick for it (on
Windows the ANSI code page: cp1252 raised UnicodeEncodeError on the first subtitle's ``→``;
tests/windows covers the real Windows code pages under Wine).  Here the stream starts as
cp1252 through ``PYTHONIOENCODING``, as a Windows pipe would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import DATA


def test_a_cp1252_pipe_gets_utf8_subtitles_and_messages(tmp_path: Path,
                                                        model_cache: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUTF8"} | {
        "PYTHONIOENCODING": "cp1252", "WHISPERTRANS_CACHE_DIR": str(model_cache),
        "WHISPERTRANS_DATA_DIR": str(tmp_path / "data"),
        "WHISPERTRANS_LOG_DIR": str(tmp_path / "logs")}
    result = subprocess.run([sys.executable, "-m", "whispertrans_tray", "--ui-language", "zh-TW",
                             "--settings", str(tmp_path / "settings.json"), "transcribe",
                             str(DATA / "jfk.flac")], env=env, capture_output=True,
                            timeout=600, check=False)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
    out = result.stdout.decode("utf-8")
    assert "→" in out and "country" in out
    errors = result.stderr.decode("utf-8")
    assert "模型" in errors  # "正在載入 Whisper 模型…", not "\u6a21\u578b" escapes
