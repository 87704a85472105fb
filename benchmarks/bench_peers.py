"""Our streaming pipeline against peer streaming recognizers, same model, same audio, one run.

Peers (``--peers``, comma-separated, run one after another, never at the same time):

- ``whisper_streaming`` (ufal/whisper_streaming, in this process): its defaults (LocalAgreement
  on a rolling buffer, beam 5, segment trimming at 15 s); its faster-whisper backend is
  hard-wired to CUDA, so its ``load_model`` is pointed at our loaded CPU model.
- ``whisperlivekit`` (PyPI ``whisperlivekit``, in its own venv, ``--wlk-python``): its
  faster-whisper backend with the LocalAgreement policy and its defaults (beam 5, segment
  trimming at 15 s, Silero VAC from the ONNX file in its wheel), pointed at our bundled model
  folder, loaded on CPU int8 with 2 threads.  ``benchmarks/peer_whisperlivekit.py`` drives it
  in a subprocess (see its docstring for exactly which calls) and prints committed words as
  JSON lines; ``--wlk-no-vac`` feeds it like whisper_streaming instead.

All replay each clip at 1× speed through the same arrival process (all audio that has arrived
is handed over before each step, so none builds a queue).  All use the bundled Whisper base
(CPU, int8, 2 threads) and are told the clip's language (auto-detected on the English + German
clip, where the peers detect it on every decode).

Latency at each speech end E (Silero VAD on the clip, 500 ms pauses): wall time at which the
committed text first reaches a word ending at or after E − 0.5 s, minus E.  "reached" counts the
speech ends a recognizer's commits reached at all; p50/p90 are over those.  Ratios are
ours / peer (below 1: ours commits sooner).

whisper_streaming is fetched beside the project, not committed:
``git -C /work/.mirror/ufal+whisper_streaming/repo show HEAD:whisper_online.py``
→ ``benchmarks/_peers/whisper_online.py`` (gitignored), or pass ``--peer PATH``.

WhisperLiveKit lives in a venv outside the repo, so its torch and pins never touch ours
(torch 2.13.0 is the CPU build from the local wheel folder; the install takes about a minute)::

    python3 -m venv /work/peers/wlk-venv
    /work/peers/wlk-venv/bin/pip install torch==2.13.0 whisperlivekit==0.2.26

It needs no network at run time: the model is our folder (``model_dir``), the VAD is the Silero
ONNX file shipped in the wheel, and the warm-up (which by default downloads a JFK wav) is given
tests/data/jfk.flac.  The subprocess runs with ``HF_HUB_OFFLINE=1`` so any hub call would fail
at once instead of waiting on the network.

    python -m benchmarks.bench_peers [--peers whisper_streaming,whisperlivekit]
        [--wlk-python /work/peers/wlk-venv/bin/python] [--clips jfk.flac,...] [--record]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
PEER = ROOT / "benchmarks" / "_peers" / "whisper_online.py"
MIRROR = Path("/work/.mirror/ufal+whisper_streaming/repo")
WLK_DRIVER = ROOT / "benchmarks" / "peer_whisperlivekit.py"
WLK_PYTHON = Path("/work/peers/wlk-venv/bin/python")
CLIPS = {"jfk.flac": "en", "en_librispeech.wav": "en", "zh_aishell.wav": "zh",
         "multilingual.mp3": None}
PEERS = ("whisper_streaming", "whisperlivekit")


@dataclass
class Run:
    """One recognizer on one clip: (wall s since replay start, stream end of the commit)."""

    commits: list[tuple[float, float]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    sep: str = " "
    error: str = ""


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


def run_whisper_streaming(peer: ModuleType, model: Any, audio: Any,
                          language: str | None) -> Run:
    """whisper_streaming's OnlineASRProcessor on our loaded model, stepped on every arrival."""
    from whispertrans_tray.app import live

    class CpuASR(peer.FasterWhisperASR):  # type: ignore[name-defined,misc]
        """whisper_streaming's backend, given our loaded CPU int8 model."""

        def load_model(self, modelsize: Any = None, cache_dir: Any = None,
                       model_dir: Any = None) -> Any:
            return model.model

    their_asr = CpuASR(language, modelsize="base")
    processor = peer.OnlineASRProcessor(their_asr, buffer_trimming=("segment", 15),
                                        logfile=open("/dev/null", "w"))  # noqa: SIM115
    run = Run()
    stats = live.RunStats()
    t0 = time.perf_counter()
    for piece in live.file_chunks(audio, True, stats):
        processor.insert_audio_chunk(piece)
        _, end, text = processor.process_iter()
        if text:
            run.commits.append((time.perf_counter() - t0, end))
            run.text.append(text)
    _, end, text = processor.finish()
    if text:
        run.commits.append((time.perf_counter() - t0, end))
        run.text.append(text)
    return run


def run_whisperlivekit(python: Path, model_dir: Path, audio: Any, language: str | None,
                       no_vac: bool) -> Run:
    """WhisperLiveKit in its venv (peer_whisperlivekit.py); its JSON lines become a Run."""
    import numpy as np

    if not python.exists():
        return Run(error=f"no WhisperLiveKit venv at {python} (set it up as in the docstring)")
    with tempfile.TemporaryDirectory() as tmp:
        clip = Path(tmp) / "clip.npy"
        np.save(clip, np.asarray(audio, dtype=np.float32))
        cmd = [str(python), str(WLK_DRIVER), "--model-dir", str(model_dir), "--audio",
               str(clip), "--language", language or "auto", "--threads", "2",
               "--warmup", str(DATA / "jfk.flac")] + (["--no-vac"] if no_vac else [])
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": ""}
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    run = Run(sep="")
    done = False
    for line in proc.stdout.splitlines():
        if not line.startswith("{"):
            continue
        event = json.loads(line)
        if event["event"] == "commit":
            run.commits.append((event["wall"], event["end"]))
            run.text.append(event["text"])
        done = done or event["event"] == "done"
    if proc.returncode != 0 or not done:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        run.error = f"exit {proc.returncode}: {tail}"
    return run


def main() -> None:
    from benchmarks.common import arguments

    parser = arguments(__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peers", default=",".join(PEERS),
                        help=f"comma-separated, from {', '.join(PEERS)}")
    parser.add_argument("--peer", type=Path, default=PEER,
                        help="whisper_streaming's whisper_online.py")
    parser.add_argument("--wlk-python", type=Path, default=WLK_PYTHON,
                        help="python of the WhisperLiveKit venv")
    parser.add_argument("--wlk-no-vac", action="store_true",
                        help="WhisperLiveKit without its VAC (decode on every arrival)")
    parser.add_argument("--clips", default=",".join(CLIPS))
    args = parser.parse_args()
    peers = args.peers.split(",")
    unknown = set(peers) - set(PEERS)
    if unknown:
        parser.error(f"unknown peers: {', '.join(sorted(unknown))}")

    from tests.textnorm import cer, wer
    from whispertrans_tray.__main__ import build_recognizer
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import Event, Sentence
    from whispertrans_tray.providers import asr_faster_whisper, model_store
    from whispertrans_tray.settings import AsrSettings

    ws = load_peer(args.peer) if "whisper_streaming" in peers else None
    with (DATA / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        refs = {r["file"]: r["reference"] for r in csv.DictReader(handle, delimiter="\t")}

    model = asr_faster_whisper.load(AsrSettings(device="cpu", cpu_threads=2))
    model_dir = Path(model_store.bundled_base())

    names = ["ours", *peers]
    rows = []
    pooled: dict[str, list[float]] = {n: [] for n in names}
    errors: list[str] = []
    total_ends = 0
    for clip in args.clips.split(","):
        language = CLIPS[clip]
        asr = AsrSettings(device="cpu", cpu_threads=2, language=language or "auto")
        audio = live.read_audio(DATA / clip)
        ends = speech_ends(audio)
        total_ends += len(ends)
        runs: dict[str, Run] = {}

        recognizer = build_recognizer(asr, model, live=True)
        ours = Run()
        t0 = time.perf_counter()

        def on_event(event: Event, run: Run = ours, start: float = t0) -> None:
            if isinstance(event, Sentence):
                run.commits.append((time.perf_counter() - start, event.end))
                run.text.append(event.text)

        live.run(audio, recognizer, on_event, realtime=True)
        runs["ours"] = ours
        if ws is not None:
            runs["whisper_streaming"] = run_whisper_streaming(ws, model, audio, language)
        if "whisperlivekit" in peers:
            runs["whisperlivekit"] = run_whisperlivekit(args.wlk_python, model_dir, audio,
                                                         language, args.wlk_no_vac)

        lat = {n: latencies(ends, runs[n].commits) for n in names}
        for n in names:
            pooled[n] += lat[n]
            if runs[n].error:
                errors.append(f"{n} on {clip}: {runs[n].error}")
                print(f"{n} on {clip} failed: {runs[n].error}", file=sys.stderr)
        score = ""
        if clip != "multilingual.mp3":
            from opencc import OpenCC

            metric = cer if language == "zh" else wer
            conv = OpenCC("t2s").convert if language == "zh" else (lambda s: s)
            score = " / ".join(
                "-" if runs[n].error else
                f"{metric(refs[clip], conv(runs[n].sep.join(runs[n].text))):.2f}"
                for n in names)
        rows.append(row(clip, len(ends), lat, names, score))
    names_head = " / ".join(names)
    peer_head = " / ".join(peers)
    table = "\n".join([
        f"| clip | speech ends | reached {names_head} | p50 s {names_head} | "
        f"p90 s {names_head} | p50 ratio ours / ({peer_head}) | "
        f"p90 ratio ours / ({peer_head}) | WER (CER zh) {names_head} |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        row("**all**", total_ends, pooled, names, ""),
    ])
    print(table)
    for error in errors:
        print(f"error: {error}")
    if args.record:
        from benchmarks.common import append_results

        notes = ("Same model (Whisper base, CPU int8, 2 threads), same 1× arrival, language "
                 "given. Peers run one after another. whisper_streaming @ 1f25a1a: "
                 "OnlineASRProcessor with its defaults (beam 5, segment trimming 15 s), our "
                 "loaded model. WhisperLiveKit 0.2.26 (own venv, torch 2.13.0+cpu, "
                 "faster-whisper 1.2.1): faster-whisper backend, LocalAgreement "
                 "OnlineASRProcessor with its defaults (beam 5, segment trimming 15 s), "
                 + ("no VAC" if args.wlk_no_vac else "its Silero VAC (ONNX from the wheel)")
                 + ", our model folder via model_dir, loaded CPU int8 2 threads. Ratios "
                 "< 1: ours commits sooner.")
        if errors:
            notes += "\n\nFailures: " + "; ".join(errors)
        append_results("Peer comparison: speech end → committed text, vs " + ", ".join(peers),
                       table, notes)


def row(label: str, ends: int, lat: dict[str, list[float]], names: list[str],
        score: str) -> str:
    """One table row: reached ends, p50/p90 for every recognizer, ours / peer ratios."""
    p50 = {n: pct(lat[n], 0.5) for n in names}
    p90 = {n: pct(lat[n], 0.9) for n in names}
    peers = names[1:]
    return (f"| {label} | {ends} | {' / '.join(str(len(lat[n])) for n in names)} | "
            f"{' / '.join(f'{p50[n]:.2f}' for n in names)} | "
            f"{' / '.join(f'{p90[n]:.2f}' for n in names)} | "
            f"{' / '.join(f'{p50[names[0]] / p50[n]:.2f}' for n in peers)} | "
            f"{' / '.join(f'{p90[names[0]] / p90[n]:.2f}' for n in peers)} | {score} |")


if __name__ == "__main__":
    main()
