"""A team beyond one box: the app through a real LiteLLM proxy on 127.0.0.1 (its own venv,
``.venv-litellm``) in front of two real chat servers (llama.cpp's server, SmolLM2) and a real
recognition server (faster-whisper-server), configured as deploy/litellm/config.yaml: one model
name over both chat servers, per-user keys and rate limits without a database
(deploy/litellm/team_keys.py).

測試連線 through the proxy lists its models; translations flow; one chat server SIGKILLed in
the middle of a session is routed around and no sentence is lost or doubled; the proxy's own
429 (a user past their requests per minute) is rate limiting to the app, not an outage; remote
recognition goes through the proxy too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.app_harness import wait_for
from tests.servers import llama
from tests.servers.litellm_proxy import ASR_MODEL, CHAT_MODEL, LiteLLMProxy
from tests.servers.whisper_server import WhisperServer
from whispertrans_tray import errors
from whispertrans_tray.app import asr_check, server_check
from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.providers import model_store
from whispertrans_tray.providers.asr_remote import RemoteWhisper
from whispertrans_tray.providers.translate_openai import OpenAITranslator
from whispertrans_tray.settings import AsrSettings, TranslationSettings

pytestmark = pytest.mark.slow
ALICE = "sk-alice-test"  # plenty of requests a minute
BOB = "sk-bob-test"  # 2 requests a minute: the proxy's own 429 after that
KEYS = ((ALICE, "alice", 1000), (BOB, "bob", 2))


@dataclass
class Team:
    proxy: LiteLLMProxy
    chat: list[llama.LlamaServer]
    folder: Path


@pytest.fixture(scope="module")
def team(model_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    folder = tmp_path_factory.mktemp("team")
    chat = [llama.start_server(folder / f"llama{i}.log") for i in (1, 2)]
    asr = WhisperServer(model_store.bundled_base(), folder / "fws.log")
    proxy = None
    try:
        asr.start()
        proxy = LiteLLMProxy(folder, [(s.base + "/v1", llama.MODEL_ALIAS) for s in chat],
                             [asr.url.removesuffix("/audio/transcriptions")], KEYS)
        proxy.start()
        team = Team(proxy, chat, folder)
        warm = OpenAITranslator(settings(team, timeout_s=120.0), ALICE)
        try:  # each chat server's first answer (and the proxy's first route) is slow
            for _ in range(4):
                warm.translate("Hello.", "zh-TW")
        finally:
            warm.close()
        yield team
    finally:
        if proxy is not None:
            proxy.stop()
        asr.kill()
        for server in chat:
            server.stop()


def settings(team: Team, **changes: object) -> TranslationSettings:
    options: dict[str, object] = {"timeout_s": 30.0, **changes}
    return TranslationSettings(enabled=True, provider="custom", url=team.proxy.url,
                               model=CHAT_MODEL, target_language="zh-TW", max_tokens=24,
                               context_sentences=0, **options)  # type: ignore[arg-type]


def test_connection_test_through_the_proxy_lists_its_models(team: Team) -> None:
    report = server_check.run(settings(team), ALICE, "en")
    assert report.ok, report.message
    assert CHAT_MODEL in report.models and ASR_MODEL in report.models
    wrong = server_check.run(settings(team), "sk-not-on-the-team", "en")
    assert not wrong.ok and wrong.step == "models" and "401" in wrong.message


class Seen:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.finals: dict[int, list[TranslationUpdate]] = {}
        self.statuses: list[str] = []

    def update(self, update: TranslationUpdate) -> None:
        if update.done:
            with self.lock:
                self.finals.setdefault(update.index, []).append(update)

    def status(self, brief: str, message: str) -> None:
        with self.lock:
            self.statuses.append(message)

    def translated(self, indexes: range) -> bool:
        with self.lock:
            return all(any(u.text for u in self.finals.get(i, ())) for i in indexes)


def sentence(i: int) -> Sentence:
    return Sentence(i, float(i), i + 0.9, "en", f"Sentence number {i} is about the weather.")


def test_a_chat_server_killed_mid_session_is_routed_around(team: Team) -> None:
    seen = Seen()
    config = settings(team)
    service = TranslationService(config, [OpenAITranslator(config, ALICE)], seen.update, "en",
                                 max_batch=1, on_status=seen.status)
    killed = team.chat[0]
    try:
        for i in range(4):
            service.submit(sentence(i))
        assert wait_for(lambda: seen.translated(range(4)), 120), seen.statuses
        killed.kill()  # SIGKILL: as a crash or a power cut
        for i in range(4, 12):
            service.submit(sentence(i))
        assert wait_for(lambda: seen.translated(range(12)), 180), (seen.statuses,
                                                                   team.proxy.log())
    finally:
        service.close()
        team.chat[0] = llama.start_server(team.folder / "llama1-again.log",
                                          port=int(killed.base.rsplit(":", 1)[1]))
    with seen.lock:
        finals = dict(seen.finals)
    assert sorted(finals) == list(range(12))
    assert all(len([u for u in updates if u.text]) == 1 for updates in finals.values()), finals
    assert team.chat[1].alive()


def test_the_proxys_own_429_is_rate_limiting(team: Team) -> None:
    translator = OpenAITranslator(settings(team), BOB, retry=False)
    try:
        answers = 0
        with pytest.raises(errors.RateLimitedError) as limited:
            for _ in range(4):  # 2 a minute: the 3rd is refused by the proxy itself
                translator.translate("Good morning.", "zh-TW")
                answers += 1
    finally:
        translator.close()
    assert answers == 2
    assert "rate" in limited.value.message("en").lower()
    report = server_check.run(settings(team), BOB, "en")
    assert not report.ok and report.limited, report.message
    # Live: the sentence waits (the rate-limit message, no outage, no failover) and is
    # translated once the proxy lets the user in again: nothing lost.
    seen = Seen()
    config = settings(team, timeout_s=5.0)
    service = TranslationService(config, [OpenAITranslator(config, BOB)], seen.update, "en",
                                 max_batch=1, on_status=seen.status)
    try:
        service.submit(sentence(0))
        assert wait_for(lambda: seen.finals.get(0), 60), seen.statuses
        first = seen.finals[0][0]
        state = service.failover.pool.states[0]
        assert "rate-limiting" in first.error and "translated late" in first.error, first
        assert state.up and state.failures == 0 and state.limits >= 1
        assert wait_for(lambda: seen.translated(range(1)), 150), seen.finals
        # no outage or failover announced (SmolLM2's cut answers may be noted: max_tokens)
        assert not any("rate" in s or "not available" in s for s in seen.statuses), (
            seen.statuses)
    finally:
        service.close()


def test_remote_recognition_through_the_proxy(team: Team, clip) -> None:  # type: ignore[no-untyped-def]
    url = team.proxy.url + "/audio/transcriptions"
    remote = RemoteWhisper(url, ASR_MODEL, ALICE, timeout_s=120)
    try:
        result = remote.transcribe(clip("jfk.flac"), "en")
    finally:
        remote.close()
    text = "".join(w.text for w in result.words)
    assert "ask not what your country can do for you" in text.lower(), text
    assert result.words[0].start < result.words[-1].end <= 11.1
    report = asr_check.run(AsrSettings(backend="remote", remote_url=url,
                                       remote_model=ASR_MODEL, remote_timeout_s=15.0),
                           ALICE, "en")
    assert report.ok, report.message
