"""The translation worker against a real, misbehaving HTTP server on loopback."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from tests.app_harness import wait_for
from tests.servers.fake_openai import FakeServer
from whispertrans_tray.__main__ import terminal_translation
from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.providers.translate_openai import OpenAITranslator
from whispertrans_tray.settings import Settings, TranslationSettings


def s(i: int, text: str, lang: str = "en") -> Sentence:
    return Sentence(i, float(i), i + 0.9, lang, text)


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
    return TranslationService(settings, OpenAITranslator(settings), out, **kw)  # type: ignore[arg-type]


def translate_all(server: FakeServer, count: int = 3) -> dict[int, TranslationUpdate]:
    """``count`` sentences submitted at once to a service on ``server``, drained: each one's
    final update."""
    out = Collector()
    svc = service(server, out)
    for i in range(count):
        svc.submit(s(i, f"Sentence {i}."))
    assert svc.drain(30)
    svc.close()
    return out.final()


def test_every_sentence_gets_its_translation() -> None:
    with FakeServer("ok") as server:
        final = translate_all(server)
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
        assert svc.drain(20, late=True)
        svc.close()
    first = next(u for u in out.updates if u.index == 0 and u.done)
    assert "HTTP 500" in first.error and first.text == "" and not first.late
    assert "translated late" in first.error  # the line says it will be retried
    final = out.final()
    assert final[1].error == "" and final[1].text == "你好，你今天好嗎？"
    # once the server answers again, the failed sentence is translated late
    assert final[0].late and final[0].text == "你好，你今天好嗎？" and not final[0].error
    assert svc.failures == 1


def test_a_slow_server_gets_batches_not_a_backlog() -> None:
    out = Collector()
    with FakeServer("slow", reply="1. 一。\n2. 二。\n3. 三。") as server:
        server.delay = 0.5
        svc = service(server, out)
        svc.submit(s(0, "Sentence 0."))
        assert wait_for(lambda: server.requests, 10, every=0.01)  # the server is busy with it
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
    with FakeServer("ok", reply="沒有編號的回答") as server:
        final = translate_all(server)
    assert sorted(final) == [0, 1, 2]
    assert all(u.text == "沒有編號的回答" and not u.error for u in final.values())


def test_previous_pairs_are_sent_as_context() -> None:
    out = Collector()
    with FakeServer("ok") as server:
        settings = TranslationSettings(url=server.url, model="test-model", context_sentences=2)
        svc = TranslationService(settings, OpenAITranslator(settings), out)
        for i in range(3):
            svc.submit(s(i, f"Sentence {i}."))
            assert svc.drain(20)
        svc.close()
    last = server.requests[-1]["messages"]
    assert [m["content"] for m in last[1:-1]] == ["Sentence 0.", "你好，你今天好嗎？",
                                                 "Sentence 1.", "你好，你今天好嗎？"]


def test_translation_off_means_no_service_and_no_traffic() -> None:
    with FakeServer("ok") as server:
        off = Settings(translation=TranslationSettings(url=server.url, enabled=False))
        assert terminal_translation(off, None, Collector()) is None
        on = Settings(translation=TranslationSettings(url=server.url, model="test-model",
                                                      enabled=True))
        out = Collector()
        svc = terminal_translation(on, None, out)
        assert svc is not None
        svc.submit(s(0, "Hi."))
        assert svc.drain(20)
        svc.close()
    assert len(server.requests) == 1 and out.final()[0].text


def test_a_batch_fills_each_line_as_its_number_streams_in() -> None:
    out = Collector()
    with FakeServer("slow", reply="1. 一句。\n2. 二句。") as server:
        server.delay = 0.5
        # One request at a time: sentences 1 and 2 wait while 0 is translated, then go as one
        # batch once 0 is shown.  (With two in flight the batch could stream while sentence 0
        # still held the head of the line, and a batch's lines wait for the sentence before.)
        settings = TranslationSettings(url=server.url, model="test-model", timeout_s=2.0,
                                       max_in_flight=1)
        svc = TranslationService(settings, OpenAITranslator(settings), out)
        svc.submit(s(0, "Zero."))
        assert wait_for(lambda: server.requests, 10, every=0.01)  # the server is busy with it
        svc.submit(s(1, "One."))
        svc.submit(s(2, "Two."))
        assert svc.drain(30)
        svc.close()
    partial = [(u.index, u.text) for u in out.updates if not u.done]
    assert (1, "一句。") in partial and any(i == 2 for i, _ in partial)
    assert out.final()[1].text == "一句。" and out.final()[2].text == "二句。"


def test_overflow_keeps_the_source_line_with_a_reason() -> None:
    out = Collector()
    with FakeServer("slow") as server:
        server.delay = 1.0
        svc = service(server, out, ui_language="en", capacity=2, max_batch=2)
        for i in range(5):  # sentence 0 is in flight; 1..4 wait in a queue of 2
            svc.submit(s(i, f"Sentence {i}."))
            time.sleep(0.05)
        assert svc.drain(30)
        svc.close()
    final = out.final()
    assert sorted(final) == [0, 1, 2, 3, 4]  # every line ends, none is lost
    behind = [i for i, u in final.items() if "fell behind" in u.error]
    assert behind and all(not final[i].text for i in behind)
    assert all(final[i].text for i in final if i not in behind)
    assert svc.failures == len(behind)


def test_cancel_pending_stops_the_request_in_flight() -> None:
    out = Collector()
    with FakeServer("trickle") as server:
        server.delay = 3.0  # one token, then silence
        svc = service(server, out, max_batch=1)
        for i in range(3):
            svc.submit(s(i, f"Sentence {i}."))
        assert wait_for(lambda: any(not u.done for u in out.updates), 10, every=0.01)
        started = time.monotonic()
        svc.cancel_pending()
        assert svc.drain(10)
        elapsed = time.monotonic() - started
        svc.close()
    assert elapsed < 2.5  # the silent request was cut, not waited out
    final = out.final()
    assert sorted(final) == [0, 1, 2]
    assert all(not u.text and not u.error for u in final.values())
    assert len(server.requests) == 2  # two in flight (the default); the third never went out


def test_a_late_translation_reaches_the_output_file(tmp_path: Path) -> None:
    """The output file is written as the sentences go; a line written as failed is replaced
    by its late translation when the session closes."""
    from whispertrans_tray.app.session import Session
    from whispertrans_tray.core.subtitles import SubtitleModel
    from whispertrans_tray.core.types import Event

    model = SubtitleModel()

    class View:
        def apply(self, event: Event) -> None:
            model.apply(event, translating=True)

        def show(self, event: Event) -> None:
            pass

        def translation(self, update: TranslationUpdate) -> None:
            model.apply_translation(update.index, update.text, update.done, update.error,
                                    update.late)

    out = tmp_path / "out.jsonl"
    session = Session(View(), lambda: model.lines, out, None)
    with FakeServer("ok") as server:
        server.failures_left = 2  # the first sentence fails (its one retry too)
        settings = TranslationSettings(url=server.url, model="test-model", timeout_s=3.0,
                                       max_in_flight=1)
        session.service = TranslationService(settings, OpenAITranslator(settings),
                                             session.on_translation, "en")
        session.on_event(s(0, "First."))
        assert wait_for(lambda: model.lines[0].status == "failed", 20, every=0.02)
        # the line is marked failed just before the session writes it out
        assert wait_for(lambda: out.exists() and out.read_text("utf-8"), 5, every=0.02)
        written = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
        assert written[0]["translation"] is None and "HTTP 500" in written[0]["translation_error"]
        for i in (1, 2):
            session.on_event(s(i, f"Sentence {i}."))
        session.close()
    rows = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [r["text"] for r in rows] == ["First.", "Sentence 1.", "Sentence 2."]
    assert all(r["translation"] == "你好，你今天好嗎？" and "translation_error" not in r
               for r in rows)



def test_a_worker_error_does_not_hold_the_sentences_after_it() -> None:
    """A callback that fails after a translation (here the status callback, told that the
    server cut an answer at max_tokens) ends that sentence without a translation; the ones
    after it are still translated and handed on, not held (and kept) for ever."""
    told: list[str] = []

    def on_status(brief: str, message: str) -> None:
        told.append(message)
        raise RuntimeError("the status line could not take the message")

    out = Collector()
    with FakeServer("length") as server:
        svc = service(server, out, on_status=on_status)
        svc.submit(s(0, "Sentence 0."))
        assert wait_for(lambda: 0 in out.final(), 30), out.updates
        for i in (1, 2):
            svc.submit(s(i, f"Sentence {i}."))
        assert svc.drain(30)
        assert wait_for(lambda: len(out.final()) == 3, 30), out.updates
        svc.close()
    final = out.final()
    assert len(told) == 1
    assert final[0].text == "" and final[0].error == ""
    assert final[1].text and final[2].text
