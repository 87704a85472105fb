"""Committed text is append-only, whatever the chunk sizes (real tiny.en model, real audio)."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import reference
from tests.textnorm import words
from whispertrans_tray.core.recognizer import RecognizerConfig, StreamingRecognizer
from whispertrans_tray.core.types import Partial, Sentence, Speculative
from whispertrans_tray.providers.vad_silero import SileroVad


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(sizes=st.lists(st.integers(min_value=160, max_value=40_000), min_size=1, max_size=40))
def test_committed_text_never_changes(tiny_en_model, clip, sizes: list[int]) -> None:  # type: ignore[no-untyped-def]
    audio = clip("jfk.flac")
    recognizer = StreamingRecognizer(tiny_en_model, SileroVad(), RecognizerConfig("en"))
    committed: list[Sentence] = []
    stable = ""
    pos = i = 0
    while pos < audio.size:
        size = sizes[i % len(sizes)]
        i += 1
        before = list(committed)
        for event in recognizer.feed(audio[pos:pos + size]):
            if isinstance(event, Sentence):
                # the stable part of the open line is exactly where the sentence begins
                assert event.text.startswith(stable)
                committed.append(event)
                stable = ""
            elif isinstance(event, Speculative):
                assert event.index == len(committed)  # the index the next sentence gets
                assert event.text.startswith(stable)
            else:
                assert isinstance(event, Partial)
                assert event.text.startswith(event.stable)
                if event.stable:
                    assert event.stable.startswith(stable)  # stable text only grows
                stable = event.stable
        assert committed[: len(before)] == before
        pos += size
    committed.extend(e for e in recognizer.finish() if isinstance(e, Sentence))
    assert [s.index for s in committed] == list(range(len(committed)))
    assert all(a.start <= b.start for a, b in itertools.pairwise(committed))
    said = words(" ".join(s.text for s in committed))
    assert "ask not what your country can do for you" in said
    assert words(reference("jfk.flac")).split()[-4:] == said.split()[-4:]


def test_window_stays_bounded_in_unbroken_speech(tiny_en_model, clip) -> None:  # type: ignore[no-untyped-def]
    """Three clips glued without pauses: the window is trimmed, sentences keep coming."""
    import numpy as np

    speech = [clip("jfk.flac"), clip("en_librispeech.wav")]
    audio = np.concatenate([a[int(0.3 * 16000): -int(0.3 * 16000)] for a in speech * 2])
    config = RecognizerConfig("en", max_window_s=8.0)
    recognizer = StreamingRecognizer(tiny_en_model, SileroVad(), config)
    longest = 0.0
    sentences = []
    for pos in range(0, audio.size, 8000):
        sentences += [e for e in recognizer.feed(audio[pos:pos + 8000]) if isinstance(e, Sentence)]
        longest = max(longest, recognizer.window_seconds)
    sentences += [e for e in recognizer.finish() if isinstance(e, Sentence)]
    assert longest <= config.max_window_s + 1.0
    assert len(sentences) >= 4
    assert "fantasy" in words(" ".join(s.text for s in sentences))
