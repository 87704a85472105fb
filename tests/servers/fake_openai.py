"""A real, misbehaving OpenAI-compatible HTTP server on 127.0.0.1, for fault tests.

Not a patched client: the code under test opens real TCP connections to this server, which
answers like vLLM does (or fails the way servers fail) depending on ``mode``:

``ok``        streams ``reply`` in small SSE chunks, then a chunk with ``finish_reason``
              ``stop`` and ``[DONE]``, as vLLM, OpenAI, llama.cpp and Ollama do (and serves
              ``/v1/models``)
``nofinish``  streams part of ``reply`` and ends the stream cleanly (a proper end of the
              chunked body) with no ``finish_reason`` and no ``[DONE]``: a cut-off answer
``flood``     ignores ``max_tokens`` and streams ``flood_chars`` characters
``rate429``   429 Too Many Requests, with ``Retry-After: retry_after`` when that is set
``auth``      401 ``{"error": "Unauthorized"}`` (vLLM's shape, not OpenAI's)
``model404``  404 for an unknown model, as vLLM answers
``error500``  500 on every chat request
``hang``      accepts and never answers
``slow``      waits ``delay`` seconds, then answers
``trickle``   streams one piece every ``delay`` seconds, ``pieces`` of them (slow tokens)
``malformed`` sends an SSE event that is not JSON
``cut``       sends two chunks, then drops the connection mid-stream
``think``     wraps the reply in ``<think>…</think>`` split across chunks
``html``      a 200 HTML page: not an OpenAI-compatible API
``model400``  400 for an unknown model, as the LiteLLM proxy answers ("Invalid model name")
``context400`` 400 for a request larger than the model's context, in llama.cpp's shape
              (``exceed_context_size_error``), with the prompt's size in tokens
``vllm_context400`` the same in vLLM's shape ("This model's maximum context length is …")
``ollama``    Ollama's shapes: ``/v1/models`` lists ``OLLAMA_MODELS``; another model is a 404
              'model "x" not found, try pulling it first'
any name in ``stream_variants.VARIANTS``: the answer ends (or is filled) as that real server
              sends it (``[DONE]`` without finish_reason, usage-only last chunk, length, …)
``echo_auth`` 500 whose error body echoes the request's Authorization header (a debugging proxy
              or a careless server does this): the key must still never be shown or written

``models_rate_limited_left`` makes the next ``GET /v1/models`` answer 429 (with
``retry_after``), whatever the mode.  In ``ok`` mode, ``failures_left``, ``cuts_left`` and
``rate_limited_left`` make the next requests fail (500), end cut off (as ``nofinish``) or be
rate-limited (as ``rate429``) first.
``port`` reuses a port, so a test can kill a server and start it again at the same URL.

As a process (for the soak benchmark, which kills it with real signals)::

    python -m tests.servers.fake_openai --port 8123 [--mode ok] [--reply TEXT]

prints ``ready`` once it listens; ``POST /_control`` with a JSON object sets
``mode``, ``failures_left``, ``cuts_left``, ``rate_limited_left`` or ``retry_after``.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any

from tests.servers._http import LoopbackServer, QuietHandler
from tests.servers.stream_variants import VARIANTS

MODELS = ["test-model", "Qwen/Qwen2-7B-Instruct"]
OLLAMA_MODELS = ["qwen2.5:7b", "llama3.2:latest"]
CONTROLS = ("mode", "failures_left", "cuts_left", "rate_limited_left", "retry_after")


class FakeServer(LoopbackServer):
    """Clients hanging up on a hanging server is the point of some tests (no error printed)."""

    url_path = "/v1/chat/completions"

    def __init__(self, mode: str = "ok", reply: str = "你好，你今天好嗎？", port: int = 0) -> None:
        super().__init__(Handler, port)
        self.mode = mode
        self.reply = reply
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        self.headers_seen: list[dict[str, str]] = []
        self.pieces = 1000  # with mode trickle: how many pieces to send
        self.first_piece_delay = 0.0  # with mode ok: time to first token (a paced server)
        self.piece_delay = 0.0  # with mode ok: time between pieces
        self.failures_left = 0  # with mode ok: fail this many chat requests with 500 first
        self.cuts_left = 0  # with mode ok: cut this many answers off (as nofinish) first
        self.rate_limited_left = 0  # with mode ok: answer this many with 429 first
        self.models_rate_limited_left = 0  # answer this many GET /v1/models with 429 first
        self.gets: list[str] = []  # the path of every GET (model lists: health checks)
        self.retry_after: str | None = None  # the Retry-After header of a 429, if any
        self.flood_chars = 200_000  # with mode flood: characters streamed
        self.flood_sent = 0  # with mode flood: characters written before the client left
        self.flood_aborted = threading.Event()  # with mode flood: the client hung up early
        self.answered = 0  # chat answers streamed to the end (finish_reason and [DONE])


class Handler(QuietHandler):
    server: FakeServer

    def do_GET(self) -> None:
        self.server.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
        self.server.gets.append(self.path)
        if self.server.mode == "hang":
            time.sleep(60)
            return
        if self.server.mode == "auth":
            self.send_json(401, {"error": "Unauthorized"})
        elif self.server.mode == "html":
            self._html()
        elif self.path.rstrip("/").endswith("/v1/models") and \
                self.server.models_rate_limited_left > 0:
            self.server.models_rate_limited_left -= 1
            self._rate_limited()
        elif self.path.rstrip("/").endswith("/v1/models") and self.server.mode == "ollama":
            self.send_json(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": 1733000000, "owned_by": "library"}
                for m in OLLAMA_MODELS]})
        elif self.path.rstrip("/").endswith("/v1/models"):
            self.send_json(200, {"object": "list", "data": [
                {"id": m, "object": "model", "owned_by": "vllm"} for m in MODELS]})
        else:
            self.send_json(404, {"detail": "Not Found"})

    def _html(self) -> None:
        self.send_body(200, b"<html><body>Welcome to nginx!</body></html>", "text/html")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append(body)
        self.server.headers_seen.append({k.lower(): v for k, v in self.headers.items()})
        if self.path == "/_control":
            return self._control(body)
        mode = self.server.mode
        if mode == "hang":
            time.sleep(60)
            return
        if mode == "slow":
            time.sleep(self.server.delay)
        if mode == "auth":
            return self.send_json(401, {"error": "Unauthorized"})
        if mode == "html":
            return self._html()
        if not self.path.rstrip("/").endswith("/v1/chat/completions"):
            return self.send_json(404, {"detail": "Not Found"})
        if mode == "ollama" and body.get("model") not in OLLAMA_MODELS:
            return self.send_json(404, {"error": {
                "message": f'model "{body.get("model")}" not found, try pulling it first',
                "type": "not_found_error", "param": None, "code": None}})
        if mode == "model400":
            return self.send_json(400, {"error": {
                "message": "/chat/completions: Invalid model name passed in "
                f"model={body.get('model')}. Call `/v1/models` to view available models for "
                "your key.", "type": "None", "param": "None", "code": "400"}})
        if mode in ("context400", "vllm_context400"):
            return self._context_exceeded(mode, body)
        if mode != "ollama" and (mode == "model404" or body.get("model") not in MODELS):
            return self.send_json(404, {
                "object": "error", "type": "NotFoundError", "code": 404,
                "message": f"The model `{body.get('model')}` does not exist."})
        if mode == "echo_auth":
            return self.send_json(500, {"object": "error", "type": "InternalServerError",
                                        "code": 500, "message": "upstream rejected request with "
                                        f"headers {{'authorization': "
                                        f"'{self.headers.get('Authorization')}'}}"})
        if mode == "rate429" or self.server.rate_limited_left > 0:
            self.server.rate_limited_left -= 1
            return self._rate_limited()
        if mode == "error500" or self.server.failures_left > 0:
            self.server.failures_left -= 1
            return self.send_json(500, {"object": "error", "message": "CUDA out of memory",
                                        "type": "InternalServerError", "code": 500})
        if mode == "ok" and self.server.cuts_left > 0:
            self.server.cuts_left -= 1
            mode = "nofinish"
        if mode == "flood":
            return self._flood(body)
        if mode in VARIANTS:
            return self._events(VARIANTS[mode](str(body.get("model")), self.server.reply))
        if mode == "nostream":  # stream: true ignored, one chat.completion body
            self.server.answered += 1
            return self.send_json(200, {
                "id": "chatcmpl-1", "object": "chat.completion", "created": 0,
                "model": body.get("model"), "usage": {"prompt_tokens": 31,
                                                      "completion_tokens": 9},
                "choices": [{"index": 0, "finish_reason": "stop", "message": {
                    "role": "assistant", "reasoning_content": "The user wants Chinese.",
                    "content": "<think>Short.</think>" + self.server.reply}}]})
        self._stream(mode, body)

    def _context_exceeded(self, mode: str, body: dict[str, Any]) -> None:
        """A 4096-token context, the request's size estimated at 4 characters a token."""
        tokens = len(json.dumps(body.get("messages"), ensure_ascii=False)) // 4
        if mode == "vllm_context400":
            return self.send_json(400, {
                "object": "error", "type": "BadRequestError", "param": None, "code": 400,
                "message": "This model's maximum context length is 4096 tokens. However, you "
                f"requested {tokens + 256} tokens ({tokens} in the messages, 256 in the "
                "completion). Please reduce the length of the messages or completion."})
        return self.send_json(400, {"error": {
            "code": 400, "type": "exceed_context_size_error", "n_prompt_tokens": tokens,
            "n_ctx": 4096, "message": f"request ({tokens:,} tokens) exceeds the available "
            "context size (4096 tokens), try increasing it"}})

    def _control(self, body: dict[str, Any]) -> None:
        for name in CONTROLS:
            if name in body:
                setattr(self.server, name, body[name])
        self.send_json(200, {name: getattr(self.server, name) for name in CONTROLS})

    def _rate_limited(self) -> None:
        retry_after = self.server.retry_after
        self.send_json(429, {"error": {"message": "Rate limit reached for requests",
                                       "type": "requests", "code": "rate_limit_exceeded"}},
                       {} if retry_after is None else {"Retry-After": retry_after})

    def _event(self, body: dict[str, Any], content: str | None,
               finish: str | None = None) -> str:
        delta = {} if content is None else {"content": content}
        event = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0,
                 "model": body.get("model"),
                 "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return f"data: {json.dumps(event, ensure_ascii=False)}\n\n"

    def _flood(self, body: dict[str, Any]) -> None:
        """A server that ignores max_tokens; a small send buffer, so a client that stops
        reading is noticed here (the write fails) instead of vanishing into socket buffers."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8192)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        piece = (self.server.reply * 100)[:100]
        try:
            while self.server.flood_sent < self.server.flood_chars:
                self._send_chunk(self._event(body, piece))
                self.server.flood_sent += len(piece)
            self._send_chunk(self._event(body, None, "length"))
            self._send_chunk("data: [DONE]\n\n")
            self._send_chunk("")
        except OSError:
            self.server.flood_aborted.set()

    def _stream(self, mode: str, body: dict[str, Any]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        reply = self.server.reply
        pieces = [reply[i:i + 3] for i in range(0, len(reply), 3)]
        if mode == "think":
            pieces = ["<thi", "nk>The user wants a trans", "lation.</th", "ink>", *pieces]
        if mode == "trickle":
            pieces = [reply[n % len(reply)] for n in range(self.server.pieces)]
        for n, piece in enumerate(pieces):
            if mode == "trickle" and n:
                time.sleep(self.server.delay)
            if mode == "ok":
                time.sleep(self.server.piece_delay if n else self.server.first_piece_delay)
            if mode == "malformed" and n == 1:
                self._send_chunk("data: {this is not json\n\n")
                break
            if mode == "cut" and n == 2:
                self.wfile.flush()
                self.connection.shutdown(2)  # drop the connection mid-stream
                return
            if mode == "nofinish" and n == 2:
                break
            self._send_chunk(self._event(body, piece))
        if mode == "nofinish":  # a clean end of the body, but the answer never finished
            self._send_chunk("")
            return
        self._send_chunk(self._event(body, None, "stop"))
        self._send_chunk("data: [DONE]\n\n")
        self._send_chunk("")
        self.server.answered += 1

    def _events(self, events: list[str]) -> None:
        """Stream ``events`` as SSE ``data:`` lines, then end the body cleanly."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event in events:
            self._send_chunk(f"data: {event}\n\n")
        self._send_chunk("")
        self.server.answered += 1

    def _send_chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="A misbehaving OpenAI-compatible server.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--mode", default="ok")
    parser.add_argument("--reply", default="你好，你今天好嗎？")
    args = parser.parse_args()
    server = FakeServer(args.mode, args.reply, args.port)
    print("ready", server.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
