"""Echo without headphones: the microphone hears the speakers (delayed, quieter).  Options
compared on the same mixes, through the same two-stream live loop and model:

* ``none`` — the microphone as heard;
* ``pyaec`` — an acoustic echo canceller from PyPI (``pyaec``, a speex-style AEC, the only one
  with a Linux wheel for CPython 3.11) on the microphone, the system audio as its reference,
  sample-aligned (its best case: real captures are two clocks);
* ``text+time`` — :class:`~whispertrans_tray.core.echo.EchoFilter` (what the app uses).

Mixes: the other side (jfk.flac) plays, the microphone hears it ``--delay-ms`` late at
``--gain``; the user (en_librispeech.wav) speaks after it ("in turn") or 3 s into it ("over").
Per option: echo sentences on your side (most of their words are the other side's), your
words' WER (your clip's reference against your side's text), and whether your sentence stayed.

    python -m benchmarks.bench_echo [--delay-ms 250] [--gain 0.5] [--record]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from benchmarks.common import DATA, arguments, error_rate, live_recognizer, publish

FRAME = 160  # 10 ms at 16 kHz


def cancel(mic: np.ndarray, reference: np.ndarray, tail_ms: int) -> np.ndarray:
    """``mic`` through pyaec with ``reference`` (what the speakers played)."""
    from pyaec import Aec

    aec = Aec(FRAME, tail_ms * 16, 16000, True)
    n = mic.size // FRAME * FRAME
    to16 = (lambda x: np.clip(x * 32767, -32768, 32767).astype(np.int16))  # noqa: E731
    rec, ref = to16(mic[:n]), to16(reference[:n])
    out = np.empty(n, np.int16)
    for i in range(0, n, FRAME):
        out[i:i + FRAME] = aec.cancel_echo(rec[i:i + FRAME].tolist(), ref[i:i + FRAME].tolist())
    return out.astype(np.float32) / 32768.0


def run(them: np.ndarray, mic: np.ndarray, asr: Any, model: Any, echo: bool) -> list[Any]:
    """Both tracks through the live loop (as fast as it decodes); the sentences."""
    from whispertrans_tray.app import live
    from whispertrans_tray.app.timeline import Stream, timeline
    from whispertrans_tray.core.echo import EchoFilter
    from whispertrans_tray.core.types import Sentence

    them_rec, me_rec = live_recognizer(asr, model), live_recognizer(asr, model)
    streams = [Stream(live.file_chunks(them, False, live.RunStats()), them_rec, None, "Them",
                      lambda: them_rec.window_seconds > 0),
               Stream(live.file_chunks(mic, False, live.RunStats()), me_rec, None, "Me",
                      lambda: me_rec.window_seconds > 0)]
    hold = EchoFilter("Me", "Them", lambda: them_rec.stream_time,
                      lambda: them_rec.window_seconds > 0) if echo else None
    return [e for e in timeline(streams, hold=hold) if isinstance(e, Sentence)]


def main() -> None:
    parser = arguments(__doc__, "threads")
    parser.add_argument("--delay-ms", type=int, default=250)
    parser.add_argument("--gain", type=float, default=0.5)
    parser.add_argument("--tail-ms", type=int, default=500, help="the AEC's filter length")
    args = parser.parse_args()
    from benchmarks.bench_file_mode import references
    from whispertrans_tray.app import live
    from whispertrans_tray.core.echo import covered
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings

    asr = AsrSettings(device="cpu", cpu_threads=args.threads, language="en")
    model = asr_faster_whisper.load(asr)
    refs = references()
    jfk, libri = live.read_audio(DATA / "jfk.flac"), live.read_audio(DATA / "en_librispeech.wav")
    delay = int(args.delay_ms * 16)
    rows = []
    for mix, user_at in (("in turn", jfk.size + 16000), ("over", 3 * 16000)):
        length = max(jfk.size + delay, user_at + libri.size) + 32000
        them = np.zeros(length, np.float32)
        them[:jfk.size] = jfk
        mic = np.zeros(length, np.float32)
        mic[delay:delay + jfk.size] += args.gain * jfk
        mic[user_at:user_at + libri.size] += libri
        for option in ("none", "pyaec", "text+time"):
            heard = cancel(mic, them, args.tail_ms) if option == "pyaec" else mic
            sentences = run(them, heard, asr, model, echo=option == "text+time")
            mine = [s.text for s in sentences if s.speaker == "Me"]
            echoes = sum(covered(text, [refs["jfk.flac"][1]]) >= 0.6 for text in mine)
            rows.append(f"| {mix} | {option} | {len(mine)} | {echoes} | "
                        f"{error_rate(refs['en_librispeech.wav'][1], ' '.join(mine)):.3f} | "
                        f"{' / '.join(mine)} |")
    table = "\n".join([
        f"The microphone hears the speakers {args.delay_ms} ms late at gain {args.gain}; "
        f"pyaec filter {args.tail_ms} ms, reference sample-aligned.",
        "",
        "| mix | option | your sentences | echo sentences | your WER | your side's text |",
        "|---|---|---|---|---|---|",
        *rows,
    ])
    publish(table, args.record, "Echo without headphones: options on the same mixes")


if __name__ == "__main__":
    main()
