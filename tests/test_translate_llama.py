"""Against a real OpenAI-compatible server on 127.0.0.1 (llama.cpp's server via xllamacpp,
SmolLM2-135M-Instruct)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.servers.llama import MODEL_ALIAS, ServerDiedError, start_server
from whispertrans_tray import errors
from whispertrans_tray.app import server_check
from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.providers.translate_openai import TRUNCATED_MARK, OpenAITranslator
from whispertrans_tray.settings import TranslationSettings


def settings(url: str, **changes: object) -> TranslationSettings:
    base = TranslationSettings(url=url, model=MODEL_ALIAS, provider="custom", max_tokens=24,
                               timeout_s=60.0, temperature=0.0)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_streams_real_tokens(llama_server: str) -> None:
    seen: list[str] = []
    translator = OpenAITranslator(settings(llama_server))
    result = translator.translate("Hello, how are you today?", "繁體中文", on_text=seen.append)
    translator.close()
    assert result.text and result.chunks >= 2
    assert len(seen) >= 2 and seen[-1] == result.text  # the line filled as tokens arrived
    assert result.first_token_s < result.total_s


def test_an_answer_the_server_stops_at_max_tokens_is_kept_and_marked(llama_server: str) -> None:
    """llama.cpp's server ends such an answer with finish_reason "length", a usage-only chunk
    (choices: []) and [DONE]: complete, cut by the server, so kept with its mark."""
    translator = OpenAITranslator(settings(llama_server, max_tokens=3))
    result = translator.translate("Tell me a long story about the sea.", "English")
    translator.close()
    assert result.truncated and result.text.endswith(TRUNCATED_MARK)
    assert len(result.text) > len(TRUNCATED_MARK)


def test_models_and_unknown_model(llama_server: str) -> None:
    translator = OpenAITranslator(settings(llama_server))
    assert MODEL_ALIAS in translator.list_models()
    translator.close()


def test_connection_test_succeeds(llama_server: str) -> None:
    report = server_check.run(settings(llama_server), None, "zh-TW")
    assert report.ok, report.message
    assert report.message.startswith("✓ 連線成功！") and report.tokens_per_s > 0


def test_connection_test_wrong_model_lists_the_real_one(llama_server: str) -> None:
    report = server_check.run(settings(llama_server, model="Qwen/Qwen2-7B-Instruct"), None,
                              "en")
    assert not report.ok and report.step == "model" and MODEL_ALIAS in report.message


def test_service_translates_sentences(llama_server: str) -> None:
    updates: list[TranslationUpdate] = []
    # a 135M model loses its way in multi-turn context: ask each sentence on its own
    config = settings(llama_server, context_sentences=0)
    service = TranslationService(config, OpenAITranslator(config), updates.append)
    service.submit(Sentence(0, 0.0, 1.0, "en", "Good morning."))
    service.submit(Sentence(1, 1.0, 2.0, "en", "The weather is nice today."))
    assert service.drain(120)
    service.close()
    final = {u.index: u for u in updates if u.done}
    assert sorted(final) == [0, 1]
    assert all(u.text and not u.error for u in final.values())


def test_server_stopped_is_a_clear_error(llama_server: str) -> None:
    port = llama_server.split(":")[2].split("/")[0]
    url = llama_server.replace(port, "9")
    try:
        OpenAITranslator(settings(url, timeout_s=3.0)).translate("Hi.", "繁體中文")
    except errors.ServerUnreachableError as exc:
        assert "vLLM" in exc.message("en")
    else:
        raise AssertionError("expected ServerUnreachableError")


def test_total_deadline_cuts_a_long_real_answer(llama_server: str) -> None:
    # ~30 tokens/s here: 400 tokens would take many seconds; the 1.5 s deadline cuts it.
    translator = OpenAITranslator(settings(llama_server, max_tokens=400, timeout_s=1.5,
                                           temperature=1.0))
    started = time.monotonic()
    try:
        result = translator.translate("Write a long story about the sea.", "English")
    except errors.TranslationTimeoutError:
        pass
    else:  # a tiny model may stop early on its own: then it must have been quick
        assert result.text
    finally:
        translator.close()
    assert time.monotonic() - started < 1.5 + 5.0


def test_cancel_mid_stream_against_the_real_server(llama_server: str) -> None:
    seen: list[str] = []
    translator = OpenAITranslator(settings(llama_server, max_tokens=300, temperature=1.0))
    result = translator.translate("Tell me about the weather.", "English", on_text=seen.append,
                                  cancelled=lambda: len(seen) >= 2)
    translator.close()
    assert result.cancelled and seen and result.text == seen[-1]
    assert result.chunks < 300


def test_batched_sentences_all_come_back(llama_server: str) -> None:
    updates: list[TranslationUpdate] = []
    config = settings(llama_server, context_sentences=0)
    service = TranslationService(config, OpenAITranslator(config), updates.append,
                                 max_batch=3)
    for i, text in enumerate(["Good evening.", "It is raining.", "See you tomorrow.",
                              "Thank you."]):
        service.submit(Sentence(i, float(i), i + 1.0, "en", text))
    assert service.drain(180)
    service.close()
    final = {u.index: u for u in updates if u.done}
    assert sorted(final) == [0, 1, 2, 3]
    assert all(u.text and not u.error for u in final.values())


def test_cli_test_connection_against_the_real_server(llama_server: str,
                                                     tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    cli = [sys.executable, "-m", "whispertrans_tray", "--ui-language", "zh-TW", "test-connection",
           "--provider", "custom",
           "--url", llama_server.replace("/chat/completions", ""), "--model", MODEL_ALIAS]
    result = subprocess.run(cli, capture_output=True, text=True, env=env, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("✓ 連線成功！") and MODEL_ALIAS in result.stdout
    wrong = subprocess.run([*cli[:-1], "no-such-model"], capture_output=True, text=True,
                           env=env, timeout=60, check=False)
    assert wrong.returncode == 1 and MODEL_ALIAS in wrong.stderr


def test_wrong_api_key_is_named_and_the_right_one_works(tmp_path: Path) -> None:
    """The real server started with ``--api-key``: a wrong key is a 401 the user can act on."""
    server = start_server(tmp_path / "server.log", api_key="sk-right-key")
    try:
        wrong = OpenAITranslator(settings(server.url), api_key="sk-wrong-key")
        with pytest.raises(errors.AuthenticationError) as caught:
            wrong.translate("Hello.", "繁體中文")
        wrong.close()
        assert "API key" in caught.value.message("en")
        right = OpenAITranslator(settings(server.url), api_key="sk-right-key")
        assert right.translate("Hello.", "繁體中文").text
        right.close()
    finally:
        server.stop()


def test_server_killed_mid_stream_is_a_named_error(tmp_path: Path) -> None:
    """A server that crashes while it streams: the cut answer is an error, never a result."""
    server = start_server(tmp_path / "server.log")
    seen: list[str] = []

    def on_text(text: str) -> None:
        seen.append(text)
        if len(seen) == 2:
            server.kill()  # SIGKILL, as a crash: the response is cut mid-body

    translator = OpenAITranslator(settings(server.url, max_tokens=300, temperature=1.0,
                                           timeout_s=20.0))
    started = time.monotonic()
    try:
        with pytest.raises((errors.StreamBrokenError, errors.ServerUnreachableError)):
            translator.translate("Tell me a long story about the sea.", "English",
                                 on_text=on_text)
    finally:
        translator.close()
        server.stop()
    assert len(seen) >= 2 and not server.alive()
    assert time.monotonic() - started < 20.0


def test_a_server_that_dies_at_start_fails_loudly(tmp_path: Path) -> None:
    """The fixture never turns a dead server into unrelated "connection refused" failures."""
    bad_model = tmp_path / "not-a-model.gguf"
    bad_model.write_bytes(b"this is not a GGUF file")
    with pytest.raises(ServerDiedError) as caught:
        start_server(tmp_path / "server.log", model=bad_model)
    message = str(caught.value)
    assert "exited while starting" in message and "exit " in message
    assert str(tmp_path / "server.log") in message
