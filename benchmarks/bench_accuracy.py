"""Streaming vs offline accuracy on every utterance with a reference: WER (English) and CER
(Mandarin, after Traditional → Simplified), with the number of utterances.

Corpora: tests/data (the shared clips; multilingual.mp3 has no reference and is left out) and
each ``--corpus DIR`` holding a MANIFEST.tsv in the same columns (file, language, duration_s,
reference, source, licence); by default also ``../shared/testdata/accuracy`` beside the checkout
when it exists (benchmarks/accuracy_corpus.py builds one from public test data).

For each utterance, on the same loaded model in the same run:

* streamed — the live recognizer (the tray app's configuration: partials, speculative
  finals; Chinese written in Simplified, as the references are) fed 0.5-s pieces as fast
  as it takes them, so the run is compute-bound and does not depend on the machine's
  load; ``--realtime`` replays at 1× instead (the live clock);
* offline — faster-whisper's own ``transcribe(vad_filter=True)`` of the whole utterance,
  the baseline.

Errors are pooled over a language (edits / reference words or characters, as jiwer does for a
list), normalised as the tests do (tests/textnorm.py: case and punctuation do not count).
Mandarin is scored twice: as written, and with numbers in Arabic digits read out as the
reference reads them (AISHELL-1 spells them: 一九九一年; benchmarks/zh_numerals.py).

    python -m benchmarks.bench_accuracy [--corpus DIR ...] [--language given|auto]
                                        [--realtime] [--threads 2] [--record]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
from pathlib import Path
from typing import Any

from benchmarks.common import DATA, ROOT, arguments, publish, replay

SHARED_CORPUS = ROOT.parent / "shared" / "testdata" / "accuracy"
SYNTHETIC = frozenset({"kubernetes_espeak.wav"})
"""Clips made with a speech synthesizer: not recordings, left out."""


@dataclasses.dataclass(frozen=True)
class Scored:
    """One utterance's reference and the two transcripts of it."""

    name: str
    reference: str
    streamed: str
    offline: str
    seconds: float


@dataclasses.dataclass(frozen=True)
class Utterance:
    path: Path
    language: str
    reference: str
    corpus: str


def corpus(folder: Path) -> list[Utterance]:
    """The utterances of ``folder``'s MANIFEST.tsv recorded in one language with a reference
    (not :data:`SYNTHETIC`)."""
    with (folder / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [Utterance(folder / r["file"], r["language"], r["reference"], folder.name)
            for r in rows if r["language"] in ("en", "zh") and r["file"] not in SYNTHETIC]


def pooled(references: list[str], texts: list[str], chinese: bool,
           numerals: bool = False) -> float:
    """Edits over reference units for the whole list (WER; CER for Mandarin, with
    ``numerals``: numbers in Arabic digits read as the reference reads them,
    benchmarks/zh_numerals.py)."""
    import jiwer

    from tests.textnorm import chars, words

    if chinese:
        return float(jiwer.cer([chars(r) for r in references],
                               [mandarin(r, t, numerals) for r, t in zip(references, texts)]))
    return float(jiwer.wer([words(r) for r in references], [words(t) for t in texts]))


def mandarin(reference: str, text: str, numerals: bool) -> str:
    """``text`` as it is scored: Simplified, without case, punctuation or spaces; with
    ``numerals``, its numbers in digits read out (the reading closer to ``reference``)."""
    import unicodedata

    import jiwer

    from benchmarks.common import _to_simplified
    from benchmarks.zh_numerals import read_numbers
    from tests.textnorm import chars

    text = _to_simplified().convert(unicodedata.normalize("NFKC", text))
    if numerals:
        text = read_numbers(text, chars(reference),
                            lambda ref, hyp: float(jiwer.cer(ref, chars(hyp) or " ")))
    return chars(text)


def streamed_text(asr: Any, model: Any, audio: Any, realtime: bool) -> str:
    from benchmarks.common import live_recognizer
    from whispertrans_tray.core.types import SAMPLE_RATE, Sentence

    recognizer = live_recognizer(asr, model)
    if realtime:
        return " ".join(replay(recognizer, audio)[1])
    events = []
    step = SAMPLE_RATE // 2
    for i in range(0, audio.size, step):
        events.extend(recognizer.feed(audio[i:i + step]))
    events.extend(recognizer.finish())
    return " ".join(e.text for e in events if isinstance(e, Sentence))


def main() -> None:
    parser = arguments(__doc__, "threads")
    parser.add_argument("--corpus", type=Path, action="append", default=[],
                        help="a folder with MANIFEST.tsv (repeatable)")
    parser.add_argument("--language", choices=("given", "auto"), default="given",
                        help="each utterance's own language (given) or detection (auto)")
    parser.add_argument("--realtime", action="store_true", help="replay at 1× (slower)")
    args = parser.parse_args()

    from benchmarks.common import load_model
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import SAMPLE_RATE

    folders = [DATA, *args.corpus]
    if not args.corpus and (SHARED_CORPUS / "MANIFEST.tsv").exists():
        folders.append(SHARED_CORPUS)
    utterances = [u for folder in folders for u in corpus(folder)]
    asr, model = load_model(argparse.Namespace(threads=args.threads, language="auto"))
    results: dict[tuple[str, str], list[Scored]] = {}
    for n, utterance in enumerate(utterances, 1):
        audio = live.read_audio(utterance.path)
        language = utterance.language if args.language == "given" else "auto"
        # Scored in Simplified: the display's Taiwanese phrasing (s2twp: 用户 → 使用者, 网络 →
        # 网际网路) is a choice of words t2s does not undo, not a recognition error.
        clip_asr = dataclasses.replace(asr, language=language, chinese_script="simplified")
        streamed = streamed_text(clip_asr, model, audio, args.realtime)
        offline = model.transcribe_offline(audio, None if language == "auto" else language)[0]
        results.setdefault((utterance.language, utterance.corpus), []).append(
            Scored(utterance.path.name, utterance.reference, streamed, offline,
                   audio.size / SAMPLE_RATE))
        print(f"{n}/{len(utterances)} {utterance.path.name}: {streamed!r} | {offline!r}",
              flush=True)
    publish(table(results, args), args.record,
            "Accuracy: streaming vs offline on every utterance with a reference",
            "streamed: the live recognizer (partials, speculative finals) fed 0.5-s pieces "
            + ("at 1×" if args.realtime else "as fast as it takes them") + "; offline: "
            "faster-whisper's transcribe(vad_filter=True) of the whole utterance, the same "
            "loaded model (Whisper base, CPU int8). Pooled over the utterances (edits / "
            "reference words; Mandarin: characters after Traditional → Simplified), case and "
            "punctuation not counted (tests/textnorm.py); numbers written as words in a "
            "reference (LJ Speech: 'fourteen fifty-five') count against both alike; Mandarin is "
            "also scored with numbers in digits read out (benchmarks/zh_numerals.py).")


def table(results: dict[tuple[str, str], list[Scored]], args: Any) -> str:
    """Pooled errors per corpus and language, then every utterance where streaming is worse
    than offline, with both transcripts."""
    rows = []
    numeral_rows = []
    worse_lines = []
    for language in ("en", "zh"):
        chinese = language == "zh"
        groups = [(k[1], v) for k, v in sorted(results.items()) if k[0] == language]
        groups += [("**all**", [r for _, v in groups for r in v])] if len(groups) > 1 else []
        for name, items in groups:
            s_err = pooled([i.reference for i in items], [i.streamed for i in items], chinese)
            o_err = pooled([i.reference for i in items], [i.offline for i in items], chinese)
            worse = [(i, pooled([i.reference], [i.streamed], chinese),
                      pooled([i.reference], [i.offline], chinese)) for i in items]
            worse = [(i, s, o) for i, s, o in worse if s > o]
            if name != "**all**":
                worse_lines += [f"- {i.name} ({s:.2f} vs {o:.2f}): streamed “{i.streamed}” / "
                                f"offline “{i.offline}”" for i, s, o in worse]
            if chinese:
                s_read, o_read = (pooled([i.reference for i in items], [getattr(i, side) for i in
                                  items], True, numerals=True) for side in ("streamed", "offline"))
                numeral_rows.append(f"| {name} | {len(items)} | CER {s_read:.3f} | {o_read:.3f} "
                                    f"| {100 * (s_read - o_read):+.1f} |")
            rows.append(f"| {language} | {name} | {len(items)} | "
                        f"{sum(i.seconds for i in items):.0f} | "
                        f"{'CER' if chinese else 'WER'} {s_err:.3f} | {o_err:.3f} | "
                        f"{100 * (s_err - o_err):+.1f} | {len(worse)} |")
    return "\n".join([
        f"Language: {args.language}; streamed {'at 1×' if args.realtime else 'compute-bound'}.",
        "",
        "| language | corpus | utterances | audio s | streamed | offline | streamed − offline "
        "(points) | utterances where streamed is worse |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Mandarin with the numbers written in Arabic digits read as the reference reads them "
        "(1991 → 一九九一, 92.73 → 九十二点七三, 5% → 百分之五; benchmarks/zh_numerals.py):",
        "",
        "| corpus | utterances | streamed | offline | streamed − offline (points) |",
        "|---|---|---|---|---|",
        *numeral_rows,
        "",
        "Where streaming is worse than offline (its error vs offline's):",
        "",
        *(worse_lines or ["- none"]),
    ])


if __name__ == "__main__":
    main()
