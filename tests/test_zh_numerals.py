"""Numbers in Arabic digits read as Chinese characters, for scoring Mandarin (bench_accuracy)."""

from __future__ import annotations

import pytest

from benchmarks.zh_numerals import cardinal, digit_by_digit, read_numbers
from tests.textnorm import cer


@pytest.mark.parametrize(("number", "said"), [
    (0, "零"), (7, "七"), (10, "十"), (12, "十二"), (20, "二十"), (92, "九十二"), (105, "一百零五"),
    (110, "一百一十"), (2400, "二千四百"), (1001, "一千零一"), (10500, "一万零五百"),
    (100000, "十万"), (120000, "十二万"), (1000001, "一百万零一"), (200000000, "二亿"),
    (10020003, "一千零二万零三"),
])
def test_cardinal(number: int, said: str) -> None:
    assert cardinal(number) == said


def test_digit_by_digit() -> None:
    assert digit_by_digit("2015") == "二零一五"


@pytest.mark.parametrize(("text", "reference", "read"), [
    ("于1991年加盟美的集团", "于一九九一年加盟美的集团", "于一九九一年加盟美的集团"),
    ("营业额约92.73亿港元", "营业额约九十二点七三亿港元", "营业额约九十二点七三亿港元"),
    ("增长5%", "增长百分之五", "增长百分之五"),
    ("罚款2400元", "被餐厅罚款二四零零元", "罚款二四零零元"),
    ("罚款2400元", "罚款二千四百元", "罚款二千四百元"),
    ("罚款2400元", "罚款两千四百元", "罚款两千四百元"),
    ("共1,000人", "共一千人", "共一千人"),
    ("没有数字", "没有数字", "没有数字"),
    ("１９９１年", "一九九一年", "一九九一年"),  # full-width digits
])
def test_read_numbers(text: str, reference: str, read: str) -> None:
    assert read_numbers(text, reference, cer) == read


def test_numbers_read_count_the_words_not_the_digits() -> None:
    reference = "二零一五年六月七日"
    assert cer(reference, "2015年6月7日") > 0.5
    assert cer(reference, read_numbers("2015年6月7日", reference, cer)) == 0.0
    # a wrong number is still wrong
    assert cer(reference, read_numbers("2016年6月7日", reference, cer)) > 0.0


def test_bench_accuracy_scores_mandarin_with_and_without_numbers_read() -> None:
    from benchmarks.bench_accuracy import mandarin, pooled

    reference = "于一九九一年加盟美的集团"
    text = "於 1991 年加盟美的集團。"  # Traditional, spaced, punctuated: as the live path writes
    assert mandarin(reference, text, numerals=False) == "于1991年加盟美的集团"
    assert mandarin(reference, text, numerals=True) == reference
    assert pooled([reference], [text], chinese=True) == pytest.approx(4 / 12)
    assert pooled([reference], [text], chinese=True, numerals=True) == 0.0
