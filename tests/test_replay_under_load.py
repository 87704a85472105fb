"""Every sentence exactly once in 1× replays of a multi-sentence recording on a busy machine.

The recording (tests/oracle: four sentences, one said twice, pauses of 0.45–1.5 s) is replayed
by the real ``listen --replay`` process with the bundled Whisper base model, once on a quiet
machine and once beside two CPU-bound processes (a laptop in a video call): decodes then come
late and the audio in bursts.  No sentence may be committed twice or lost, and sentences come
in order.  The hypothesis test (test_exactly_once) covers the timings; this is the real model.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.oracle import recording
from tests.pulse import write_wav
from tests.test_cli_commit import Cli
from tests.textnorm import wer
from whispertrans_tray.app.live import read_audio


@pytest.fixture(scope="module")
def sentences_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_wav(recording.build(read_audio),
                     tmp_path_factory.mktemp("recording") / "four_sentences.wav")


@contextmanager
def cpu_hogs(count: int) -> Iterator[None]:
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


@pytest.mark.parametrize("hogs", [0, 2], ids=["quiet", "two-cpu-hogs"])
def test_a_replay_commits_every_sentence_once(sentences_wav: Path, tmp_path: Path,
                                              model_cache: Path, hogs: int) -> None:
    out = tmp_path / "out.jsonl"
    with cpu_hogs(hogs):
        cli = Cli(["listen", "--replay", str(sentences_wav), "--language", "en",
                   "--no-translate", "-o", str(out)], tmp_path, model_cache)
        assert cli.finish(timeout=300) == 0, "\n".join(cli.errors)
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    said = " ".join(row["text"] for row in rows)
    doubled, lost = recording.doubled_and_lost(recording.reference(), said)
    assert (doubled, lost) == ([], []), [(r["start"], r["end"], r["text"]) for r in rows]
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    assert wer(recording.reference(), said) <= 0.15, said
