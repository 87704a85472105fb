"""A real, misbehaving ``/v1/audio/transcriptions`` server on 127.0.0.1, for fault tests.

Real TCP, real multipart uploads; it answers the way broken or odd servers do, by ``mode``:

``html``        a 200 HTML page (a proxy's login page, a web server's default page)
``too_large``   413, as nginx answers an upload over its ``client_max_body_size``
``empty``       a valid ``verbose_json`` with no text at all (whatever was said)
``no_times``    text and words without any timestamps, segments without times either
``word_times_missing``  words without times, but segments with them
``slow``        waits ``delay`` seconds, then answers ``segments`` (a busy server)
``error500``    500 on every request
``chinese``     well-formed ``verbose_json`` in Chinese (另一種語言), whatever language was asked
``gzip_garbage``  200 with ``Content-Encoding: gzip`` and a body that is not gzip
``times``       segments with the times in ``segment_times`` (past the end, negative, NaN, …)
``answer``      what ``answer`` (a function of the WAV file sent) returns, as JSON
``wav_only``    400 to any upload that is not a WAV file (whisper.cpp's server without
                ``--convert``), else as the default
An upload in FLAC is handed to ``answer`` and ``delay`` as the WAV file of the same samples
(decoded with PyAV, as faster-whisper-server decodes it).
Every request body is kept (``requests``) so tests can read what the client sent.  ``delay``
(seconds, or a function of the WAV file sent) is waited before every answer, in any mode.
:meth:`FakeAsrServer.kill` drops it as a killed process would (the port and every open
connection); a new one on the same ``port`` starts it again.
"""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Callable
from typing import Any

from tests.servers._http import LoopbackServer, QuietHandler


class FakeAsrServer(LoopbackServer):
    url_path = "/v1/audio/transcriptions"

    def __init__(self, mode: str, text: str = " And so my fellow Americans.",
                 port: int = 0) -> None:
        super().__init__(Handler, port)
        self.mode = mode
        self.text = text
        self.delay: float | Callable[[bytes], float] = 0.0
        self.segment_times: tuple[float, float] = (0.0, 1.0)
        self.answer: Callable[[bytes], object] | None = None
        self.requests: list[bytes] = []
        self.connections: list[socket.socket] = []

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, address = super().get_request()
        self.connections.append(conn)
        return conn, address

    def wait(self, body: bytes) -> None:
        """Wait ``delay`` before answering ``body``."""
        delay = self.delay
        time.sleep(delay(as_wav(body)) if callable(delay) else delay)

    def kill(self) -> None:
        """Stop as a killed process does: the port closes and every open connection drops."""
        self.shutdown()
        self.server_close()
        for conn in self.connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


def as_wav(body: bytes) -> bytes:
    """The audio file in a multipart ``body`` as a WAV file: itself, or a FLAC file decoded."""
    if b"RIFF" in body:
        return body[body.index(b"RIFF"):]
    import io
    import wave

    import av
    import numpy as np

    start = body.index(b"fLaC")
    end = body.index(b"\r\n--", start)
    with av.open(io.BytesIO(body[start:end])) as container:
        pcm = np.concatenate([frame.to_ndarray().reshape(-1)
                              for frame in container.decode(audio=0)]).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(pcm.tobytes())
    return out.getvalue()


class Handler(QuietHandler):
    server: FakeAsrServer
    # Headers and body go out as separate writes: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK add ~40 ms to every answer (real servers such as uvicorn set it).
    disable_nagle_algorithm = True

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.server.requests.append(self.rfile.read(length))
        mode, text = self.server.mode, self.server.text
        words = text.split()
        self.server.wait(self.server.requests[-1])
        if mode == "wav_only" and b"RIFF" not in self.server.requests[-1]:
            return self.send_json(400, {"error": "failed to read WAV file"})
        if mode == "html":
            return self.send_body(200, b"<html><body><h1>Welcome to nginx!</h1></body></html>",
                                  "text/html")
        if mode == "too_large":
            return self.send_body(413, b"<html><head><title>413 Request Entity Too Large"
                                  b"</title></head></html>", "text/html")
        if mode == "error500":
            return self.send_json(500, {"error": {"message": "CUDA out of memory"}})
        if mode == "chinese":
            return self.send_json(200, {"task": "transcribe", "language": "chinese",
                                        "duration": 1.0, "text": "你好世界，今天天氣很好。",
                                        "segments": [{"id": 0, "start": 0.0, "end": 1.0,
                                                      "text": "你好世界，今天天氣很好。"}]})
        if mode == "gzip_garbage":
            return self.send_body(200, b"\x1f\x8b\x08\x00garbage, not gzip at all" * 4,
                                  "application/json", {"Content-Encoding": "gzip"})
        if mode == "answer" and self.server.answer is not None:
            return self.send_json(200, self.server.answer(as_wav(self.server.requests[-1])))
        if mode == "times":
            start, end = self.server.segment_times
            body = json.dumps({"task": "transcribe", "language": "english", "text": text,
                               "segments": [{"id": 0, "start": start, "end": end,
                                             "text": text}]})  # NaN as JSON's NaN
            return self.send_body(200, body.encode(), "application/json")
        if mode == "empty":
            return self.send_json(200, {"task": "transcribe", "language": "english",
                                        "duration": 1.0, "text": "", "segments": []})
        if mode == "no_times":
            return self.send_json(200, {"language": "english", "text": text,
                                        "words": [{"word": w} for w in words],
                                        "segments": [{"id": 0, "text": text}]})
        segments = [{"id": 0, "start": 0.0, "end": 1.0, "text": text}]
        if mode == "word_times_missing":
            return self.send_json(200, {"language": "english", "text": text,
                                        "words": [{"word": w, "start": None} for w in words],
                                        "segments": segments})
        return self.send_json(200, {"task": "transcribe", "language": "english",
                                    "duration": 1.0, "text": text, "segments": segments})
