"""The Whisper models on this machine: list them with their size, download one from Hugging Face
(through huggingface_hub, as faster-whisper does) with progress and cancel, remove one.

Downloaded models live in huggingface_hub's cache (where faster-whisper looks for them by
name); the bundled base model lives in the app's own cache (:mod:`model_store`) and cannot be
removed.  A download that fails or is cancelled removes everything it wrote (the repository's
cache folder and its lock files), unless the model was already complete before it started.
``HF_ENDPOINT`` (read at each download) points the downloads at a mirror.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from whispertrans_tray import causes
from whispertrans_tray.errors import ModelDownloadCancelledError, ModelDownloadError, ModelError
from whispertrans_tray.providers import model_store

log = logging.getLogger(__name__)

CATALOG = ("tiny", "tiny.en", "base.en", "small", "small.en", "medium", "medium.en",
           "large-v3", "large-v3-turbo", "distil-small.en", "distil-medium.en",
           "distil-large-v3", "distil-large-v3.5")
"""The models offered for download, smallest first (faster-whisper's names)."""
NEEDED = ("config.json", "model.bin", "tokenizer.json")
"""A model folder without these is not a usable model (an interrupted copy, another repo)."""
ALLOW = ["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"]
"""What faster-whisper downloads of a model repository."""
DEFAULT_ENDPOINT = "https://huggingface.co"

Progress = Callable[[int, int], None]
"""``(bytes done, bytes in all)``; the total is 0 until it is known."""


@dataclass(frozen=True)
class InstalledModel:
    """A usable model on disk."""

    name: str
    size: int  # bytes on disk
    path: Path
    bundled: bool = False


def repo_id(name: str) -> str:
    """The Hugging Face repository of a faster-whisper model name (``org/name`` is one)."""
    from faster_whisper.utils import _MODELS

    if "/" in name.strip("/") and not name.startswith((".", "/", "~")):
        return name
    if name not in _MODELS:
        raise ModelError("model.unknown", name=name, names=", ".join(CATALOG))
    return str(_MODELS[name])


def hub_cache() -> Path:
    """huggingface_hub's model cache (``HF_HUB_CACHE`` / ``HF_HOME`` move it)."""
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def _repo_folder(cache: Path, repo: str) -> Path:
    return cache / ("models--" + repo.replace("/", "--"))


def _size(folder: Path) -> int:
    """Bytes in ``folder`` (a blob shared by two snapshots counts once)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _complete_snapshot(folder: Path) -> Path | None:
    snapshots = folder / "snapshots"
    if not snapshots.is_dir():
        return None
    for snapshot in sorted(snapshots.iterdir()):
        if all((snapshot / name).is_file() for name in NEEDED):
            return snapshot
    return None


def installed(cache: Path | None = None, app_cache: Path | None = None) -> list[InstalledModel]:
    """The bundled base model (when joined) and each complete downloaded catalog model."""
    cache = cache or hub_cache()
    models = []
    bundled = (app_cache or model_store.cache_dir()) / "whisper-base-ct2"
    if all((bundled / name).is_file() for name in NEEDED):
        models.append(InstalledModel(model_store.BUNDLED_NAME, _size(bundled), bundled, True))
    seen: set[str] = set()
    for name in CATALOG:
        repo = repo_id(name)
        folder = _repo_folder(cache, repo)
        snapshot = _complete_snapshot(folder)
        if snapshot is not None and repo not in seen:
            seen.add(repo)
            models.append(InstalledModel(name, _size(folder), snapshot))
    return models


def remove(name: str, cache: Path | None = None) -> None:
    """Delete a downloaded model; the bundled base model cannot be removed."""
    if name == model_store.BUNDLED_NAME:
        raise ModelError("model.not_removable", name=name)
    cache = cache or hub_cache()
    repo = repo_id(name)
    folder = _repo_folder(cache, repo)
    try:
        _remove_repo(cache, repo)
    except OSError as exc:
        log.info("Cannot remove %s: %r", folder, exc)
        raise ModelError("model.remove_failed", name=name, path=folder,
                         detail=causes.os_error(exc)) from exc


STALE_DOWNLOAD_S = 600.0
"""A partial download file (``blobs/*.incomplete``) untouched this long is left by a download
that was killed (a running one writes to it all the time)."""


def clean_stale_downloads(cache: Path | None = None,
                          now: float | None = None) -> tuple[Path, ...]:
    """Remove what killed downloads of the catalog's models left in the cache (the hidden
    ``.incomplete`` files huggingface_hub writes into), each one logged; the files removed.
    Called at start: nothing else would remove them before the next download of that model."""
    cache = cache or hub_cache()
    now = time.time() if now is None else now
    removed = []
    for repo in sorted({repo_id(name) for name in CATALOG}):
        for path in (_repo_folder(cache, repo) / "blobs").glob("*.incomplete"):
            try:
                if now - path.stat().st_mtime < STALE_DOWNLOAD_S:
                    continue  # a download in progress (the settings window's, maybe)
                size = path.stat().st_size
                path.unlink()
            except OSError as exc:
                log.info("Cannot remove the partial download %s: %s", path, exc)
                continue
            log.warning("Removed a partial download left by a killed download: %s (%d bytes)",
                        path, size)
            removed.append(path)
    return tuple(removed)


def _remove_repo(cache: Path, repo: str) -> None:
    folder = _repo_folder(cache, repo)
    if folder.exists():
        shutil.rmtree(folder)
    locks = cache / ".locks" / folder.name
    if locks.exists():
        shutil.rmtree(locks, ignore_errors=True)


def download(name: str, on_progress: Progress, cancel: threading.Event,
             cache: Path | None = None) -> Path:
    """Download the model ``name`` into the cache; its snapshot folder.

    Raises :class:`~whispertrans_tray.errors.ModelDownloadCancelledError` when ``cancel`` is
    set, or a :class:`~whispertrans_tray.errors.ModelDownloadError` naming the cause and the
    fix; either way nothing of this download is left in the cache.
    """
    from huggingface_hub import snapshot_download

    cache = cache or hub_cache()
    repo = repo_id(name)
    had = _complete_snapshot(_repo_folder(cache, repo)) is not None
    endpoint = os.environ.get("HF_ENDPOINT") or None
    try:
        expected = _planned_bytes(repo, cache, endpoint)
        path = snapshot_download(repo, cache_dir=str(cache), allow_patterns=ALLOW,
                                 endpoint=endpoint,
                                 tqdm_class=_progress_class(on_progress, cancel, expected))
        if cancel.is_set():
            raise ModelDownloadCancelledError(name=name)
        if not all((Path(path) / f).is_file() for f in NEEDED):
            raise ModelDownloadError(name=name, detail=f"{repo}: {', '.join(NEEDED)}?")
        return Path(path)
    except BaseException as exc:
        if not had:
            _remove_repo(cache, repo)
        if cancel.is_set():
            raise ModelDownloadCancelledError(name=name) from None
        if isinstance(exc, ModelError) or not isinstance(exc, Exception):
            raise
        host = urlsplit(endpoint or DEFAULT_ENDPOINT).netloc
        log.info("Download of %s from %s failed: %s: %s", repo, host, type(exc).__name__,
                    exc)
        cause = _innermost(exc)
        key = "model.download_unreachable" if _is_connect_error(cause) \
            else "model.download_interrupted"
        raise ModelDownloadError(key, name=name, host=host, detail=_cause(exc, key)) from exc


def _planned_bytes(repo: str, cache: Path, endpoint: str | None) -> int:
    """The size of the model's files (a dry run: the file list only), so that the progress has
    its real total from the start; 0 if huggingface_hub cannot tell (older than 1.0)."""
    from huggingface_hub import snapshot_download

    try:
        plan = snapshot_download(repo, cache_dir=str(cache), allow_patterns=ALLOW,
                                 endpoint=endpoint, dry_run=True)
    except TypeError:
        return 0
    return sum(getattr(f, "file_size", 0) or 0 for f in plan)


def _innermost(exc: BaseException) -> BaseException:
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return exc


def _is_connect_error(exc: BaseException) -> bool:
    """No connection at all: refused, DNS, unreachable network, connect timeout, offline."""
    name = type(exc).__name__
    return "Connect" in name or name in ("OfflineModeIsEnabled", "ProxyError") \
        or (isinstance(exc, OSError) and not isinstance(exc, FileNotFoundError))


def _cause(exc: BaseException, key: str) -> causes.Phrase:
    """Why a download failed, in words: the network's reason, or the disk's."""
    disk = next((e for e in causes.chain(exc) if isinstance(e, OSError)
                 and e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EROFS)), None)
    if disk is not None:
        return causes.os_error(disk)
    phrase = causes.network(exc)
    if key == "model.download_interrupted" and phrase.key == "cause.no_connection":
        return causes.Phrase.of("cause.dropped")
    return phrase


def _progress_class(on_progress: Progress, cancel: threading.Event,
                    expected: int) -> type[Any]:
    """A tqdm class for ``snapshot_download`` that reports bytes and stops on ``cancel``.

    huggingface_hub sums the bytes of all files into one bar with ``unit="B"`` (the
    "Downloading bytes" bar only counts network traffic of Xet transfers); the other bar
    counts files.  Raising from ``update`` aborts the transfer in the middle of a file.
    """
    from tqdm import tqdm

    class Reporter(tqdm):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.pop("name", None)
            kwargs["disable"] = True
            self._bytes = kwargs.get("unit") == "B" and kwargs.get("desc") != "Downloading bytes"
            super().__init__(*args, **kwargs)
            self.n = kwargs.get("initial", 0) or 0
            self.total = kwargs.get("total", 0)

        def update(self, n: float | None = 1) -> bool | None:
            if cancel.is_set():
                raise _Cancel()
            self.n += n or 0
            if self._bytes:
                on_progress(int(self.n), max(int(self.total or 0), expected))
            return None

        def close(self) -> None:
            return None

    return Reporter


class _Cancel(Exception):  # noqa: N818 - internal signal, turned into ModelDownloadCancelledError
    """Raised inside huggingface_hub's transfer loop to stop it."""
