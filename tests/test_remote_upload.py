"""What a client uploads to the recognition server: FLAC (lossless, fewer bytes than WAV), WAV
from then on for a server that refuses FLAC, and the count of requests, seconds of audio and
bytes sent (:class:`~whispertrans_tray.providers.asr_remote.Sent`).

Real servers on 127.0.0.1: faster-whisper-server serving the bundled base model, and a server
that reads WAV only, as whisper.cpp's server without ``--convert`` (tests/servers/fake_asr.py).
"""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.servers.fake_asr import FakeAsrServer, as_wav
from tests.servers.whisper_server import WhisperServer
from whispertrans_tray.app import live
from whispertrans_tray.core.types import SAMPLE_RATE
from whispertrans_tray.providers import model_store
from whispertrans_tray.providers.asr_remote import RemoteWhisper, flac_bytes, wav_bytes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(model_cache: Path, tmp_path_factory: pytest.TempPathFactory) \
        -> Iterator[WhisperServer]:
    process = WhisperServer(model_store.bundled_base(),
                            tmp_path_factory.mktemp("fws") / "server.log")
    process.start()
    yield process
    process.kill()


def samples(wav: bytes) -> np.ndarray:
    with wave.open(io.BytesIO(wav), "rb") as source:
        return np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")


def test_flac_is_the_same_samples_in_fewer_bytes(clip) -> None:  # type: ignore[no-untyped-def]
    audio = clip("en_librispeech.wav")
    flac, wav = flac_bytes(audio), wav_bytes(audio)
    assert flac[:4] == b"fLaC" and len(flac) < 0.9 * len(wav), (len(flac), len(wav))
    body = b'--x\r\nContent-Disposition: form-data; name="file"\r\n\r\n' + flac + b"\r\n--x--"
    assert np.array_equal(samples(as_wav(body)), samples(wav))  # lossless


def test_flac_and_wav_decode_alike_on_a_real_server(server: WhisperServer, clip) -> None:  # type: ignore[no-untyped-def]
    audio = clip("jfk.flac")
    texts, sent = [], []
    for upload in ("flac", "wav"):
        remote = RemoteWhisper(server.url, "whisper-1", timeout_s=120, upload=upload)
        try:
            texts.append("".join(w.text for w in remote.transcribe(audio, "en").words))
        finally:
            remote.close()
        sent.append(remote.sent)
    assert texts[0] == texts[1] and "ask not what your country" in texts[0], texts
    assert sent[0].requests == sent[1].requests == 1
    assert sent[0].audio_s == sent[1].audio_s == pytest.approx(audio.size / SAMPLE_RATE)
    assert sent[0].bytes < sent[1].bytes == len(wav_bytes(audio))


def test_a_server_that_reads_only_wav_gets_wav_from_then_on(clip) -> None:  # type: ignore[no-untyped-def]
    audio = clip("jfk.flac")[: SAMPLE_RATE * 3]
    with FakeAsrServer("wav_only") as picky:
        remote = RemoteWhisper(picky.url, "whisper-1", timeout_s=10)
        try:
            first = remote.transcribe(audio, "en")
            second = remote.transcribe(audio, "en")
        finally:
            remote.close()
        bodies = list(picky.requests)
    assert first.words and second.words  # no failure reached the caller
    assert [b"fLaC" in body for body in bodies] == [True, False, False]
    assert remote.upload == "wav"
    assert remote.sent.requests == 3
    assert remote.sent.bytes == len(flac_bytes(audio)) + 2 * len(wav_bytes(audio))


def test_live_replay_counts_what_it_sends(server: WhisperServer, clip) -> None:  # type: ignore[no-untyped-def]
    """Windows overlap: a live replay sends more seconds of audio than the recording has."""
    from whispertrans_tray.__main__ import build_recognizer
    from whispertrans_tray.settings import AsrSettings

    audio = clip("jfk.flac")
    remote = RemoteWhisper(server.url, "whisper-1", timeout_s=120)
    try:
        recognizer = build_recognizer(AsrSettings(device="cpu", language="en"), remote,
                                      live=True)
        live.run(audio, recognizer, lambda e: None)
    finally:
        remote.close()
    assert remote.sent.requests >= 3
    assert remote.sent.audio_s > audio.size / SAMPLE_RATE
    assert remote.sent.bytes < remote.sent.audio_s * SAMPLE_RATE * 2  # fewer bytes than PCM
