"""測試連線 against real servers on loopback, and as a CLI command."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers.fake_openai import FakeServer
from whispertrans_tray.__main__ import build_parser, cmd_test_connection
from whispertrans_tray.app import server_check
from whispertrans_tray.cli.args import apply_arguments
from whispertrans_tray.settings import Settings, TranslationSettings


def run(server_url: str, model: str = "test-model", lang: str = "zh-TW"):  # type: ignore[no-untyped-def]
    return server_check.run(TranslationSettings(url=server_url, model=model), None, lang)


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
    assert elapsed < server_check.DEADLINE_S + 2


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


def test_finishes_in_time_against_a_server_that_trickles_forever() -> None:
    with FakeServer("trickle") as server:
        server.delay = 0.5
        started = time.monotonic()
        report = server_check.run(
            TranslationSettings(url=server.url, model="test-model", timeout_s=60.0), None, "en")
        elapsed = time.monotonic() - started
    assert not report.ok and report.step == "translate"
    assert "did not answer within" in report.message
    assert elapsed < server_check.DEADLINE_S + 2


@pytest.mark.parametrize(
    ("mode", "step", "words"),
    [("cut", "translate", "cut off"), ("malformed", "translate", "malformed"),
     ("think", "done", "✓ Connected")],
)
def test_broken_streams_and_thinking_models(mode: str, step: str, words: str) -> None:
    with FakeServer(mode) as server:
        report = run(server.url, lang="en")
    assert report.step == step and words in report.message
    assert "think" not in report.sample


def test_bad_url_and_server_down_in_both_languages() -> None:
    bad = server_check.run(TranslationSettings(url="localhost:8000"), None, "zh-TW")
    assert not bad.ok and bad.step == "url" and "http://localhost:8000" in bad.message
    down = run("http://127.0.0.1:9/v1/chat/completions", lang="zh-TW")
    assert not down.ok and down.step == "models"
    assert all(word in down.message for word in ("已啟動", "防火牆", "localhost", "端口"))


def test_the_command_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    def command(*flags: str) -> int:
        args = build_parser().parse_args(["test-connection", "--api-key", "k-123456", *flags])
        return cmd_test_connection(args, apply_arguments(Settings(ui_language="en"), args))

    with FakeServer("ok") as server:
        ok = command("--url", server.url, "--model", "test-model")
        out = capsys.readouterr()
        assert ok == 0 and out.out.startswith("✓ Connected") and "test-model" in out.out
        assert server.headers_seen[-1]["authorization"] == "Bearer k-123456"
        failed = command("--url", server.url, "--model", "nope")
    assert failed == 1 and "nope" in capsys.readouterr().err


def test_the_key_comes_from_the_keyring_and_is_never_written(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"),
           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"}
    secret = "sk-test-keyring-0123456789"
    store = ("from whispertrans_tray import credentials; "
             f"credentials.store({secret!r}); print(credentials.stored())")
    stored = subprocess.run([sys.executable, "-c", store], capture_output=True, text=True,
                            env=env, timeout=60, check=True)
    assert stored.stdout.strip() == secret
    cli = [sys.executable, "-m", "whispertrans_tray", "-v", "--ui-language", "en",
           "test-connection"]
    with FakeServer("ok") as server:
        result = subprocess.run([*cli, "--url", server.url, "--model", "test-model"],
                                capture_output=True, text=True, env=env, timeout=60,
                                check=False)
    assert result.returncode == 0, result.stderr
    assert server.headers_seen[-1]["authorization"] == f"Bearer {secret}"
    assert secret not in result.stdout + result.stderr
    for path in (tmp_path / "config").rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(errors="replace")
    forget = ("from whispertrans_tray import credentials; "
              "credentials.store(''); print(credentials.stored())")
    gone = subprocess.run([sys.executable, "-c", forget], capture_output=True, text=True,
                          env=env, timeout=60, check=True)
    assert gone.stdout.strip() == "None"
