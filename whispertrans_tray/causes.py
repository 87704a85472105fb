"""The cause of an exception in words the user can act on (a :class:`Phrase`), never its repr.

The code that catches the exception logs it (with its repr, %-style) and puts the phrase into
its message::

    except OSError as exc:
        log.info("Cannot write %s: %r", path, exc)
        raise OutputError("output.write_failed", path=path, detail=causes.os_error(exc))
"""

from __future__ import annotations

import errno
import json
import socket
import ssl
from collections.abc import Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

__all__ = ["Phrase", "bad_json", "chain", "host", "network", "os_error", "said", "server_message"]

SAID_CHARS = 120  # most characters of a server's own words quoted in a message


class Phrase(NamedTuple):
    """A cause (or a notice) as a fact, to be put into words in the UI language at the edges
    (:func:`whispertrans_tray.i18n.phrase_text`, or as a parameter of a message, in that
    message's language): the key of a phrase in :data:`whispertrans_tray.i18n.MESSAGES`
    (``cause.*`` for causes) and its parameters (as pairs: a phrase is hashable and
    immutable).  The engines (``providers``) hand these up and never word them."""

    key: str
    params: tuple[tuple[str, object], ...] = ()

    @classmethod
    def of(cls, key: str, /, **params: object) -> Phrase:
        return cls(key, tuple(params.items()))


def chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the exceptions it was raised from (``__cause__``/``__context__``)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def host(url: str) -> str:
    """The host of ``url`` (no scheme, port or path): how a server is named to the user."""
    try:
        return urlsplit(url.strip()).hostname or url
    except ValueError:
        return url


def network(exc: BaseException) -> Phrase:
    """Why a connection failed (refused, name not found, no route, TLS…)."""
    for error in chain(exc):
        if isinstance(error, ssl.SSLCertVerificationError):
            return Phrase.of("cause.tls_cert")
        if isinstance(error, ssl.SSLError):
            reason = getattr(error, "reason", "") or ""
            return Phrase.of("cause.tls_not_https" if reason in (
                "WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST")
                else "cause.tls_other")
        if isinstance(error, ConnectionRefusedError):
            return Phrase.of("cause.refused")
        if isinstance(error, socket.gaierror):
            return Phrase.of("cause.dns")
        if isinstance(error, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
            return Phrase.of("cause.reset")
        if isinstance(error, TimeoutError):
            return Phrase.of("cause.connect_timeout")
        if isinstance(error, OSError) and error.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH,
                                                          errno.EHOSTDOWN):
            return Phrase.of("cause.no_route")
        if type(error).__name__ in ("RemoteProtocolError", "IncompleteRead"):
            return Phrase.of("cause.dropped")
    return Phrase.of("cause.no_connection")


_OS_CAUSES = {
    errno.EACCES: "cause.os_permission", errno.EPERM: "cause.os_permission",
    errno.ENOSPC: "cause.os_disk_full", errno.EDQUOT: "cause.os_disk_full",
    errno.EROFS: "cause.os_read_only", errno.ENOENT: "cause.os_missing",
    errno.EISDIR: "cause.os_is_dir", errno.ENOTDIR: "cause.os_not_dir",
    errno.EEXIST: "cause.os_exists",
    errno.EBUSY: "cause.os_busy", errno.ETXTBSY: "cause.os_busy",
}


def os_error(exc: BaseException) -> Phrase:
    """Why a file or folder could not be used (permission, disk full, read-only…)."""
    if isinstance(exc, OSError):
        key = _OS_CAUSES.get(exc.errno or -1)
        if key is None and getattr(exc, "winerror", None) == 32:  # in use by another process
            key = "cause.os_busy"
        if key is not None:
            return Phrase.of(key)
        if exc.strerror:
            return Phrase.of("cause.os_other", reason=exc.strerror)
    return Phrase.of("cause.unexpected")


def bad_json(exc: BaseException) -> Phrase:
    """Why a file is not the JSON it should be (where, if the parser said)."""
    if isinstance(exc, UnicodeDecodeError):
        return Phrase.of("cause.not_utf8", byte=exc.start)
    if isinstance(exc, RecursionError):
        return Phrase.of("cause.too_nested")
    if isinstance(exc, json.JSONDecodeError):
        return Phrase.of("cause.json_at", line=exc.lineno, column=exc.colno)
    return Phrase.of("cause.json_not_object")


def said(text: object) -> str:
    """A server's own words for a message: one line, at most :data:`SAID_CHARS` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= SAID_CHARS else line[:SAID_CHARS - 1] + "…"


def server_message(body: object) -> str:
    """The server's own explanation in an error body (OpenAI ``{"error": {"message": …}}``,
    vLLM ``{"message": …}``, FastAPI ``{"detail": …}``, ``{"error": "…"}``), as :func:`said`
    words; "" when it gave none (or sent a web page)."""
    for _ in range(3):
        if not isinstance(body, dict):
            break
        found = next((body[k] for k in ("error", "message", "detail") if body.get(k)), "")
        body = found.get("message", found) if isinstance(found, dict) else found
    if isinstance(body, str) and body.strip() and not body.lstrip().startswith("<"):
        return said(body)
    return ""
