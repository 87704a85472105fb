"""Audio capture on Windows, under Wine: a clip played into a PulseAudio null sink is recorded
through the app's WASAPI capture path (desktop/audio/ with its wasapi.py) by the
Windows Python, then transcribed and checked as the Linux loopback test does.

Wine 8.0 has no WASAPI loopback (Initialize with the LOOPBACK flag succeeds, then
GetService(IAudioCaptureClient) answers AUDCLNT_E_WRONG_ENDPOINT_TYPE), so what the speaker
plays is recorded from PulseAudio's "Monitor of <sink>", which Wine lists as a capture device:
the same IAudioClient path with the same format negotiation, without the LOOPBACK flag.  The
loopback lookup itself (the speaker's own endpoint, never a microphone of the same name) is
checked against Wine's devices, whose default speaker and microphone share the name
"PulseAudio"."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import DATA, reference
from tests.pulse import play, private_sink, write_wav
from tests.textnorm import wer
from tests.wine import ROOT, run, start, windows_path
from whispertrans_tray.__main__ import build_recognizer
from whispertrans_tray.app import live
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.settings import AsrSettings

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("pulse")]
SCRIPT = windows_path(ROOT / "tests" / "wine_capture.py")
# this checkout's code, whatever the prefix has installed
CHECKOUT = {"PYTHONPATH": windows_path(ROOT)}


def wait_line(proc: subprocess.Popen[str], prefix: str, timeout: float) -> str:
    """The first stdout line of ``proc`` that starts with ``prefix``."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    for line in proc.stdout:
        if line.startswith(prefix):
            return line.strip()
        assert time.monotonic() < deadline, f"no {prefix!r} in time"
    raise AssertionError(f"the capture ended before {prefix!r}: "
                         f"{proc.stderr.read() if proc.stderr else ''}")


def test_a_clip_played_into_a_sink_is_recorded_through_wasapi_and_transcribed(
        wine_python: Path, base_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wav = write_wav(live.read_audio(DATA / "jfk.flac"), tmp_path / "jfk.wav")
    out, stop = tmp_path / "captured.f32", tmp_path / "stop"
    with private_sink("wineaudio") as sink:
        capture = start(wine_python, "python", SCRIPT, "record", f"Monitor of {sink}",
                        windows_path(out), windows_path(stop), extra=CHECKOUT)
        player = None
        try:
            connected = wait_line(capture, "CONNECTED", 180)
            assert connected == f"CONNECTED Monitor of {sink}"
            player = play(wav, sink)
            player.wait(60)
            time.sleep(1.5)  # the end of the clip through the monitor and WASAPI's buffer
            stop.touch()
            recorded = wait_line(capture, "RECORDED", 60)
            capture.wait(60)
        finally:
            capture.kill()
            if player is not None:
                player.kill()
    assert capture.returncode == 0
    _, samples, reconnects, dropped = recorded.split()
    assert (int(reconnects), float(dropped)) == (0, 0.0)
    audio = np.fromfile(out, "<f4")
    assert audio.size == int(samples) >= 11 * 16000
    recognizer = build_recognizer(AsrSettings(language="en"), base_model, live=True)
    sentences = [e.text for e in recognizer.feed(audio) if isinstance(e, Sentence)]
    sentences += [e.text for e in recognizer.finish() if isinstance(e, Sentence)]
    assert wer(reference("jfk.flac"), " ".join(sentences)) <= 0.1, sentences


def test_the_loopback_is_the_default_speaker_not_the_microphone_of_its_name(
        wine_python: Path) -> None:
    done = run(wine_python, "python", SCRIPT, "loopback", timeout=180, extra=CHECKOUT)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    speaker_name, speaker_id = found["speaker"]
    assert found["microphone"][0] == speaker_name  # Wine names both "PulseAudio"
    assert found["microphone"][1] != speaker_id
    assert found["isloopback"] and found["id"] == speaker_id
    assert found["name"] == speaker_name
