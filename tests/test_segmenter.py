import pytest
from hypothesis import given
from hypothesis import strategies as st

from whispertrans_tray.core.segmenter import (
    SentenceSegmenter,
    display_width,
    ends_sentence,
    join_words,
    split_point,
    unspaced,
)
from whispertrans_tray.core.types import Word


def ws(*texts: str) -> list[Word]:
    return [Word(float(i), float(i) + 0.5, t) for i, t in enumerate(texts)]


@pytest.mark.parametrize(
    ("word", "expected"),
    [(" country.", True), (" you?", True), (" now!", True), ("嗎？", True), ("了。", True),
     (' it."', True), ("」。", True), (" Mr.", False), (" e.g.", False), (" and", False),
     (" 3.5", False), ("，", False), ("", False)],
)
def test_ends_sentence(word: str, expected: bool) -> None:
    assert ends_sentence(word) is expected


def test_display_width_counts_cjk_double() -> None:
    assert display_width("abc") == 3
    assert display_width("中文") == 4


def test_sentences_end_at_punctuation() -> None:
    seg = SentenceSegmenter()
    done = seg.add(ws(" Hello,", " how", " are", " you", " today?", " Fine"), "en")
    assert [d.text for d in done] == ["Hello, how are you today?"]
    assert seg.pending_text == "Fine"
    assert [d.text for d in seg.flush()] == ["Fine"]
    assert seg.flush() == []


def test_chinese_words_join_without_spaces() -> None:
    seg = SentenceSegmenter()
    done = seg.add(ws("今天", "天氣", "很好", "，", "我們", "去", "公園", "走走", "吧。"), "zh")
    assert [d.text for d in done] == ["今天天氣很好，我們去公園走走吧。"]


def test_language_change_closes_the_sentence() -> None:
    seg = SentenceSegmenter()
    assert seg.add(ws(" the", " software"), "en") == []
    done = seg.add(ws(" Jeden,"), "de")
    assert [(d.text, d.language) for d in done] == [("the software", "en")]


def test_long_sentence_is_split_after_a_comma() -> None:
    seg = SentenceSegmenter(max_width=40)
    words = ws(" one", " two", " three", " four,", " five", " six", " seven", " eight",
               " nine", " ten", " eleven")
    done = seg.add(words, "en")
    assert [d.text for d in done] == ["one two three four,"]
    assert all(display_width(d.text) <= 40 for d in done)


@pytest.mark.parametrize(
    ("texts", "width", "cut"),
    [((" aaaa,", " bbbb", " cccc"), 12, 1),  # head "aaaa," is 5 >= 12 // 3
     ((" a,", " bbbbbbbb", " cc"), 12, 2),  # head "a," is too short: cut before the last word
     ((" x",), 5, 1)],
)
def test_split_point(texts: tuple[str, ...], width: int, cut: int) -> None:
    assert split_point(ws(*texts), width) == cut


def test_chinese_words_join_without_the_spaces_whisper_left_at_boundaries() -> None:
    """Streamed Mandarin showed 「與 1991 年加盟 美麗機團」: a word decoded at a window's start
    carries a leading space; between two Han characters it is dropped, next to digits or
    Latin letters it stays (mixed text keeps Whisper's spacing)."""
    assert join_words(ws("與", " 1991", " 年", "加盟", " 美麗", "機團")) == "與 1991 年加盟美麗機團"
    assert join_words(ws("你好", "，", " 世界", "。")) == "你好，世界。"
    assert join_words(ws("告訴", " sons", " 第一")) == "告訴 sons 第一"
    assert join_words(ws("こんにちは", " 世界")) == "こんにちは世界"
    assert join_words(ws("안녕하세요", " 세계")) == "안녕하세요 세계"  # Hangul keeps spaces


latin = st.text(alphabet=st.characters(max_codepoint=0x24F, blacklist_categories=("Cs",)),
                max_size=8)


@given(st.lists(latin, max_size=12))
def test_text_outside_unspaced_scripts_joins_as_before(texts: list[str]) -> None:
    assert join_words(ws(*texts)) == "".join(texts).strip()


cjk = st.text(alphabet=st.sampled_from("我們今天美的集團。，「」かなカナ１２"),
              min_size=1, max_size=4)


@given(st.lists(st.tuples(st.booleans(), cjk), min_size=1, max_size=12))
def test_no_space_is_left_between_two_chinese_characters(parts: list[tuple[bool, str]]) -> None:
    text = join_words(ws(*((" " if spaced else "") + part for spaced, part in parts)))
    assert text == "".join(part for _, part in parts)
    assert all(unspaced(c) for c in text)
