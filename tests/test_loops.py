"""Repetition loops in draft decodes: cut pure, and kept out of partials and commits."""

from __future__ import annotations

import numpy as np

from tests.test_recognizer_window import AlwaysSpeech, ScriptedTranscriber
from whispertrans_tray.core.loops import cut_loop
from whispertrans_tray.core.recognizer import RecognizerConfig, StreamingRecognizer
from whispertrans_tray.core.types import SAMPLE_RATE, Partial, Sentence, Word


def words(text: str, start: float = 0.0, step: float = 0.3) -> list[Word]:
    return [Word(start + i * step, start + (i + 1) * step, " " + t)
            for i, t in enumerate(text.split())]


def texts(ws: list[Word]) -> str:
    return "".join(w.text for w in ws).strip()


def test_a_loop_keeps_its_first_pass_only() -> None:
    said = words("ask not what your country can do for you ask what you ask what you "
                 "ask what you ask what you")
    # the loop's phase is ambiguous ("you ask what" repeats from the "you" of "for you"):
    # it is cut after its first pass from where the repetition begins
    assert texts(cut_loop(said)) == "ask not what your country can do for you ask what"


def test_case_and_punctuation_do_not_hide_a_loop() -> None:
    assert texts(cut_loop(words("Thank you. thank you, Thank you."))) == "Thank you."


def test_speech_that_repeats_is_kept() -> None:
    for text in ("no no no", "we will fight we will fight", "哈 哈 哈 哈",
                 "ask not what your country can do for you ask what you can do"):
        assert texts(cut_loop(words(text))) == text
    assert texts(cut_loop(words("no no no no no no"))) == "no"
    assert cut_loop([]) == []


def test_a_looping_draft_is_neither_shown_nor_committed() -> None:
    """Every draft decode loops after the real words: the partial line shows the real words
    once and no committed sentence carries the loop."""
    loop = [(0.0, 0.4, " Ask"), (0.4, 0.8, " what"), (0.8, 1.2, " you")]
    loop += [(1.2 + 0.4 * i, 1.6 + 0.4 * i, t) for i, t in
             enumerate([" ask", " what", " you"] * 6)]
    transcriber = ScriptedTranscriber([loop])
    config = RecognizerConfig(language="en", partial_interval_s=1.0)
    recognizer = StreamingRecognizer(transcriber, AlwaysSpeech(), config)
    audio = np.zeros(int(12 * SAMPLE_RATE), dtype=np.float32)
    events = []
    for i in range(0, audio.size, SAMPLE_RATE // 2):
        events.extend(recognizer.feed(audio[i:i + SAMPLE_RATE // 2]))
    partials = [e.text for e in events if isinstance(e, Partial) and e.text]
    assert partials, events
    assert all(p.lower().count("ask what you ask what you ask") == 0 for p in partials), partials
    committed = " ".join(e.text for e in events if isinstance(e, Sentence)).lower()
    assert committed.count("ask what you") <= 1, committed
