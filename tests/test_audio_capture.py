"""Capture through a real PulseAudio server: loopback, virtual mic, faults, overflow."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import DATA, reference
from tests.pulse import ensure_devices, pactl, play, private_sink, write_wav
from tests.textnorm import wer
from whispertrans_tray.__main__ import build_recognizer
from whispertrans_tray.app import live
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.desktop.audio import AudioCapture, check_source, list_devices
from whispertrans_tray.settings import AsrSettings

pytestmark = pytest.mark.usefixtures("pulse")


def wait_connected(capture: AudioCapture, timeout: float = 60) -> None:
    """Wait until the capture records (a busy machine connects slowly)."""
    deadline = time.monotonic() + timeout
    while not capture.connected_device:
        assert time.monotonic() < deadline, "the capture never connected"
        time.sleep(0.05)


def feed_until_played(capture: AudioCapture, player: subprocess.Popen[bytes], recognizer,  # type: ignore[no-untyped-def]
                      sentences: list[str], timeout: float = 120) -> None:
    """Feed what is captured to ``recognizer`` until ``player`` has played its whole file and
    a second more has been captured (the end of the file has come through the sink's monitor),
    whatever the wall time that takes on a loaded machine."""
    deadline = time.monotonic() + timeout
    played_at: float | None = None
    while played_at is None or capture.captured_seconds < played_at + 1.0:
        assert time.monotonic() < deadline, "the clip did not come through in time"
        if played_at is None and player.poll() is not None:
            played_at = capture.captured_seconds
        audio = capture.read(0.1)
        if audio is not None:
            sentences += [e.text for e in recognizer.feed(audio) if isinstance(e, Sentence)]


def transcribe_live(model, capture: AudioCapture, wav: Path, sink: str) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """Start capturing, play ``wav`` into ``sink`` once connected, transcribe all of it."""
    recognizer = build_recognizer(AsrSettings(language="en"), model, live=True)
    sentences: list[str] = []
    capture.start()
    player = None
    try:
        wait_connected(capture)
        player = play(wav, sink)
        feed_until_played(capture, player, recognizer, sentences)
    finally:
        capture.stop()
        if player is not None:
            player.kill()
            player.wait(10)
    sentences += [e.text for e in recognizer.finish() if isinstance(e, Sentence)]
    return " ".join(sentences), sentences


@pytest.fixture(scope="module")
def jfk_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_wav(live.read_audio(DATA / "jfk.flac"),
                     tmp_path_factory.mktemp("wav") / "jfk.wav")


def test_devices_are_listed_by_name() -> None:
    devices = {(d.kind, d.name): d.is_default for d in list_devices()}
    assert devices[("loopback", "Speaker")] is True
    assert ("mic", "VirtualMic") in devices
    assert check_source("loopback", "") == "Speaker"


def test_loopback_transcript(base_model, jfk_wav: Path) -> None:  # type: ignore[no-untyped-def]
    with private_sink("transcript") as sink:  # not what others play into spk meanwhile
        capture = AudioCapture("loopback", sink)
        text, _ = transcribe_live(base_model, capture, jfk_wav, sink)
    assert wer(reference("jfk.flac"), text) <= 0.1
    assert capture.dropped_seconds == 0


def test_virtual_microphone_transcript(base_model, jfk_wav: Path) -> None:  # type: ignore[no-untyped-def]
    capture = AudioCapture("mic", "VirtualMic")
    text, _ = transcribe_live(base_model, capture, jfk_wav, "micfeed")
    assert wer(reference("jfk.flac"), text) <= 0.1


def test_capture_recovers_when_the_device_comes_back(base_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    libri = write_wav(live.read_audio(DATA / "en_librispeech.wav"), tmp_path / "l.wav")
    statuses: list[str] = []
    capture = AudioCapture("loopback", on_status=statuses.append, ui_language="en")
    recognizer = build_recognizer(AsrSettings(language="en"), base_model, live=True)
    capture.start()
    sentences: list[str] = []

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            audio = capture.read(0.1)
            if audio is not None:
                sentences.extend(e.text for e in recognizer.feed(audio)
                                 if isinstance(e, Sentence))

    def pump_until(condition, what: str, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"{what}; statuses: {statuses}"
            pump(0.1)

    player = None
    try:
        pump_until(lambda: capture.connected_device == "Speaker", "never recorded the speaker")
        module = next(line.split("\t")[0] for line in pactl("list", "short", "modules")
                      .splitlines() if "sink_name=spk" in line)
        pactl("unload-module", module)  # the speaker is unplugged
        pump_until(lambda: capture.reconnects >= 1, "the lost speaker went unnoticed")
        seen = len(statuses)
        ensure_devices()  # plugged in again (and the default speaker again)
        pump_until(lambda: any("Recording: Speaker" in s for s in statuses[seen:]),
                   "the capture did not come back to the speaker")
        player = play(libri, "spk")
        feed_until_played(capture, player, recognizer, sentences)
    finally:
        capture.stop(3)
        if player is not None:
            player.kill()
            player.wait(10)
    sentences.extend(e.text for e in recognizer.finish() if isinstance(e, Sentence))
    assert capture.reconnects >= 1
    assert any("Recording: Speaker" in s for s in statuses[1:])
    assert "sorrow" in " ".join(sentences).lower()


def test_consumer_behind_drops_oldest_and_counts(tmp_path: Path) -> None:
    """Nobody reads the capture while a tone plays: the oldest audio (the silence before the
    tone) is dropped and counted, the newest (the tone) kept.  A second capture of the same
    speaker, read all along, tells when the tone has come through."""
    tone = 0.3 * np.sin(2 * np.pi * 440 * np.arange(30 * 16000) / 16000)
    wav = write_wav(tone.astype(np.float32), tmp_path / "tone.wav")
    capture = AudioCapture("loopback", max_buffer_s=1.0)
    witness = AudioCapture("loopback")
    capture.start()
    witness.start()
    player = None
    try:
        wait_connected(capture)
        wait_connected(witness)
        player = play(wav, "spk")
        deadline = time.monotonic() + 60
        heard_at: float | None = None  # the behind capture's clock when the tone came
        while heard_at is None or capture.captured_seconds < heard_at + 1.5 \
                or capture.dropped_seconds < 2.0:
            assert time.monotonic() < deadline, (heard_at, capture.dropped_seconds)
            seen = witness.read(0.1)
            if heard_at is None and seen is not None and np.abs(seen).max() > 0.1:
                heard_at = capture.captured_seconds
        audio = capture.read(1)
    finally:
        capture.stop()
        witness.stop()
        if player is not None:
            player.kill()
            player.wait(10)
    assert audio is not None and audio.size <= 1.2 * 16000
    assert capture.dropped_seconds >= 2.0
    assert np.abs(audio).max() > 0.1  # the newest audio (the tone) was kept


def test_no_audio_server_is_a_clear_error(tmp_path: Path) -> None:
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/none", "XDG_CONFIG_HOME":
           str(tmp_path), "PULSE_RUNTIME_PATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "whispertrans_tray", "--ui-language", "en",
                             "listen", "--duration", "1"], capture_output=True, text=True,
                            env=env, timeout=60, check=False)
    assert result.returncode == 1
    assert "audio" in result.stderr.lower() and "Traceback" not in result.stderr


def test_listen_in_the_terminal_until_ctrl_c(tmp_path: Path, jfk_wav: Path,
                                             model_cache: Path) -> None:
    """Live capture in the terminal: Ctrl+C commits the sentence being spoken, writes OUT.

    It records a speaker of its own (what other tests or processes play into the shared
    ``spk`` meanwhile would be heard too: duplicated, garbled sentences)."""
    import signal
    import threading

    out = tmp_path / "live.srt"
    env = {**os.environ, "WHISPERTRANS_CACHE_DIR": str(model_cache),
           "WHISPERTRANS_DATA_DIR": str(tmp_path / "data")}  # its session history
    with private_sink("ctrlc") as sink:
        listen = subprocess.Popen(
            [sys.executable, "-m", "whispertrans_tray", "--settings", str(tmp_path / "s.json"),
             "--ui-language", "en", "listen", "--source", sink, "--language", "en", "-o",
             str(out)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert listen.stderr is not None
        messages: list[str] = []
        connected = threading.Event()

        def read_messages() -> None:
            assert listen.stderr is not None
            for line in listen.stderr:
                messages.append(line)
                if f"Recording: {sink}" in line:
                    connected.set()
            connected.set()  # it ended: the assertions below say how

        reader = threading.Thread(target=read_messages, daemon=True)
        reader.start()
        try:
            assert connected.wait(90) and listen.poll() is None, "".join(messages)
            play(jfk_wav, sink).wait(30)
            listen.send_signal(signal.SIGINT)  # Ctrl+C right as the speech ends
            printed, _ = listen.communicate(timeout=120)
        finally:
            listen.kill()
        reader.join(5)
    assert listen.returncode == 0, "".join(messages)
    assert "country" in printed.lower()
    subtitles = " ".join(line for line in out.read_text("utf-8").splitlines()
                         if line and not line[0].isdigit())
    assert wer(reference("jfk.flac"), subtitles) <= 0.1, (subtitles, "".join(messages))


def test_the_audio_service_dying_mid_capture_is_a_reconnect_not_a_crash(
        tmp_path: Path, jfk_wav: Path, model_cache: Path) -> None:
    """The audio service dies while ``listen`` records (libpulse used to abort the process on
    the first query after that) and is started again: the capture says the service is gone,
    keeps trying, records again and transcribes what is played then."""
    import signal
    import threading

    from benchmarks.bench_soak import PrivatePulse

    folder = tmp_path / "pulse"
    server = PrivatePulse(folder)
    env = {**os.environ, "PULSE_SERVER": server.server,
           "WHISPERTRANS_CACHE_DIR": str(model_cache),
           "WHISPERTRANS_DATA_DIR": str(tmp_path / "data")}
    listen = subprocess.Popen(
        [sys.executable, "-m", "whispertrans_tray", "--settings", str(tmp_path / "s.json"),
         "--ui-language", "en", "listen", "--source", "loopback", "--language", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    messages: list[str] = []

    def read_messages() -> None:
        assert listen.stderr is not None
        for line in listen.stderr:
            messages.append(line)

    def wait_for(what: str, count: int = 1, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while sum(what in line for line in list(messages)) < count:
            assert listen.poll() is None, f"listen ended ({listen.returncode}): {messages}"
            assert time.monotonic() < deadline, f"no {what!r} in {messages}"
            time.sleep(0.05)

    reader = threading.Thread(target=read_messages, daemon=True)
    reader.start()
    try:
        wait_for("Recording: SoakSpeaker")
        server.process.kill()  # the audio service dies
        server.process.wait(10)
        wait_for("audio service is running")  # "…Check that the audio service is running"
        time.sleep(1)  # and it keeps trying, alive
        assert listen.poll() is None, messages
        server = PrivatePulse(folder)  # started again, at the same address
        wait_for("Recording: SoakSpeaker", count=2)
        subprocess.run(["paplay", "-s", server.server, "-d", "soak", str(jfk_wav)], check=True,
                       timeout=60)
        listen.send_signal(signal.SIGINT)
        printed, _ = listen.communicate(timeout=120)
    finally:
        listen.kill()
        server.close()
    reader.join(5)
    assert listen.returncode == 0, "".join(messages)
    assert "country" in printed.lower(), "".join(messages)
    assert "Assertion" not in "".join(messages)


def test_stopping_keeps_every_frame_the_device_delivered(tmp_path: Path, own_sink: str) -> None:
    """What the recorder and the resampler still hold when the capture stops (the last words
    spoken) reaches the buffer: 16 kHz samples read == device frames / 3, to a sample."""
    tone = 0.3 * np.sin(2 * np.pi * 440 * np.arange(3 * 16000) / 16000)
    wav = write_wav(tone.astype(np.float32), tmp_path / "tone.wav")
    capture = AudioCapture("loopback", device=own_sink)
    capture.start()
    read = 0
    try:
        wait_connected(capture)
        play(wav, own_sink).wait(30)
        for _ in range(3):  # stopped at a few points, not on a block boundary by luck
            audio = capture.read(0.1)
            read += 0 if audio is None else audio.size
    finally:
        capture.stop(3)
    rest = capture.read(0)
    read += 0 if rest is None else rest.size
    assert capture.dropped_seconds == 0
    assert capture.device_frames > 48000
    assert abs(read - capture.device_frames / 3) <= 2, (read, capture.device_frames)


def test_audio_the_reader_fell_behind_on_is_still_there_at_stop(jfk_wav: Path,
                                                               own_sink: str) -> None:
    """A capture thread starved by a busy machine is seconds behind the audio server; what the
    server delivered meanwhile waits in the stream's queue and is read at stop, not dropped."""
    import soundcard

    from whispertrans_tray.desktop.audio import DEVICE_RATE, unread

    speaker = soundcard.get_speaker(own_sink)
    mic = soundcard.get_microphone(id=str(speaker.name), include_loopback=True)
    player = None
    with mic.recorder(samplerate=DEVICE_RATE, channels=mic.channels, blocksize=4800) as rec:
        player = play(jfk_wav, own_sink)
        try:
            rec.record(numframes=4800)  # audio flows (an idle sink sends nothing)
            time.sleep(2.0)  # the reader is starved: nothing read for 2 s of the 11-s clip
            behind = [data for data in unread(rec, 30 * DEVICE_RATE)]
        finally:
            player.kill()
            player.wait(10)
    audio = np.concatenate([data.reshape(-1, mic.channels) for data in behind])
    assert audio.shape[0] >= 1.5 * DEVICE_RATE, audio.shape
    assert np.abs(audio).max() > 0.05  # the speech played meanwhile
