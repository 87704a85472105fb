"""File-mode throughput and model load time of the default model (Whisper base, int8, CPU).

For each clip: the real-time factor of ``whispertrans-tray transcribe`` (the streaming pipeline
in file mode) and of faster-whisper's own batch ``transcribe(vad_filter=True)`` on the same
loaded model, in the same run, as a ratio; plus the WER/CER of both against the reference.

    python -m benchmarks.bench_file_mode [--threads 2] [--repeat 1] [--record]
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CLIPS = ("jfk.flac", "en_librispeech.wav", "zh_aishell.wav", "multilingual.mp3")


def references() -> dict[str, tuple[str, str]]:
    with (DATA / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return {r["file"]: (r["language"], r["reference"])
                for r in csv.DictReader(handle, delimiter="\t")}


def score(language: str, ref: str, hyp: str) -> str:
    from opencc import OpenCC

    from tests.textnorm import cer, wer

    if language == "zh":
        return f"CER {cer(ref, OpenCC('t2s').convert(hyp)):.2f}"
    if language == "en":
        return f"WER {wer(ref, hyp):.2f}"
    return "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--record", action="store_true", help="append to benchmarks/RESULTS.md")
    args = parser.parse_args()

    import os

    from whispertrans_tray.__main__ import build_recognizer
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import SAMPLE_RATE, Sentence
    from whispertrans_tray.providers import asr_faster_whisper, model_store
    from whispertrans_tray.settings import AsrSettings

    with tempfile.TemporaryDirectory() as cache:
        os.environ["WHISPERTRANS_CACHE_DIR"] = cache
        t = time.perf_counter()
        model_store.bundled_base()
        join_s = time.perf_counter() - t
        asr = AsrSettings(device="cpu", cpu_threads=args.threads)
        model = asr_faster_whisper.load(asr)
        rows = []
        total_audio = total_ours = total_theirs = 0.0
        refs = references()
        for name in CLIPS:
            audio = live.read_audio(DATA / name)
            seconds = audio.size / SAMPLE_RATE
            ours = theirs = float("inf")
            text = offline = ""
            for _ in range(args.repeat):
                sentences: list[Sentence] = []
                recognizer = build_recognizer(asr, model, live=False)
                stats = live.run(audio, recognizer, lambda e, s=sentences: s.append(e)
                                     if isinstance(e, Sentence) else None)
                ours = min(ours, stats.wall_seconds)
                text = " ".join(s.text for s in sentences)
                t = time.perf_counter()
                offline, _ = model.transcribe_offline(audio, None)
                theirs = min(theirs, time.perf_counter() - t)
            language, ref = refs[name]
            total_audio += seconds
            total_ours += ours
            total_theirs += theirs
            rows.append(f"| {name} | {seconds:.1f} | {ours / seconds:.3f} | "
                        f"{theirs / seconds:.3f} | {ours / theirs:.2f} | "
                        f"{score(language, ref, text)} | {score(language, ref, offline)} |")
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table = "\n".join([
        f"Model join (first start): {join_s:.2f} s; model load: {model.info.load_seconds:.2f} s "
        f"({model.info.device}/{model.info.compute_type}, {args.threads} threads); "
        f"peak RSS {peak_mib:.0f} MiB.",
        "",
        "| clip | audio s | RTF streaming file mode | RTF faster-whisper batch | ratio | "
        "ours | batch |",
        "|---|---|---|---|---|---|---|",
        *rows,
        f"| **all** | {total_audio:.1f} | {total_ours / total_audio:.3f} | "
        f"{total_theirs / total_audio:.3f} | {total_ours / total_theirs:.2f} | | |",
    ])
    print(table)
    if args.record:
        from benchmarks.common import append_results

        append_results("File mode throughput and model load", table,
                       "RTF = wall time / audio time (lower is faster); best of "
                       f"{args.repeat}. Batch = faster-whisper `transcribe(vad_filter=True)` on "
                       "the same loaded model in the same run.")


if __name__ == "__main__":
    main()
