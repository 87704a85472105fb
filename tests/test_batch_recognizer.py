"""File mode's batched recognizer: packing, order, times and memory (scripted transcriber).

The scripted transcriber reads the audio it is given: each utterance of the test stream is a
stretch of one constant level, and every stretch of one level in a chunk comes back as one word
naming that level, at the stretch's place in the chunk.  So the words' times and order come
from where the recognizer really put the audio.  The real model is tested in test_asr_real.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from tests.test_recognizer_window import ScriptedVad
from whispertrans_tray.core.batch_recognizer import BatchRecognizer
from whispertrans_tray.core.recognizer import RecognizerConfig
from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Sentence, Transcript, Word


class LevelReader:
    """Answers each chunk with one word per run of one level (" w3" for 0.3); levels of 0.6
    and above are "zh", the others "en"."""

    def __init__(self) -> None:
        self.batches: list[list[float]] = []  # chunk lengths (s) of every batch

    def transcribe_batch(self, chunks: Sequence[Audio],
                         language: str | None) -> list[Transcript]:
        self.batches.append([c.size / SAMPLE_RATE for c in chunks])
        return [self._read(c, language) for c in chunks]

    def transcribe(self, audio: Audio, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None) -> Transcript:
        return self._read(audio, language)

    def _read(self, audio: Audio, language: str | None) -> Transcript:
        words = []
        levels = np.round(audio * 10).astype(int)
        edges = [0, *np.nonzero(np.diff(levels))[0] + 1, audio.size]
        for a, b in itertools.pairwise(edges):
            if levels[a] > 0:
                words.append(Word(a / SAMPLE_RATE, b / SAMPLE_RATE, f" w{levels[a]}"))
        detected = "zh" if levels.max(initial=0) >= 6 else "en"
        return Transcript(tuple(words), language or detected, 1.0)


def stream(spans: list[tuple[float, float, float]], seconds: float) -> Audio:
    """Silence with ``level`` from ``start`` to ``end`` seconds, for each (start, end, level)."""
    audio = np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)
    for start, end, level in spans:
        audio[int(start * SAMPLE_RATE): int(end * SAMPLE_RATE)] = level
    return audio


def run(recognizer: BatchRecognizer, audio: Audio) -> tuple[list[Sentence], list[int]]:
    """The sentences, and how many had come out after each 1-s feed."""
    sentences: list[Sentence] = []
    counts = []
    for i in range(0, audio.size, SAMPLE_RATE):
        sentences += [e for e in recognizer.feed(audio[i:i + SAMPLE_RATE])
                      if isinstance(e, Sentence)]
        counts.append(len(sentences))
    sentences += [e for e in recognizer.finish() if isinstance(e, Sentence)]
    return sentences, counts


def test_utterances_of_one_language_share_a_chunk_and_keep_their_times() -> None:
    spans = [(1.0, 3.0, 0.1), (5.0, 7.0, 0.2), (9.0, 11.0, 0.3)]
    reader = LevelReader()
    recognizer = BatchRecognizer(reader, ScriptedVad([(s, e) for s, e, _ in spans]),
                                 RecognizerConfig(language="en", partial_interval_s=None))
    sentences, _ = run(recognizer, stream(spans, 13.0))
    assert len(reader.batches) == 1 and len(reader.batches[0]) == 1  # one decode, one chunk
    assert reader.batches[0][0] < 9.0  # the silence between them was left out
    assert [s.text for s in sentences] == ["w1", "w2", "w3"]  # a pause closes a sentence
    for sentence, (start, end, _) in zip(sentences, spans, strict=True):
        assert abs(sentence.start - start) < 0.05 and abs(sentence.end - end) < 0.05


def test_detected_languages_decode_utterances_apart_eight_at_a_time_in_order() -> None:
    spans = [(1.0 + 5 * k, 4.5 + 5 * k, 0.1 * (k % 9 + 1)) for k in range(10)]
    reader = LevelReader()
    recognizer = BatchRecognizer(reader, ScriptedVad([(s, e) for s, e, _ in spans]),
                                 RecognizerConfig(language=None, partial_interval_s=None))
    sentences, counts = run(recognizer, stream(spans, 53.0))
    assert [len(batch) for batch in reader.batches] == [8, 2]
    assert counts[-1] == 8  # the first batch was committed while the file was still read
    assert [s.index for s in sentences] == list(range(10))
    assert [s.text for s in sentences] == [f"w{k % 9 + 1}" for k in range(10)]
    assert [s.language for s in sentences] == [
        "zh" if k % 9 + 1 >= 6 else "en" for k in range(10)]
    assert all(a.end <= b.start for a, b in itertools.pairwise(sentences))


def test_a_short_utterance_is_decoded_with_the_next_when_the_language_is_detected() -> None:
    """JFK's "ask not" (1.4 s) decoded alone came out "is not!": too short for Whisper."""
    spans = [(1.0, 2.0, 0.1), (3.0, 4.0, 0.1), (5.5, 9.5, 0.1), (10.5, 11.5, 0.1)]
    reader = LevelReader()
    recognizer = BatchRecognizer(reader, ScriptedVad([(s, e) for s, e, _ in spans]),
                                 RecognizerConfig(language=None, partial_interval_s=None),
                                 batch_size=1)
    sentences, _ = run(recognizer, stream(spans, 14.0))
    # the first (1 s of speech, padded) joins the next (together still under 3 s), which joins
    # the third; the last is alone: it has no next
    lengths = [seconds for batch in reader.batches for seconds in batch]
    assert len(lengths) == 2 and 6.0 < lengths[0] < 8.0 and lengths[1] < 2.0, lengths
    assert [s.text for s in sentences] == ["w1"] * 4  # a pause still closes a sentence


def test_long_speech_is_cut_into_chunks_without_closing_the_sentence() -> None:
    spans = [(1.0, 51.0, 0.4)]
    reader = LevelReader()
    recognizer = BatchRecognizer(reader, ScriptedVad([(1.0, 51.0)]),
                                 RecognizerConfig(language="en", partial_interval_s=None))
    sentences, _ = run(recognizer, stream(spans, 53.0))
    chunks = [length for batch in reader.batches for length in batch]
    assert len(chunks) >= 3 and max(chunks) <= 20.0
    assert abs(sum(chunks) - 50.4) < 0.5  # all the speech, padding included, once
    assert len(sentences) == 1 and sentences[0].text == " ".join(["w4"] * len(chunks))


def test_audio_held_stays_bounded_in_a_long_file() -> None:
    """Ten minutes of speech and pauses: the recognizer never holds more than the chunks
    of one batch."""
    spans = [(4.0 * k + 1, 4.0 * k + 3, 0.1) for k in range(150)]
    recognizer = BatchRecognizer(LevelReader(), ScriptedVad([(s, e) for s, e, _ in spans]),
                                 RecognizerConfig(language="en", partial_interval_s=None))
    audio = stream(spans, 600.0)
    held = 0.0
    sentences = 0
    for i in range(0, audio.size, SAMPLE_RATE):
        sentences += sum(isinstance(e, Sentence) for e in recognizer.feed(audio[i:i + SAMPLE_RATE]))
        held = max(held, recognizer.held_seconds)
    sentences += sum(isinstance(e, Sentence) for e in recognizer.finish())
    assert sentences == 150
    assert held <= 9 * 20.0 + 2.0
