"""Logging set-up: a rotating log file in the OS log folder, with secrets redacted.

API keys must never reach a log: :class:`RedactSecrets` masks anything that looks like one
(``sk-…``, ``Bearer …``, a URL's ``user:password@``, ``Basic`` credentials) and every secret
registered with :func:`register_secret`.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
from pathlib import Path

_PATTERNS = [re.compile(r"sk-[A-Za-z0-9_\-]{8,}"), re.compile(r"(?i)bearer\s+[^\s'\"]+")]
# A URL's user information (``http://user:password@host``): everything between ``//`` and the
# last ``@`` before the host's end (a password may hold ``@`` and ``:`` itself).
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^\s/?#'\"<>]*@")
# HTTP Basic credentials (``Authorization: Basic dXNlcjpwYXNz``): base64 of ``user:password``.
_BASIC = re.compile(r"(?i)\bbasic(\s+|%20)([A-Za-z0-9+/_\-]{4,}={0,2})")
_SECRETS: set[str] = set()
MASK = "***"


def register_secret(secret: str) -> None:
    """Mask ``secret`` in every log record from now on."""
    if secret and len(secret) >= 4:
        _SECRETS.add(secret)


def redact(text: str) -> str:
    """``text`` with every secret masked: registered keys, ``sk-…``, ``Bearer …``, the
    password of a URL (``http://***@host``) and HTTP Basic credentials (``Basic ***``)."""
    for secret in _SECRETS:
        text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    text = _USERINFO.sub(lambda m: f"{m.group(1)}{MASK}@", text)
    return _BASIC.sub(_mask_basic, text)


def _mask_basic(match: re.Match[str]) -> str:
    """``Basic <base64 of user:password>`` masked; ``basic`` followed by a word is kept."""
    import base64
    import binascii

    token = match.group(2)
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_",
                                   validate=False)
    except (binascii.Error, ValueError):
        return match.group(0)
    try:
        credentials = decoded.decode("utf-8")
    except UnicodeDecodeError:  # not text: "basic" and a word that happens to be base64
        return match.group(0)
    if ":" not in credentials or not credentials.isprintable():
        return match.group(0)
    return match.group(0)[: -len(token)] + MASK


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
