"""A small obs-websocket 5 client (OBS Studio 28+): connect, authenticate, send requests.

The protocol (https://github.com/obsproject/obs-websocket/blob/master/docs/generated/protocol.md):
the server says ``Hello`` (op 0, with an ``authentication`` challenge and salt when a password
is set), the client answers ``Identify`` (op 1) and the server confirms with ``Identified``
(op 2) or closes with code 4009 (authentication failed).  Requests are op 6, their answers
op 7 (matched by ``requestId``); events are op 5 (only those subscribed to: here the
``Outputs`` category, for ``StreamStateChanged``).

The authentication string is ``base64(sha256(base64(sha256(password + salt)) + challenge))``.

Blocking, one thread at a time (the OBS output's worker owns a connection).  Failures are
:class:`~whispertrans_tray.errors.ObsError` subclasses carrying the cause as a phrase.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from whispertrans_tray import causes
from whispertrans_tray.causes import Phrase
from whispertrans_tray.errors import (
    ObsAuthError,
    ObsError,
    ObsProtocolError,
    ObsSourceError,
    ObsUnreachableError,
)

log = logging.getLogger(__name__)

RPC_VERSION = 1
EVENTS_OUTPUTS = 1 << 6
"""The ``Outputs`` event category: ``StreamStateChanged`` among them."""
AUTH_FAILED = 4009
"""The close code of a wrong password."""
RESOURCE_NOT_FOUND = 600
TEXT_KINDS = ("text_ft2_source", "text_gdiplus")
"""Prefixes of OBS's text input kinds (FreeType 2 on Linux and macOS, GDI+ on Windows)."""


def auth_string(password: str, salt: str, challenge: str) -> str:
    """The ``authentication`` field of Identify, exactly as the protocol specifies."""
    secret = base64.b64encode(hashlib.sha256((password + salt).encode()).digest())
    return base64.b64encode(hashlib.sha256(secret + challenge.encode()).digest()).decode()


def check_url(url: str) -> str:
    """``url`` if it is a ``ws://`` or ``wss://`` address with a host, else an ObsError."""
    try:
        parts = urlsplit(url.strip())
        ok = parts.scheme in ("ws", "wss") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        ok = False
    if not ok:
        raise ObsProtocolError("obs.bad_url", url=url)
    return url.strip()


class ObsConnection:
    """One connection to OBS, identified and ready for requests.

    ``streaming`` follows OBS's stream output (asked at connect, then kept by its events).
    """

    def __init__(self, url: str, password: str | None, timeout: float = 5.0) -> None:
        self.url = check_url(url)
        self._password = password or ""
        self._timeout = timeout
        self._ids = itertools.count(1)
        self.streaming = False
        self.obs_version = ""
        self._ws = self._open()

    def _open(self) -> Any:
        from websockets.exceptions import ConnectionClosed, InvalidHandshake
        from websockets.sync.client import connect
        from websockets.typing import Subprotocol

        try:
            ws = connect(self.url, subprotocols=[Subprotocol("obswebsocket.json")],
                         open_timeout=self._timeout, close_timeout=1, proxy=None,
                         max_size=2**22, legacy=True)
        except InvalidHandshake as exc:  # an HTTP server, another WebSocket service
            log.info("Not obs-websocket at %s: %r", self.url, exc)
            raise ObsProtocolError(url=self.url, detail=Phrase.of("cause.obs_no_hello")) \
                from exc
        except (OSError, TimeoutError) as exc:
            log.info("Cannot connect to OBS at %s: %r", self.url, exc)
            raise ObsUnreachableError(url=self.url, detail=causes.network(exc)) from exc
        try:
            self._identify(ws)
        except ConnectionClosed as exc:
            ws.close()
            code = exc.rcvd.code if exc.rcvd is not None else 1006
            log.info("OBS at %s closed the connection while identifying: %s", self.url, code)
            if code == AUTH_FAILED:
                raise ObsAuthError(url=self.url) from exc
            raise ObsProtocolError(url=self.url,
                                   detail=Phrase.of("cause.obs_closed", code=code)) from exc
        except TimeoutError as exc:  # a WebSocket server that never says Hello
            ws.close()
            raise ObsProtocolError(url=self.url, detail=Phrase.of("cause.obs_no_hello")) \
                from exc
        except BaseException:
            ws.close()
            raise
        return ws

    def _identify(self, ws: Any) -> None:
        hello = self._message(ws.recv(timeout=self._timeout), 0)
        data = hello.get("d", {})
        if int(data.get("rpcVersion", 0)) < RPC_VERSION:
            raise ObsProtocolError(url=self.url, detail=Phrase.of(
                "cause.obs_old_rpc", version=data.get("rpcVersion")))
        identify: dict[str, Any] = {"rpcVersion": RPC_VERSION,
                                    "eventSubscriptions": EVENTS_OUTPUTS}
        challenge = data.get("authentication")
        if isinstance(challenge, dict):
            if not self._password:
                raise ObsAuthError("obs.auth_missing", url=self.url)
            identify["authentication"] = auth_string(
                self._password, str(challenge.get("salt", "")),
                str(challenge.get("challenge", "")))
        ws.send(json.dumps({"op": 1, "d": identify}))
        while True:
            message = self._message(ws.recv(timeout=self._timeout))
            if message.get("op") == 2:
                self.obs_version = str(hello["d"].get("obsWebSocketVersion", ""))
                log.info("Identified with obs-websocket %s at %s", self.obs_version, self.url)
                return

    def _message(self, raw: str | bytes, op: int | None = None) -> dict[str, Any]:
        try:
            message = json.loads(raw)
            if not isinstance(message, dict) or (op is not None and message.get("op") != op):
                raise ValueError(f"op {op} expected")
        except ValueError as exc:
            log.info("Unexpected message from %s: %r", self.url, str(raw)[:200])
            raise ObsProtocolError(url=self.url, detail=Phrase.of("cause.obs_no_hello")) \
                from exc
        return message

    def request(self, kind: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send request ``kind`` and return its ``responseData`` ({} when it has none).

        A refused request raises :class:`ObsError` (``ObsSourceError`` for a missing input);
        a broken connection raises :class:`ObsUnreachableError`.
        """
        from websockets.exceptions import ConnectionClosed

        request_id = str(next(self._ids))
        body: dict[str, Any] = {"requestType": kind, "requestId": request_id}
        if data is not None:
            body["requestData"] = data
        try:
            self._ws.send(json.dumps({"op": 6, "d": body}, ensure_ascii=False))
            while True:
                message = self._message(self._ws.recv(timeout=self._timeout))
                payload = message.get("d", {})
                if message.get("op") == 5:
                    self._event(payload)
                elif message.get("op") == 7 and payload.get("requestId") == request_id:
                    return self._result(kind, data or {}, payload)
        except (ConnectionClosed, OSError, TimeoutError) as exc:
            log.info("The connection to OBS at %s broke: %r", self.url, exc)
            raise ObsUnreachableError(url=self.url, detail=causes.network(exc)
                                      if isinstance(exc, OSError) else Phrase.of(
                                          "cause.obs_closed", code=_close_code(exc))) from exc

    def _result(self, kind: str, data: dict[str, Any], payload: dict[str, Any]) \
            -> dict[str, Any]:
        status = payload.get("requestStatus", {})
        if status.get("result"):
            response = payload.get("responseData") or {}
            return response if isinstance(response, dict) else {}
        code = int(status.get("code", 0))
        log.info("OBS refused %s: %s %s", kind, code, status.get("comment", ""))
        if code == RESOURCE_NOT_FOUND and "inputName" in data:
            raise ObsSourceError(source=data["inputName"])
        raise ObsError("obs.request_failed", request=kind, code=code,
                       said=causes.said(status.get("comment", "")))

    def _event(self, payload: dict[str, Any]) -> None:
        if payload.get("eventType") == "StreamStateChanged":
            self.streaming = bool(payload.get("eventData", {}).get("outputActive"))
            log.info("OBS streaming: %s", self.streaming)

    def text_source(self, name: str) -> str:
        """Check that input ``name`` exists and is a text source; its kind."""
        found = self.request("GetInputSettings", {"inputName": name})
        kind = str(found.get("inputKind", ""))
        if not kind.startswith(TEXT_KINDS):
            raise ObsSourceError("obs.not_text", source=name, kind=kind)
        return kind

    def set_text(self, source: str, text: str) -> None:
        """Show ``text`` in text source ``source`` (its other settings kept)."""
        self.request("SetInputSettings", {"inputName": source,
                                          "inputSettings": {"text": text}, "overlay": True})

    def stream_status(self) -> bool:
        """Whether OBS streams now (and remember it)."""
        self.streaming = bool(self.request("GetStreamStatus").get("outputActive"))
        return self.streaming

    def caption(self, text: str) -> None:
        """Send ``text`` as a CEA-608 closed caption of the stream."""
        self.request("SendStreamCaption", {"captionText": text})

    def close(self) -> None:
        self._ws.close()


def _close_code(exc: BaseException) -> int:
    rcvd = getattr(exc, "rcvd", None)
    return int(getattr(rcvd, "code", 1006))
