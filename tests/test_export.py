import json
from pathlib import Path

import pytest
import srt
import webvtt

from whispertrans_tray.app import export
from whispertrans_tray.core.subtitles import Line, SubtitleModel
from whispertrans_tray.core.types import Partial, Sentence
from whispertrans_tray.errors import OutputError


def session() -> SubtitleModel:
    model = SubtitleModel()
    model.apply(Sentence(0, 0.5, 2.0, "en", "Hello, how are you today?"), translating=True)
    model.apply(Partial("今天天氣", "今天"))
    model.apply(Sentence(1, 1.9, 4.25, "zh", "今天天氣很好，我們去公園走走吧。"), translating=True)
    model.apply_translation(0, "你好，你今天好嗎？", done=True)
    model.apply_translation(1, "", done=True, error="server down")
    return model


def test_subtitle_model_keeps_failed_lines() -> None:
    model = session()
    assert [line.status for line in model.lines] == ["done", "failed"]
    assert model.partial == "今天天氣"
    assert model.visible()[-1].sentence.text.startswith("今天")


def test_srt_is_bilingual_and_parses(tmp_path: Path) -> None:
    out = tmp_path / "s.srt"
    export.write(session().lines, out)
    subs = list(srt.parse(out.read_text(encoding="utf-8")))
    assert [s.content for s in subs] == ["Hello, how are you today?\n你好，你今天好嗎？",
                                         "今天天氣很好，我們去公園走走吧。"]
    assert subs[0].start.total_seconds() == 0.5
    assert subs[0].end <= subs[1].start  # cues never overlap


def test_vtt_parses(tmp_path: Path) -> None:
    out = tmp_path / "s.vtt"
    export.write(session().lines, out)
    cues = webvtt.read(str(out))
    assert cues[0].text == "Hello, how are you today?\n你好，你今天好嗎？"
    assert cues[1].end == "00:00:04.250"


def test_jsonl_and_txt(tmp_path: Path) -> None:
    export.write(session().lines, tmp_path / "s.jsonl")
    rows = [json.loads(x) for x in (tmp_path / "s.jsonl").read_text("utf-8").splitlines()]
    assert rows[0] == {"start": 0.5, "end": 2.0, "language": "en",
                       "text": "Hello, how are you today?", "translation": "你好，你今天好嗎？"}
    assert rows[1]["translation"] is None and rows[1]["translation_error"] == "server down"
    export.write(session().lines, tmp_path / "s.txt")
    assert (tmp_path / "s.txt").read_text("utf-8").splitlines()[1] == "你好，你今天好嗎？"


def test_unknown_format() -> None:
    with pytest.raises(OutputError) as info:
        export.check_format(Path("x.docx"))
    assert ".docx" in info.value.message("en")


def test_empty_session_writes_valid_files(tmp_path: Path) -> None:
    lines: list[Line] = []
    export.write(lines, tmp_path / "e.vtt")
    assert len(webvtt.read(str(tmp_path / "e.vtt"))) == 0


def call() -> SubtitleModel:
    """Both sides of a call: the other side translated, your own side transcribed only."""
    model = SubtitleModel()
    model.apply(Sentence(0, 0.5, 2.0, "en", "Can you hear me?", 2.6, "Them"), translating=True)
    model.apply(Partial("Yes", speaker="Me"))
    model.apply(Partial("And", speaker="Them"))
    model.apply(Sentence(1, 2.5, 3.5, "en", "Yes, loud and clear.", 4.0, "Me"))
    model.apply_translation(0, "你聽得到我嗎？", done=True)
    return model


def test_both_sides_carry_their_labels_everywhere(tmp_path: Path) -> None:
    model = call()
    assert model.partial == "Me: Yes  Them: And"  # each side's line being spoken
    lines = model.lines
    subs = list(srt.parse(export.to_srt(lines)))
    assert [s.content for s in subs] == ["Them: Can you hear me?\n你聽得到我嗎？",
                                         "Me: Yes, loud and clear."]
    assert export.to_txt(lines) == ("Them: Can you hear me?\n你聽得到我嗎？\n"
                                    "Me: Yes, loud and clear.\n")
    out = tmp_path / "call.vtt"
    export.write(lines, out)
    cues = webvtt.read(str(out))
    assert [c.voice for c in cues] == ["Them", "Me"]  # WebVTT voice spans: <v Me>…
    assert "<v Them>你聽得到我嗎？" in out.read_text("utf-8")
    records = [json.loads(line) for line in export.to_jsonl(lines).splitlines()]
    assert [r["speaker"] for r in records] == ["Them", "Me"]
    assert [r["translation"] for r in records] == ["你聽得到我嗎？", None]
    # one source: no label, no speaker field
    assert "speaker" not in json.loads(export.to_jsonl(session().lines).splitlines()[0])


def test_chinese_labels_take_a_full_width_colon() -> None:
    model = SubtitleModel()
    model.apply(Sentence(0, 0.0, 1.0, "zh", "你好。", 1.2, "我"))
    assert export.to_txt(model.lines) == "我：你好。\n"
