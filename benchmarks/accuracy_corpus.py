"""Build the accuracy corpus bench_accuracy reads: public recordings with their references and
licences, 16 kHz mono FLAC, and a MANIFEST.tsv in the columns of tests/data/MANIFEST.tsv.

The recordings come from public repositories' test data (git directories given on the command
line, e.g. snapshots fetched with the tool library); none is committed to this repository. The
corpus goes to OUT (by default ``../shared/testdata/accuracy`` beside the checkout, where
bench_accuracy looks for it first):

    python -m benchmarks.accuracy_corpus --tts DIR --tacotron2 DIR --cuttledoc DIR \
        --cyclegan-vc2 DIR --aishell-text DIR --asr-abc DIR [--aishell-every 2] [--out OUT]

English:

* ``--tts``: coqui-ai/TTS, ``tests/data/ljspeech/wavs/LJ001-0001 … 0032.wav`` (LJ Speech 1.1,
  one speaker reading, public domain), references from
* ``--tacotron2``: NVIDIA/tacotron2 ``filelists/*.txt`` (the LJ Speech transcripts);
* ``--cuttledoc``: sebastian-software/cuttledoc ``packages/cuttledoc/fixtures/fleurs-en-*.ogg``
  and ``.txt`` (Google FLEURS en_us test split, ten speakers, CC BY 4.0).

Mandarin (AISHELL-1, Apache 2.0; its test set's recordings with the corpus's own transcripts):

* ``--cyclegan-vc2``: jackaduma/CycleGAN-VC2 ``data/S0913/BAC009S0913W0300 … 0399.wav``
  (97 recordings of test speaker S0913, kept there as voice-conversion input), every
  ``--aishell-every``-th of them (2: 49, so that a run of bench_accuracy on both languages
  stays within about half an hour on two shared cores; 1: all 97);
* ``--aishell-text``: NefelibataJay/DialectMoE ``data/aishell/test/text`` (the AISHELL-1 test
  transcripts, 7176 lines, as of its first commit: the file was deleted later), the references;
* ``--asr-abc``: glynpu/asr_abc ``data/wavs/BAC009S0764W0143.wav`` (test speaker S0764) and
  its ``transcript`` (the AISHELL line, word-segmented; the spaces are dropped).
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import tempfile
from pathlib import Path

from benchmarks.common import ROOT

DEFAULT_OUT = ROOT.parent / "shared" / "testdata" / "accuracy"
COLUMNS = ("file", "language", "duration_s", "reference", "source", "licence")
LJ_LICENCE = "public domain (LJ Speech 1.1, LibriVox recordings)"
FLEURS_LICENCE = "CC BY 4.0 (Google FLEURS, Conneau et al. 2022)"
AISHELL_LICENCE = "Apache 2.0 (AISHELL-1, Beijing Shell Shell Technology, OpenSLR 33)"
AISHELL_TEXT = "data/aishell/test/text"


def git_show(repo: Path, path: str, revision: str = "HEAD") -> bytes:
    return subprocess.run(["git", f"--git-dir={repo}", "show", f"{revision}:{path}"],
                          capture_output=True, check=True).stdout


def last_revision(repo: Path, path: str) -> str:
    """The newest commit that added or changed ``path`` (it may be deleted at HEAD)."""
    found = subprocess.run(["git", f"--git-dir={repo}", "log", "-1", "--format=%H",
                            "--diff-filter=AM", "HEAD", "--", path],
                           capture_output=True, text=True, check=True).stdout.strip()
    if not found:
        raise SystemExit(f"{path} is in no commit of {repo}")
    return found


def git_files(repo: Path, under: str) -> list[str]:
    listed = subprocess.run(["git", f"--git-dir={repo}", "ls-tree", "-r", "--name-only",
                             "HEAD", under], capture_output=True, text=True, check=True)
    return sorted(listed.stdout.split())


def to_flac(data: bytes, suffix: str, out: Path) -> float:
    """``data`` (any format PyAV reads) as 16 kHz mono 16-bit FLAC at ``out``; its seconds."""
    from whispertrans_tray.app import live
    from whispertrans_tray.core.types import SAMPLE_RATE

    with tempfile.NamedTemporaryFile(suffix=suffix) as source:
        source.write(data)
        source.flush()
        audio = live.read_audio(Path(source.name))
    subprocess.run(["sox", "-t", "f32", "-r", str(SAMPLE_RATE), "-c", "1", "-", "-b", "16",
                    str(out)], input=audio.astype("<f4").tobytes(), check=True)
    return audio.size / SAMPLE_RATE


def lj_speech(tts: Path, tacotron2: Path, out: Path) -> list[dict[str, str]]:
    texts: dict[str, str] = {}
    for name in git_files(tacotron2, "filelists"):
        for line in git_show(tacotron2, name).decode("utf-8").splitlines():
            path, _, text = line.partition("|")
            texts[Path(path).stem] = text.strip()
    rows = []
    for path in git_files(tts, "tests/data/ljspeech/wavs"):
        if not path.endswith(".wav") or Path(path).stem not in texts:
            continue
        name = f"en_{Path(path).stem}.flac"
        seconds = to_flac(git_show(tts, path), ".wav", out / name)
        rows.append({"file": name, "language": "en", "duration_s": f"{seconds:.2f}",
                     "reference": texts[Path(path).stem],
                     "source": f"coqui-ai/TTS {path}; text: NVIDIA/tacotron2 filelists",
                     "licence": LJ_LICENCE})
    return rows


def fleurs_en(cuttledoc: Path, out: Path) -> list[dict[str, str]]:
    rows = []
    for path in git_files(cuttledoc, "packages/cuttledoc/fixtures"):
        if not (Path(path).name.startswith("fleurs-en-") and path.endswith(".ogg")):
            continue
        name = f"en_{Path(path).stem.replace('-', '_')}.flac"
        seconds = to_flac(git_show(cuttledoc, path), ".ogg", out / name)
        reference = git_show(cuttledoc, path[:-4] + ".txt").decode("utf-8").strip()
        rows.append({"file": name, "language": "en", "duration_s": f"{seconds:.2f}",
                     "reference": reference,
                     "source": f"sebastian-software/cuttledoc {path} (FLEURS en_us test)",
                     "licence": FLEURS_LICENCE})
    return rows


def aishell_texts(repo: Path) -> dict[str, str]:
    """Utterance id → the AISHELL-1 test transcript (word-segmentation spaces dropped)."""
    text = git_show(repo, AISHELL_TEXT, last_revision(repo, AISHELL_TEXT)).decode("utf-8")
    return {key: "".join(rest) for key, *rest in (line.split() for line in text.splitlines())
            if rest}


def aishell(cyclegan: Path, texts: dict[str, str], every: int,
            out: Path) -> list[dict[str, str]]:
    rows = []
    paths = [p for p in git_files(cyclegan, "data/S0913") if p.endswith(".wav")
             and Path(p).stem in texts]
    for path in paths[::every]:
        name = f"zh_{Path(path).stem}.flac"
        seconds = to_flac(git_show(cyclegan, path), ".wav", out / name)
        rows.append({"file": name, "language": "zh", "duration_s": f"{seconds:.2f}",
                     "reference": texts[Path(path).stem],
                     "source": f"jackaduma/CycleGAN-VC2 {path}; text: NefelibataJay/DialectMoE "
                     f"{AISHELL_TEXT}", "licence": AISHELL_LICENCE})
    return rows


def asr_abc(repo: Path, out: Path) -> list[dict[str, str]]:
    rows = []
    for line in git_show(repo, "data/wavs/transcript").decode("utf-8").splitlines():
        key, *words = line.split()
        path = f"data/wavs/{key}.wav"
        name = f"zh_{key}.flac"
        seconds = to_flac(git_show(repo, path), ".wav", out / name)
        rows.append({"file": name, "language": "zh", "duration_s": f"{seconds:.2f}",
                     "reference": "".join(words),
                     "source": f"glynpu/asr_abc {path}; text: data/wavs/transcript",
                     "licence": AISHELL_LICENCE})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tts", type=Path, required=True, help="coqui-ai/TTS git directory")
    parser.add_argument("--tacotron2", type=Path, required=True,
                        help="NVIDIA/tacotron2 git directory")
    parser.add_argument("--cuttledoc", type=Path, required=True,
                        help="sebastian-software/cuttledoc git directory")
    parser.add_argument("--cyclegan-vc2", type=Path, required=True,
                        help="jackaduma/CycleGAN-VC2 git directory")
    parser.add_argument("--aishell-text", type=Path, required=True,
                        help="NefelibataJay/DialectMoE git directory")
    parser.add_argument("--asr-abc", type=Path, required=True,
                        help="glynpu/asr_abc git directory")
    parser.add_argument("--aishell-every", type=int, default=2,
                        help="every n-th S0913 recording (1: all 97)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows = lj_speech(args.tts, args.tacotron2, args.out) + fleurs_en(args.cuttledoc, args.out)
    rows += aishell(args.cyclegan_vc2, aishell_texts(args.aishell_text), args.aishell_every,
                    args.out)
    rows += asr_abc(args.asr_abc, args.out)
    with (args.out / "MANIFEST.tsv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    (args.out / "README.md").write_text(
        "# Accuracy corpus (bench_accuracy)\n\nBuilt by `python -m benchmarks.accuracy_corpus` "
        "from public repositories' test data: 16 kHz mono FLAC; MANIFEST.tsv names each "
        "file's language, reference, source and licence.\n\n"
        f"- LJ Speech 1.1 (Keith Ito, LibriVox readings): {LJ_LICENCE}.\n"
        f"- Google FLEURS, en_us test split: {FLEURS_LICENCE}; "
        "https://creativecommons.org/licenses/by/4.0/.\n"
        f"- AISHELL-1 test set (speakers S0913 and S0764): {AISHELL_LICENCE}; "
        "https://www.openslr.org/33/, https://www.apache.org/licenses/LICENSE-2.0. Recordings "
        "from jackaduma/CycleGAN-VC2 (data/S0913) and glynpu/asr_abc (data/wavs), references "
        "from the AISHELL-1 test transcripts in NefelibataJay/DialectMoE "
        "(data/aishell/test/text).\n", encoding="utf-8")
    counts = {lang: sum(r["language"] == lang for r in rows) for lang in ("en", "zh")}
    print(f"{len(rows)} utterances ({counts['en']} en, {counts['zh']} zh) in {args.out}")


if __name__ == "__main__":
    main()
