"""The settings window's model manager: the installed Whisper models, one download at a time on
a worker thread (progress, cancel), removal.  Every answer is JSON-able for the page, with
messages in the UI language it asks in.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whispertrans_tray.errors import ModelDownloadCancelledError, ModelError, WhisperTransError
from whispertrans_tray.i18n import tr
from whispertrans_tray.providers import model_manager


@dataclass
class _Download:
    name: str
    done: int = 0
    total: int = 0
    state: str = "running"  # running, done, failed, cancelled
    error: WhisperTransError | None = None


class ModelDownloads:
    """Models in ``cache`` (huggingface_hub's by default) and the bundled one in ``app_cache``."""

    def __init__(self, cache: Path | None = None, app_cache: Path | None = None) -> None:
        self.cache = cache
        self.app_cache = app_cache
        self._lock = threading.Lock()
        self._current: _Download | None = None
        self._cancel = threading.Event()
        self._worker: threading.Thread | None = None

    def listing(self, language: str) -> dict[str, Any]:
        """Installed models (name, size, bundled), the ones that can be downloaded, and the
        download in progress."""
        models = model_manager.installed(self.cache, self.app_cache)
        have = {m.name for m in models}
        return {"installed": [{"name": m.name, "size": m.size, "bundled": m.bundled,
                               "path": str(m.path)} for m in models],
                "available": [name for name in model_manager.CATALOG if name not in have],
                "download": self.status(language)}

    def start(self, name: str, language: str) -> dict[str, Any]:
        """Start downloading ``name`` (one download at a time)."""
        with self._lock:
            if self._current is not None and self._current.state == "running":
                return {**self.status(language, locked=True),
                        "message": tr("model.busy", language, name=self._current.name)}
            try:
                model_manager.repo_id(name)
            except ModelError as exc:
                return {"name": name, "state": "failed", "done": 0, "total": 0,
                        "message": exc.message(language)}
            self._cancel = threading.Event()
            self._current = download = _Download(name)
            self._worker = threading.Thread(target=self._run, args=(download, self._cancel),
                                            name="model-download", daemon=True)
            self._worker.start()
            return self.status(language, locked=True)

    def _run(self, download: _Download, cancel: threading.Event) -> None:
        def progress(done: int, total: int) -> None:
            download.done, download.total = done, total

        try:
            model_manager.download(download.name, progress, cancel, self.cache)
            download.state = "done"
        except ModelDownloadCancelledError as exc:
            download.state, download.error = "cancelled", exc
        except WhisperTransError as exc:
            download.state, download.error = "failed", exc

    def status(self, language: str, locked: bool = False) -> dict[str, Any]:
        """The current (or last) download: name, bytes done and in all, state, message."""
        current = self._current
        if current is None:
            return {"name": "", "state": "idle", "done": 0, "total": 0, "message": ""}
        message = ""
        if current.error is not None:
            message = current.error.message(language)
        elif current.state == "done":
            message = tr("model.downloaded", language, name=current.name)
        return {"name": current.name, "state": current.state, "done": current.done,
                "total": current.total, "message": message}

    def cancel(self) -> None:
        """Stop the download in progress (its partial files are removed)."""
        self._cancel.set()

    def wait(self, timeout: float) -> bool:
        """Wait for the download in progress to end; True if it did."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
            return not worker.is_alive()
        return True

    def remove(self, name: str, language: str) -> dict[str, Any]:
        """Remove a downloaded model (not the bundled one, not one downloading)."""
        current = self._current
        if current is not None and current.state == "running" and current.name == name:
            return {"ok": False, "message": tr("model.busy", language, name=name)}
        try:
            model_manager.remove(name, self.cache)
        except ModelError as exc:
            return {"ok": False, "message": exc.message(language)}
        return {"ok": True, "message": tr("model.removed", language, name=name)}
