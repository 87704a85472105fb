"""The base URL of an OpenAI-compatible API, shared by the recognition and translation
providers: ``http://host:8000/v1/<endpoint>`` or ``…/v1`` → ``http://host:8000/v1``."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit


class InvalidURLError(ValueError):
    """``url`` is not an http(s) URL with a host; ``str(exc)`` says why, in a few words."""


def base_url(url: str, suffixes: Sequence[str]) -> str:
    """``url`` stripped of white space, a trailing ``/`` and the first of ``suffixes`` (endpoint
    paths) it ends with.  Raises :class:`InvalidURLError` for a scheme other than http(s), no
    host name or a bad port."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise InvalidURLError("it must start with http:// or https://")
    if not parts.hostname:
        raise InvalidURLError("it has no host name")
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise InvalidURLError(str(exc)) from exc
    path = parts.path.rstrip("/")
    for suffix in suffixes:
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    return f"{parts.scheme}://{parts.netloc}{path}"
