"""The subtitles in a real OBS Studio (obs-websocket 5) under Xvfb: written into its text
source and read back with GetInputSettings; a wrong or missing password, a missing source, OBS
not running and OBS restarted mid-session are told in both UI languages while the lines keep
flowing, and the sink reconnects by itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.obs_studio import (
    COLOR_SOURCE,
    TEXT_SOURCE,
    ObsStudio,
    RtmpServer,
    running_obs,
    shown,
    stream_captions,
    until,
)
from whispertrans_tray.app.obs_output import ObsOutput, latin
from whispertrans_tray.app.outputs import LineEvent, Outputs
from whispertrans_tray.errors import ObsAuthError, ObsSourceError, ObsUnreachableError
from whispertrans_tray.providers.obs_websocket import ObsConnection, auth_string
from whispertrans_tray.settings import ObsSettings

ARTIFACTS = Path(__file__).parent / "artifacts"
AUDIO = Path("/work/shared/testdata/audio")
PASSWORD = "pässwörd 密碼 42"


@pytest.fixture(scope="module")
def obs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ObsStudio]:
    with running_obs(tmp_path_factory.mktemp("obs-home"), PASSWORD) as studio:
        yield studio


class Told:
    """The messages a sink told the user (any thread)."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, message: str) -> None:
        with self._lock:
            self.messages.append(message)

    def has(self, words: str) -> bool:
        with self._lock:
            return any(words in m for m in self.messages)


def sink(url: str, password: str | None, told: Told, lang: str = "en",
         source: str = TEXT_SOURCE, lines: int = 2) -> ObsOutput:
    return ObsOutput.start_new(ObsSettings(enabled=True, url=url, source=source, lines=lines),
                               lambda: ObsConnection(url, password, timeout=5), told, lang)


def test_the_authentication_string_is_the_protocols() -> None:
    """base64(sha256(base64(sha256(password + salt)) + challenge)), computed independently by
    openssl (and accepted by the real OBS in every test below)."""
    def openssl(data: bytes) -> bytes:
        digest = subprocess.run(["openssl", "dgst", "-sha256", "-binary"], input=data,
                                capture_output=True, check=True, timeout=30).stdout
        return subprocess.run(["base64", "-w0"], input=digest, capture_output=True,
                              check=True, timeout=30).stdout

    salt, challenge = "lM1GncleQOaCu9lT1yeUZhFYnqhsLLP1G5lAGo3ixaI=", "+IxH4CnCiqpX1rM9scsN"
    secret = openssl((PASSWORD + salt).encode())
    assert auth_string(PASSWORD, salt, challenge) == openssl(secret + challenge.encode()).decode()


def test_cjk_and_latin_lines_land_in_the_text_source_and_are_emptied_at_the_end(
        obs: ObsStudio) -> None:
    told = Told()
    output = sink(obs.url, PASSWORD, told, "zh-TW")
    outputs = Outputs([output])
    outputs.publish(LineEvent("partial", 0, "And so, my"))
    until(lambda: shown(obs) == "And so, my", "the partial in OBS")
    outputs.publish(LineEvent("sentence", 0, "And so, my fellow Americans,", "en", 0.3, 2.9))
    outputs.publish(LineEvent("translation", 0, "因此，我的美國同胞們，", "zh", 0.3, 2.9))
    outputs.publish(LineEvent("sentence", 1, "ask not what your country can do for you.", "en"))
    outputs.publish(LineEvent("translation", 1, "不要問國家能為你做什麼。", "zh"))
    want = ("And so, my fellow Americans,\n因此，我的美國同胞們，\n"
            "ask not what your country can do for you.\n不要問國家能為你做什麼。")
    until(lambda: shown(obs) == want, "both sentences and translations in OBS")
    time.sleep(0.5)  # a frame rendered with it
    ARTIFACTS.mkdir(exist_ok=True)
    obs.screenshot(ARTIFACTS / "obs_text_source.png")
    assert told.messages == [] and output.problem == ""
    outputs.close()
    assert shown(obs) == ""  # a stream does not keep showing the last line


def test_a_wrong_or_missing_password_is_told_once_and_publishing_never_waits(
        obs: ObsStudio) -> None:
    with pytest.raises(ObsAuthError):
        ObsConnection(obs.url, "wrong")
    for password, lang, words in (("wrong", "en", "OBS rejected the WebSocket password"),
                                  (None, "zh-TW", "需要密碼，但尚未設定")):
        told = Told()
        output = sink(obs.url, password, told, lang)
        started = time.monotonic()
        for n in range(200):
            output.publish(LineEvent("sentence", n, f"line {n}"))
        assert time.monotonic() - started < 1.0  # the subtitles never wait for OBS
        until(lambda: told.has(words), f"the message {words!r}")  # noqa: B023
        time.sleep(1.6)  # two more tries (0.5 s, 1 s backoff) are made meanwhile
        output.close()
        assert len(told.messages) == 1, told.messages
        message = told.messages[0]
        assert obs.url in message
        assert "Tools → WebSocket" in message or "工具 → WebSocket" in message


def test_a_missing_source_or_one_that_is_not_text_is_named(obs: ObsStudio) -> None:
    with pytest.raises(ObsSourceError):
        ObsConnection(obs.url, PASSWORD).text_source("Subtitels")
    told = Told()
    output = sink(obs.url, PASSWORD, told, "en", source="Subtitels")
    output.publish(LineEvent("sentence", 0, "hello"))
    until(lambda: told.has("no source named 'Subtitels'"), "the missing-source message")
    output.close()
    told = Told()
    output = sink(obs.url, PASSWORD, told, "zh-TW", source=COLOR_SOURCE)
    until(lambda: told.has(f"「{COLOR_SOURCE}」不是文字來源"), "the not-text message")
    output.close()
    assert shown(obs, TEXT_SOURCE) == ""  # nothing written anywhere else


def test_obs_not_running_then_started_then_restarted_mid_session(tmp_path: Path) -> None:
    studio = ObsStudio(tmp_path / "home", PASSWORD)
    try:
        with pytest.raises(ObsUnreachableError):
            ObsConnection(studio.url, PASSWORD)
        told = Told()
        output = ObsOutput.start_new(  # backoff up to 2 s, not 15: a shorter test
            ObsSettings(enabled=True, url=studio.url, source=TEXT_SOURCE),
            lambda: ObsConnection(studio.url, PASSWORD, timeout=5), told, "en",
            max_backoff=2.0)
        output.publish(LineEvent("sentence", 0, "before OBS was there"))
        until(lambda: told.has("Cannot reach OBS"), "the not-running message")
        assert "connection was refused" in told.messages[0]
        studio.start()
        until(lambda: output.connected, "the sink connected once OBS runs")
        until(lambda: shown(studio) == "before OBS was there", "the line written on connect")
        assert told.has("Connected to OBS")
        studio.stop()  # OBS killed mid-session
        output.publish(LineEvent("sentence", 1, "while OBS was gone"))
        until(lambda: not output.connected, "the broken connection noticed")
        output.publish(LineEvent("sentence", 2, "還在說話"))
        studio.start()
        want = "while OBS was gone\n還在說話"
        until(lambda: shown(studio) == want, "the newest lines after the restart")
        assert sum("Connected to OBS" in m for m in told.messages) == 2
        output.close()
    finally:
        studio.close()


def test_latin_lines_become_stream_captions_only_while_obs_streams(tmp_path: Path) -> None:
    """OBS streams to a real RTMP server (nginx) that records the stream; the sink captions
    the translations written in Latin letters (not the Chinese one, not before the stream
    starts), and the CEA-608 captions are read back out of the recorded H.264 stream."""
    assert latin("Ask not what your country can do for you.")
    assert latin("¿Qué tal, señor?") and not latin("不要問") and not latin("123 …")
    rtmp = RtmpServer(tmp_path / "rtmp")
    studio = ObsStudio(tmp_path / "home", PASSWORD, stream_to=rtmp.url)
    try:
        studio.start()
        told = Told()
        output = ObsOutput.start_new(
            ObsSettings(enabled=True, url=studio.url, source=TEXT_SOURCE),
            lambda: ObsConnection(studio.url, PASSWORD, timeout=10), told, "en",
            captions_from="translation")
        output.publish(LineEvent("sentence", 0, "在串流開始之前。", "zh"))
        output.publish(LineEvent("translation", 0, "Before the stream started.", "en"))
        until(lambda: "Before the stream started." in output.delivered, "the first line")
        control = ObsConnection(studio.url, PASSWORD, timeout=10)
        control.request("StartStream")
        until(control.stream_status, "OBS streaming to the RTMP server")
        lines = [("不要問國家能為你做什麼。", "Ask not what your country can do for you."),
                 ("Ask what you can do for your country.", "問你能為國家做什麼。"),
                 ("謝謝大家。", "Thank you all.")]
        for n, (source, translation) in enumerate(lines, start=1):
            output.publish(LineEvent("sentence", n, source))
            output.publish(LineEvent("translation", n, translation, done=False))  # streaming
            output.publish(LineEvent("translation", n, translation))
            time.sleep(2)  # a caption holds the screen for a while
        want = ["Ask not what your country can do for you.", "Thank you all."]
        until(lambda: output.captions_sent == want, "the captions sent")
        time.sleep(2)  # frames carrying the last caption reach the server
        control.request("StopStream")
        until(lambda: not control.stream_status(), "the stream stopped")
        control.close()
        output.close()
        assert told.messages == []
    finally:
        studio.close()
        rtmp.close()
    captions = stream_captions(rtmp.recording)
    assert captions == want, captions


def test_listen_replay_writes_the_committed_sentences_into_obs_and_the_live_file(
        obs: ObsStudio, tmp_path: Path) -> None:
    """The whole path: ``listen --replay`` with ``--obs`` (the password from the keyring) and
    ``--live-file``; OBS's text source and the file are read while it runs, and every
    committed sentence (the -o file's) is seen in both."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"),
           "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring"}
    store = ("from whispertrans_tray import credentials; "
             f"credentials.store({PASSWORD!r}, credentials.OBS_ENTRY)")
    subprocess.run([sys.executable, "-c", store], env=env, timeout=60, check=True)
    live = tmp_path / "live.txt"
    out = tmp_path / "out.jsonl"
    # the speaker stops; the session ends 8 s later (the text source is emptied at its end:
    # the last sentence must be on it for a while, also when a loaded machine decodes late)
    clip = tmp_path / "jfk-then-silence.wav"
    subprocess.run(["sox", str(AUDIO / "jfk.flac"), str(clip), "pad", "0", "8"], check=True,
                   timeout=60)
    run = subprocess.Popen(
        [sys.executable, "-m", "whispertrans_tray", "--ui-language", "en", "listen",
         "--replay", str(clip), "--no-translate", "--language", "en",
         "--obs", "--obs-url", obs.url, "--obs-source", TEXT_SOURCE,
         "--live-file", str(live), "-o", str(out)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen_obs: set[str] = set()
    seen_file: set[str] = set()
    reader = ObsConnection(obs.url, PASSWORD)  # one connection, read every 20 ms
    while run.poll() is None:
        seen_obs.add(str(reader.request("GetInputSettings", {"inputName": TEXT_SOURCE})
                         ["inputSettings"].get("text", "")))
        if live.exists():
            seen_file.add(live.read_text(encoding="utf-8"))
        time.sleep(0.02)
    reader.close()
    stdout, stderr = run.communicate()
    assert run.returncode == 0, stderr
    assert PASSWORD not in stdout + stderr
    sentences = [json.loads(line)["text"] for line in out.read_text().splitlines()
                 if line.strip()]
    assert sentences and "ask not what your country can do for you" in " ".join(
        sentences).lower()
    for sentence in sentences:
        assert any(sentence in text.split("\n") for text in seen_obs), (sentence,
                                                                         sorted(seen_obs))
        assert any(sentence in text.split("\n") for text in seen_file), (sentence, seen_file)
    assert any(text and text.split("\n")[-1] not in sentences for text in seen_obs), \
        "a partial was shown before its sentence"
    assert shown(obs) == "" and live.read_text(encoding="utf-8") == ""  # emptied at the end
