"""The translation queue (pure) and the worker (real HTTP server on loopback)."""

from __future__ import annotations

import threading
import time

import pytest

from tests.servers.fake_openai import FakeServer
from whispertrans_tray.core.translation_queue import Job, TranslationQueue, split_batch
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.settings import TranslationSettings
from whispertrans_tray.translation_service import TranslationService, TranslationUpdate


def s(i: int, text: str, lang: str = "en") -> Sentence:
    return Sentence(i, float(i), i + 0.9, lang, text)


def test_queue_batches_waiting_sentences_with_the_same_target() -> None:
    q = TranslationQueue(lambda x: "English" if x.language == "zh" else "繁體中文", max_batch=3)
    for sentence in [s(0, "a"), s(1, "b"), s(2, "今天。", "zh"), s(3, "c"), s(4, "d"),
                     s(5, "e"), s(6, "f")]:
        q.push(sentence)
    jobs = []
    while (job := q.take()) is not None:
        jobs.append(([x.index for x in job.sentences], job.target))
    assert jobs == [([0, 1], "繁體中文"), ([2], "English"), ([3, 4, 5], "繁體中文"),
                    ([6], "繁體中文")]


def test_job_text() -> None:
    assert Job((s(0, "Hi."),), "x").text == "Hi."
    assert Job((s(0, "Hi."), s(1, "Bye.")), "x").text == "1. Hi.\n2. Bye."


@pytest.mark.parametrize(
    ("answer", "count", "expected"),
    [("1. 你好。\n2. 再見。", 2, ["你好。", "再見。"]),
     ("1) 你好\n\n2) 再見\n", 2, ["你好", "再見"]),
     ("1、你好\n2：再見", 2, ["你好", "再見"]),
     ("1. 你好。", 2, None),
     ("你好。再見。", 2, None)],
)
def test_split_batch(answer: str, count: int, expected: list[str] | None) -> None:
    assert split_batch(answer, count) == expected


class Collector:
    def __init__(self) -> None:
        self.updates: list[TranslationUpdate] = []
        self.lock = threading.Lock()

    def __call__(self, update: TranslationUpdate) -> None:
        with self.lock:
            self.updates.append(update)

    def final(self) -> dict[int, TranslationUpdate]:
        return {u.index: u for u in self.updates if u.done}


def service(server: FakeServer, out: Collector, **kw: object) -> TranslationService:
    settings = TranslationSettings(url=server.url, model="test-model", timeout_s=2.0)
    return TranslationService(settings, None, out, **kw)  # type: ignore[arg-type]


def test_every_sentence_gets_its_translation() -> None:
    out = Collector()
    with FakeServer("ok") as server:
        svc = service(server, out)
        for i in range(3):
            svc.submit(s(i, f"Sentence {i}."))
        assert svc.drain(20)
        svc.close()
    final = out.final()
    assert sorted(final) == [0, 1, 2]
    assert all(u.error == "" and u.text for u in final.values())


def test_failed_translation_keeps_going_and_says_why() -> None:
    out = Collector()
    with FakeServer("error500") as server:
        svc = service(server, out, ui_language="en")
        svc.submit(s(0, "Lost?"))
        assert svc.drain(20)
        server.mode = "ok"
        svc.submit(s(1, "Next one."))
        assert svc.drain(20)
        svc.close()
    final = out.final()
    assert "HTTP 500" in final[0].error and final[0].text == ""
    assert final[1].error == "" and final[1].text == "你好，你今天好嗎？"
    assert svc.failures == 1


def test_a_slow_server_gets_batches_not_a_backlog() -> None:
    out = Collector()
    with FakeServer("slow", reply="1. 一。\n2. 二。\n3. 三。") as server:
        server.delay = 0.5
        svc = service(server, out)
        svc.submit(s(0, "Sentence 0."))
        deadline = time.monotonic() + 10
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.01)
        for i in range(1, 4):  # they arrive while the server is busy with sentence 0
            svc.submit(s(i, f"Sentence {i}."))
        assert svc.drain(30)
        svc.close()
    assert len(server.requests) == 2  # the three that waited went out together
    assert server.requests[1]["messages"][-1]["content"].endswith(
        "1. Sentence 1.\n2. Sentence 2.\n3. Sentence 3.")
    final = out.final()
    assert [final[i].text for i in (1, 2, 3)] == ["一。", "二。", "三。"]


def test_batch_answer_without_numbers_falls_back_to_one_by_one() -> None:
    out = Collector()
    with FakeServer("ok", reply="沒有編號的回答") as server:
        svc = service(server, out)
        for i in range(3):
            svc.submit(s(i, f"Sentence {i}."))
        assert svc.drain(30)
        svc.close()
    final = out.final()
    assert sorted(final) == [0, 1, 2]
    assert all(u.text == "沒有編號的回答" and not u.error for u in final.values())


def test_previous_pairs_are_sent_as_context() -> None:
    out = Collector()
    with FakeServer("ok") as server:
        settings = TranslationSettings(url=server.url, model="test-model", context_sentences=2)
        svc = TranslationService(settings, None, out)
        for i in range(3):
            svc.submit(s(i, f"Sentence {i}."))
            assert svc.drain(20)
        svc.close()
    last = server.requests[-1]["messages"]
    assert [m["content"] for m in last[1:-1]] == ["Sentence 0.", "你好，你今天好嗎？",
                                                 "Sentence 1.", "你好，你今天好嗎？"]
