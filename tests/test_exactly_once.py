"""Every word is committed exactly once, whatever the timing and whatever the recognizer says.

The recording (tests/oracle) has known word times; :class:`~tests.oracle.transcriber.Oracle`
answers any window with its true words.  Hypothesis draws how long each decode takes (fast,
slow, stalled), how the audio arrives (0.01–1 s pieces, gaps, bursts) and how each answer is
mangled (times off, out of order, reversed, doubled, empty or untimed words, Whisper's echo of
a sentence in the silence after it, a draft missing the word being cut); the live and the file
recognizer, with real Silero VAD, must commit the recording's words in order, each once.
A decode that cannot be placed (times past the window, negative, huge) is a failed decode,
decoded again by the local fallback: tests/test_asr_wrong_kind.py, against real servers.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.oracle import recording
from tests.oracle.transcriber import REPAIRABLE, WHISPER, Adversary, Oracle
from tests.test_recognizer_window import AlwaysSpeech
from tests.textnorm import words
from whispertrans_tray.app import live
from whispertrans_tray.core.batch_recognizer import BatchRecognizer
from whispertrans_tray.core.recognizer import StreamingRecognizer
from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Sentence, Word
from whispertrans_tray.providers.vad_silero import SileroVad
from whispertrans_tray.settings import AsrSettings


@pytest.fixture(scope="module")
def oracle() -> Oracle:
    return Oracle(recording.build(live.read_audio), recording.word_times())


def said(oracle: Oracle) -> list[str]:
    return words("".join(w.text for w in oracle.words)).split()


def committed(sentences: Sequence[Sentence]) -> list[str]:
    return words(" ".join(s.text for s in sentences)).split()


def replay(recognizer: StreamingRecognizer | BatchRecognizer, audio: Audio,
           adversary: Adversary, piece_s: float, gaps: Sequence[float]) -> list[Sentence]:
    """Feed ``audio`` the way a capture delivers it to a loop that is busy while it decodes:
    pieces of ``piece_s`` arrive on a virtual clock; each feed takes the decodes' cost (and
    sometimes a gap: the machine was busy elsewhere) and then gets all that arrived meanwhile."""
    piece = max(1, int(piece_s * SAMPLE_RATE))
    clock, fed, step = 0, 0, 0  # clock: samples of audio the source has produced by now
    out: list[Sentence] = []
    while fed < audio.size:
        arrived = audio.size if clock >= audio.size else clock // piece * piece
        if arrived <= fed:
            clock = (fed // piece + 1) * piece
            continue
        spent = adversary.spent
        out += [e for e in recognizer.feed(audio[fed:arrived]) if isinstance(e, Sentence)]
        fed = arrived
        busy = adversary.spent - spent + (gaps[step % len(gaps)] if gaps else 0.0)
        clock += int(busy * SAMPLE_RATE)
        step += 1
    out += [e for e in recognizer.finish() if isinstance(e, Sentence)]
    return out


def check(sentences: list[Sentence], oracle: Oracle) -> None:
    assert [s.index for s in sentences] == list(range(len(sentences)))
    assert all(a.start <= b.start for a, b in itertools.pairwise(sentences)), \
        [(s.start, s.text) for s in sentences]
    assert committed(sentences) == said(oracle), [(s.start, s.end, s.text) for s in sentences]


costs = st.lists(st.one_of(st.floats(0.0, 0.3), st.floats(0.3, 2.5), st.floats(2.5, 9.0),
                           st.floats(9.0, 25.0)), min_size=1, max_size=12)
gaps = st.lists(st.one_of(st.just(0.0), st.floats(0.0, 0.2), st.floats(0.5, 6.0),
                          st.floats(6.0, 25.0)), min_size=1, max_size=8)
mangles = st.lists(st.sampled_from(["", *REPAIRABLE, *WHISPER]), min_size=1, max_size=8)
pieces = st.one_of(st.floats(0.01, 0.1), st.floats(0.1, 1.0))
PROFILE = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck),
                   derandomize=True)


@PROFILE
@given(cost=costs, gap=gaps, mangle=mangles, piece_s=pieces, language=st.sampled_from(
    ["en", "auto"]))
def test_live_commits_every_word_once(oracle: Oracle, cost: list[float], gap: list[float],
                                      mangle: list[str], piece_s: float, language: str) -> None:
    adversary = Adversary(oracle, cost, mangle)
    config = live.recognizer_config(AsrSettings(language=language), live=True)
    recognizer = StreamingRecognizer(adversary, SileroVad(), config)
    check(replay(recognizer, oracle.recording, adversary, piece_s, gap), oracle)


@PROFILE
@given(mangle=mangles, piece_s=pieces, language=st.sampled_from(["en", "auto"]))
def test_file_mode_commits_every_word_once(oracle: Oracle, mangle: list[str], piece_s: float,
                                           language: str) -> None:
    adversary = Adversary(oracle, [0.0], mangle)
    config = live.recognizer_config(AsrSettings(language=language), live=False)
    recognizer = BatchRecognizer(adversary, SileroVad(), config, batch_size=1)
    check(replay(recognizer, oracle.recording, adversary, piece_s, [0.0]), oracle)


@PROFILE
@given(cost=costs, gap=gaps, mangle=mangles, piece_s=pieces)
def test_unbroken_speech_without_sentence_ends_commits_every_word_once(
        oracle: Oracle, cost: list[float], gap: list[float], mangle: list[str],
        piece_s: float) -> None:
    """No pause and no full stop for 37 s (a VAD that hears speech everywhere, words without
    punctuation): the window fills up and is cut while words in it are still unconfirmed."""
    bare = Oracle(oracle.recording, [Word(w.start, w.end, w.text.rstrip(",.")) for w in
                                     oracle.words])
    adversary = Adversary(bare, cost, mangle)
    config = live.recognizer_config(AsrSettings(language="en"), live=True)
    recognizer = StreamingRecognizer(adversary, AlwaysSpeech(), config)
    check(replay(recognizer, bare.recording, adversary, piece_s, gap), bare)
