"""Logging set-up: a rotating log file in the OS log folder, with secrets redacted.

API keys must never reach a log: :class:`RedactSecrets` masks anything that looks like one
(``sk-…``, ``Bearer …``) and every secret registered with :func:`register_secret`.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

_PATTERNS = [re.compile(r"sk-[A-Za-z0-9_\-]{8,}"), re.compile(r"(?i)bearer\s+[^\s'\"]+")]
_SECRETS: set[str] = set()
MASK = "***"


def register_secret(secret: str) -> None:
    """Mask ``secret`` in every log record from now on."""
    if secret and len(secret) >= 4:
        _SECRETS.add(secret)


def redact(text: str) -> str:
    for secret in _SECRETS:
        text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text


class RedactSecrets(logging.Filter):
    """Formats the record's message once and masks secrets in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def log_dir() -> Path:
    override = os.environ.get("WHISPERTRANS_LOG_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_log_dir("WhisperTrans Tray", appauthor=False))


def setup(verbose: bool = False) -> None:
    """Log warnings (everything with ``verbose``) to stderr, secrets masked."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    console.addFilter(RedactSecrets())
    root.addHandler(console)


def add_file() -> Path | None:
    """Also log to a rotating file in the OS log folder (the tray app)."""
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "whispertrans-tray.log"
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3,
                                                       encoding="utf-8")
    except OSError as exc:
        logging.getLogger(__name__).warning("No log file in %s: %s", folder, exc)
        return None
    handler.setFormatter(logging.Formatter(
        "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    logging.getLogger().addHandler(handler)
    return path
