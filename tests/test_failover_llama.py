"""Failover and failback between two real translation servers on 127.0.0.1 (llama.cpp's server
via xllamacpp, SmolLM2-135M-Instruct, twice, on two ports), and 測試連線 of each entry."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app_harness import wait_for
from tests.servers.llama import MODEL_ALIAS, LlamaServer, start_server
from whispertrans_tray.__main__ import check_each_endpoint, translation_service
from whispertrans_tray.app.translation_service import TranslationUpdate
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.settings import TranslationSettings, endpoints


def sentence(i: int) -> Sentence:
    return Sentence(i, float(i), i + 0.9, "en", f"Sentence number {i} is here.")


def listed(primary: str, fallback: str, **changes: object) -> TranslationSettings:
    return TranslationSettings(
        enabled=True, provider="custom", url=primary, model=MODEL_ALIAS, max_tokens=16,
        timeout_s=60.0, temperature=0.0, context_sentences=0,
        fallbacks=(("custom", fallback, MODEL_ALIAS),), **changes)  # type: ignore[arg-type]


class Updates:
    def __init__(self) -> None:
        self.all: list[TranslationUpdate] = []
        self.statuses: list[str] = []
        self.briefs: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, update: TranslationUpdate) -> None:
        with self.lock:
            self.all.append(update)

    def status(self, brief: str, message: str) -> None:
        with self.lock:
            self.statuses.append(message)
            self.briefs.append(brief)

    def done(self) -> list[TranslationUpdate]:
        with self.lock:
            return [u for u in self.all if u.done]


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[list[LlamaServer]]:
    servers = [start_server(tmp_path / "a.log"), start_server(tmp_path / "b.log")]
    try:
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_failover_to_the_second_server_and_back(two_servers: list[LlamaServer],
                                                tmp_path: Path) -> None:
    a, b = two_servers
    settings = listed(a.url, b.url)
    label_a, label_b = (e.label for e in endpoints(settings))
    out = Updates()
    svc = translation_service(settings, None, out, "en", out.status)
    try:
        for i in range(2):
            svc.submit(sentence(i))
        assert svc.drain(120)
        assert svc.active_endpoint == label_a

        # the first server dies mid-session, with a sentence on its way
        svc.submit(sentence(2))
        assert wait_for(lambda: any(u.index == 2 for u in out.all), 60, every=0.05)
        a.kill()
        for i in range(3, 6):
            svc.submit(sentence(i))
        assert svc.drain(180)
        assert svc.active_endpoint == label_b
        assert any(label_a in m and label_b in m for m in out.statuses), out.statuses
        model_b = label_b.split(" @ ")[0]
        assert any(b == f"⚠ Translating with server 2 ({model_b})" for b in out.briefs), out.briefs
        assert not any("127.0.0.1" in b or ":" in b for b in out.briefs), out.briefs

        # it comes back on the same port: the health checks fail back to it
        a = two_servers[0] = start_server(tmp_path / "a2.log", port=int(a.url.split(":")[2]
                                                                         .split("/")[0]))
        assert wait_for(lambda: svc.active_endpoint == label_a, 30, every=0.05), out.statuses
        assert any(label_a in m and label_b not in m for m in out.statuses[-1:])
        b.kill()  # the second is gone now: the next sentence must come from the first
        svc.submit(sentence(6))
        assert svc.drain(120)
        assert svc.active_endpoint == label_a
    finally:
        svc.close()
    done = out.done()
    assert [u.index for u in done] == list(range(7))  # spoken order, each exactly once
    assert all(u.text and not u.error and not u.late for u in done), done


def test_all_down_then_back_translates_late_in_order(two_servers: list[LlamaServer],
                                                      tmp_path: Path) -> None:
    a, b = two_servers
    port_a = int(a.url.split(":")[2].split("/")[0])
    b.kill()
    a.kill()
    out = Updates()
    svc = translation_service(listed(a.url, b.url), None, out, "en", out.status)
    try:
        for i in range(3):
            svc.submit(sentence(i))
        assert svc.drain(60)
        failed = out.done()
        assert [u.index for u in failed] == [0, 1, 2]
        assert all(not u.text and "Cannot connect" in u.error and "late" in u.error
                   for u in failed)
        assert svc.active_endpoint == ""
        two_servers[0] = start_server(tmp_path / "a2.log", port=port_a)
        # the health check, then the retries
        assert wait_for(lambda: len(out.done()) == 6, 180, every=0.05)
    finally:
        svc.close()
    late = out.done()[3:]
    assert [u.index for u in late] == [0, 1, 2]  # retried in order
    assert all(u.late and u.text and not u.error for u in late)


def test_connection_test_reports_each_entry(llama_server: str) -> None:
    dead = "http://127.0.0.1:9/v1/chat/completions"  # discard port: nothing listens
    report = check_each_endpoint(listed(llama_server, dead), None, "en")
    first, second = report.message.splitlines()
    assert not report.ok
    assert first.startswith("1. ") and "✓" in first
    assert second.startswith("2. ") and "127.0.0.1:9" in second and "Cannot connect" in second
