"""Remote recognition answers that are wrong in kind: another language than the one asked for,
a body that cannot be decoded, times that cannot be placed in the audio sent.  Each is a
failed decode, against real misbehaving servers on 127.0.0.1: the local model decodes the
window instead and its sentences are committed; 測試連線 names the fault."""

from __future__ import annotations

import io
import math
import wave

import numpy as np
import pytest

from tests.conftest import reference
from tests.servers.fake_asr import FakeAsrServer
from tests.textnorm import wer, words
from whispertrans_tray.__main__ import build_recognizer
from whispertrans_tray.app import asr_check, live
from whispertrans_tray.app.asr_fallback import FallbackTranscriber
from whispertrans_tray.core.placement import placeable
from whispertrans_tray.core.scripts import written_in
from whispertrans_tray.core.types import Sentence, Transcript, Word
from whispertrans_tray.errors import RecognitionServerError
from whispertrans_tray.providers.asr_remote import RemoteWhisper, parse, read_wav
from whispertrans_tray.settings import AsrSettings

ASR = AsrSettings(device="cpu", cpu_threads=2, language="en")
NAN = math.nan


def transcript(*times: tuple[float, float]) -> Transcript:
    return Transcript(tuple(Word(s, e, f" w{i}") for i, (s, e) in enumerate(times)), "en")


@pytest.mark.parametrize(("times", "duration", "expected"), [
    ([(0.0, 0.4), (0.4, 1.0)], 1.0, True),
    ([], 1.0, True),
    ([(0.0, 0.4), (0.4, 1.3)], 1.0, True),  # a last word a little past the end: rounding
    ([(-0.2, 0.3)], 1.0, True),
    ([(0.0, 0.4), (0.5, 30.0)], 11.0, False),  # a segment ending at 30 s of an 11-s window
    ([(-5.0, 0.4)], 1.0, False),
    ([(NAN, 0.4)], 1.0, False),
    ([(0.0, math.inf)], 1.0, False),
    ([(0.0, 1e12)], 1.0, False),
    ([(0.8, 0.2)], 1.0, False),  # reversed
    ([(0.0, 0.4), (5.0, 6.0), (0.1, 0.4)], 10.0, False),  # out of order: a doubled segment
])
def test_placeable(times: list[tuple[float, float]], duration: float, expected: bool) -> None:
    assert placeable(transcript(*times), duration) is expected


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("你好世界，今天天氣很好。", "en", False), (" And so my fellow Americans.", "en", True),
    ("你好世界", "zh", True), ("我們用 Kubernetes 部署", "zh", True),
    ("Kubernetes deployment", "zh", True),  # English words are said in any language
    ("こんにちは、世界", "ja", True), ("Привет, мир", "en", False), ("Привет, мир", "ru", True),
    ("안녕하세요", "ko", True), ("안녕하세요", "ja", False), ("2024.", "en", True),
    ("你好", "xx", True),  # a language the check does not know: not judged
])
def test_written_in(text: str, language: str, expected: bool) -> None:
    assert written_in(text, language) is expected


@pytest.mark.parametrize("times", [
    (0.0, 31.0), (2.0, 3.0), (-5.0, 1.0), (NAN, 1.0), (0.0, 1e12), (0.9, 0.1)])
def test_answers_with_times_outside_the_audio_are_refused(times: tuple[float, float]) -> None:
    data = {"language": "en", "text": " And so my",
            "segments": [{"start": times[0], "end": times[1], "text": " And so my"}]}
    with pytest.raises(RecognitionServerError) as caught:
        parse(data, 1.0, "en")
    assert "of audio 1.00 s long" in caught.value.message("en")
    assert "秒，但送出的音訊只有 1.00 秒" in caught.value.message("zh-TW")
    words = {**data, "segments": [], "words": [
        {"word": " And", "start": 0.0, "end": 0.3},
        {"word": " so", "start": times[0], "end": times[1]}]}
    with pytest.raises(RecognitionServerError):
        parse(words, 1.0, "en")


def test_a_segment_ending_within_whispers_30_s_is_spread_over_the_audio_sent() -> None:
    data = {"language": "en", "text": " ask what you can do",
            "segments": [{"start": 1.0, "end": 30.0, "text": " ask what you can do"}]}
    result = parse(data, 3.0, "en", asked="en")
    assert [w.text for w in result.words] == [" ask", " what", " you", " can", " do"]
    assert result.words[0].start == 1.0 and result.words[-1].end == pytest.approx(3.0)
    assert all(b.start - a.start > 0.2 for a, b in zip(result.words, result.words[1:]))


def test_an_answer_in_the_language_asked_for_is_kept() -> None:
    data = {"language": "english", "text": " And so my",
            "segments": [{"start": 0.0, "end": 1.2, "text": " And so my"}]}
    result = parse(data, 1.0, "en", asked="en")
    assert [w.text for w in result.words] == [" And", " so", " my"]
    assert result.words[-1].end == pytest.approx(1.0)  # within the tolerance: clipped
    with pytest.raises(RecognitionServerError) as caught:  # the server says it did another
        parse({**data, "language": "german"}, 1.0, "en", asked="en")
    assert caught.value.key == "asr.remote_wrong_language"


@pytest.fixture(scope="module")
def local_jfk(base_model, clip):  # type: ignore[no-untyped-def]
    return sentences(base_model, clip("jfk.flac"))


def sentences(transcriber, audio, live_mode: bool = False):  # type: ignore[no-untyped-def]
    out: list[Sentence] = []
    recognizer = build_recognizer(ASR, transcriber, live=live_mode)
    live.run(audio, recognizer, lambda e: out.append(e) if isinstance(e, Sentence) else None)
    return out


def fallback(url: str, local, statuses: list[str]) -> FallbackTranscriber:  # type: ignore[no-untyped-def]
    transcriber = FallbackTranscriber(RemoteWhisper(url, "whisper-1", timeout_s=30.0), local,
                                      statuses.append, "en", probe_audio=read_wav(),
                                      timeout_s=30.0, first_probe_s=0.3, max_probe_s=2.0)
    transcriber.calibrate()
    return transcriber


@pytest.mark.slow
@pytest.mark.parametrize(("mode", "times", "cause"), [
    ("chinese", None, "answered in another language: \"你好世界"),
    ("gzip_garbage", None, "could not be decoded"),
    ("times", (40.0, 41.0), "at 40.00-41.00 s"),
    ("times", (0.0, 45.0), "at 0.00-45.00 s"),
    ("times", (-5.0, 1.0), "at -5.00-1.00 s"),
    ("times", (NAN, 1.0), "at nan-1.00 s"),
    ("times", (0.0, 1e12), "s of audio"),
    ("times", (0.9, 0.1), "at 0.90-0.10 s"),
])
def test_an_answer_wrong_in_kind_is_decoded_locally(mode: str, times: tuple[float, float] | None,
                                                     cause: str, base_model, clip,  # type: ignore[no-untyped-def]
                                                     local_jfk) -> None:
    statuses: list[str] = []
    with FakeAsrServer(mode) as bad:
        if times is not None:
            bad.segment_times = times
        transcriber = fallback(bad.url, base_model, statuses)
        try:
            got = sentences(transcriber, clip("jfk.flac"))
        finally:
            transcriber.close()
        assert bad.requests
    assert [(s.text, s.start, s.end) for s in got] == [(s.text, s.start, s.end)
                                                      for s in local_jfk]
    assert transcriber.switches == ["local"] and transcriber.local_decodes >= 1
    assert len(statuses) == 1 and cause in statuses[0], statuses
    assert "你好" not in " ".join(s.text for s in got)


@pytest.mark.slow
def test_live_mode_with_a_segment_ending_at_30_s_keeps_every_word(base_model, clip) -> None:  # type: ignore[no-untyped-def]
    """A server answering the true words of each window as one segment ending at 30 s (as
    Whisper times the end of speech in its 30-s window): live mode commits every word,
    "ask not what your country can do for you, ask what you can do for your country"."""

    def answer(wav: bytes) -> dict[str, object]:
        with wave.open(io.BytesIO(wav)) as source:
            pcm = source.readframes(source.getnframes())
        audio = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        said = base_model.transcribe(audio, "en")
        text = "".join(w.text for w in said.words)
        segments = [{"start": said.words[0].start, "end": 30.0, "text": text}] if text else []
        return {"language": "en", "text": text, "segments": segments}

    statuses: list[str] = []
    with FakeAsrServer("answer") as server:
        server.answer = answer
        transcriber = fallback(server.url, base_model, statuses)
        try:
            got = sentences(transcriber, clip("jfk.flac"), live_mode=True)
        finally:
            transcriber.close()
        assert len(server.requests) > 3
    said = words(" ".join(s.text for s in got)).split()
    assert wer(reference("jfk.flac"), " ".join(said)) < 0.1, said
    assert said.count("what") == 2 and said.count("country") == 2, said


@pytest.mark.parametrize("ui", ["en", "zh-TW"])
def test_connection_test_names_an_answer_in_another_language(ui: str) -> None:
    with FakeAsrServer("chinese") as bad:
        report = asr_check.run(AsrSettings(backend="remote", remote_url=bad.url), None, ui)
    assert not report.ok
    assert "✓" not in report.message and "你好世界" in report.message
    assert ("another language" if ui == "en" else "另一種語言") in report.message


def test_connection_test_names_an_undecodable_answer() -> None:
    with FakeAsrServer("gzip_garbage") as bad:
        report = asr_check.run(AsrSettings(backend="remote", remote_url=bad.url), None, "en")
        chinese = asr_check.run(AsrSettings(backend="remote", remote_url=bad.url), None,
                                "zh-TW")
    assert not report.ok and "could not be decoded" in report.message
    assert "Cannot connect" not in report.message
    assert not chinese.ok and "無法解碼" in chinese.message
