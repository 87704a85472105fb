"""File-mode throughput, accuracy and memory of the default model (Whisper base, int8, CPU).

For each clip, on the same loaded model in the same run, the real-time factor and WER/CER of:

* ours — ``whispertrans-tray transcribe`` (BatchRecognizer: whole VAD utterances, one at a
  time on a CPU), and the same with 8 decoded together;
* ours, sequential — the streaming recognizer in file mode (one decode per utterance, the
  previous file mode);
* faster-whisper's ``BatchedInferencePipeline`` (batch 8, its VAD, word timestamps, the same
  beam), the peer named in the issue;
* faster-whisper's sequential ``transcribe(vad_filter=True)``.

multilingual.mp3 has no reference text: it is scored against faster-whisper's offline
transcript of it with the language detected per 30-s segment (as bench_encoder_context does).

Memory: peak RSS of the ``transcribe`` command (a process of its own) on the 60-s clip and on
the clip repeated ten times (10 min); ``--before DIR`` also runs the code checked out in DIR.

    python -m benchmarks.bench_file_mode [--threads 2] [--repeat 1] [--clips a.flac,...]
                                         [--memory-minutes 10] [--before DIR] [--record]
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import (
    DATA,
    ROOT,
    arguments,
    offline_multilingual,
    publish,
    scored,
)

KINDS = ("ours", "ours batch 8", "ours sequential", "BatchedInferencePipeline",
         "fw sequential")
_PEAK = ("import atexit, resource, runpy, sys\n"
         "atexit.register(lambda: sys.stderr.write('PEAK_KIB %d\\n' % "
         "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
         "sys.argv = sys.argv[1:]\n"
         "runpy.run_module('whispertrans_tray', run_name='__main__')\n")


def references() -> dict[str, tuple[str, str]]:
    with (DATA / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return {r["file"]: (r["language"], r["reference"])
                for r in csv.DictReader(handle, delimiter="\t")}


def peak_rss_mib(code_dir: Path, audio: Path, threads: int, out: Path) -> tuple[float, float]:
    """Peak RSS (MiB) and wall seconds of ``transcribe audio`` run from ``code_dir``."""
    env = {**os.environ, "PYTHONPATH": str(code_dir)}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _PEAK, "whispertrans-tray", "transcribe", str(audio),
         "--threads", str(threads), "--language", "auto", "-o", str(out)],
        capture_output=True, text=True, env=env, check=False, cwd=str(code_dir))
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    peak = [x for x in result.stderr.splitlines() if x.startswith("PEAK_KIB ")][-1]
    return int(peak.split()[1]) / 1024, wall


def main() -> None:
    parser = arguments(__doc__, "threads", "clips")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--memory-minutes", type=float, default=10.0,
                        help="length of the long file for the peak-RSS rows")
    parser.add_argument("--before", type=Path, metavar="DIR",
                        help="a checkout of the previous code, for its peak RSS")
    args = parser.parse_args()

    import numpy as np
    from faster_whisper import BatchedInferencePipeline

    from whispertrans_tray.__main__ import build_file_recognizer, build_recognizer
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import Sentence
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings

    asr = AsrSettings(device="cpu", cpu_threads=args.threads)
    model = asr_faster_whisper.load(asr)
    pipeline = BatchedInferencePipeline(model.model)
    refs = references()
    clips = args.clips.split(",")
    audio = {name: live.read_audio(DATA / name) for name in {*clips, "multilingual.mp3"}}
    if "multilingual.mp3" in clips:
        refs["multilingual.mp3"] = ("en+de", offline_multilingual(model,
                                                                  audio["multilingual.mp3"]))

    def ours(recognizer: Any, name: str) -> str:
        sentences: list[Sentence] = []
        live.run(live.stream_audio(DATA / name), recognizer,
                 lambda e: sentences.append(e) if isinstance(e, Sentence) else None)
        return " ".join(s.text for s in sentences)

    def bip(name: str) -> str:
        result, _ = pipeline.transcribe(audio[name], batch_size=8, beam_size=model.beam_size,
                                        word_timestamps=True)
        return "".join(s.text for s in result).strip()

    runners: dict[str, Callable[[str], str]] = {
        "ours": lambda name: ours(build_file_recognizer(
            asr, model, live.file_batch_size(model.info.device)), name),
        "ours batch 8": lambda name: ours(build_file_recognizer(asr, model, 8), name),
        "ours sequential": lambda name: ours(build_recognizer(asr, model, live=False), name),
        "BatchedInferencePipeline": bip,
        "fw sequential": lambda name: model.transcribe_offline(audio[name], None)[0],
    }
    model.transcribe(audio["jfk.flac"][:32000], "en")  # warm-up
    rows = []
    totals = dict.fromkeys(KINDS, 0.0)
    total_audio = 0.0
    for name in clips:
        seconds = audio[name].size / 16000
        total_audio += seconds
        best = dict.fromkeys(KINDS, float("inf"))
        texts = dict.fromkeys(KINDS, "")
        for _ in range(args.repeat):
            for kind in KINDS:
                started = time.perf_counter()
                texts[kind] = runners[kind](name)
                best[kind] = min(best[kind], time.perf_counter() - started)
        for kind in KINDS:
            totals[kind] += best[kind]
        language, ref = refs[name]
        rows.append(f"| {name} | {seconds:.1f} | "
                    + " | ".join(f"{best[k] / seconds:.3f}" for k in KINDS) + " | "
                    + " | ".join(scored(ref, texts[k], language == "zh") for k in KINDS) + " |")
        print(rows[-1], flush=True)

    memory = []
    with tempfile.TemporaryDirectory() as tmp:
        ten = Path(tmp) / "multilingual_repeated.wav"
        clip = audio["multilingual.mp3"]
        repeats = np.resize(clip, int(args.memory_minutes * 60 * 16000))
        samples = (repeats * 32767).astype(np.int16)
        with wave.open(str(ten), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(16000)
            handle.writeframes(samples.tobytes())
        del samples, repeats
        minutes = f"{args.memory_minutes:g} min"
        dirs = [("this code", ROOT)] + ([("before", args.before)] if args.before else [])
        for label, code_dir in dirs:
            short, short_wall = peak_rss_mib(code_dir, DATA / "multilingual.mp3", args.threads,
                                             Path(tmp) / "a.srt")
            long, long_wall = peak_rss_mib(code_dir, ten, args.threads, Path(tmp) / "b.srt")
            memory.append(f"| {label} | {short:.0f} | {long:.0f} | {long - short:+.0f} | "
                          f"{short_wall / 59.9:.3f} | "
                          f"{long_wall / (args.memory_minutes * 60):.3f} |")
            print(memory[-1], flush=True)

    table = "\n".join([
        f"Model: {model.info.name} ({model.info.device}/{model.info.compute_type}, "
        f"{args.threads} threads), beam {model.beam_size}; best of {args.repeat}.",
        "",
        "| clip | audio s | " + " | ".join(f"RTF {k}" for k in KINDS) + " | "
        + " | ".join(KINDS) + " |",
        "|---|---|" + "---|" * (2 * len(KINDS)),
        *rows,
        f"| **all** | {total_audio:.1f} | "
        + " | ".join(f"{totals[k] / total_audio:.3f}" for k in KINDS) + " |" + " |" * len(KINDS),
        "",
        "Peak RSS of `whispertrans-tray transcribe` (its own process, language auto, model "
        "load included; RTF from the process's wall time, model load included):",
        "",
        f"| code | 60 s clip MiB | {minutes} MiB | growth MiB | RTF 60 s | RTF {minutes} |",
        "|---|---|---|---|---|---|",
        *memory,
    ])
    publish(table, args.record,
            "File mode: batched vs sequential vs BatchedInferencePipeline; memory",
            "RTF = wall time / audio time (lower is faster), file decode included for ours "
            "(read piece by piece), not for faster-whisper (given the decoded array).  The "
            "2-core machine was shared with other work during the run: compare columns of one "
            "run.  multilingual.mp3 is scored against faster-whisper's offline transcript "
            "(language per 30-s segment); BatchedInferencePipeline detects one language per "
            "file, so it transcribes the German half as English or the reverse.")


if __name__ == "__main__":
    main()
