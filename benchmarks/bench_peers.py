"""Our streaming pipeline against ufal/whisper_streaming, same model, same audio, one run.

Both replay each clip at 1× speed through the same arrival process (all audio that has arrived
is handed over before each step, so neither builds a queue).  Both use the bundled Whisper base
(CPU, int8, 2 threads) and are told the clip's language (auto-detected on the English + German
clip, where whisper_streaming detects it on every decode).  whisper_streaming keeps its own
defaults (LocalAgreement on a rolling buffer, beam 5, segment trimming at 15 s); its
faster-whisper backend is hard-wired to CUDA, so its ``load_model`` is pointed at our CPU model.

Latency at each speech end E (Silero VAD on the clip, 500 ms pauses): wall time at which the
committed text first reaches a word ending at or after E − 0.5 s, minus E.

The peer is fetched beside the project, not committed:
``git -C /work/.mirror/ufal+whisper_streaming/repo show HEAD:whisper_online.py``
→ ``benchmarks/_peers/whisper_online.py`` (gitignored), or pass ``--peer PATH``.

    python -m benchmarks.bench_peers [--peer benchmarks/_peers/whisper_online.py] [--record]
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
PEER = ROOT / "benchmarks" / "_peers" / "whisper_online.py"
MIRROR = Path("/work/.mirror/ufal+whisper_streaming/repo")
CLIPS = {"jfk.flac": "en", "en_librispeech.wav": "en", "zh_aishell.wav": "zh",
         "multilingual.mp3": None}


def load_peer(path: Path) -> ModuleType:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        source = subprocess.run(["git", "-C", str(MIRROR), "show", "HEAD:whisper_online.py"],
                                check=True, capture_output=True, text=True).stdout
        path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("whisper_online", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["whisper_online"] = module
    spec.loader.exec_module(module)
    return module


def speech_ends(audio: Any) -> list[float]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    spans = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=500,
                                                    speech_pad_ms=0))
    return [s["end"] / 16000 for s in spans]


def latencies(ends: list[float], commits: list[tuple[float, float]]) -> list[float]:
    """For each speech end, first commit (wall, stream end) covering it; wall − end."""
    out = []
    for end in ends:
        wall = next((w for w, stream_end in commits if stream_end >= end - 0.5), None)
        if wall is not None:
            out.append(wall - end)
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(round(q * (len(ordered) - 1)), len(ordered) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--peer", type=Path, default=PEER)
    parser.add_argument("--clips", default=",".join(CLIPS))
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()

    from tests.textnorm import cer, wer
    from whispertrans_tray.__main__ import build_recognizer
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import Event, Sentence
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings

    peer = load_peer(args.peer)
    refs = {}
    import csv

    with (DATA / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        refs = {r["file"]: r["reference"] for r in csv.DictReader(handle, delimiter="\t")}

    model = asr_faster_whisper.load(AsrSettings(device="cpu", cpu_threads=2))

    class CpuASR(peer.FasterWhisperASR):  # type: ignore[name-defined,misc]
        """whisper_streaming's backend, given our loaded CPU int8 model."""

        def load_model(self, modelsize: Any = None, cache_dir: Any = None,
                       model_dir: Any = None) -> Any:
            return model.model

    rows = []
    ours_all: list[float] = []
    theirs_all: list[float] = []
    for name in args.clips.split(","):
        language = CLIPS[name]
        asr = AsrSettings(device="cpu", cpu_threads=2, language=language or "auto")
        audio = live.read_audio(DATA / name)
        ends = speech_ends(audio)

        # ours
        recognizer = build_recognizer(asr, model, live=True)
        ours_commits: list[tuple[float, float]] = []
        ours_text: list[str] = []
        t0 = time.perf_counter()

        def on_event(event: Event, commits: list[tuple[float, float]] = ours_commits,
                     texts: list[str] = ours_text, start: float = t0) -> None:
            if isinstance(event, Sentence):
                commits.append((time.perf_counter() - start, event.end))
                texts.append(event.text)

        live.run(audio, recognizer, on_event, realtime=True)

        # theirs
        their_asr = CpuASR(language, modelsize="base")
        processor = peer.OnlineASRProcessor(their_asr, buffer_trimming=("segment", 15),
                                            logfile=open("/dev/null", "w"))  # noqa: SIM115
        their_commits: list[tuple[float, float]] = []
        their_text: list[str] = []
        stats = live.RunStats()
        t0 = time.perf_counter()
        for piece in live.file_chunks(audio, True, stats):
            processor.insert_audio_chunk(piece)
            _, end, text = processor.process_iter()
            if text:
                their_commits.append((time.perf_counter() - t0, end))
                their_text.append(text)
        _, end, text = processor.finish()
        if text:
            their_commits.append((time.perf_counter() - t0, end))
            their_text.append(text)

        ours = latencies(ends, ours_commits)
        theirs = latencies(ends, their_commits)
        ours_all += ours
        theirs_all += theirs
        metric = cer if language == "zh" else wer
        score = ""
        if name != "multilingual.mp3":
            from opencc import OpenCC

            conv = OpenCC("t2s").convert if language == "zh" else (lambda s: s)
            score = (f"{metric(refs[name], conv(' '.join(ours_text))):.2f} / "
                     f"{metric(refs[name], conv(' '.join(their_text))):.2f}")
        rows.append(f"| {name} | {len(ends)} | {pct(ours, 0.5):.2f} / {pct(theirs, 0.5):.2f} | "
                    f"{pct(ours, 0.9):.2f} / {pct(theirs, 0.9):.2f} | "
                    f"{pct(ours, 0.5) / pct(theirs, 0.5):.2f} | {score} |")
    table = "\n".join([
        "| clip | speech ends | p50 s ours / peer | p90 s ours / peer | p50 ratio | "
        "WER (CER zh) ours / peer |",
        "|---|---|---|---|---|---|",
        *rows,
        f"| **all** | {len(ours_all)} | {pct(ours_all, 0.5):.2f} / {pct(theirs_all, 0.5):.2f} | "
        f"{pct(ours_all, 0.9):.2f} / {pct(theirs_all, 0.9):.2f} | "
        f"{pct(ours_all, 0.5) / pct(theirs_all, 0.5):.2f} | |",
    ])
    print(table)
    if args.record:
        from benchmarks.common import append_results

        append_results("Peer comparison: speech end → committed text, vs ufal/whisper_streaming",
                       table, "Same loaded model (Whisper base, CPU int8, 2 threads), same 1× "
                       "arrival, language given. Peer: whisper_streaming @ 1f25a1a, "
                       "OnlineASRProcessor with its defaults (beam 5, segment trimming 15 s).")


if __name__ == "__main__":
    main()
