"""Translation at the dip, against real HTTP servers on loopback, and the time stamps it leaves.

A :class:`Speculative` forecast is translated at once; the committed sentence adopts the
request when its text is the same (one request), else the request is cancelled and the
committed text is sent (two).  The end-to-end test replays a real recording through the CLI
with the real model and checks the record (``first_token_at``, ``translated_at``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.app_harness import wait_for
from tests.conftest import DATA
from tests.servers.fake_openai import FakeServer
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.app.history import SessionWriter, load
from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
from whispertrans_tray.core.types import Sentence, Speculative
from whispertrans_tray.providers.translate_openai import OpenAITranslator
from whispertrans_tray.settings import TranslationSettings


class Collector:
    def __init__(self) -> None:
        self.updates: list[TranslationUpdate] = []
        self.lock = threading.Lock()

    def __call__(self, update: TranslationUpdate) -> None:
        with self.lock:
            self.updates.append(update)

    def final(self) -> dict[int, TranslationUpdate]:
        with self.lock:
            return {u.index: u for u in self.updates if u.done}


class Clock:
    """A stream clock: seconds since it was made."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self) -> float:
        return round(time.monotonic() - self.started, 3)


def make(server: FakeServer, out: Collector, at_dip: bool = True, max_in_flight: int = 2,
         clock: Clock | None = None) -> TranslationService:
    settings = TranslationSettings(url=server.url, model="test-model", timeout_s=5.0,
                                   at_dip=at_dip, max_in_flight=max_in_flight,
                                   context_sentences=0)
    return TranslationService(settings, OpenAITranslator(settings), out,
                              clock=clock or (lambda: None))


def spec(index: int, text: str) -> Speculative:
    return Speculative(index, text, "en", float(index), index + 0.9)


def sentence(index: int, text: str) -> Sentence:
    return Sentence(index, float(index), index + 0.9, "en", text, committed_at=index + 1.0)


def sent(server: FakeServer) -> list[str]:
    return [r["messages"][-1]["content"] for r in server.requests]


def test_the_committed_sentence_adopts_the_request_in_flight() -> None:
    out = Collector()
    with FakeServer("ok", reply="我的美國同胞們") as server:
        server.first_piece_delay, server.piece_delay = 0.4, 0.05
        svc = make(server, out, clock=Clock())
        svc.speculate(spec(0, "And so, my fellow Americans"))
        assert wait_for(lambda: server.requests, 10, every=0.01)  # sent before the commit
        svc.submit(sentence(0, " And so,  my fellow Americans "))  # the same words
        assert svc.drain(20)
        counts = svc.counts
        svc.close()
    assert sent(server) == ["And so, my fellow Americans"]  # one request, not two
    final = out.final()[0]
    assert final.text == "我的美國同胞們" and not final.error
    assert (counts.requests, counts.speculative, counts.adopted, counts.wasted) == (1, 1, 1, 0)
    assert counts.tokens == 3  # the reply came in three pieces
    # the stream reached the line while it was still arriving, then the final text
    streamed = [u.text for u in out.updates if u.index == 0 and not u.done]
    assert streamed and streamed[-1] == "我的美國同胞們"
    assert final.first_token_at is not None and final.translated_at is not None
    assert final.first_token_at < final.translated_at


def test_an_answer_that_came_before_the_commit_is_used_at_once() -> None:
    out = Collector()
    with FakeServer("ok", reply="不要問") as server:
        svc = make(server, out, clock=Clock())
        svc.speculate(spec(0, "Ask not"))
        assert wait_for(lambda: svc.counts.requests == 1, 10, every=0.01)  # answered
        svc.submit(sentence(0, "Ask not"))
        assert wait_for(lambda: 0 in out.final(), 5, every=0.01)
        counts = svc.counts
        svc.close()
    assert (counts.adopted, counts.wasted) == (1, 0)  # done early is not wasted
    final = out.final()[0]
    assert final.text == "不要問" and len(server.requests) == 1
    # nothing streamed before the sentence existed: first text and final text came together
    assert final.first_token_at == final.translated_at is not None


def test_other_words_committed_cancel_the_guess_and_send_the_sentence() -> None:
    out = Collector()
    with FakeServer("ok", reply="翻譯") as server:
        server.first_piece_delay, server.piece_delay = 0.3, 0.3
        svc = make(server, out)
        svc.speculate(spec(0, "Ask not what your"))
        assert wait_for(lambda: server.requests, 10, every=0.01)
        svc.submit(sentence(0, "Ask not what your country can do for you."))
        assert svc.drain(20)
        counts = svc.counts
        svc.close()
    assert sent(server) == ["Ask not what your", "Ask not what your country can do for you."]
    assert out.final()[0].text == "翻譯"
    assert (counts.requests, counts.adopted, counts.wasted) == (2, 0, 1)


def test_a_newer_dip_replaces_the_older_guess() -> None:
    out = Collector()
    with FakeServer("ok", reply="一二三四五六七八九十") as server:
        server.first_piece_delay, server.piece_delay = 0.2, 0.2  # four pieces: 0.8 s
        svc = make(server, out)
        svc.speculate(spec(0, "Ask not"))
        assert wait_for(lambda: server.requests, 10, every=0.01)
        svc.speculate(spec(0, "Ask not what your country"))  # speech went on, dipped again
        assert wait_for(lambda: len(server.requests) == 2, 10, every=0.01)
        svc.submit(sentence(0, "Ask not what your country"))
        assert svc.drain(20)
        counts = svc.counts
        svc.close()
    assert sent(server) == ["Ask not", "Ask not what your country"]
    assert out.final()[0].text == "一二三四五六七八九十"
    assert (counts.speculative, counts.adopted, counts.wasted) == (2, 1, 1)
    assert counts.wasted_tokens < 4  # the first was cancelled before its answer was through


def test_no_guess_while_sentences_wait_for_a_worker() -> None:
    out = Collector()
    with FakeServer("slow", reply="慢") as server:
        server.delay = 0.6
        svc = make(server, out, max_in_flight=1)
        svc.submit(sentence(0, "First."))
        assert wait_for(lambda: server.requests, 10, every=0.01)  # the one worker is busy
        svc.speculate(spec(1, "Second"))
        svc.submit(sentence(1, "Second"))
        assert svc.drain(20)
        counts = svc.counts
        svc.close()
    assert (counts.speculative, counts.skipped) == (0, 1)
    assert sent(server) == ["First.", "Second"]
    assert [out.final()[i].text for i in (0, 1)] == ["慢", "慢"]


def test_a_guess_that_fails_sends_its_sentence_the_usual_way() -> None:
    out = Collector()
    with FakeServer("ok", reply="好") as server:
        server.failures_left = 2  # the guess and its one retry get HTTP 500
        svc = make(server, out)
        svc.speculate(spec(0, "Fine"))
        assert wait_for(lambda: server.requests, 10, every=0.01)
        svc.submit(sentence(0, "Fine"))
        assert svc.drain(20)
        svc.close()
    assert len(server.requests) == 3 and out.final()[0].text == "好"
    assert not out.final()[0].error


def test_at_dip_off_sends_only_committed_sentences() -> None:
    out = Collector()
    with FakeServer("ok") as server:
        svc = make(server, out, at_dip=False)
        svc.speculate(spec(0, "Hello"))
        svc.submit(sentence(0, "Hello"))
        assert svc.drain(20)
        counts = svc.counts
        svc.close()
    assert len(server.requests) == 1 and counts.speculative == 0
    assert out.final()[0].first_token_at is None  # no clock, no stamps


def test_cancel_pending_ends_an_adopted_guess_without_a_translation() -> None:
    out = Collector()
    with FakeServer("trickle", reply="慢") as server:
        server.delay = 0.3
        svc = make(server, out)
        svc.speculate(spec(0, "Slow"))
        assert wait_for(lambda: server.requests, 10, every=0.01)
        svc.submit(sentence(0, "Slow"))
        svc.cancel_pending()
        assert svc.drain(10)
        svc.close()
    final = out.final()[0]
    assert final.text == "" and not final.error and final.translated_at is None


def test_the_history_keeps_the_times(tmp_path: Path) -> None:
    writer = SessionWriter(tmp_path)
    writer.sentence(sentence(0, "Hello."))
    writer.translation(0, "你好。", first_token_at=1.25, translated_at=1.5)
    writer.close()
    (line,) = load(writer.path)
    assert (line.first_token_at, line.translated_at) == (1.25, 1.5)


def test_listen_replay_records_when_each_translation_was_shown(tmp_path: Path,
                                                               model_cache: Path) -> None:
    """The real model replays JFK at 1× through ``listen``; a paced server translates at the
    dip: every translated row of the .jsonl and of the history carries ``first_token_at`` and
    ``translated_at`` (after the sentence was spoken, not before its commit's first text), and
    the summary names the delays."""
    out = tmp_path / "jfk.jsonl"
    env = {**os.environ, "WHISPERTRANS_CACHE_DIR": str(model_cache),
           "WHISPERTRANS_DATA_DIR": str(tmp_path / "data")}
    path = settings_mod.save(settings_mod.replace(settings_mod.Settings(), "translation.at_dip",
                                                  True), tmp_path / "settings.json")
    with FakeServer("ok", reply="我的美國同胞們") as server:
        server.first_piece_delay, server.piece_delay = 0.15, 0.025
        result = subprocess.run(
            [sys.executable, "-m", "whispertrans_tray", "--ui-language", "en", "--settings",
             str(path), "listen", "--replay", str(DATA / "jfk.flac"),
             "--language", "en", "--translate", "--url", server.url, "--model", "test-model",
             "-o", str(out)], capture_output=True, text=True, env=env, timeout=300,
            check=False)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(rows) >= 2 and all(r["translation"] == "我的美國同胞們" for r in rows)
    for row in rows:
        assert row["end"] < row["first_token_at"] <= row["translated_at"], row
        assert row["translated_at"] - row["end"] < 10, row
    history = [json.loads(line) for path in (tmp_path / "data" / "history").glob("*.jsonl")
               for line in path.read_text("utf-8").splitlines()]
    stamped = [r for r in history if r["type"] == "translation"]
    assert len(stamped) == len(rows) and all("translated_at" in r for r in stamped)
    assert "translation done p50" in result.stderr, result.stderr
    # translation at the dip (set in the settings file): at most two requests a sentence
    assert len(server.requests) <= 2 * len(rows)
