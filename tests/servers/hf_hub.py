"""A real Hugging Face Hub endpoint on 127.0.0.1 that serves real model folders, for the model
manager's download tests (point ``HF_ENDPOINT`` at :attr:`HubServer.url`).

It answers huggingface_hub's requests in the Hub's URL layout: the repository's revision
(``/api/models/REPO/revision/REV``), its file tree with sizes, git and LFS ids
(``/api/models/REPO/tree/REV``), and the files themselves (``/REPO/resolve/REV/FILE``, HEAD
and ranged GET, with the Hub's ``X-Repo-Commit`` / ``X-Linked-Etag`` / ``X-Linked-Size``
headers).  ``mode``:

``ok``     serves the files; ``rate`` (bytes/s) paces ``model.bin`` so a download can be watched
           and cancelled
``cut``    serves ``cut_after`` bytes of ``model.bin`` (of any range asked for), then drops the
           connection, every time
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import Any

from tests.servers._http import LoopbackServer, QuietHandler

COMMIT = "0123456789abcdef0123456789abcdef01234567"
CHUNK = 64 * 1024


class HubServer(LoopbackServer):
    """A client that cancels hangs up mid-file: that is the point (its error is not printed)."""

    def __init__(self, repos: dict[str, Path], mode: str = "ok", rate: float = 0.0,
                 cut_after: int = 1_000_000) -> None:
        super().__init__(Handler)
        self.mode, self.rate, self.cut_after = mode, rate, cut_after
        self.repos = repos
        self.files: dict[str, dict[str, dict[str, Any]]] = {
            repo: {p.name: _describe(p) for p in sorted(folder.iterdir()) if p.is_file()}
            for repo, folder in repos.items()}
        self.requests: list[str] = []


def _describe(path: Path) -> dict[str, Any]:
    data = path.read_bytes()
    info: dict[str, Any] = {"path": path, "size": len(data),
                            "oid": hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()}
    if path.name == "model.bin":  # an LFS file on the Hub
        info["sha256"] = hashlib.sha256(data).hexdigest()
    return info


class Handler(QuietHandler):
    server: HubServer

    def _not_found(self) -> None:
        self.send_response(404)
        self.send_header("X-Error-Code", "EntryNotFound")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _serve(self, body: bool) -> None:
        path = self.path.split("?")[0]
        self.server.requests.append(f"{self.command} {path}")
        if m := re.fullmatch(r"/api/models/(.+?)/revision/[^/]+", path):
            files = self.server.files.get(m.group(1))
            if files is None:
                return self._not_found()
            return self.send_json(200, {"id": m.group(1), "modelId": m.group(1), "sha": COMMIT,
                                        "private": False,
                                        "siblings": [{"rfilename": name} for name in files]})
        if m := re.fullmatch(r"/api/models/(.+?)/tree/[^/]+", path):
            files = self.server.files.get(m.group(1))
            if files is None:
                return self._not_found()
            return self.send_json(200, [
                {"type": "file", "path": name, "size": f["size"], "oid": f["oid"],
                 **({"lfs": {"oid": f["sha256"], "size": f["size"], "pointerSize": 134}}
                    if "sha256" in f else {})} for name, f in files.items()])
        if m := re.fullmatch(r"/(.+?)/resolve/[^/]+/(.+)", path):
            f = self.server.files.get(m.group(1), {}).get(m.group(2))
            if f is None:
                return self._not_found()
            return self._file(f, body)
        self._not_found()

    def _file(self, f: dict[str, Any], body: bool) -> None:
        size = f["size"]
        start = 0
        if (r := self.headers.get("Range")) and (m := re.match(r"bytes=(\d+)-", r)):
            start = int(m.group(1))
        self.send_response(206 if start else 200)
        self.send_header("Content-Length", str(size - start))
        if start:
            self.send_header("Content-Range", f"bytes {start}-{size - 1}/{size}")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("X-Repo-Commit", COMMIT)
        self.send_header("ETag", f'"{f.get("sha256", f["oid"])}"')
        if "sha256" in f:
            self.send_header("X-Linked-Etag", f'"{f["sha256"]}"')
            self.send_header("X-Linked-Size", str(size))
        self.end_headers()
        if not body:
            return
        lfs = "sha256" in f
        sent = 0
        with open(f["path"], "rb") as source:
            source.seek(start)
            while chunk := source.read(CHUNK):
                if lfs and self.server.mode == "cut" and sent + len(chunk) > self.server.cut_after:
                    self.wfile.write(chunk[:max(0, self.server.cut_after - sent)])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.close()  # the connection drops mid-file
                    return
                self.wfile.write(chunk)
                sent += len(chunk)
                if lfs and self.server.rate:
                    time.sleep(len(chunk) / self.server.rate)
