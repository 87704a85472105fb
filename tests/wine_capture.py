"""Run by the Windows Python under Wine (tests/test_wine_audio.py): the app's capture path on
Windows, through WASAPI.

    python wine_capture.py record DEVICE OUT STOPFILE
        AudioCapture("mic", DEVICE): prints "CONNECTED <name>" once recording, then records
        until STOPFILE exists and writes the 16-kHz mono float32 samples to OUT.
    python wine_capture.py loopback
        prints what the loopback of the default speaker resolves to, as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np

from whispertrans_tray.desktop.audio import AudioCapture, _find


def record(device: str, out: Path, stop_file: Path) -> int:
    statuses: list[str] = []
    capture = AudioCapture("mic", device, on_status=statuses.append, ui_language="en")
    capture.start()
    chunks: list[np.ndarray] = []
    deadline = time.monotonic() + 120
    try:
        while not capture.connected_device:
            if time.monotonic() > deadline:
                print("NOT CONNECTED", statuses, file=sys.stderr, flush=True)
                return 1
            time.sleep(0.05)
        print("CONNECTED", capture.connected_device, flush=True)
        while not stop_file.exists() and time.monotonic() < deadline:
            audio = capture.read(0.1)
            if audio is not None:
                chunks.append(audio)
    finally:
        capture.stop(3)
    rest = capture.read(0)
    if rest is not None:
        chunks.append(rest)
    samples = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
    samples.astype("<f4").tofile(out)
    print("STATUS", json.dumps(statuses), flush=True)
    print("RECORDED", samples.size, capture.reconnects, capture.dropped_seconds, flush=True)
    return 0


def loopback() -> int:
    import soundcard

    mic, name = _find("loopback", "")
    speaker = soundcard.default_speaker()
    microphone = soundcard.default_microphone()
    print(json.dumps({"name": name, "id": mic.id, "isloopback": mic.isloopback,
                      "speaker": [speaker.name, speaker.id],
                      "microphone": [microphone.name, microphone.id]}), flush=True)
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "record":
        sys.exit(record(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])))
    sys.exit(loopback())
