import numpy as np
import pytest

from whispertrans_tray.core.types import SAMPLE_RATE
from whispertrans_tray.core.vad import SpeechEnd, SpeechStart, VadConfig, VadGate
from whispertrans_tray.providers.vad_silero import SileroVad


def run(gate: VadGate, audio: np.ndarray, step: int) -> list[object]:
    events: list[object] = []
    for i in range(0, audio.size, step):
        events.extend(gate.feed(audio[i:i + step]))
    events.extend(gate.finish())
    return events


def test_silence_has_no_speech() -> None:
    gate = VadGate(SileroVad())
    assert run(gate, np.zeros(5 * SAMPLE_RATE, dtype=np.float32), 1600) == []


def test_jfk_speech_boundaries(clip) -> None:  # type: ignore[no-untyped-def]
    audio = clip("jfk.flac")
    events = run(VadGate(SileroVad(), VadConfig(min_silence_ms=500)), audio, 1600)
    starts = [e for e in events if isinstance(e, SpeechStart)]
    ends = [e for e in events if isinstance(e, SpeechEnd)]
    assert len(starts) == len(ends) >= 2  # the speech has audible pauses
    assert starts[0].sample < 1 * SAMPLE_RATE
    assert ends[-1].sample > 9 * SAMPLE_RATE
    for s, e in zip(starts, ends):
        assert s.sample < e.sample


@pytest.mark.parametrize("step", [160, 512, 4000, 16000])
def test_chunking_does_not_change_the_result(clip, step: int) -> None:  # type: ignore[no-untyped-def]
    audio = clip("en_librispeech.wav")
    reference = run(VadGate(SileroVad()), audio, audio.size)
    assert run(VadGate(SileroVad()), audio, step) == reference


def test_longer_silence_setting_merges_utterances(clip) -> None:  # type: ignore[no-untyped-def]
    audio = clip("jfk.flac")
    short = run(VadGate(SileroVad(), VadConfig(min_silence_ms=300)), audio, 1600)
    long = run(VadGate(SileroVad(), VadConfig(min_silence_ms=2000)), audio, 1600)
    assert len(long) < len(short)
