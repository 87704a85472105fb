"""Soak: a long 1× replay through the whole live path, counting lost sentences and RSS growth.

Audio (the shared clips, concatenated and repeated) goes through the streaming recognizer,
every committed sentence through the translation worker (to a local OpenAI-compatible test
server on 127.0.0.1) and into the session history.  At the end every sentence must have a
finished translation and a history record: ``lost`` must be 0.  RSS is sampled every 10 s.

    python -m benchmarks.bench_soak [--minutes 20] [--record]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from pathlib import Path

import numpy as np


def rss_mib() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()

    from benchmarks.bench_lag import long_audio
    from tests.servers.fake_openai import FakeServer
    from whispertrans_tray.__main__ import build_recognizer
    from whispertrans_tray.app import history, live
    from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
    from whispertrans_tray.core.types import Event, Sentence
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.providers.translate_openai import OpenAITranslator
    from whispertrans_tray.settings import AsrSettings, TranslationSettings

    asr = AsrSettings(device="cpu", cpu_threads=2)
    model = asr_faster_whisper.load(asr)
    audio = long_audio(args.minutes)
    samples: list[float] = [rss_mib()]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(10):
            samples.append(rss_mib())

    sentences: list[Sentence] = []
    done: dict[int, TranslationUpdate] = {}
    with tempfile.TemporaryDirectory() as tmp, FakeServer("ok") as server:
        writer = history.SessionWriter(Path(tmp))
        config = TranslationSettings(url=server.url, model="test-model")
        service = TranslationService(config, OpenAITranslator(config),
                                     lambda u: done.__setitem__(u.index, u)
                                     if u.done else None)

        def on_event(event: Event) -> None:
            if isinstance(event, Sentence):
                sentences.append(event)
                writer.sentence(event)
                service.submit(event)

        threading.Thread(target=sample, daemon=True).start()
        recognizer = build_recognizer(asr, model, live=True)
        stats = live.run(audio, recognizer, on_event, realtime=True)
        service.drain(60)
        service.close()
        stop.set()
        writer.close()
        kept = {line.sentence.index for line in history.load(writer.path)}
    lost = sum(1 for s in sentences if s.index not in kept or s.index not in done
               or done[s.index].error)
    first = float(np.median(samples[1:4])) if len(samples) > 4 else samples[0]
    table = "\n".join([
        f"{args.minutes:g} min soak: {len(sentences)} sentences, max lag "
        f"{stats.max_lag_seconds:.2f} s.",
        "",
        "| RSS start MiB | RSS end MiB | growth MiB | lost sentences |",
        "|---|---|---|---|",
        f"| {first:.0f} | {samples[-1]:.0f} | {samples[-1] - first:+.0f} | {lost} |",
    ])
    print(table)
    if args.record:
        from benchmarks.common import append_results

        append_results("Soak (1× replay → recognizer → translation → history)", table,
                       "RSS start = median of the first samples after the model loaded. "
                       "An 8-hour soak is the same command with --minutes 480.")


if __name__ == "__main__":
    main()
