"""Remote recognition against a real server (faster-whisper-server serving the bundled base
model), and against real misbehaving servers: the local fallback loses no sentence."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import reference
from tests.servers.fake_asr import FakeAsrServer
from tests.servers.whisper_server import WhisperServer
from tests.textnorm import wer, words
from whispertrans_tray.__main__ import build_file_recognizer, build_recognizer, main
from whispertrans_tray.app import asr_check, live
from whispertrans_tray.app.asr_fallback import FallbackTranscriber
from whispertrans_tray.core.types import SAMPLE_RATE, Sentence
from whispertrans_tray.errors import RecognitionServerError
from whispertrans_tray.i18n import phrase_text
from whispertrans_tray.providers import model_store
from whispertrans_tray.providers.asr_remote import RemoteWhisper, base_url, parse, read_wav
from whispertrans_tray.settings import AsrSettings

pytestmark = pytest.mark.slow
ASR = AsrSettings(device="cpu", cpu_threads=2, language="en")


@pytest.fixture(scope="module")
def server(model_cache: Path, tmp_path_factory: pytest.TempPathFactory) \
        -> Iterator[WhisperServer]:
    process = WhisperServer(model_store.bundled_base(),
                            tmp_path_factory.mktemp("fws") / "server.log")
    process.start()
    # The server loads its model on the first request: do it now, not in a timed test.
    RemoteWhisper(process.url, "whisper-1", timeout_s=120).transcribe(read_wav(), "en")
    yield process
    process.kill()


def sentences(transcriber, audio):  # type: ignore[no-untyped-def]
    """The sentences of ``audio`` through the file-mode recognizer on ``transcriber``."""
    out: list[Sentence] = []
    recognizer = build_recognizer(ASR, transcriber, live=False)
    live.run(audio, recognizer, lambda e: out.append(e) if isinstance(e, Sentence) else None)
    return out


def fallback(remote_url: str, local, statuses: list[str], **options):  # type: ignore[no-untyped-def]
    remote = RemoteWhisper(remote_url, "whisper-1", timeout_s=options.pop("timeout_s", 60.0),
                           terms=options.pop("terms", ()))
    transcriber = FallbackTranscriber(remote, local, statuses.append, "en",
                                      probe_audio=read_wav(), timeout_s=remote.timeout_s,
                                      first_probe_s=0.3, max_probe_s=2.0, **options)
    transcriber.calibrate()
    return transcriber


def test_remote_decode_of_jfk_is_exact_with_segment_times(server: WhisperServer, clip) -> None:  # type: ignore[no-untyped-def]
    audio = clip("jfk.flac")
    remote = RemoteWhisper(server.url, "whisper-1", timeout_s=60)
    result = remote.transcribe(audio, "en")
    text = "".join(w.text for w in result.words).strip()
    assert words(text) == words(reference("jfk.flac"))  # every word (int8 greedy: commas vary)
    assert result.language == "en"
    starts = [w.start for w in result.words]
    assert starts == sorted(starts) and starts[0] >= 0 and result.words[-1].end <= 11.0
    assert result.words[-1].end > 10.0  # spread over the whole segment, not bunched up
    assert remote.last_seconds > 0


def test_connection_test_times_the_clip(server: WhisperServer) -> None:
    asr = AsrSettings(backend="remote", remote_url=server.url, remote_timeout_s=30)
    report = asr_check.run(asr, None, "zh-TW")
    assert report.ok, report.message
    assert report.message.startswith("✓ 連線成功") and "ms" in report.message
    assert "so" in report.text.lower()
    assert 0 < report.seconds < 30
    down = asr_check.run(AsrSettings(remote_url="http://127.0.0.1:9/v1"), None, "en")
    assert not down.ok and "Cannot connect to the recognition server" in down.message


@pytest.mark.parametrize(
    ("url", "expected"),
    [("http://localhost:8000/v1/audio/transcriptions", "http://localhost:8000/v1"),
     (" http://10.0.0.2:8000/v1/audio/translations/ ", "http://10.0.0.2:8000/v1"),
     ("https://box/v1/models", "https://box/v1"), ("http://box:9000/v1/", "http://box:9000/v1")],
)
def test_url_normalisation(url: str, expected: str) -> None:
    assert base_url(url) == expected


@pytest.mark.parametrize("url", ["box:8000/v1", "http:///v1", "http://box:99999/v1",
                                 "http://[::1", "http://[::1/v1"])
def test_bad_urls_name_the_problem(url: str) -> None:
    with pytest.raises(RecognitionServerError) as info:
        base_url(url)
    assert info.value.key == "asr.bad_url" and url in info.value.message("en")


def test_cli_test_asr(server: WhisperServer, capsys: pytest.CaptureFixture[str],
                      tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"  # a shared test machine may be slow: 15 s at most
    settings.write_text('{"asr": {"remote_timeout_s": 30}}', encoding="utf-8")
    assert main(["--settings", str(settings), "--ui-language", "en", "test-asr", "--asr-url",
                 server.url]) == 0
    assert "Connected" in capsys.readouterr().out
    assert main(["--settings", str(settings), "--ui-language", "en", "test-asr", "--asr-url",
                 "ftp://box/v1"]) == 1
    assert "must start with http" in capsys.readouterr().err


def test_kill_mid_session_then_restart(server: WhisperServer, base_model, clip) -> None:  # type: ignore[no-untyped-def]
    """Pull the server's plug after the first sentence: recognition goes on locally with a
    status message, nothing lost or repeated; start it again: the app returns to it."""
    gap = np.zeros(SAMPLE_RATE * 2, dtype=np.float32)
    parts = [clip("jfk.flac"), gap, clip("en_librispeech.wav"), gap, clip("jfk.flac")]
    audio = np.concatenate(parts)
    statuses: list[str] = []
    # The test server decodes on this CPU, about as fast as the local model or slower: being
    # slower than local is no failure (the default policy).
    transcriber = fallback(server.url, base_model, statuses)
    recognizer = build_recognizer(ASR, transcriber, live=False)
    out: list[Sentence] = []
    back = threading.Event()
    second_start = parts[0].size + gap.size + parts[2].size + gap.size
    step = SAMPLE_RATE // 2

    def chunks() -> Iterator[np.ndarray]:
        killed = False
        for at in range(0, audio.size, step):
            if out and not killed:
                remote_before = transcriber.remote_decodes
                server.kill()
                killed = True
            if at >= second_start and not back.is_set():
                server.start()
                for _ in range(600):  # the probe notices within its backoff (≤ 2 s)
                    if transcriber.using_remote:
                        break
                    back.wait(0.1)
                back.set()
                remote_after_return = transcriber.remote_decodes
            yield audio[at: at + step]
        assert remote_before > 0 and remote_after_return >= remote_before

    try:
        for event in live.events(chunks(), recognizer):
            if isinstance(event, Sentence):
                out.append(event)
    finally:
        transcriber.close()
        if server.process is None:
            server.start()
    assert transcriber.switches == ["local", "remote"], statuses
    assert transcriber.local_decodes >= 1  # the decodes while it was down
    assert any("Recognizing locally" in s and "Cannot connect" in s for s in statuses)
    assert any("is back" in s for s in statuses)
    text = " ".join(s.text for s in out)
    expected = " ".join([reference("jfk.flac"), reference("en_librispeech.wav"),
                         reference("jfk.flac")])
    assert wer(expected, text) < 0.12, text
    assert [s.index for s in out] == list(range(len(out)))
    assert all(a.text != b.text for a, b in pairwise(out)), text
    # no audio decoded into two sentences (word times may overlap a little at a boundary)
    times = [(s.start, s.end, s.text) for s in out]
    assert all(a.end <= b.start + 0.5 for a, b in pairwise(out)), "\n".join(map(str, times))


def test_slower_than_local_is_no_failure_falling_behind_is(base_model, clip) -> None:  # type: ignore[no-untyped-def]
    """A server slower than the local model stays in use while it keeps the subtitles in
    time; a decode past the real-time deadline goes local; the probe brings recognition back
    only once the server answers within the lag budget; a live caller that falls behind the
    budget twice in a row goes local."""
    statuses: list[str] = []
    audio = clip("jfk.flac")[: SAMPLE_RATE * 2]
    started = time.perf_counter()
    base_model.transcribe(audio, "en")
    local_s = time.perf_counter() - started
    with FakeAsrServer("slow") as slow:
        transcriber = fallback(slow.url, base_model, statuses, timeout_s=60.0)
        budget = transcriber.lag_budget_s
        transcriber.caller_lag = lambda: 0.0  # a live caller that keeps up
        slow.delay = min(2 * local_s + 0.2, budget - 0.5)  # slower than local, in time
        try:
            for _ in range(3):
                transcriber.transcribe(audio, "en")
            assert transcriber.remote_decodes == 3 and transcriber.using_remote, statuses
            assert statuses == [] and min(transcriber.lags) > local_s
            slow.delay = 30.0  # now it hangs: the wait is bounded by real time, not 60 s
            started = time.perf_counter()
            result = transcriber.transcribe(audio, "en")
            waited = time.perf_counter() - started
            assert "".join(w.text for w in result.words).strip().lower().startswith("and so")
            assert transcriber.switches == ["local"] and "did not answer" in statuses[-1]
            assert waited < 2.0 + budget + local_s + 1.0  # new audio + budget, then local
            slow.delay = budget + 0.5  # it answers, but later than the budget: not back
            threading.Event().wait(2 * budget)
            assert not transcriber.using_remote, statuses
            slow.delay = min(2 * local_s + 0.2, budget - 0.5)  # in time again: back
            for _ in range(200):
                if transcriber.using_remote:
                    break
                threading.Event().wait(0.1)
            assert transcriber.switches == ["local", "remote"], statuses
            assert "is back" in statuses[-1]
            late = iter([budget + 2, 0.0, budget + 2, budget + 2])  # how late the caller is
            transcriber.caller_lag = lambda: next(late)
            before = transcriber.remote_decodes
            for _ in range(2):  # late once, then in time: still the server
                transcriber.transcribe(audio, "en")
            assert transcriber.using_remote, statuses
            for _ in range(2):
                transcriber.transcribe(audio, "en")
            assert transcriber.remote_decodes == before + 4
            assert transcriber.switches == ["local", "remote", "local"], statuses
            assert "cannot keep up" in statuses[-1] and "Recognizing locally" in statuses[-1]
        finally:
            transcriber.close()


@pytest.mark.parametrize(("mode", "cause"), [
    ("html", "not an OpenAI-compatible speech recognition API"),
    ("too_large", "too large (HTTP 413"),
    ("empty", "an empty transcript of speech"),
    ("no_times", "no word or segment timestamps"),
    ("error500", "HTTP 500"),
])
def test_misbehaving_server_costs_no_sentence(mode: str, cause: str, base_model, clip) -> None:  # type: ignore[no-untyped-def]
    audio = clip("jfk.flac")
    local_only = sentences(base_model, audio)
    statuses: list[str] = []
    with FakeAsrServer(mode) as bad:
        transcriber = fallback(bad.url, base_model, statuses, terms=("Kennedy",))
        try:
            got = sentences(transcriber, audio)
        finally:
            transcriber.close()
        assert bad.requests and b'name="prompt"' in bad.requests[0]
        assert b"Kennedy" in bad.requests[0] and b"verbose_json" in bad.requests[0]
        assert b"fLaC" in bad.requests[0] and b'filename="audio.flac"' in bad.requests[0]
    assert [(s.text, s.start, s.end) for s in got] == [(s.text, s.start, s.end)
                                                      for s in local_only]
    assert transcriber.switches == ["local"]
    assert len(statuses) == 1 and cause in statuses[0], statuses
    assert "returns to the server when it recovers" in statuses[0]


@pytest.mark.parametrize("mode", ["html", "too_large", "no_times", "error500"])
def test_remote_errors_name_cause_and_fix_in_both_languages(mode: str) -> None:
    with FakeAsrServer(mode) as bad:
        remote = RemoteWhisper(bad.url, "whisper-1", timeout_s=5)
        with pytest.raises(RecognitionServerError) as caught:
            remote.transcribe(read_wav(), "en")
    english, chinese = caught.value.message("en"), caught.value.message("zh-TW")
    assert english != chinese and "語音辨識" in chinese
    fixes = {"html": "/v1/audio/transcriptions", "too_large": "client_max_body_size",
             "no_times": "verbose_json", "error500": "server's log"}
    assert fixes[mode] in english


def test_segment_times_stand_in_for_missing_word_times() -> None:
    with FakeAsrServer("word_times_missing") as odd:
        result = RemoteWhisper(odd.url, "whisper-1").transcribe(read_wav(), "en")
    assert [w.text for w in result.words] == [" And", " so", " my", " fellow", " Americans."]
    assert result.words[0].start == 0.0 and result.words[-1].end == pytest.approx(1.0)
    assert result.language == "en"  # OpenAI names the language; the code is used


def test_parse_chinese_words_and_named_language() -> None:
    data = {"language": "chinese", "text": "你好嗎",
            "words": [{"word": "你好", "start": 0.1, "end": 0.5},
                      {"word": "嗎", "start": 0.5, "end": 0.7}]}
    result = parse(data, 1.0)
    assert "".join(w.text for w in result.words) == "你好嗎" and result.language == "zh"
    spread = parse({"language": "zh", "text": "你好。", "segments": [
        {"start": 0.0, "end": 2.3, "text": "你好。"}]}, 2.0)  # within the tolerance
    assert [w.text for w in spread.words] == ["你", "好。"]
    assert spread.words[-1].end == 2.0  # clipped to the audio sent


def test_file_mode_batches_go_to_the_server(server: WhisperServer, base_model, clip) -> None:  # type: ignore[no-untyped-def]
    statuses: list[str] = []
    transcriber = fallback(server.url, base_model, statuses)
    out: list[Sentence] = []
    try:
        live.run(clip("jfk.flac"), build_file_recognizer(ASR, transcriber, 1),
                 lambda e: out.append(e) if isinstance(e, Sentence) else None)
    finally:
        transcriber.close()
    assert wer(reference("jfk.flac"), " ".join(s.text for s in out)) < 0.1
    assert transcriber.remote_decodes >= 1 and transcriber.local_decodes == 0
    assert transcriber.switches == [] and statuses == []


def test_cli_file_mode_without_the_server(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """``transcribe --asr remote`` with the server gone: the local model writes the file."""
    out = tmp_path / "out.txt"
    assert main(["--settings", str(tmp_path / "settings.json"), "--ui-language", "en",
                 "transcribe", str(Path(__file__).parent / "data" / "jfk.flac"), "-o", str(out),
                 "--language", "en", "--asr", "remote", "--asr-url",
                 "http://127.0.0.1:9/v1"]) == 0
    assert wer(reference("jfk.flac"), out.read_text(encoding="utf-8")) < 0.1
    notices = capsys.readouterr().err
    in_use = notices.index("Speech is recognized by the server at 127.0.0.1 (model whisper-1)")
    assert in_use < notices.index("Recognizing locally: Cannot connect to the recognition server")


@pytest.mark.parametrize(("language", "said"), [
    ("en", "Speech is recognized by the server at 127.0.0.1 (model large-v3): it stays in use "
     "while the subtitles trail the speech by at most 3.0 s, even if it is slower"),
    ("zh-TW", "語音由 127.0.0.1 上的伺服器辨識（模型 large-v3）："
     "只要字幕延遲不超過 3.0 秒就一直使用它，即使比本機慢"),
])
def test_the_status_says_which_recognizer_is_in_use_and_why(language: str, said: str,
                                                            base_model) -> None:  # type: ignore[no-untyped-def]
    transcriber = FallbackTranscriber(RemoteWhisper("http://127.0.0.1:9/v1", "large-v3"),
                                      base_model, print, language, probe_audio=read_wav(),
                                      remote_name="large-v3")
    transcriber.close()
    assert transcriber.info.notice is not None
    notice = phrase_text(transcriber.info.notice, language)
    assert said in notice
    assert base_model.info.name in notice  # the local model that takes over


def test_glossary_terms_are_hotwords_of_the_local_model(model_cache: Path, clip) -> None:  # type: ignore[no-untyped-def]
    """Base writes "Cuba needs" for a product name it writes right once the name is a hotword
    (live decodes with and without a language, and file mode's batches)."""
    from whispertrans_tray.app.asr_fallback import load_transcriber
    from whispertrans_tray.settings import Settings, TranslationSettings

    audio = clip("kubernetes_espeak.wav")
    plain = load_transcriber(Settings(asr=ASR), print, None)
    with_terms = load_transcriber(Settings(asr=ASR, translation=TranslationSettings(
        glossary=(("Kubernetes", "K8s"), ("Grafana", "Grafana")))), print, None)

    def texts(model) -> list[str]:  # type: ignore[no-untyped-def]
        results = [model.transcribe(audio, "en"), model.transcribe(audio, None),
                   model.transcribe_batch([audio], "en")[0]]
        return [words("".join(w.text for w in r.words)) for r in results]

    assert all("kubernetes" not in text for text in texts(plain))
    assert texts(with_terms) == [words(reference("kubernetes_espeak.wav"))] * 3
