"""The base URL of an OpenAI-compatible API, shared by the recognition and translation
providers: ``http://host:8000/v1/<endpoint>`` or ``…/v1`` → ``http://host:8000/v1``."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from whispertrans_tray.causes import Phrase


class InvalidURLError(ValueError):
    """``url`` is not an http(s) URL with a host; :attr:`cause` says why, for a message worded
    at the edge (``str(exc)``: the cause's key, for the log)."""

    def __init__(self, cause: str) -> None:
        self.cause = Phrase.of(cause)
        super().__init__(cause)


def base_url(url: str, suffixes: Sequence[str]) -> str:
    """``url`` stripped of white space, a trailing ``/`` and the first of ``suffixes`` (endpoint
    paths) it ends with.  Raises :class:`InvalidURLError` for a scheme other than http(s), no
    host name, a bad port or a malformed host (an unclosed ``[`` of an IPv6 address)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:  # "http://[::1": an IPv6 address without its closing bracket
        raise InvalidURLError("cause.url_bracket") from exc
    if parts.scheme not in ("http", "https"):
        raise InvalidURLError("cause.url_scheme")
    if not parts.hostname:
        raise InvalidURLError("cause.url_no_host")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise InvalidURLError("cause.url_port") from exc
    path = parts.path.rstrip("/")
    for suffix in suffixes:
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    return f"{parts.scheme}://{parts.netloc}{path}"
