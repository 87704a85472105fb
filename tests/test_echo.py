"""The echo filter (core/echo.py): the microphone's copy of what the speakers played is
dropped, what the user said is kept, and a held sentence is never lost."""

from __future__ import annotations

from whispertrans_tray.core.echo import EchoFilter, covered, tokens
from whispertrans_tray.core.types import Partial, Sentence


class Other:
    """The other side's progress, as the live loop reports it."""

    def __init__(self) -> None:
        self.time = 0.0
        self.talking = False


def sentence(speaker: str, start: float, end: float, text: str) -> Sentence:
    return Sentence(0, start, end, "en", text, end + 0.5, speaker)


def make() -> tuple[EchoFilter, Other]:
    other = Other()
    return EchoFilter("Me", "Them", lambda: other.time, lambda: other.talking), other


def test_tokens_split_words_and_chinese_characters() -> None:
    assert tokens("Ask not, what YOUR country…") == ["ask", "not", "what", "your", "country"]
    assert tokens("我說：你好 OK") == ["我", "說", "你", "好", "ok"]
    assert covered("ask not what", ["Ask not what your country"]) == 1.0
    assert covered("ask ask", ["ask"]) == 0.5  # each heard word counts once


def test_the_echo_of_their_sentence_is_dropped() -> None:
    echo, other = make()
    them = sentence("Them", 1.0, 4.0, "Ask not what your country can do for you.")
    other.time = 4.5
    assert echo.add(them) == [them]
    mine = sentence("Me", 1.3, 4.2, "ask not what your country can do for you")
    assert echo.add(mine) == []  # held: the other side was not heard past it yet
    other.time = 5.5
    assert echo.tick() == []
    assert echo.dropped == [mine]


def test_what_the_user_said_is_kept() -> None:
    echo, other = make()
    other.time = 9.0
    echo.add(sentence("Them", 1.0, 4.0, "Ask not what your country can do for you."))
    mine = sentence("Me", 5.0, 8.0, "It was the first great sorrow of his life.")
    assert echo.add(mine) == [mine]
    over = sentence("Me", 1.5, 4.5, "I think we should ask the country about the budget")
    assert echo.add(over) == [over]  # said over the playback: most words are the user's
    assert echo.dropped == []


def test_a_held_sentence_waits_for_the_other_side_then_goes() -> None:
    echo, other = make()
    mine = sentence("Me", 1.0, 3.0, "Hello there.")
    other.time, other.talking = 3.5, True
    assert echo.add(mine) == []
    other.time = 4.5
    assert echo.tick() == []  # the other side is in an utterance that may hold the copy
    other.time = 11.5
    assert echo.tick() == [mine]  # never held past max_hold_s
    late = sentence("Me", 12.0, 13.0, "Bye.")
    assert echo.add(late) == []
    assert echo.flush() == [late]  # the end of the stream releases everything


def test_partials_and_their_sentences_pass_at_once() -> None:
    echo, _ = make()
    partial = Partial("ask not", speaker="Me")
    assert echo.add(partial) == [partial]
    them = sentence("Them", 0.0, 1.0, "Hi.")
    assert echo.add(them) == [them]
