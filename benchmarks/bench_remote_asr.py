"""Remote recognition (``asr.backend`` remote) on a loopback server vs local decoding.

1. Speech end → committed text, the same clips replayed at 1× in the same run: local
   faster-whisper, and every decode on faster-whisper-server 0.0.3 on 127.0.0.1 (the test
   suite's server: the bundled base folder, int8, greedy, 2 threads).
2. Client overhead per request (WAV encode + HTTP + JSON parse) against a loopback server that
   answers at once (tests/servers/fake_asr.py): the time the client adds to the server's own.
3. N clients (1, 2, 4) replaying at 1× at once against one server: each client's latency when
   every decode goes to the server, when each decodes locally, and with the fallback (remote
   while it answers within real time plus the lag budget, else local with probes).

    python -m benchmarks.bench_remote_asr [--clips jfk.flac,en_librispeech.wav]
                                          [--clients 1,2,4] [--record]
"""

from __future__ import annotations

import statistics
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import common
from benchmarks.common import DATA, arguments, decode_seconds, percentile, publish


def replay(transcriber: Any, asr: Any, audio: Any) -> list[float]:
    """Speech end → committed latencies of ``audio`` replayed at 1× on ``transcriber``."""
    from whispertrans_tray.__main__ import build_recognizer

    return common.replay(build_recognizer(asr, transcriber, live=True), audio)[0]


def together(makers: list[Callable[[], list[float]]]) -> list[list[float]]:
    """Run the clients at once, one thread each; each one's latencies."""
    results: list[list[float]] = [[] for _ in makers]

    def run(i: int) -> None:
        results[i] = makers[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(makers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def cell(values: list[float]) -> str:
    return f"{percentile(values, 0.5):.2f} / {percentile(values, 0.9):.2f}"


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--clips", default="jfk.flac,en_librispeech.wav")
    parser.add_argument("--clients", default="1,2,4")
    args = parser.parse_args()

    import numpy as np

    from tests.servers.fake_asr import FakeAsrServer
    from tests.servers.whisper_server import WhisperServer
    from whispertrans_tray.app import live
    from whispertrans_tray.app.asr_fallback import FallbackTranscriber
    from whispertrans_tray.core.types import SAMPLE_RATE
    from whispertrans_tray.providers import asr_faster_whisper, model_store
    from whispertrans_tray.providers.asr_remote import RemoteWhisper, read_wav
    from whispertrans_tray.settings import AsrSettings

    asr = AsrSettings(device="cpu", cpu_threads=2, language="en")
    gap = np.zeros(SAMPLE_RATE, dtype=np.float32)
    audio = np.concatenate([part for name in args.clips.split(",")
                            for part in (live.read_audio(DATA / name), gap)])
    local = asr_faster_whisper.load(asr)
    clip = read_wav()
    local_1s = decode_seconds(local, clip)

    # 2. client overhead against a server that answers at once
    overhead: dict[int, list[float]] = {}
    with FakeAsrServer("slow") as instant:
        remote = RemoteWhisper(instant.url, "whisper-1", timeout_s=10)
        for seconds in (1, 5, 10):
            window = np.tile(clip, seconds)
            remote.transcribe(window, "en")  # the connection is open from here on
            overhead[seconds] = []
            for _ in range(30):
                remote.transcribe(window, "en")
                overhead[seconds].append(remote.last_seconds * 1000)
        remote.close()

    with tempfile.TemporaryDirectory() as folder:
        server = WhisperServer(model_store.bundled_base(), Path(folder) / "server.log")
        server.start()
        try:
            warm = RemoteWhisper(server.url, "whisper-1", timeout_s=120)
            warm.transcribe(clip, "en")
            remote_1s = decode_seconds(warm, clip)
            # 1. the same audio, local then remote
            single_local = replay(local, asr, audio)
            single_remote = replay(warm, asr, audio)
            # 3. N clients at once
            rows = []
            for n in (int(x) for x in args.clients.split(",")):
                models = [asr_faster_whisper.load(
                    AsrSettings(device="cpu", cpu_threads=1, language="en")) for _ in range(n)]
                remotes = [RemoteWhisper(server.url, "whisper-1", timeout_s=60)
                           for _ in range(n)]
                fallbacks = [FallbackTranscriber(RemoteWhisper(server.url, "whisper-1",
                                                               timeout_s=5.0),
                                                 models[i], lambda message: None, "en",
                                                 probe_audio=clip) for i in range(n)]
                for f in fallbacks:
                    f.calibrate()
                runs = {}
                for kind, transcribers in (("local", models), ("remote", remotes),
                                           ("fallback", fallbacks)):
                    runs[kind] = together([lambda tr=tr: replay(tr, asr, audio)
                                           for tr in transcribers])
                for i in range(n):
                    f = fallbacks[i]
                    rows.append(f"| {n} | {i + 1} | {cell(runs['local'][i])} | "
                                f"{cell(runs['remote'][i])} | {cell(runs['fallback'][i])} | "
                                f"{f.remote_decodes} / {f.local_decodes} | "
                                f"{' → '.join(f.switches) or '-'} |")
                for f in fallbacks:
                    f.close()
                for r in remotes:
                    r.close()
        finally:
            server.kill()

    table = "\n".join([
        f"One local decode of the 1-s test clip: {local_1s * 1000:.0f} ms; the same clip on "
        f"the loopback server: {remote_1s * 1000:.0f} ms (client included).",
        "",
        "Speech end → committed text, the same audio replayed at 1× in the same run "
        "(p50 / p90 s):",
        "",
        "| recognition | sentences | p50 | p90 | mean |",
        "|---|---|---|---|---|",
        f"| local (bundled base, int8, 2 threads) | {len(single_local)} | "
        f"{percentile(single_local, 0.5):.2f} | {percentile(single_local, 0.9):.2f} | "
        f"{statistics.fmean(single_local):.2f} |",
        f"| remote: faster-whisper-server on 127.0.0.1 | {len(single_remote)} | "
        f"{percentile(single_remote, 0.5):.2f} | {percentile(single_remote, 0.9):.2f} | "
        f"{statistics.fmean(single_remote):.2f} |",
        "",
        "Client overhead per request against a loopback server that answers at once "
        "(WAV encode + HTTP + parse, 30 requests each, ms):",
        "",
        "| window | p50 | p90 | max |",
        "|---|---|---|---|",
        *[f"| {s} s | {percentile(v, 0.5):.1f} | {percentile(v, 0.9):.1f} | {max(v):.1f} |"
          for s, v in overhead.items()],
        "",
        "N clients at once against one server, each replaying the audio at 1× (speech end → "
        "committed, p50 / p90 s; the fallback's decodes remote / local):",
        "",
        "| N | client | local only | remote only | with fallback | fallback decodes | "
        "switches |",
        "|---|---|---|---|---|---|---|",
        *rows,
    ])
    publish(table, args.record,
            "Remote recognition on a loopback server vs local (bench_remote_asr)",
            "The server is faster-whisper-server 0.0.3 serving the bundled base folder on "
            "this same 2-core CPU (int8, greedy, 2 threads), so it is no faster than local "
            "decoding: it encodes a padded 30-s window per request, while local decoding "
            "encodes the audio plus 2 s. This measures the client's cost and the fallback, "
            "not a GPU box. The 2-core machine was shared with other work during the run: "
            "compare the columns of one run, not absolute figures across runs. N-client "
            "local models decode with 1 thread each.")


if __name__ == "__main__":
    main()
