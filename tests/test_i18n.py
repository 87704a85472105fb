import string

import pytest

from whispertrans_tray.i18n import MESSAGES, Phrase, normalize_ui_language, tr


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_fields(key: str) -> None:
    entry = MESSAGES[key]
    assert set(entry) == {"zh-TW", "en"}
    fields = [{f for _, f, _, _ in string.Formatter().parse(text) if f} for text in
              entry.values()]
    assert fields[0] == fields[1]


def test_tr_formats_and_falls_back_to_english() -> None:
    assert tr("conn.ok", "zh-TW", model="m", ttft_ms=300, tps=120).startswith("✓ 連線成功！")
    assert tr("status.idle", "fr") == "Idle"


def test_a_cause_is_told_in_the_language_of_its_message() -> None:
    refused = Phrase.of("cause.refused")
    zh = tr("translate.unreachable", "zh-TW", host="192.168.1.20", detail=refused)
    en = tr("translate.unreachable", "en", host="192.168.1.20", detail=refused)
    assert "192.168.1.20 上的翻譯伺服器：連線被拒" in zh
    assert "at 192.168.1.20: the connection was refused" in en
    assert "Phrase(" not in zh + en


@pytest.mark.parametrize(("value", "expected"), [("zh_TW.UTF-8", "zh-TW"), ("zh-Hant", "zh-TW"),
                                                 ("en_US", "en"), ("ja_JP", "zh-TW")])
def test_normalize(value: str, expected: str) -> None:
    assert normalize_ui_language(value) == expected
