"""A real recognition server for the tests: faster-whisper-server (PyPI, 0.0.3) serving the
bundled Whisper base folder on 127.0.0.1, as a user would run it on a GPU box:
``python -m faster_whisper_server MODEL_DIR --host 127.0.0.1 --port PORT``.

It answers ``POST /v1/audio/transcriptions`` (``verbose_json`` with segment timestamps) and
``GET /health``.  Its YAML config (``--config``) serves the same folder as ``whisper-1`` on the
CPU the way the app decodes locally (int8, greedy, 2 threads), so a shared test machine answers
in time; without it the server decodes float32 with beam 5.  :class:`WhisperServer` starts
it, kills it mid-session and starts it again on the same port.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.servers._http import free_port


class WhisperServer:
    """One faster-whisper-server process at a time, always on the same port."""

    def __init__(self, model_dir: Path, log_path: Path) -> None:
        self.model_dir = model_dir
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/audio/transcriptions"

    def start(self, timeout: float = 120.0) -> None:
        """Start it and wait until ``/health`` answers."""
        config = self.log_path.with_suffix(".yaml")
        config.write_text(
            "models:\n  - name: whisper-1\n"
            f"    path: {json.dumps(str(self.model_dir))}\n"
            "    model_options: {device: cpu, compute_type: int8, cpu_threads: 2}\n"
            "    transcribe_options: {beam_size: 1}\n", encoding="utf-8")
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "faster_whisper_server", "--config", str(config),
             "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"faster-whisper-server exited: {self.log()}")
            with contextlib.suppress(OSError), urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/health", timeout=2) as answer:
                if answer.status == 200:
                    return
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"faster-whisper-server did not start: {self.log()}")

    def kill(self) -> None:
        """Pull the plug: SIGKILL, as a crash or a power cut would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-2000:]
