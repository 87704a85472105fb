"""Both sides of a call through a real PulseAudio server: ``listen --source both``.

A private null sink is the speakers (the other side, "Them"), a second one behind a
remap-source the microphone (you, "Me").  Different recordings are played into each, in turn
and at once, and each side's sentences must come out with its text and its label; then the
microphone also hears the speakers (a loopback module, delayed and quieter): no sentence
may come out twice, and your own sentence is kept.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DATA, reference
from tests.pulse import acoustic_echo, play, private_mic, private_sink, write_wav
from tests.textnorm import wer
from whispertrans_tray.app import live

pytestmark = pytest.mark.usefixtures("pulse")


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("clips")
    return {name: write_wav(live.read_audio(DATA / name), folder / f"{Path(name).stem}.wav")
            for name in ("jfk.flac", "en_librispeech.wav")}


@pytest.fixture
def call() -> Iterator[tuple[str, str, str]]:
    """(speaker sink, microphone feed sink, microphone name), all of this test's own."""
    with private_sink("them") as speaker, private_mic("me") as (feed, mic):
        yield speaker, feed, mic


def listen_both(tmp_path: Path, model_cache: Path, speaker: str, mic: str,
                play_clips: list[tuple[Path, str, float]], echo_filter: bool = True) \
        -> tuple[list[dict[str, object]], str]:
    """Run ``listen --source both`` on ``speaker`` and ``mic``; once both record, play each
    (clip, sink, delay after the start) and stop with Ctrl+C a second after the last ends;
    the .jsonl records and the messages."""
    out = tmp_path / "out.jsonl"
    (tmp_path / "s.json").write_text(json.dumps({"audio": {"echo_filter": echo_filter}}))
    env = {**os.environ, "WHISPERTRANS_CACHE_DIR": str(model_cache),
           "WHISPERTRANS_DATA_DIR": str(tmp_path / "data")}
    listen = subprocess.Popen(
        [sys.executable, "-m", "whispertrans_tray", "--settings", str(tmp_path / "s.json"),
         "--ui-language", "en", "listen", "--source", "both", "--speaker", speaker, "--mic",
         mic, "--language", "en", "--no-translate", "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    messages: list[str] = []
    connected = threading.Event()

    def read_messages() -> None:
        assert listen.stderr is not None
        for line in listen.stderr:
            messages.append(line)
            text = "".join(messages)
            if f"Recording: {speaker}" in text and f"Recording: {mic}" in text:
                connected.set()
        connected.set()  # it ended: the assertions below say how

    reader = threading.Thread(target=read_messages, daemon=True)
    reader.start()
    try:
        assert connected.wait(120) and listen.poll() is None, "".join(messages)
        start = time.monotonic()
        players = []
        for clip, sink, delay in sorted(play_clips, key=lambda item: item[2]):
            time.sleep(max(0.0, start + delay - time.monotonic()))
            players.append(play(clip, sink))
        for player in players:
            player.wait(60)
        time.sleep(1.0)  # the last words come through the monitors
        listen.send_signal(signal.SIGINT)
        listen.communicate(timeout=180)
    finally:
        listen.kill()
    reader.join(5)
    assert listen.returncode == 0, "".join(messages)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    return records, "".join(messages)


def said(records: list[dict[str, object]], speaker: str) -> str:
    return " ".join(str(r["text"]) for r in records if r.get("speaker") == speaker)


def test_each_side_labelled_in_turn_and_at_once(tmp_path: Path, model_cache: Path,
                                                clips: dict[str, Path],
                                                call: tuple[str, str, str]) -> None:
    speaker, feed, mic = call
    them, me = clips["jfk.flac"], clips["en_librispeech.wav"]
    # in turn: the other side, then you; then both at once (you start 3 s into their clip)
    records, messages = listen_both(tmp_path, model_cache, speaker, mic,
                                    [(them, speaker, 0.0), (me, feed, 12.5),
                                     (them, speaker, 23.0), (me, feed, 26.0)])
    assert {r.get("speaker") for r in records} == {"Them", "Me"}, records
    jfk, librispeech = reference("jfk.flac"), reference("en_librispeech.wav")
    assert wer(f"{jfk} {jfk}", said(records, "Them")) <= 0.15, (records, messages)
    assert wer(f"{librispeech} {librispeech}", said(records, "Me")) <= 0.2, (records, messages)
    # one timeline: the microphone's times are on the system audio's clock (the two captures
    # start apart; unaligned, your clip showed 2 s early), so your first sentence starts
    # where it was played, after theirs
    starts = [float(str(r["start"])) for r in records if r.get("speaker") == "Me"]
    assert 11.8 < min(starts) < 15.0, records


@pytest.mark.parametrize("echo_filter", [True, False])
def test_the_microphone_hearing_the_speakers_doubles_nothing(
        tmp_path: Path, model_cache: Path, clips: dict[str, Path],
        call: tuple[str, str, str], echo_filter: bool) -> None:
    """With the echo filter off (``audio.echo_filter``), the same set-up shows the echo:
    their sentence comes out a second time, as yours."""
    speaker, feed, mic = call
    them, me = clips["jfk.flac"], clips["en_librispeech.wav"]
    with acoustic_echo(speaker, feed, delay_ms=250, volume="50%"):
        records, messages = listen_both(tmp_path, model_cache, speaker, mic,
                                        [(them, speaker, 0.0), (me, feed, 13.0)],
                                        echo_filter)
    jfk, librispeech = reference("jfk.flac"), reference("en_librispeech.wav")
    assert wer(jfk, said(records, "Them")) <= 0.15, (records, messages)
    mine = said(records, "Me")
    if not echo_filter:  # the microphone heard their sentence
        assert wer(f"{jfk} {librispeech}", mine) <= 0.3, (records, messages)
        return
    assert wer(librispeech, mine) <= 0.2, (records, messages)  # your sentence kept
    assert "country" not in mine.lower(), (records, messages)  # their words not twice


@pytest.mark.usefixtures("desktop")
def test_the_tray_app_records_both_sides_labelled(tmp_path: Path, model_cache: Path,
                                                  clips: dict[str, Path],
                                                  call: tuple[str, str, str]) -> None:
    """The tray app with audio source ``both`` (系統音訊＋麥克風): each side's sentences in
    the session history with the side's label: the default one (Them) or the one the
    settings name (``audio.label_me``)."""
    from tests.app_harness import history, recording_app, wait_for

    speaker, feed, mic = call
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"ui_language": "en", "asr": {"language": "en"},
                                "audio": {"source": "both", "device": speaker,
                                          "mic_device": mic, "label_me": "我"}}), "utf-8")
    with recording_app(tmp_path, path, speaker, model_cache) as (_, log):
        assert wait_for(lambda: f"Recording: {mic}" in log.read_text("utf-8"), 60)
        play(clips["jfk.flac"], speaker).wait(60)
        play(clips["en_librispeech.wav"], feed).wait(60)

        def sides() -> dict[str, str]:
            rows = history(tmp_path / "data", "sentence")
            return {side: " ".join(str(r["text"]) for r in rows if r.get("speaker") == side)
                    for side in ("Them", "我")}
        assert wait_for(lambda: "country" in sides()["Them"].lower()
                        and "sorrow" in sides()["我"].lower(), 120), \
            (sides(), log.read_text("utf-8")[-3000:])
    said = sides()
    assert wer(reference("jfk.flac"), said["Them"]) <= 0.15, said
    assert wer(reference("en_librispeech.wav"), said["我"]) <= 0.2, said
