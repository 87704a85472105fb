"""The Windows stage: tests run by the Windows CPython (under Wine here, see scripts/test.sh).

Linux's pytest never collects this folder (``norecursedirs`` in pyproject.toml); the Windows
run names it and cuts the Linux fixtures off (``--confcutdir tests/windows``).  Every test here
uses the real Win32 API, registry, console and credential store of the Windows it runs on.
"""

from __future__ import annotations

import ctypes
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]
DATA = CHECKOUT / "tests" / "data"
ARTIFACTS = CHECKOUT / "tests" / "artifacts" / "windows"
JFK_WORDS = ("and so my fellow americans ask not what your country can do for you "
             "ask what you can do for your country")
STAMP = re.compile(r"\[\s*[\d.]+\s*→\s*[\d.]+\]")

if sys.platform != "win32":  # a hard error, not a skip: this folder is the Windows stage
    raise RuntimeError("tests/windows runs under the Windows Python (scripts/test.sh)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "codepage: depends on the ANSI code page (run again under a cp950 Windows)")
    expected = os.environ.get("WT_EXPECT_CODE_PAGE")  # set by scripts/test-windows.sh
    if expected and int(expected) != ansi_code_page():
        raise pytest.UsageError(f"this run is for code page {expected}, Windows has "
                                f"{ansi_code_page()}: the locale did not reach Wine")


def ansi_code_page() -> int:
    """The ANSI code page: what Python encodes a redirected stdout with (1252, 950, ...)."""
    return int(ctypes.windll.kernel32.GetACP())


def words(text: str) -> str:
    """Lower-case words only, the time stamps of the subtitle lines left out."""
    text = STAMP.sub(" ", text)
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def app_env(folder: Path) -> dict[str, str]:
    """The app's environment as a user has it: no UTF-8 mode (a PyInstaller bundle ignores
    it anyway), this checkout's code, its data and logs in ``folder`` (the model cache is the
    user's, where scripts/wine-env.sh joined the bundled model)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONUTF8", "PYTHONIOENCODING", "PYTHONLEGACYWINDOWSSTDIO")}
    return env | {"PYTHONPATH": str(CHECKOUT),
                  "WHISPERTRANS_DATA_DIR": str(folder / "data"),
                  "WHISPERTRANS_LOG_DIR": str(folder / "logs")}


def app_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "whispertrans_tray", *args]


def wait_for(predicate: Callable[[], object], timeout: float, every: float = 0.2) -> bool:
    """Poll ``predicate()`` until it holds (True) or ``timeout`` seconds pass (its last look)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(every)
    return bool(predicate())


def run_app(folder: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    """The app's command line with stdout and stderr to pipes, as bytes."""
    return subprocess.run(app_command(*args), env=app_env(folder), capture_output=True,
                          timeout=timeout, check=False)
