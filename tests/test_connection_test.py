"""測試連線 against real servers on loopback, and as a CLI command."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers.fake_openai import FakeServer
from whispertrans_tray import connection_test
from whispertrans_tray.settings import TranslationSettings


def run(server_url: str, model: str = "test-model", lang: str = "zh-TW"):  # type: ignore[no-untyped-def]
    return connection_test.run(TranslationSettings(url=server_url, model=model), None, lang)


def test_success_reports_the_seed_message() -> None:
    with FakeServer("ok") as server:
        report = run(server.url)
    assert report.ok and report.step == "done"
    assert report.message.startswith("✓ 連線成功！")
    assert "test-model" in report.models
    assert report.first_token_ms > 0 and "你好" in report.sample


def test_english_ui() -> None:
    with FakeServer("ok") as server:
        assert run(server.url, lang="en").message.startswith("✓ Connected")


@pytest.mark.parametrize(
    ("mode", "model", "step", "words"),
    [("auth", "test-model", "models", "API Key"),
     ("ok", "Qwen/Qwen2-72B", "model", "Qwen/Qwen2-7B-Instruct, test-model"),
     ("html", "test-model", "models", "OpenAI"),
     ("error500", "test-model", "translate", "CUDA out of memory")],
)
def test_failures_name_cause_and_fix(mode: str, model: str, step: str, words: str) -> None:
    with FakeServer(mode) as server:
        report = run(server.url, model)
    assert not report.ok and report.step == step
    assert words in report.message


def test_finishes_in_time_against_a_server_that_never_answers() -> None:
    with FakeServer("hang") as server:
        started = time.monotonic()
        report = run(server.url)
        elapsed = time.monotonic() - started
    assert not report.ok
    assert elapsed < connection_test.DEADLINE_S + 2


def test_cli_exit_codes(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "PYTHON_KEYRING_BACKEND":
           "keyring.backends.null.Keyring"}
    cli = [sys.executable, "-m", "whispertrans_tray", "--ui-language", "en", "test-connection"]
    with FakeServer("ok") as server:
        ok = subprocess.run([*cli, "--url", server.url, "--model", "test-model"],
                            capture_output=True, text=True, env=env, timeout=60, check=False)
    assert ok.returncode == 0 and "✓ Connected" in ok.stdout
    down = subprocess.run([*cli, "--url", "http://127.0.0.1:9/v1"], capture_output=True,
                          text=True, env=env, timeout=60, check=False)
    assert down.returncode == 1 and "Cannot connect" in down.stderr
