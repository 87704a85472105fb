"""The tray app under test, for the app-level tests (and scripts/readme_screenshots.py).

In this process: :func:`tray_app` (built as ``__main__`` builds it, quit on the way out) and
:func:`pump_until` (Tk's loop, run until a condition holds).  As its own process:
:func:`app_env` (its folders, its single-instance lock), :func:`wait_for` and
:func:`history` (what it wrote to its session history)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def wait_for(predicate: Callable[[], object], timeout: float, every: float = 0.2) -> bool:
    """Poll ``predicate()`` every ``every`` seconds: True once it holds; after ``timeout``
    seconds, whether it holds at that last look."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(every)
    return bool(predicate())


def pump_until(app: Any, condition: Callable[[], object], seconds: float = 30.0) -> bool:
    """Run Tk's loop until ``condition()`` holds (True) or ``seconds`` pass (False)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.root.update()
        if condition():
            return True
        time.sleep(0.02)
    return False


@contextmanager
def tray_app(path: Path | None, settings: Any = None, api_key: str | None = None) \
        -> Iterator[Any]:
    """The tray app in this process (not recording), with the settings file at ``path`` and
    ``settings`` (default: that file's); quit on the way out (recording, translation, hotkeys,
    tray icon and history stopped, its window destroyed)."""
    from whispertrans_tray import settings as settings_mod
    from whispertrans_tray.__main__ import tray_parts
    from whispertrans_tray.app.tray_app import App

    if settings is None:
        assert path is not None
        settings = settings_mod.load(path).settings
    app = App(settings, path, api_key, tray_parts())
    try:
        yield app
    finally:
        app.quit()
        app.root.update()  # quit() destroys the window from Tk's loop
        # a decode the quit gave up on (its sentence was kept) still runs in this process and
        # still captures: it ends before the test's sink, or the session's audio server, goes
        # (a capture left on a vanished server aborts the process in libpulse)
        worker = app.recording.unfinished
        if worker is not None:
            worker.join(120)
            assert not worker.is_alive(), "a decode the quit gave up on never ended"


def app_env(folder: Path, model_cache: Path | None = None) -> dict[str, str]:
    """The environment of a tray app process of its own: data, logs and caches in ``folder``
    (the model cache: ``model_cache`` if given, else ``folder/cache``) and its own
    single-instance lock (``TMPDIR`` without ``XDG_RUNTIME_DIR``)."""
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    return env | {"TMPDIR": str(folder),
                  "WHISPERTRANS_CACHE_DIR": str(model_cache or folder / "cache"),
                  "WHISPERTRANS_DATA_DIR": str(folder / "data"),
                  "WHISPERTRANS_LOG_DIR": str(folder / "logs"),
                  "XDG_CACHE_HOME": str(folder / "xdg-cache")}


@contextmanager
def recording_app(folder: Path, settings: Path, sink: str, model_cache: Path,
                  *options: str) -> Iterator[tuple[Any, Path]]:
    """The tray app as its own process (:func:`app_env` in ``folder``, command-line
    ``options``, the settings file ``settings``), once it records ``sink``: yields the process
    and its log file; terminated on the way out.  Its stderr is ``folder/stderr.txt``."""
    import subprocess
    import sys

    with (folder / "stderr.txt").open("w") as errors:
        app = subprocess.Popen([sys.executable, "-m", "whispertrans_tray", *options,
                                "--settings", str(settings)],
                               env=app_env(folder, model_cache), stdout=subprocess.DEVNULL,
                               stderr=errors, text=True)
        log = app_log(folder)
        try:
            assert wait_for(lambda: log.exists()
                            and f"Recording: {sink}" in log.read_text("utf-8"), 90), \
                (folder / "stderr.txt").read_text()[-3000:]
            yield app, log
        finally:
            app.terminate()
            app.wait(30)


def app_log(folder: Path) -> Path:
    """The log of the app process run with :func:`app_env` (``folder``)."""
    return folder / "logs" / "whispertrans-tray.log"


def history(data: Path, kind: str | None = None) -> list[dict[str, Any]]:
    """The records of the latest session history in the data folder ``data`` (only those of
    type ``kind`` if given); a line still being written is left out."""
    files = sorted((data / "history").glob("session-*.jsonl"))
    if not files:
        return []
    rows = [json.loads(line) for line in files[-1].read_text("utf-8").splitlines()
            if line.endswith("}")]
    return [row for row in rows if kind is None or row["type"] == kind]
