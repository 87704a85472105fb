"""A recognition server slower than the local model, but within real time, keeps serving a
whole 1× replay of the multi-sentence recording (tests/oracle); killed, recognition goes local;
started again, it comes back; no sentence is lost or doubled either way.

The server is a real HTTP server on 127.0.0.1 (tests/servers/fake_asr.py) that answers each
upload with the recording's true words in the window it was sent (tests/oracle), after a
service time of 1 s plus 0.1 s a second of window (at most 2.4 s): well within real time, and
several times what the local Whisper base model takes here (0.1–0.8 s), as a box serving a
large model for its accuracy may be.
"""

from __future__ import annotations

import io
import threading
import time
import wave
from collections.abc import Iterator

import numpy as np
import pytest

from tests.oracle import recording
from tests.oracle.transcriber import Oracle
from tests.servers.fake_asr import FakeAsrServer
from tests.textnorm import wer
from whispertrans_tray.__main__ import build_recognizer
from whispertrans_tray.app import live
from whispertrans_tray.app.asr_fallback import FallbackTranscriber
from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Sentence, Word
from whispertrans_tray.providers.asr_remote import RemoteWhisper, read_wav, wav_bytes
from whispertrans_tray.settings import AsrSettings

pytestmark = pytest.mark.slow
ASR = AsrSettings(device="cpu", cpu_threads=2, language="en")
PROBE_WORDS = (Word(0.0, 0.3, " And"), Word(0.3, 0.6, " so"), Word(0.6, 1.0, " my"))


def service_s(window_s: float) -> float:
    """The slow server's time for a window of ``window_s`` seconds."""
    return min(1.0 + 0.1 * window_s, 2.4)


def as_sent(wav: bytes) -> Audio:
    """What a server reads from an upload (16-bit PCM)."""
    with wave.open(io.BytesIO(wav), "rb") as source:
        data = source.readframes(source.getnframes())
    return (np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0).astype(np.float32)


class Box:
    """The slow server, which a test can kill and start again on the same port."""

    def __init__(self, audio: Audio) -> None:
        self.oracle = Oracle(as_sent(wav_bytes(audio)), recording.word_times())
        self.probe = as_sent(wav_bytes(read_wav()))
        self.served: list[tuple[float, float]] = []  # (window s, service s)
        self.restarted_at = 0  # requests served before the restart
        self.server = self._serve(0)

    def _serve(self, port: int) -> FakeAsrServer:
        server = FakeAsrServer("answer", port=port)
        server.answer = self.answer
        server.delay = self.service
        return server.__enter__()

    def service(self, wav: bytes) -> float:
        seconds = as_sent(wav).size / SAMPLE_RATE
        took = service_s(seconds)
        self.served.append((seconds, took))
        return took

    def answer(self, wav: bytes) -> object:
        audio = as_sent(wav)
        probe = audio.size == self.probe.size and np.array_equal(audio, self.probe)
        words = PROBE_WORDS if probe else self.oracle.truth(audio)
        text = "".join(w.text for w in words)
        duration = audio.size / SAMPLE_RATE
        return {"task": "transcribe", "language": "english", "duration": duration,
                "text": text, "words": [{"word": w.text, "start": w.start, "end": w.end}
                                        for w in words],
                "segments": [{"id": 0, "start": 0.0, "end": duration, "text": text}]}

    def kill(self) -> None:
        self.server.kill()

    def restart(self) -> None:
        self.restarted_at = len(self.served)
        self.server = self._serve(self.server.port)

    def close(self) -> None:
        self.server.__exit__(None, None, None)


@pytest.fixture(scope="module")
def audio() -> Audio:
    return recording.build(live.read_audio)


@pytest.fixture
def box(audio: Audio, base_model) -> Iterator[Box]:  # type: ignore[no-untyped-def]
    base_model.transcribe(audio[: SAMPLE_RATE * 5], "en")  # warm
    for seconds in (2, 5, 11):  # the set-up: the server is slower than local decoding
        started = time.perf_counter()
        base_model.transcribe(audio[: SAMPLE_RATE * seconds], "en")
        assert time.perf_counter() - started < service_s(seconds)
    server = Box(audio)
    yield server
    server.close()


@pytest.mark.parametrize("kill", [False, True], ids=["served", "killed_and_back"])
def test_a_slower_server_serves_a_whole_1x_replay(kill: bool, box: Box, audio: Audio,
                                                  base_model) -> None:  # type: ignore[no-untyped-def]
    statuses: list[str] = []
    remote = RemoteWhisper(box.server.url, "whisper-1", timeout_s=10.0)
    transcriber = FallbackTranscriber(remote, base_model, statuses.append, "en",
                                      probe_audio=read_wav(), timeout_s=10.0,
                                      first_probe_s=0.3, max_probe_s=2.0)
    transcriber.calibrate()
    recognizer = build_recognizer(ASR, transcriber, live=True)
    out: list[Sentence] = []
    timers = [threading.Timer(6.0, box.kill), threading.Timer(13.0, box.restart)] if kill \
        else []
    for timer in timers:
        timer.start()
    try:
        live.run(audio, recognizer, lambda e: out.append(e) if isinstance(e, Sentence) else None,
                 realtime=True)
    finally:
        for timer in timers:
            timer.join()
        transcriber.close()
    said = " ".join(s.text for s in out)
    doubled, lost = recording.doubled_and_lost(recording.reference(), said)
    assert doubled == [] and lost == [], said
    assert [s.index for s in out] == list(range(len(out)))
    if not kill:
        assert transcriber.switches == [] and statuses == [], statuses
        assert transcriber.local_decodes == 0 and transcriber.remote_decodes >= 8
        assert wer(recording.reference(), said) <= 0.05, said
        return
    assert transcriber.switches == ["local", "remote"], statuses
    assert transcriber.local_decodes >= 1
    assert len(box.served) >= box.restarted_at + 3  # the probe, then decodes again
    assert "Recognizing locally" in statuses[0] and "is back" in statuses[1], statuses
    assert wer(recording.reference(), said) <= 0.15, said
