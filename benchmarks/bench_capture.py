"""Capture → pipeline: how long audio waits, what the capture thread costs, what is dropped.

Plays the shared clips into a PulseAudio null sink at 1× while the live pipeline (bundled
Whisper base) consumes the loopback capture, as the tray app does.  Needs a running PulseAudio
with the ``spk`` sink (``tests/pulse.py`` sets one up).

Latency = one recorder block (the device hands audio over in 100 ms blocks) + the time the
oldest audio waited in the capture buffer before the pipeline read it.

    python -m benchmarks.bench_capture [--seconds 60] [--record]
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import DATA, arguments, publish


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()

    from tests.pulse import ensure_devices, play, write_wav
    from whispertrans_tray.__main__ import build_recognizer
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import SAMPLE_RATE
    from whispertrans_tray.desktop.audio import BLOCK_S, AudioCapture
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings

    ensure_devices()
    asr = AsrSettings(device="cpu", cpu_threads=2)
    model = asr_faster_whisper.load(asr)
    clips = [live.read_audio(DATA / n) for n in ("jfk.flac", "en_librispeech.wav",
                                                 "multilingual.mp3")]
    gap = np.zeros(SAMPLE_RATE // 2, dtype=np.float32)
    audio = np.concatenate([x for c in clips for x in (c, gap)] * 3)
    audio = audio[: int(args.seconds * SAMPLE_RATE)]
    recognizer = build_recognizer(asr, model, live=True)
    capture = AudioCapture("loopback")
    waits: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        wav = write_wav(audio, Path(tmp) / "bench.wav")
        capture.start()
        while not capture.connected_device:
            time.sleep(0.05)
        started = time.monotonic()
        player = play(wav, "spk")
        while player.poll() is None or time.monotonic() - started < args.seconds:
            chunk = capture.read(0.1)
            if chunk is None:
                if player.poll() is not None:
                    break
                continue
            waits.append(capture.last_wait_s)
            recognizer.feed(chunk)
        wall = time.monotonic() - started
        capture.stop()
    latency = np.array(waits) + BLOCK_S
    p = np.percentile(latency, [50, 90, 99])
    table = "\n".join([
        f"{wall:.0f} s of 1× playback into the loopback sink, live pipeline consuming.",
        "",
        "| capture→pipeline p50 s | p90 s | p99 s | capture thread CPU % of a core | "
        "dropped audio s |",
        "|---|---|---|---|---|",
        f"| {p[0]:.2f} | {p[1]:.2f} | {p[2]:.2f} | {100 * capture.cpu_seconds / wall:.1f} | "
        f"{capture.dropped_seconds:.1f} |",
    ])
    publish(table, args.record, "Capture → pipeline (PulseAudio loopback, 1×)",
            "The wait is mostly the decode running when audio arrives: the pipeline reads "
            "everything that came in during a decode at once.")


if __name__ == "__main__":
    main()
