"""What one client costs the recognition server, per minute of speech: requests, seconds of
audio sent (windows overlap, so the same second goes up several times) and bytes uploaded;
and the cuts, each measured side by side in the same run with WER and latency.

The real remote path (the live recognizer → :class:`RemoteWhisper` → HTTP) replays real
recordings at 1× against faster-whisper-server 0.0.3 on 127.0.0.1 (the bundled base folder,
int8, greedy, 2 threads: the test suite's server).  Variants, interleaved round by round:

* ``wav, partials 1 s``: WAV uploads, a partial decode every 1 s of new audio (before);
* ``flac, partials 1 s``: FLAC uploads (lossless: the server decodes the same samples);
* ``flac, partials 2 s``: FLAC, and a partial decode every 2 s of new audio.

Every request is recorded (stream time it was sent, window seconds, draft or not, service
seconds): ``--trace FILE`` writes the traces as JSON, the input of bench_users.py.

``--server oracle`` replays against a server that answers at once (tests/servers/fake_asr.py
answering the recording's true words, tests/oracle): what a client sends to a box that keeps
up, such as a GPU box (a slow server gets fewer, longer windows); its WER is the pipeline's
with perfect answers.

    python -m benchmarks.bench_remote_cost [--rounds 2] [--server fws|oracle]
                                           [--trace benchmarks/traces/remote.json] [--record]
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import common
from benchmarks.common import arguments, percentile, publish

VARIANTS: tuple[tuple[str, str, float], ...] = (
    ("wav, partials 1 s", "wav", 1.0),
    ("flac, partials 1 s", "flac", 1.0),
    ("flac, partials 2 s", "flac", 2.0),
)


class Traced:
    """A Transcriber that hands every decode to ``inner`` and notes it: when (stream clock),
    the window's seconds, draft or not, and how long the server took."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.started = time.perf_counter()
        self.requests: list[dict[str, float | bool]] = []

    def transcribe(self, audio: Any, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None, **options: Any) -> Any:
        sent = time.perf_counter() - self.started
        result = self.inner.transcribe(audio, language, prompt, draft, prefer, **options)
        self.requests.append({"at": round(sent, 3), "window_s": round(audio.size / 16000, 3),
                              "draft": draft,
                              "service_s": round(time.perf_counter() - self.started - sent, 3)})
        return result


def oracle_server(audio: Any) -> Any:
    """A real HTTP server on 127.0.0.1 that answers every upload at once with the recording's
    true words in the window sent (and the probe clip's)."""
    import io
    import wave

    import numpy as np

    from tests.oracle import recording
    from tests.oracle.transcriber import Oracle
    from tests.servers.fake_asr import FakeAsrServer
    from whispertrans_tray.providers.asr_remote import wav_bytes

    def as_sent(wav: bytes) -> Any:
        with wave.open(io.BytesIO(wav), "rb") as source:
            data = source.readframes(source.getnframes())
        return (np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0)

    oracle = Oracle(as_sent(wav_bytes(audio)), recording.word_times())

    def answer(wav: bytes) -> object:
        window = as_sent(wav)
        try:
            words = oracle.truth(window)
        except AssertionError:  # the 1-s probe clip: not in the recording
            words = ()
        text = "".join(w.text for w in words)
        duration = window.size / 16000
        return {"task": "transcribe", "language": "english", "duration": duration,
                "text": text, "words": [{"word": w.text, "start": w.start, "end": w.end}
                                        for w in words],
                "segments": [{"id": 0, "start": 0.0, "end": duration, "text": text}]}

    server = FakeAsrServer("answer")
    server.answer = answer
    return server


def run_variant(url: str, asr: Any, audio: Any, upload: str, partial_s: float) -> dict[str, Any]:
    """One 1× replay of ``audio`` through the remote path; what it cost and what it gave."""
    from tests.oracle import recording
    from whispertrans_tray.providers.asr_remote import RemoteWhisper

    remote = RemoteWhisper(url, "whisper-1", timeout_s=60, upload=upload)
    traced = Traced(remote)
    recognizer = common.live_recognizer(asr, traced, partial_interval_s=partial_s)
    latencies, texts, _, ends = replay(recognizer, audio, traced)
    remote.close()
    said = " ".join(texts)
    minutes = audio.size / 16000 / 60
    return {"requests": remote.sent.requests / minutes, "audio_s": remote.sent.audio_s / minutes,
            "bytes": remote.sent.bytes / minutes, "wer": common.error_rate(
                recording.reference(), said), "latencies": latencies,
            "drafts": sum(1 for r in traced.requests if r["draft"]) / minutes,
            "trace": traced.requests, "text": said, "sentences": [
                {"at": round(end + lag, 3), "text": text}
                for end, lag, text in zip(ends, latencies, texts, strict=True)]}


def replay(recognizer: Any, audio: Any,
           traced: Traced) -> tuple[list[float], list[str], Any, list[float]]:
    """:func:`common.replay`, and each committed sentence's stream end time; ``traced``'s
    clock is the stream's."""
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import Event, Sentence

    latencies: list[float] = []
    texts: list[str] = []
    ends: list[float] = []
    started = traced.started = time.perf_counter()

    def on_event(event: Event) -> None:
        if isinstance(event, Sentence):
            latencies.append(time.perf_counter() - started - event.end)
            texts.append(event.text)
            ends.append(event.end)

    stats = live.run(audio, recognizer, on_event, realtime=True)
    return latencies, texts, stats, ends


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--trace", type=Path, default=None)
    parser.add_argument("--server", choices=("fws", "oracle"), default="fws")
    args = parser.parse_args()

    from tests.oracle import recording
    from tests.servers.whisper_server import WhisperServer
    from whispertrans_tray.app import live
    from whispertrans_tray.providers import model_store
    from whispertrans_tray.providers.asr_remote import RemoteWhisper, read_wav
    from whispertrans_tray.settings import AsrSettings

    asr = AsrSettings(device="cpu", cpu_threads=2, language="en")
    audio = recording.build(live.read_audio)
    seconds = audio.size / 16000
    results: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in VARIANTS}
    with tempfile.TemporaryDirectory() as folder:
        if args.server == "oracle":
            server: Any = oracle_server(audio)
            server.__enter__()
        else:
            server = WhisperServer(model_store.bundled_base(), Path(folder) / "server.log")
            server.start()
        try:
            RemoteWhisper(server.url, "whisper-1", timeout_s=120).transcribe(read_wav(), "en")
            for _ in range(args.rounds):
                for name, upload, partial_s in VARIANTS:
                    results[name].append(run_variant(server.url, asr, audio, upload,
                                                     partial_s))
                    print(name, results[name][-1]["text"], flush=True)
        finally:
            server.kill()

    def mean(name: str, key: str) -> float:
        return statistics.fmean(r[key] for r in results[name])

    base = VARIANTS[0][0]
    rows = []
    for name, _, _ in VARIANTS:
        lat = [x for r in results[name] for x in r["latencies"]]
        rows.append(
            f"| {name} | {mean(name, 'requests'):.0f} | {mean(name, 'drafts'):.0f} | "
            f"{mean(name, 'audio_s'):.0f} ({mean(name, 'audio_s') / 60:.1f}×) | "
            f"{mean(name, 'bytes') / 1e6:.2f} ({mean(name, 'bytes') / mean(base, 'bytes'):.2f}) | "
            f"{mean(name, 'wer'):.3f} | {percentile(lat, 0.5):.2f} / {percentile(lat, 0.9):.2f} |")
    table = "\n".join([
        f"Per client and minute of speech: the {seconds:.1f}-s four-sentence recording "
        f"(tests/oracle) replayed at 1× {args.rounds}× per variant, variants interleaved, "
        "through the real remote path to " + (
            "a loopback server answering the true words at once (--server oracle):"
            if args.server == "oracle" else "faster-whisper-server on 127.0.0.1:"),
        "",
        "| variant | requests / min | of them partials | audio sent s / min (× speech) | "
        "MB uploaded / min (vs WAV) | WER | speech end → committed p50 / p90 s |",
        "|---|---|---|---|---|---|---|",
        *rows,
    ])
    if args.trace:
        args.trace.parent.mkdir(parents=True, exist_ok=True)
        args.trace.write_text(json.dumps({
            "recording_s": round(seconds, 3), "server": (
                "a loopback server answering the true words at once" if args.server == "oracle"
                else "faster-whisper-server 0.0.3, base, int8, 2 threads, 127.0.0.1"),
            "variants": {
                name: [{"requests": r["trace"], "sentences": r["sentences"]}
                       for r in results[name]] for name, _, _ in VARIANTS}},
            indent=1), encoding="utf-8")
    publish(table, args.record, "What each client costs the recognition server "
            "(bench_remote_cost)",
            "Requests, audio seconds and bytes are counted by the client (RemoteWhisper.sent); "
            "bytes are the audio files (the multipart form adds ~300 bytes a request). FLAC is "
            "lossless, so the server decodes the same samples: WER differences between the "
            "first two rows are the run-to-run variation of live windowing on a shared "
            "2-core machine, not the format. The server runs on the same 2 cores as the "
            "client, so latencies are those of a slow box.")


if __name__ == "__main__":
    main()
