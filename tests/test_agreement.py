import pytest

from whispertrans_tray.core.agreement import (
    LocalAgreement,
    common_prefix,
    normalize,
    overlap_with_committed,
    unread,
)
from whispertrans_tray.core.types import Word


def ws(text: str, start: float = 0.0) -> list[Word]:
    return [Word(start + i, start + i + 0.8, " " + t) for i, t in enumerate(text.split())]


@pytest.mark.parametrize(
    ("previous", "new", "expected"),
    [("ask not what", "ask not what your", 3),
     ("ask not", "Ask not,", 2),
     ("ask what", "ask not", 1),
     ("", "ask", 0),
     ("ask not what", "", 0)],
)
def test_common_prefix(previous: str, new: str, expected: int) -> None:
    assert common_prefix(ws(previous), ws(new)) == expected


@pytest.mark.parametrize(
    ("committed", "new", "expected"),
    [("so my fellow Americans", "Americans ask not", 1),
     ("so my fellow Americans", "fellow Americans ask", 2),
     ("ask not", "what your", 0),
     ("a b c d e f g", "c d e f g h", 5)],
)
def test_overlap_with_committed(committed: str, new: str, expected: int) -> None:
    assert overlap_with_committed(ws(committed), ws(new)) == expected


def test_normalize_ignores_case_and_punctuation() -> None:
    assert normalize(" Country.") == normalize("country")
    assert normalize("...") == "..."


def test_local_agreement_commits_what_two_hypotheses_share() -> None:
    la = LocalAgreement()
    la.insert(ws("and so my"))
    assert la.flush() == []
    la.insert(ws("and so my fellow"))
    assert [w.text for w in la.flush()] == [" and", " so", " my"]
    assert [w.text for w in la.tail] == [" fellow"]
    # a repeated, already committed word at the start of a trimmed window is not committed again
    la.insert([Word(2.0, 2.8, " my"), Word(3.0, 3.8, " fellow"), Word(4.0, 4.8, " Americans")])
    assert [w.text for w in la.flush()] == [" fellow"]
    la.insert([Word(3.0, 3.8, " fellow"), Word(4.0, 4.8, " Americans,"), Word(5, 5.5, " ask")])
    assert [w.text for w in la.commit_all()] == [" Americans,", " ask"]
    assert la.last_committed_time == 5.5


def test_a_loop_two_short_windows_share_is_left_to_the_final() -> None:
    # Whisper base on 2.5 s and 3.5 s of "20th century research has shown…" (FLEURS en 007).
    la = LocalAgreement()
    la.insert(ws("20th 20th 20 20"))
    assert la.flush() == []
    la.insert(ws("20th 20th 20"))
    assert [w.text for w in la.flush()] == [" 20th"]
    la.insert(ws("20th century research has"))
    assert [w.text for w in la.flush()] == []
    la.insert(ws("20th century research has shown"))
    assert [w.text for w in la.flush()] == [" century", " research", " has"]


def test_a_word_said_twice_waits_for_the_final_but_is_not_lost() -> None:
    la = LocalAgreement()
    la.insert(ws("no no I"))
    assert la.flush() == []
    la.insert(ws("no no I said"))
    assert [w.text for w in la.flush()] == [" no"]
    la.insert(ws("no no I said it"))
    assert la.flush() == []  # the repeat still stops agreement
    la.insert(ws("no no I said it"))  # the sentence's final
    assert [w.text for w in la.commit_all()] == [" no", " I", " said", " it"]


def test_chinese_characters_said_twice_are_ordinary_words() -> None:
    la = LocalAgreement()
    words = [Word(0.2 * i, 0.2 * i + 0.2, ch) for i, ch in enumerate("謝謝你")]
    la.insert(words[:2])
    assert la.flush() == []
    la.insert(words)
    assert [w.text for w in la.flush()] == ["謝", "謝"]


def test_rough_times_keep_a_new_word_timed_before_the_commit() -> None:
    # A server's segment spread over the window: "What" timed inside the committed "ask not"
    # (tests/test_asr_wrong_kind.py, JFK, segment times only).
    la = LocalAgreement()
    committed = [Word(3.6, 4.1, " ask"), Word(4.1, 4.55, " not")]
    la.insert(committed)
    la.commit_all()
    hypothesis = [Word(3.5, 4.2, " What"), Word(4.2, 4.9, " your"), Word(4.9, 6.1, " country")]
    la.insert(hypothesis)  # word times of its own: the time filter stands
    assert la.flush() == [] and [w.text for w in la.tail] == [" your", " country"]
    la.insert(hypothesis, rough=True, recent=committed)
    assert la.flush() == [] and [w.text for w in la.tail] == [" What", " your", " country"]
    la.insert(hypothesis, rough=True, recent=committed)
    assert [w.text for w in la.flush()] == [" What", " your", " country"]


@pytest.mark.parametrize(("recent", "earlier", "expected"), [
    ("so my fellow Americans ask not", "What", 0),
    ("so my fellow Americans ask not", "not What", 1),
    ("ask not What your country can do for you", "What your country can do for you ask", 7),
    ("ask not What your country", "ask knot", 1),  # misheard: only what follows a match
    ("", "What", 0),
])
def test_unread(recent: str, earlier: str, expected: int) -> None:
    assert unread(ws(recent), ws(earlier)) == expected
