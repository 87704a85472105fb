"""What a glossary does to recognition: WER of the shared clips and of the Kubernetes clip
with no glossary and with small and large ones, in file mode and live mode (bundled Whisper
base, each clip in its own language; multilingual.mp3 detected and scored against the offline
transcript of the same model).  The glossary's source terms become hotwords
(whispertrans_tray/providers/glossary_hints.py); "takeovers" counts the decodes they took over
(each decoded again without them), "s/audio s" the decode time per second of audio.

    python -m benchmarks.bench_glossary [--glossaries none,kubernetes,galaxy,large,greek]
        [--modes file,live] [--clips …] [--record]
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks.common import DATA, arguments, offline_multilingual, publish, scored

KUBERNETES = "kubernetes_espeak.wav"
GALAXY = [f"Galaxy S{n}{v}" for n in range(24, 14, -1) for v in ("", "+", " Ultra")]
GLOSSARIES: dict[str, list[str]] = {
    "none": [],
    "kubernetes": ["Kubernetes", "Grafana"],
    "galaxy": GALAXY,
    "numbered": [f"Product {n:03d}" for n in range(100)],
    "large": ["Kubernetes", "Grafana", *GALAXY, *(f"Product {n:03d}" for n in range(100)),
              *(f"term{n} name{n}" for n in range(10_000))],
    "greek": [f"Galaxy {name}" for name in ("Alpha", "Beta", "Gamma", "Delta", "Epsilon",
                                            "Zeta", "Eta", "Theta", "Iota", "Kappa")],
}
LANGUAGES = {"jfk.flac": "en", "en_librispeech.wav": "en", "zh_aishell.wav": "zh",
             "multilingual.mp3": "auto", KUBERNETES: "en"}


def transcript(model: Any, audio: Any, language: str, mode: str, threads: int) -> str:
    from whispertrans_tray.__main__ import build_file_recognizer, build_recognizer
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import Sentence
    from whispertrans_tray.settings import AsrSettings

    asr = AsrSettings(device="cpu", cpu_threads=threads, language=language)
    recognizer = (build_file_recognizer(asr, model, 4) if mode == "file"
                  else build_recognizer(asr, model, live=True))
    out: list[str] = []
    live.run(audio, recognizer, lambda e: out.append(e.text) if isinstance(e, Sentence) else None)
    return " ".join(out)


def main() -> None:
    parser = arguments(__doc__, "clips", "threads")
    parser.add_argument("--glossaries", default=",".join(GLOSSARIES))
    parser.add_argument("--modes", default="file,live")
    args = parser.parse_args()

    from tests.conftest import reference
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import SAMPLE_RATE
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings

    clips = [*args.clips.split(","), KUBERNETES]
    audio = {name: live.read_audio(DATA / name) for name in clips}
    asr = AsrSettings(device="cpu", cpu_threads=args.threads)
    offline = {name: offline_multilingual(asr_faster_whisper.load(asr), audio[name])
               for name in clips if name == "multilingual.mp3"}
    rows = []
    for glossary in args.glossaries.split(","):
        model = asr_faster_whisper.load(asr, GLOSSARIES[glossary])
        for mode in args.modes.split(","):
            cells = []
            took = 0.0
            seconds = 0.0
            before = model.takeovers
            for name in clips:
                started = time.perf_counter()
                text = transcript(model, audio[name], LANGUAGES[name], mode, args.threads)
                took += time.perf_counter() - started
                seconds += audio[name].size / SAMPLE_RATE
                cells.append(scored(offline[name] if name in offline else reference(name),
                                    text, name == "zh_aishell.wav"))
            rows.append(f"| {glossary} ({len(GLOSSARIES[glossary])}) | "
                        f"{', '.join(model.hotwords) or '-'} | {mode} | " + " | ".join(cells)
                        + f" | {model.takeovers - before} | {took / seconds:.2f} |")
            print(rows[-1], flush=True)
    table = "\n".join([
        "| glossary (terms) | hotwords sent | mode | " + " | ".join(clips)
        + " | takeovers | s/audio s |",
        "|---|---|---|" + "---|" * len(clips) + "---|---|",
        *rows,
    ])
    publish(table, args.record, "Glossary hotwords: WER with and without a large glossary",
            "Glossaries: kubernetes = Kubernetes, Grafana; galaxy = the 30 names Galaxy S24, "
            "S24+, S24 Ultra … S15 Ultra; numbered = Product 000 … Product 099; large = "
            "kubernetes + galaxy + numbered + 10,000 'termN nameN'; greek = Galaxy Alpha … "
            "Galaxy Kappa (ten like names, one leading word). File mode: batches of 4; live: "
            "the live recognizer fed as fast as it takes the audio. zh: CER after Traditional "
            "→ Simplified; multilingual.mp3 against the offline transcript of the same model.")


if __name__ == "__main__":
    main()
