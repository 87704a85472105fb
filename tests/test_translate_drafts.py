"""Drafts of the open line (``translation.drafts``) against real HTTP servers on loopback: sent
once the line is steady, adopted by the sentence that commits with its text (one request),
replaced by a newer one, never sent with drafts off or while committed sentences wait."""

from __future__ import annotations

import threading
import time

from tests.app_harness import wait_for
from tests.servers.fake_openai import FakeServer
from tests.test_translate_at_dip import Clock, Collector, sent, sentence
from whispertrans_tray.app.translation_service import TranslationService
from whispertrans_tray.core.drafts import GAP_S, STEADY_S
from whispertrans_tray.core.types import Partial, Speculative
from whispertrans_tray.providers.translate_openai import OpenAITranslator
from whispertrans_tray.settings import TranslationSettings


class Drafts:
    def __init__(self) -> None:
        self.got: list[tuple[int, str, float]] = []
        self.lock = threading.Lock()

    def __call__(self, index: int, text: str) -> None:
        with self.lock:
            self.got.append((index, text, time.monotonic()))


def make(server: FakeServer, out: Collector, drafts: Drafts, on: bool = True,
         max_in_flight: int = 2, at_dip: bool = False) -> TranslationService:
    settings = TranslationSettings(url=server.url, model="test-model", timeout_s=5.0,
                                   drafts=on, max_in_flight=max_in_flight,
                                   context_sentences=0, at_dip=at_dip)
    return TranslationService(settings, OpenAITranslator(settings), out, clock=Clock(),
                              on_draft=drafts)


def test_a_steady_line_is_drafted_and_its_sentence_adopts_the_draft() -> None:
    out, drafts = Collector(), Drafts()
    with FakeServer("ok", reply="不要問") as server:
        svc = make(server, out, drafts)
        offered = time.monotonic()
        svc.draft(Partial("Ask not what", "Ask"))
        assert wait_for(lambda: drafts.got, 10, every=0.01)
        index, text, at = drafts.got[0]
        assert (index, text) == (0, "不要問")
        assert at - offered >= GAP_S  # not before the line was steady, 2 s after it began
        assert not out.updates  # a draft is no sentence's translation
        svc.submit(sentence(0, "Ask  not what"))  # the same words commit
        assert wait_for(lambda: 0 in out.final(), 5, every=0.01)
        counts = svc.counts
        svc.close()
    assert sent(server) == ["Ask not what"]  # one request for the draft and the sentence
    assert out.final()[0].text == "不要問" and out.final()[0].translated_at is not None
    assert (counts.drafts, counts.drafts_sent, counts.drafts_adopted, counts.drafts_wasted) \
        == (1, 1, 1, 0)
    assert counts.requests == 1


def test_a_line_that_keeps_changing_is_drafted_only_once_steady() -> None:
    out, drafts = Collector(), Drafts()
    with FakeServer("ok", reply="草稿") as server:
        svc = make(server, out, drafts)
        for words in ("Ask", "Ask not", "Ask not what", "Ask not what your"):
            svc.draft(Partial(words))  # each one replaced before its moment
            time.sleep(STEADY_S / 2)
        assert not server.requests  # none steady yet (nor 2 s old)
        assert wait_for(lambda: drafts.got, 10, every=0.01)
        svc.draft(Partial("Ask not what your"))  # the same line again: not asked twice
        svc.submit(sentence(0, "Ask not what your country can do for you."))
        assert svc.drain(20)
        counts = svc.counts
        svc.close()
    assert sent(server) == ["Ask not what your", "Ask not what your country can do for you."]
    assert (counts.drafts, counts.drafts_sent, counts.drafts_adopted, counts.drafts_wasted) \
        == (4, 1, 0, 1)


def test_a_newer_draft_cancels_the_older_request_in_flight() -> None:
    out, drafts = Collector(), Drafts()
    with FakeServer("ok", reply="一二三四五六七八九十") as server:
        server.first_piece_delay, server.piece_delay = 0.3, GAP_S / 3  # longer than GAP_S
        svc = make(server, out, drafts)
        svc.draft(Partial("Ask not"))
        assert wait_for(lambda: server.requests, 10, every=0.01)
        sent_at = time.monotonic()
        svc.draft(Partial("Ask not what your country"))
        assert wait_for(lambda: len(server.requests) == 2, 10, every=0.01)
        assert time.monotonic() - sent_at >= GAP_S - 0.05  # its moment came, not before
        assert wait_for(lambda: drafts.got, 15, every=0.01)
        svc.submit(sentence(0, "Ask not what your country"))
        assert svc.drain(20)
        counts = svc.counts
        svc.close()
    assert sent(server) == ["Ask not", "Ask not what your country"]
    assert [d[1] for d in drafts.got] == ["一二三四五六七八九十"]  # the older never showed
    assert (counts.drafts_sent, counts.drafts_adopted, counts.drafts_wasted) == (2, 1, 1)
    assert counts.wasted_tokens < 4


def test_drafts_off_never_sends_a_draft() -> None:
    out, drafts = Collector(), Drafts()
    with FakeServer("ok", reply="好") as server:
        svc = make(server, out, drafts, on=False)
        svc.draft(Partial("Fine thanks"))
        time.sleep(STEADY_S + 0.5)
        svc.submit(sentence(0, "Fine thanks"))
        assert svc.drain(20)
        counts = svc.counts
        svc.close()
    assert sent(server) == ["Fine thanks"] and not drafts.got
    assert counts.drafts == counts.drafts_sent == 0


def test_no_draft_while_committed_sentences_wait() -> None:
    out, drafts = Collector(), Drafts()
    with FakeServer("slow", reply="慢") as server:
        server.delay = STEADY_S + 0.8
        svc = make(server, out, drafts, max_in_flight=1)
        svc.submit(sentence(0, "First."))
        assert wait_for(lambda: server.requests, 10, every=0.01)  # the one worker is busy
        svc.draft(Partial("Second one"))
        assert svc.drain(20)
        counts = svc.counts
        svc.close()
    assert sent(server) == ["First."] and not drafts.got
    assert (counts.drafts, counts.skipped) == (0, 1)


def test_a_forecast_at_the_dip_goes_first_and_a_stale_one_gives_way() -> None:
    out, drafts = Collector(), Drafts()
    with FakeServer("ok", reply="預測") as server:
        server.first_piece_delay = GAP_S + 1.0  # the forecast is still on its way
        svc = make(server, out, drafts, at_dip=True)
        svc.speculate(Speculative(0, "Ask not", "en", 0.0, 0.9))
        assert wait_for(lambda: server.requests, 10, every=0.01)
        svc.draft(Partial("Ask not what"))  # speech went on: not while the forecast flies
        time.sleep(GAP_S + 0.5)
        assert sent(server) == ["Ask not"]
        assert wait_for(lambda: svc.counts.requests == 1, 10, every=0.01)  # answered
        server.first_piece_delay = 0.0
        svc.draft(Partial("Ask not what your"))  # the answered forecast is out of date
        assert wait_for(lambda: drafts.got, GAP_S + 10, every=0.01)
        svc.submit(sentence(0, "Ask not what your"))
        assert svc.drain(20)
        counts = svc.counts
        svc.close()
    assert sent(server) == ["Ask not", "Ask not what your"]
    assert (counts.speculative, counts.wasted, counts.drafts_sent, counts.drafts_adopted) \
        == (1, 1, 1, 1)
    assert out.final()[0].text == "預測"
