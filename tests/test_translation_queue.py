"""The translation queue: pure batching, bounding and supersede rules (no threads, no I/O)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whispertrans_tray.core.translation_queue import (
    Job,
    TranslationQueue,
    split_batch,
    split_partial,
)
from whispertrans_tray.core.types import Sentence


def s(i: int, text: str = "", lang: str = "en") -> Sentence:
    return Sentence(i, float(i), i + 0.9, lang, text or f"Sentence {i}.")


def to_chinese_unless_chinese(sentence: Sentence) -> str:
    return "English" if sentence.language == "zh" else "繁體中文"


def drain(q: TranslationQueue) -> list[tuple[list[int], str]]:
    jobs = []
    while (job := q.take()) is not None:
        jobs.append(([x.index for x in job.sentences], job.target))
    return jobs


def test_one_waiting_sentence_goes_alone() -> None:
    q = TranslationQueue(to_chinese_unless_chinese)
    q.push(s(0))
    job = q.take()
    assert job is not None and not job.batched and job.text == "Sentence 0."
    assert q.take() is None and len(q) == 0


def test_waiting_sentences_with_the_same_target_share_a_request() -> None:
    q = TranslationQueue(to_chinese_unless_chinese, max_batch=3)
    for sentence in [s(0), s(1), s(2, "今天。", "zh"), s(3), s(4), s(5), s(6)]:
        q.push(sentence)
    assert drain(q) == [([0, 1], "繁體中文"), ([2], "English"), ([3, 4, 5], "繁體中文"),
                        ([6], "繁體中文")]


def test_batches_are_bounded_by_characters_but_a_long_sentence_still_goes() -> None:
    q = TranslationQueue(to_chinese_unless_chinese, max_batch=10, max_chars=25)
    for sentence in [s(0, "x" * 40), s(1, "a" * 10), s(2, "b" * 10), s(3, "c" * 10)]:
        q.push(sentence)
    assert [ids for ids, _ in drain(q)] == [[0], [1, 2], [3]]


def test_the_queue_is_bounded_and_gives_up_the_oldest() -> None:
    q = TranslationQueue(to_chinese_unless_chinese, capacity=3)
    given_up = [x.index for i in range(5) for x in q.push(s(i))]
    assert given_up == [0, 1] and len(q) == 3
    assert [ids for ids, _ in drain(q)] == [[2, 3, 4]]


@given(st.lists(st.sampled_from(["en", "zh", "ja"]), max_size=40),
       st.integers(min_value=1, max_value=6), st.integers(min_value=1, max_value=50))
def test_nothing_is_lost_or_reordered(langs: list[str], max_batch: int, capacity: int) -> None:
    q = TranslationQueue(to_chinese_unless_chinese, max_batch=max_batch, capacity=capacity)
    given_up: list[int] = []
    for i, lang in enumerate(langs):
        given_up += [x.index for x in q.push(s(i, lang=lang))]
    jobs = drain(q)
    sent = [i for ids, _ in jobs for i in ids]
    assert sorted(given_up + sent) == list(range(len(langs)))  # each exactly once
    assert sent == sorted(sent) and given_up == sorted(given_up)
    for ids, target in jobs:
        assert 1 <= len(ids) <= max_batch
        assert {to_chinese_unless_chinese(s(i, lang=langs[i])) for i in ids} == {target}


def test_supersede_hands_back_the_waiting_and_makes_the_job_in_flight_stale() -> None:
    q = TranslationQueue(to_chinese_unless_chinese, max_batch=1)
    for i in range(3):
        q.push(s(i))
    in_flight = q.take()
    assert in_flight is not None and q.is_current(in_flight)
    assert [x.index for x in q.supersede()] == [1, 2]
    assert not q.is_current(in_flight) and len(q) == 0
    q.push(s(3))
    fresh = q.take()
    assert fresh is not None and q.is_current(fresh) and fresh.generation == 1


def test_job_text_numbers_a_batch() -> None:
    assert Job((s(0, "Hi."),), "x").text == "Hi."
    assert Job((s(0, "Hi."), s(1, "Bye.")), "x").text == "1. Hi.\n2. Bye."


@pytest.mark.parametrize(
    ("answer", "count", "expected"),
    [("1. 你好。\n2. 再見。", 2, ["你好。", "再見。"]),
     ("1) 你好\n\n2) 再見\n", 2, ["你好", "再見"]),
     ("1、你好\n2：再見", 2, ["你好", "再見"]),
     ("2. 再見。\n1. 你好。", 2, ["你好。", "再見。"]),
     ("1. 你好。\n2. 再見。\n3. 多的。", 2, ["你好。", "再見。"]),
     ("1. 你好。\n2.", 2, None),
     ("1. 你好。", 2, None),
     ("你好。再見。", 2, None)],
)
def test_split_batch(answer: str, count: int, expected: list[str] | None) -> None:
    assert split_batch(answer, count) == expected


def test_split_partial_shows_lines_as_they_stream() -> None:
    answer = "1. 你好。\n2. 再見。\n3. 今"
    assert split_partial(answer[:5], 3) == {1: "你好"}
    assert split_partial(answer, 3) == {1: "你好。", 2: "再見。", 3: "今"}
    assert split_partial("1. a\n1. b\n9. c", 3) == {1: "a"}


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError):
        TranslationQueue(to_chinese_unless_chinese, max_batch=0)
