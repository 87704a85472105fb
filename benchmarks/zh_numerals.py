"""Numbers written with Arabic digits, read as Chinese characters: for scoring Mandarin against
references that spell them out (AISHELL-1: 一九九一年, 九十二点七三亿, 百分之五).

Whisper writes "1991年", "92.73亿", "5%"; counted character by character against the
reference, each such number is several errors although the words are right. A number can be
read more than one way (一九九一 digit by digit, a year or a code; 一千九百九十一 as
a quantity; 两千 or 二千):
:func:`read_numbers` takes, number by number, the reading that is closer to the reference, so
the score counts the words, not how they were written. bench_accuracy reports the error rate
both with and without it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

DIGITS = "零一二三四五六七八九"
NUMBER = re.compile(r"(\d[\d,]*)(?:\.(\d+))?(%?)")


def digit_by_digit(digits: str) -> str:
    """``"2015"`` → 二零一五."""
    return "".join(DIGITS[int(d)] for d in digits)


def _below_10000(n: int) -> str:
    out = ""
    zero = False
    for position, digit in zip((3, 2, 1, 0), f"{n:04d}"):
        if digit == "0":
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[int(digit)] + ("", "十", "百", "千")[position]
    return out


def cardinal(n: int) -> str:
    """``92`` → 九十二, ``10500`` → 一万零五百, ``12`` → 十二 (as a quantity is said)."""
    if n == 0:
        return "零"
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > 4:
        return digit_by_digit("".join(f"{g:04d}" for g in reversed(groups)).lstrip("0"))
    out = ""
    gap = False
    for index in reversed(range(len(groups))):
        group = groups[index]
        if group == 0:
            gap = bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _below_10000(group) + ("", "万", "亿", "万亿")[index]
        gap = False
    return out[1:] if out.startswith("一十") else out


def readings(match: re.Match[str]) -> list[str]:
    """The ways the number ``match`` is read aloud."""
    whole, fraction, percent = match.group(1).replace(",", ""), match.group(2), match.group(3)
    tail = "点" + digit_by_digit(fraction) if fraction else ""
    said = cardinal(int(whole))
    options = [said + tail]
    if said[:1] == "二" and said[1:2] in ("百", "千", "万", "亿"):
        options.append("两" + said[1:] + tail)  # 两千 as often as 二千
    if len(whole) > 1:
        options.append(digit_by_digit(whole) + tail)
    return ["百分之" + o for o in options] if percent else options


def read_numbers(text: str, reference: str, distance: Callable[[str, str], float]) -> str:
    """``text`` with each number in Arabic digits replaced by the reading of it that makes
    ``distance(reference, text)`` smallest (numbers taken left to right)."""
    while match := NUMBER.search(text):
        options = [text[:match.start()] + r + text[match.end():] for r in readings(match)]
        text = min(options, key=lambda option: distance(reference, option))
    return text
