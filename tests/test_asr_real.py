"""The real bundled Whisper base model on real recordings, through the streaming core."""

from __future__ import annotations

import itertools

import pytest
from opencc import OpenCC

from tests.conftest import reference
from tests.textnorm import cer, wer
from whispertrans_tray.__main__ import build_file_recognizer, build_recognizer
from whispertrans_tray.app.live import events
from whispertrans_tray.core.types import SAMPLE_RATE, Sentence
from whispertrans_tray.settings import AsrSettings


def stream(model, audio, live: bool, language: str = "auto", batch_size: int = 1) -> list[Sentence]:  # type: ignore[no-untyped-def]
    """Sentences of the live recognizer, or of file mode (whole utterances, ``batch_size`` at a
    time)."""
    asr = AsrSettings(language=language)
    recognizer = (build_recognizer(asr, model, live=True) if live
                  else build_file_recognizer(asr, model, batch_size))
    step = SAMPLE_RATE // 2 if live else SAMPLE_RATE  # live: a partial decode about every second
    chunks = (audio[i:i + step] for i in range(0, audio.size, step))
    return [e for e in events(chunks, recognizer) if isinstance(e, Sentence)]


def text(sentences: list[Sentence]) -> str:
    return " ".join(s.text for s in sentences)


def test_bundled_model_is_the_verified_base(base_model) -> None:  # type: ignore[no-untyped-def]
    assert base_model.multilingual
    assert base_model.info.device == "cpu"
    assert base_model.info.compute_type == "int8"


@pytest.mark.parametrize("live", [False, True], ids=["file", "live"])
@pytest.mark.parametrize("name", ["jfk.flac", "en_librispeech.wav"])
def test_english_wer(base_model, clip, name: str, live: bool) -> None:  # type: ignore[no-untyped-def]
    sentences = stream(base_model, clip(name), live)
    assert wer(reference(name), text(sentences)) <= 0.05
    assert all(s.language == "en" for s in sentences)
    assert [s.index for s in sentences] == list(range(len(sentences)))
    assert all(a.end <= b.start + 0.5 for a, b in itertools.pairwise(sentences))


@pytest.mark.parametrize("live", [False, True], ids=["file", "live"])
def test_mandarin_cer_in_traditional_script(base_model, clip, live: bool) -> None:  # type: ignore[no-untyped-def]
    sentences = stream(base_model, clip("zh_aishell.wav"), live)
    output = text(sentences)
    assert all(s.language == "zh" for s in sentences)
    to_simplified = OpenCC("t2s")
    assert to_simplified.convert(output) != output, "expected Traditional characters"
    # Whisper base gets 2-3 of these 11 characters wrong
    assert cer(reference("zh_aishell.wav"), to_simplified.convert(output)) <= 0.35


@pytest.mark.parametrize("live", [False, True], ids=["file", "live"])
@pytest.mark.parametrize("name", ["jfk.flac", "en_librispeech.wav", "zh_aishell.wav"])
def test_streaming_is_not_worse_than_offline(base_model, clip, name: str, live: bool) -> None:  # type: ignore[no-untyped-def]
    """Within 1 point of faster-whisper's offline transcription (WER; CER for Mandarin)."""
    audio = clip(name)
    offline, _ = base_model.transcribe_offline(audio, None)
    streamed = text(stream(base_model, audio, live))
    if name.startswith("zh"):
        to_simplified = OpenCC("t2s")
        errors = [cer(reference(name), to_simplified.convert(t)) for t in (streamed, offline)]
    else:
        errors = [wer(reference(name), t) for t in (streamed, offline)]
    assert errors[0] <= errors[1] + 0.01, (streamed, offline)


def test_multilingual_clip_switches_language(base_model, clip) -> None:  # type: ignore[no-untyped-def]
    sentences = stream(base_model, clip("multilingual.mp3"), live=False)
    languages = [s.language for s in sentences]
    assert languages[0] == "en" and languages[-1] == "de"
    english = " ".join(s.text for s in sentences if s.language == "en").lower()
    german = " ".join(s.text for s in sentences if s.language == "de").lower()
    assert "permission is hereby granted" in english
    assert "software" in german and "jeden" in german


def test_long_window_after_a_long_prompt_decodes(base_model, clip) -> None:  # type: ignore[no-untyped-def]
    """A window past 30 s after a prompt once asked for 440 new tokens on top of the prompt,
    and faster-whisper refused (448 at most): the long mixed-language file crashed."""
    import numpy as np

    audio = np.concatenate([clip("jfk.flac")] * 4)  # 44 s, decoded as two 30-s chunks
    prompt = "And so, my fellow Americans, ask not what your country can do for you. " * 2
    assert base_model.token_budget(audio.size / 16000, prompt) < 440
    result = base_model.transcribe(audio, "en", prompt[-120:])
    assert "country" in " ".join(w.text for w in result.words)
    long_prompt = "我們今天討論的是如何在會議中即時翻譯字幕。" * 30
    assert 0 < base_model.token_budget(30.0, long_prompt) <= 448 - 223


@pytest.mark.parametrize("live", [False, True], ids=["file", "live"])
def test_english_running_into_mandarin_without_a_pause(base_model, clip, live: bool) -> None:  # type: ignore[no-untyped-def]
    """One utterance, two languages: neither part is lost or turned into the other language."""
    import numpy as np

    def trimmed(audio):  # type: ignore[no-untyped-def]
        loud = np.nonzero(np.abs(audio) > 0.02)[0]
        return audio[loud[0]:loud[-1] + 1]

    audio = np.concatenate([trimmed(clip("jfk.flac")), trimmed(clip("zh_aishell.wav"))])
    sentences = stream(base_model, audio, live=live)
    english = " ".join(s.text for s in sentences if s.language == "en")
    mandarin = "".join(s.text for s in sentences if s.language == "zh")
    assert wer(reference("jfk.flac"), english) <= 0.25, english
    to_simplified = OpenCC("t2s")
    # the joint cuts the first syllable of the Mandarin clip: looser than its own 0.35
    assert cer(reference("zh_aishell.wav"), to_simplified.convert(mandarin)) <= 0.5, mandarin
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english)


@pytest.mark.parametrize("name", ["jfk.flac", "en_librispeech.wav", "zh_aishell.wav"])
def test_short_encoder_context_hears_what_the_full_window_does(base_model, clip, name: str) -> None:  # type: ignore[no-untyped-def]
    """On a CPU the bundled model encodes the audio plus 2 s, not a padded 30-s window."""
    from whispertrans_tray.providers.asr_faster_whisper import CPU_ENCODER_PAD_S, FasterWhisper

    assert base_model.encoder_pad_s == CPU_ENCODER_PAD_S
    full = FasterWhisper(base_model.model, base_model.info, base_model.beam_size, None)
    short_text = "".join(w.text for w in base_model.transcribe(clip(name), None).words)
    full_text = "".join(w.text for w in full.transcribe(clip(name), None).words)
    to_simplified = OpenCC("t2s")
    errors = [cer(reference(name), to_simplified.convert(text))
              for text in (short_text, full_text)]
    assert errors[0] <= errors[1] + 0.02, (full_text, short_text)
