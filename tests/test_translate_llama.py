"""Against a real OpenAI-compatible server (llama-cpp-python + Gemma 3 270M on 127.0.0.1)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.servers.llama import MODEL_ALIAS, llama_server  # noqa: F401 - fixture
from whispertrans_tray import errors
from whispertrans_tray.app import server_check
from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.providers.translate_openai import OpenAITranslator
from whispertrans_tray.settings import TranslationSettings


def settings(url: str, **changes: object) -> TranslationSettings:
    base = TranslationSettings(url=url, model=MODEL_ALIAS, provider="custom", max_tokens=24,
                               timeout_s=60.0, temperature=0.0)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_streams_real_tokens(llama_server: str) -> None:  # noqa: F811
    seen: list[str] = []
    translator = OpenAITranslator(settings(llama_server))
    result = translator.translate("Hello, how are you today?", "繁體中文", on_text=seen.append)
    translator.close()
    assert result.text and result.chunks >= 2
    assert len(seen) >= 2 and seen[-1] == result.text  # the line filled as tokens arrived
    assert result.first_token_s < result.total_s


def test_models_and_unknown_model(llama_server: str) -> None:  # noqa: F811
    translator = OpenAITranslator(settings(llama_server))
    assert MODEL_ALIAS in translator.list_models()
    translator.close()


def test_connection_test_succeeds(llama_server: str) -> None:  # noqa: F811
    report = server_check.run(settings(llama_server), None, "zh-TW")
    assert report.ok, report.message
    assert report.message.startswith("✓ 連線成功！") and report.tokens_per_s > 0


def test_connection_test_wrong_model_lists_the_real_one(llama_server: str) -> None:  # noqa: F811
    report = server_check.run(settings(llama_server, model="Qwen/Qwen2-7B-Instruct"), None,
                              "en")
    assert not report.ok and report.step == "model" and MODEL_ALIAS in report.message


def test_service_translates_sentences(llama_server: str) -> None:  # noqa: F811
    updates: list[TranslationUpdate] = []
    # a base model loses its way in multi-turn context: ask each sentence on its own
    config = settings(llama_server, context_sentences=0)
    service = TranslationService(config, OpenAITranslator(config), updates.append)
    service.submit(Sentence(0, 0.0, 1.0, "en", "Good morning."))
    service.submit(Sentence(1, 1.0, 2.0, "en", "The weather is nice today."))
    assert service.drain(120)
    service.close()
    final = {u.index: u for u in updates if u.done}
    assert sorted(final) == [0, 1]
    assert all(u.text and not u.error for u in final.values())


def test_server_stopped_is_a_clear_error(llama_server: str) -> None:  # noqa: F811
    port = llama_server.split(":")[2].split("/")[0]
    url = llama_server.replace(port, "9")
    try:
        OpenAITranslator(settings(url, timeout_s=3.0)).translate("Hi.", "繁體中文")
    except errors.ServerUnreachableError as exc:
        assert "vLLM" in exc.message("en")
    else:
        raise AssertionError("expected ServerUnreachableError")


def test_total_deadline_cuts_a_long_real_answer(llama_server: str) -> None:  # noqa: F811
    # ~30 tokens/s here: 400 tokens would take many seconds; the 1.5 s deadline cuts it.
    translator = OpenAITranslator(settings(llama_server, max_tokens=400, timeout_s=1.5,
                                           temperature=1.0))
    started = time.monotonic()
    try:
        result = translator.translate("Write a long story about the sea.", "English")
    except errors.TranslationTimeoutError:
        pass
    else:  # a base model may stop early on its own: then it must have been quick
        assert result.text
    finally:
        translator.close()
    assert time.monotonic() - started < 1.5 + 5.0


def test_cancel_mid_stream_against_the_real_server(llama_server: str) -> None:  # noqa: F811
    seen: list[str] = []
    translator = OpenAITranslator(settings(llama_server, max_tokens=300, temperature=1.0))
    result = translator.translate("Tell me about the weather.", "English", on_text=seen.append,
                                  cancelled=lambda: len(seen) >= 2)
    translator.close()
    assert result.cancelled and seen and result.text == seen[-1]
    assert result.chunks < 300


def test_batched_sentences_all_come_back(llama_server: str) -> None:  # noqa: F811
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


def test_cli_test_connection_against_the_real_server(llama_server: str,  # noqa: F811
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
