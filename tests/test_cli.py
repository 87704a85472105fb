"""The command line, run as a user runs it: a real process on real clips."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import srt
import webvtt

from tests.conftest import DATA, reference
from tests.textnorm import wer

CLI = [sys.executable, "-m", "whispertrans_tray"]


def run(*args: str, cache: Path, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WHISPERTRANS_CACHE_DIR": str(cache), "XDG_CONFIG_HOME": str(config),
           "WHISPERTRANS_DATA_DIR": str(config / "data")}
    return subprocess.run([*CLI, "--ui-language", "en", *args], capture_output=True, text=True,
                          env=env, timeout=300, check=False)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("out")
    config = tmp_path_factory.mktemp("config")
    files = {}
    for ext in ("srt", "vtt", "txt", "jsonl"):
        files[ext] = out / f"jfk.{ext}"
        result = run("transcribe", str(DATA / "jfk.flac"), "-o", str(files[ext]),
                     cache=model_cache, config=config)
        assert result.returncode == 0, result.stderr
        assert "Wrote" in result.stderr
    return files


def test_srt(outputs: dict[str, Path]) -> None:
    subs = list(srt.parse(outputs["srt"].read_text(encoding="utf-8")))
    assert wer(reference("jfk.flac"), " ".join(s.content for s in subs)) <= 0.05
    assert subs[0].start.total_seconds() < 1.0 and subs[-1].end.total_seconds() > 9.0


def test_vtt(outputs: dict[str, Path]) -> None:
    cues = webvtt.read(str(outputs["vtt"]))
    assert wer(reference("jfk.flac"), " ".join(c.text for c in cues)) <= 0.05


def test_jsonl(outputs: dict[str, Path]) -> None:
    rows = [json.loads(x) for x in outputs["jsonl"].read_text("utf-8").splitlines()]
    assert {tuple(r) for r in rows} == {("start", "end", "committed_at", "language", "text",
                                         "translation")}
    assert all(r["language"] == "en" and r["translation"] is None for r in rows)
    assert all(r["start"] < r["end"] for r in rows)
    # file mode's clock is the audio decoded so far: a sentence commits after its end, and
    # never later than the clip's 11 s
    assert all(r["end"] <= r["committed_at"] <= 11.01 for r in rows)
    assert [r["committed_at"] for r in rows] == sorted(r["committed_at"] for r in rows)


def test_txt(outputs: dict[str, Path]) -> None:
    assert wer(reference("jfk.flac"), outputs["txt"].read_text("utf-8")) <= 0.05


def test_missing_input(tmp_path: Path, model_cache: Path) -> None:
    result = run("transcribe", str(tmp_path / "nope.wav"), cache=model_cache, config=tmp_path)
    assert result.returncode != 0
    assert "does not exist" in result.stderr and "nope.wav" in result.stderr


@pytest.mark.parametrize(("given", "told", "told_zh"), [
    ("folder", "is a folder, not an audio file", "是資料夾，不是音訊檔"),
    ("/dev/null", "is not a regular audio file", "不是一般的音訊檔")])
def test_an_input_that_is_no_file_says_what_it_is(tmp_path: Path, model_cache: Path,
                                                  given: str, told: str, told_zh: str) -> None:
    path = tmp_path if given == "folder" else Path(given)
    for language, words in (("en", told), ("zh-TW", told_zh)):
        result = subprocess.run([*CLI, "--ui-language", language, "transcribe", str(path)],
                                capture_output=True, text=True, timeout=300, check=False,
                                env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path)})
        assert result.returncode != 0 and words in result.stderr and str(path) in result.stderr
        assert "does not exist" not in result.stderr and "找不到" not in result.stderr
        assert "Traceback" not in result.stderr


def test_unreadable_input(tmp_path: Path, model_cache: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio at all")
    result = run("transcribe", str(bad), cache=model_cache, config=tmp_path)
    assert result.returncode != 0
    assert "Could not read the audio file" in result.stderr


def test_a_video_without_sound_is_named(tmp_path: Path, model_cache: Path) -> None:
    import av
    import numpy as np

    video = tmp_path / "silent-film.mkv"
    with av.open(str(video), "w") as container:
        stream = container.add_stream("ffv1", rate=5)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
        for _ in range(5):
            frame = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    result = run("transcribe", str(video), cache=model_cache, config=tmp_path)
    assert result.returncode != 0
    assert "has no sound track" in result.stderr and "silent-film.mkv" in result.stderr
    assert "Traceback" not in result.stderr and "IndexError" not in result.stderr


@pytest.mark.parametrize(("case", "cause"), [
    ("parent-is-a-file", "a file of that name is in the way"),
    ("read-only-folder", "permission denied"), ("a-folder", "it is a folder, not a file")])
def test_an_unwritable_output_is_named_before_any_work(tmp_path: Path, model_cache: Path,
                                                      case: str, cause: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    if case == "parent-is-a-file":
        (folder / "notes.txt").write_text("x", encoding="utf-8")
        out = folder / "notes.txt" / "jfk.srt"
    elif case == "a-folder":
        out = folder / "jfk.srt"
        out.mkdir()
    else:
        out = folder / "jfk.srt"
        subprocess.run(["chattr", "+i", str(folder)], check=True)  # stops root too
    try:
        result = run("-v", "transcribe", str(DATA / "jfk.flac"), "-o", str(out),
                     cache=model_cache, config=tmp_path)  # -v: a model load would be logged
    finally:
        if case == "read-only-folder":
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    assert result.returncode != 0
    assert "Could not write the output file" in result.stderr
    told = next(line for line in result.stderr.splitlines() if "Could not write" in line)
    assert cause in told and "Errno" not in told  # the details go to the log (-v) only
    assert "Choose a folder" in result.stderr
    assert "Loaded Whisper" not in result.stderr and "Wrote" not in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("link", ["itself", "symlink", "hardlink"])
def test_an_output_that_is_the_input_is_refused_and_the_audio_kept(
        tmp_path: Path, model_cache: Path, link: str) -> None:
    """An audio file named ``talk.srt`` given as its own output (or through a link to it):
    refused before any work, named in both UI languages, the audio byte for byte intact."""
    audio = tmp_path / "talk.srt"
    audio.write_bytes((DATA / "jfk.flac").read_bytes())
    out = audio
    if link == "symlink":
        out = tmp_path / "subs.srt"
        out.symlink_to(audio)
    elif link == "hardlink":
        out = tmp_path / "subs.srt"
        os.link(audio, out)
    before = audio.read_bytes()
    result = run("-v", "transcribe", str(audio), "-o", str(out),
                 cache=model_cache, config=tmp_path)
    assert result.returncode != 0
    assert "is the input audio file" in result.stderr and "nothing was written" in result.stderr
    assert "Loaded Whisper" not in result.stderr and "Traceback" not in result.stderr
    assert audio.read_bytes() == before
    zh = subprocess.run([*CLI, "--ui-language", "zh-TW", "transcribe", str(audio), "-o",
                         str(out)], capture_output=True, text=True, timeout=300, check=False,
                        env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path)})
    assert zh.returncode != 0 and "就是輸入的音訊檔" in zh.stderr
    assert audio.read_bytes() == before


def test_unknown_output_format(tmp_path: Path, model_cache: Path) -> None:
    result = run("transcribe", str(DATA / "jfk.flac"), "-o", str(tmp_path / "x.docx"),
                 cache=model_cache, config=tmp_path)
    assert result.returncode != 0 and ".docx" in result.stderr


def test_corrupt_settings_do_not_stop_the_cli(tmp_path: Path, model_cache: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text("{broken", encoding="utf-8")
    result = run("--settings", str(settings), "transcribe", str(DATA / "zh_aishell.wav"),
                 cache=model_cache, config=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "corrupt" in result.stderr
    assert (tmp_path / "settings.json.bak").exists()
    assert "廣州" in result.stdout


def test_listen_replay_prints_sentences(tmp_path: Path, model_cache: Path) -> None:
    out = tmp_path / "live.srt"
    result = run("listen", "--replay", str(DATA / "en_librispeech.wav"), "-o", str(out),
                 cache=model_cache, config=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "sorrow" in result.stdout.lower()
    assert len(list(srt.parse(out.read_text("utf-8")))) >= 1


def test_file_mode_writes_bilingual_subtitles(tmp_path: Path, model_cache: Path) -> None:
    from tests.servers.fake_openai import FakeServer

    out = tmp_path / "zh.srt"
    with FakeServer("ok", reply="Guangzhou real estate agency association analysis") as server:
        result = run("transcribe", str(DATA / "zh_aishell.wav"), "-o", str(out), "--translate",
                     "--url", server.url, "--model", "test-model", cache=model_cache,
                     config=tmp_path)
    assert result.returncode == 0, result.stderr
    (cue,) = list(srt.parse(out.read_text("utf-8")))
    source, translation = cue.content.split("\n")
    assert "廣州" in source
    assert translation == "Guangzhou real estate agency association analysis"
    # bidirectional: a Chinese sentence with target 繁體中文 goes to English
    assert "English" in server.requests[0]["messages"][0]["content"]


def test_failed_translations_keep_every_sentence(tmp_path: Path, model_cache: Path) -> None:
    from tests.servers.fake_openai import FakeServer

    out = tmp_path / "jfk.jsonl"
    with FakeServer("error500") as server:
        result = run("transcribe", str(DATA / "jfk.flac"), "-o", str(out), "--translate",
                     "--url", server.url, "--model", "test-model", cache=model_cache,
                     config=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert wer(reference("jfk.flac"), " ".join(r["text"] for r in rows)) <= 0.05
    assert all(r["translation"] is None and "HTTP 500" in r["translation_error"] for r in rows)
    assert "translation failed" in result.stderr


def test_no_translate_means_no_server_traffic(tmp_path: Path, model_cache: Path) -> None:
    from tests.servers.fake_openai import FakeServer

    with FakeServer("ok") as server:
        result = run("transcribe", str(DATA / "zh_aishell.wav"), "--no-translate", "--url",
                     server.url, cache=model_cache, config=tmp_path)
    assert result.returncode == 0 and server.requests == [] and server.headers_seen == []


def test_an_echoed_api_key_is_never_shown_or_written(tmp_path: Path, model_cache: Path) -> None:
    """A server that echoes the Authorization header in its error: the key reaches neither
    stderr nor stdout nor the subtitle file, in either UI language."""
    from tests.servers.fake_openai import FakeServer

    key = "lan-box-key-7f3a9c"  # not shaped like sk-…: masked because it is the key in use
    out = tmp_path / "jfk.jsonl"
    with FakeServer("echo_auth") as server:
        result = run("transcribe", str(DATA / "jfk.flac"), "-o", str(out), "--translate",
                     "--url", server.url, "--model", "test-model", "--api-key", key,
                     cache=model_cache, config=tmp_path)
    assert result.returncode == 0, result.stderr
    assert server.headers_seen and server.headers_seen[0]["authorization"] == f"Bearer {key}"
    written = out.read_text("utf-8")
    rows = [json.loads(x) for x in written.splitlines()]
    assert rows and all("HTTP 500" in r["translation_error"] for r in rows)
    assert all("***" in r["translation_error"] for r in rows)
    for text in (written, result.stderr, result.stdout):
        assert key not in text



def _peak_rss_mib(*args: str, cache: Path, config: Path) -> tuple[float, str]:
    """Run the CLI in a process that reports its own peak resident memory (MiB) as it exits;
    that and the CLI's stdout."""
    env = {**os.environ, "WHISPERTRANS_CACHE_DIR": str(cache), "XDG_CONFIG_HOME": str(config)}
    code = ("import atexit, resource, runpy, sys\n"
            "atexit.register(lambda: sys.stderr.write('PEAK_KIB %d\\n' % "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
            "sys.argv = sys.argv[1:]\n"
            "runpy.run_module('whispertrans_tray', run_name='__main__')\n")
    result = subprocess.run([sys.executable, "-c", code, "whispertrans-tray", "--ui-language",
                             "en", *args], capture_output=True, text=True, env=env,
                            timeout=900, check=False)
    assert result.returncode == 0, result.stderr
    peak = [line for line in result.stderr.splitlines() if line.startswith("PEAK_KIB ")]
    return int(peak[-1].split()[1]) / 1024, result.stdout


def test_memory_does_not_grow_with_the_file_length(tmp_path: Path, model_cache: Path) -> None:
    """A 20-minute file is transcribed in about the memory of an 11-second one: it is decoded
    and transcribed piece by piece (decoded whole, as before, it took 57 MB more)."""
    import wave

    import numpy as np

    from whispertrans_tray.app.live import read_audio

    speech = (read_audio(DATA / "jfk.flac") * 32767).astype(np.int16)
    rng = np.random.default_rng(0)
    quiet = (rng.normal(0, 30, 20 * 60 * 16000)).astype(np.int16)  # room noise, no speech
    files = {}
    for name, samples in (("short", speech), ("long", np.concatenate([quiet, speech]))):
        files[name] = tmp_path / f"{name}.wav"
        with wave.open(str(files[name]), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(16000)
            out.writeframes(samples.tobytes())
    peaks = {}
    for name, path in files.items():
        peaks[name], stdout = _peak_rss_mib("transcribe", str(path), "--language", "en",
                                            cache=model_cache, config=tmp_path)
        assert wer(reference("jfk.flac"), " ".join(
            line.split("] ", 1)[1] for line in stdout.splitlines() if "] " in line)) <= 0.05
    assert peaks["long"] - peaks["short"] < 20, peaks
