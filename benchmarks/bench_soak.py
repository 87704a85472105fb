"""Soak with faults: a long 1× run through the whole live path while things break on purpose.

The shared clips (concatenated and repeated) are played into a null sink of a private
PulseAudio server (its own socket, so the machine's audio and other tests are untouched); the
app's loopback capture records the sink's monitor, the streaming recognizer commits sentences,
each goes to the session history, the subtitle model and the translation workers, which talk to
the fake OpenAI-compatible server (``tests/servers/fake_openai.py``) running as its own process
on 127.0.0.1.  Over the run, a fault schedule (fractions of the run, so a short run gets every
fault too):

* 429 bursts (with and without ``Retry-After``) and answers cut off without ``finish_reason``;
* the translation server killed (SIGKILL), later stopped (SIGTERM), each time started again on
  the same port after an outage;
* the PulseAudio sink unloaded and loaded again (the capture reconnects; what is played while
  no sink exists is heard by nobody and is reported as unheard audio).

At the end every committed sentence must be in the session history and in the exported
subtitles (``lost`` counts those missing: it must be 0; the exit code is 1 otherwise), and
every line must have ended with a translation or a named failure.  RSS is sampled every 10 s.

    python -m benchmarks.bench_soak [--minutes 20] [--no-faults] [--record]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from benchmarks.common import ROOT, arguments, publish

BLOCK = 1600  # 0.1 s of 16 kHz audio per write to the player


def rss_mib() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


class PrivatePulse:
    """A PulseAudio server of our own with one null sink, ``soak``, that can be unloaded."""

    def __init__(self, folder: Path) -> None:
        self.socket = folder / "native"
        self.server = f"unix:{self.socket}"
        self.log = folder / "pulseaudio.log"
        (folder / "run").mkdir(mode=0o700, parents=True, exist_ok=True)
        # Nor the session bus: a PulseAudio daemon claims org.PulseAudio1 there and exits if
        # another (the tests' shared one, started under the test desktop's bus) has it; with
        # no bus and no X display to start one, it does without.
        env = {k: v for k, v in os.environ.items()
               if k not in ("PULSE_SERVER", "DBUS_SESSION_BUS_ADDRESS", "DISPLAY")}
        env.update(HOME=str(folder), XDG_RUNTIME_DIR=str(folder / "run"),
                   XDG_CONFIG_HOME=str(folder / "config"), PULSE_RUNTIME_PATH=str(folder / "run"),
                   PULSE_STATE_PATH=str(folder / "state"))
        self.process = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
             "--system=false", "--log-level=warning", f"--log-target=file:{self.log}", "-L",
             f"module-native-protocol-unix socket={self.socket} auth-anonymous=1"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # A loaded 2-core machine can take many seconds to start the daemon: wait for it to
        # answer (or to die, and then say why), not for a fixed time.
        deadline = time.monotonic() + 60
        while self._pactl("info", check=False).returncode != 0:
            if self.process.poll() is not None:
                raise RuntimeError(f"pulseaudio exited with {self.process.returncode}: "
                                   f"{self._log_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"pulseaudio did not answer within 60 s: {self._log_text()}")
            time.sleep(0.2)
        self.module = ""
        self.load_sink()

    def _log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"

    def _pactl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        try:
            result = subprocess.run(["pactl", "-s", self.server, *args], capture_output=True,
                                    text=True, timeout=30, check=False)
        except subprocess.TimeoutExpired as exc:  # a starved daemon: told like a refusal
            result = subprocess.CompletedProcess(exc.cmd, -1, "", "no answer within 30 s")
        if check and result.returncode != 0:
            raise RuntimeError(f"pactl {' '.join(args)} failed ({result.returncode}): "
                               f"{result.stderr.strip()} | pulseaudio log: {self._log_text()}")
        return result

    def _loaded_module(self) -> str:
        """The module of the ``soak`` sink if one is loaded (an attempt that timed out on our
        side may still have loaded it), else ""."""
        for line in self._pactl("list", "short", "modules", check=False).stdout.splitlines():
            if "module-null-sink" in line and "sink_name=soak " in line + " ":
                return line.split("\t")[0]
        return ""

    def load_sink(self) -> None:
        for attempt in range(5):  # a busy daemon may refuse a module now and then
            if attempt and (loaded := self._loaded_module()):
                self.module = loaded
                break
            try:
                self.module = self._pactl(
                    "load-module", "module-null-sink", "sink_name=soak",
                    "sink_properties=device.description=SoakSpeaker").stdout.strip()
                break
            except RuntimeError:
                if attempt == 4:
                    raise
                time.sleep(1)
        self._pactl("set-default-sink", "soak")

    def unload_sink(self) -> None:
        self._pactl("unload-module", self.module)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class ServerProcess:
    """The fake translation server as a process that can be killed and started again."""

    def __init__(self, reply: str) -> None:
        from tests.servers._http import free_port

        self.port = free_port()
        self.reply = reply
        self.url = f"http://127.0.0.1:{self.port}/v1/chat/completions"
        self.process: subprocess.Popen[str] | None = None
        self.start()

    def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for _ in range(50):  # the port may take a moment to be free after a kill
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.servers.fake_openai", "--port", str(self.port),
                 "--reply", self.reply], env=env, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True)
            assert self.process.stdout is not None
            if self.process.stdout.readline().startswith("ready"):
                return
            self.process.wait()
            time.sleep(0.2)
        raise RuntimeError(f"the fake server could not listen on port {self.port}")

    def kill(self, sig: int) -> None:
        if self.process is not None:
            self.process.send_signal(sig)
            self.process.wait(10)
            self.process = None

    def control(self, **values: object) -> None:
        import httpx2

        httpx2.post(f"http://127.0.0.1:{self.port}/_control", json=values, timeout=5)


class Player(threading.Thread):
    """Plays ``audio`` at 1× into the default sink with ``pacat``; when the sink is gone the
    audio of that moment is lost (nobody hears it) and pacat is started again."""

    def __init__(self, audio: np.ndarray, server: str, stop: threading.Event) -> None:
        super().__init__(name="player", daemon=True)
        self.audio, self.server, self.stop = audio, server, stop
        self.unheard_s = 0.0
        self.restarts = 0

    def _pacat(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            ["pacat", "--playback", "-s", self.server, "--raw", "--format=float32le",
             "--rate=16000", "--channels=1", "--latency-msec=200"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def run(self) -> None:
        started = time.monotonic()
        player: subprocess.Popen[bytes] | None = None
        next_try = 0.0
        for n in range(0, self.audio.size, BLOCK):
            if self.stop.is_set():
                break
            time.sleep(max(started + n / 16000 - 0.3 - time.monotonic(), 0))
            if (player is None or player.poll() is not None) and time.monotonic() >= next_try:
                if player is not None:
                    self.restarts += 1
                player = self._pacat()
                next_try = time.monotonic() + 0.5
            try:
                if player is None or player.stdin is None or player.poll() is not None:
                    raise BrokenPipeError
                player.stdin.write(self.audio[n:n + BLOCK].astype("<f4").tobytes())
                player.stdin.flush()
            except (BrokenPipeError, OSError):
                self.unheard_s += BLOCK / 16000
                if player is not None and player.poll() is None:
                    player.kill()
        if player is not None and player.stdin is not None:
            try:
                player.stdin.close()
                player.wait(10)
            except (BrokenPipeError, OSError, subprocess.TimeoutExpired):
                player.kill()


def fault_schedule(seconds: float, pulse: PrivatePulse, server: ServerProcess) \
        -> list[tuple[float, str, Callable[[], None]]]:
    """``(at second, what, action)``, at fixed fractions of the run."""
    outage = min(20.0, max(2.0, 0.05 * seconds))
    long_outage = min(45.0, max(3.0, 0.08 * seconds))
    no_sink = min(6.0, max(1.0, 0.03 * seconds))
    return sorted([
        (0.12 * seconds, "429 burst ×8 (Retry-After: 2)",
         lambda: server.control(rate_limited_left=8, retry_after="2")),
        (0.25 * seconds, "translation server killed (SIGKILL)",
         lambda: server.kill(signal.SIGKILL)),
        (0.25 * seconds + outage, "translation server started again", server.start),
        (0.40 * seconds, "PulseAudio sink unloaded", pulse.unload_sink),
        (0.40 * seconds + no_sink, "PulseAudio sink loaded again", pulse.load_sink),
        (0.55 * seconds, "429 burst ×12 (no Retry-After)",
         lambda: server.control(rate_limited_left=12, retry_after=None)),
        (0.65 * seconds, "4 answers cut off (no finish_reason, no [DONE])",
         lambda: server.control(cuts_left=4)),
        (0.75 * seconds, "translation server stopped (SIGTERM)",
         lambda: server.kill(signal.SIGTERM)),
        (0.75 * seconds + long_outage, "translation server started again", server.start),
        (0.88 * seconds, "PulseAudio sink unloaded", pulse.unload_sink),
        (0.88 * seconds + 3.0, "PulseAudio sink loaded again", pulse.load_sink),
    ], key=lambda item: item[0])


@contextmanager
def faults_running(schedule: list[tuple[float, str, Callable[[], None]]],
                   log: list[str]) -> Iterator[threading.Event]:
    """Fire ``schedule`` on a thread; yields an event set once every fault has fired (a fault
    that takes long, such as a server started again on a loaded machine, delays the rest)."""
    stop, finished = threading.Event(), threading.Event()
    started = time.monotonic()

    def run() -> None:
        for at, what, action in schedule:
            if stop.wait(max(started + at - time.monotonic(), 0)):
                return
            try:
                action()
                log.append(f"{time.monotonic() - started:6.1f} s  {what}")
            except Exception as exc:  # a fault that could not be made is reported, not hidden
                log.append(f"{time.monotonic() - started:6.1f} s  {what} FAILED: {exc!r}")
        finished.set()

    thread = threading.Thread(target=run, name="faults", daemon=True)
    thread.start()
    try:
        yield finished
    finally:
        stop.set()
        thread.join(10)


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--no-faults", action="store_true")
    args = parser.parse_args()

    from benchmarks.bench_lag import long_audio

    seconds = args.minutes * 60
    audio = long_audio(args.minutes)
    with tempfile.TemporaryDirectory() as tmp:
        pulse = PrivatePulse(Path(tmp) / "pulse")
        os.environ["PULSE_SERVER"] = pulse.server  # before soundcard is loaded
        server = ServerProcess("我的美國同胞們，不要問國家能為你做什麼。")
        try:
            result = soak(args, seconds, audio, pulse, server, Path(tmp))
        finally:
            server.kill(signal.SIGTERM)
            pulse.close()
    publish(result["table"], args.record, "Soak with faults (private PulseAudio sink → "
            "loopback capture → recognizer → translation → history and subtitles)",
            result["notes"])
    return 0 if result["lost"] == 0 else 1


def soak(args: argparse.Namespace, seconds: float, audio: np.ndarray, pulse: PrivatePulse,
         server: ServerProcess, folder: Path) -> dict[str, object]:
    from whispertrans_tray.__main__ import build_recognizer, translation_service
    from whispertrans_tray.app import export, history, live
    from whispertrans_tray.app.translation_service import TranslationUpdate
    from whispertrans_tray.core.subtitles import SubtitleModel
    from whispertrans_tray.core.types import Event, Sentence
    from whispertrans_tray.desktop.audio import AudioCapture
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings, TranslationSettings

    asr = AsrSettings(device="cpu", cpu_threads=2)
    model = asr_faster_whisper.load(asr)
    samples: list[float] = [rss_mib()]
    stop, sampling = threading.Event(), threading.Event()
    sentences: list[Sentence] = []
    subtitles = SubtitleModel()
    lock = threading.Lock()
    statuses: list[str] = []
    writer = history.SessionWriter(folder / "history")
    config = TranslationSettings(enabled=True, url=server.url, model="test-model",
                                 timeout_s=10.0)

    def on_update(update: TranslationUpdate) -> None:
        if update.done:
            writer.translation(update.index, update.text, update.error)
        with lock:
            subtitles.apply_translation(update.index, update.text, update.done, update.error)

    service = translation_service(config, None, on_update, "en",
                                  on_status=lambda brief, message: statuses.append(message))

    def on_event(event: Event) -> None:
        if isinstance(event, Sentence):
            sentences.append(event)
            writer.sentence(event)
        with lock:
            subtitles.apply(event, translating=True)
        if isinstance(event, Sentence):
            service.submit(event)

    def sample() -> None:
        while not sampling.wait(10):
            samples.append(rss_mib())

    threading.Thread(target=sample, daemon=True).start()
    recognizer = build_recognizer(asr, model, live=True)
    capture = AudioCapture("loopback", "", statuses.append, "en")
    player = Player(audio, pulse.server, stop)
    fault_log: list[str] = []
    schedule = [] if args.no_faults else fault_schedule(seconds, pulse, server)
    chunks = live.capture_chunks(capture, stop)
    started = time.monotonic()
    with faults_running(schedule, fault_log) as faults_fired:
        player.start()

        def end_of_run() -> None:
            """The run ends 3 s after the audio, and not before the last fault fired (on a
            short run the last sink reload comes near the end of the audio)."""
            player.join()
            faults_fired.wait(300)
            time.sleep(3.0)
            stop.set()

        threading.Thread(target=end_of_run, daemon=True).start()
        for event in live.events(chunks, recognizer):
            on_event(event)
    wall = time.monotonic() - started
    service.drain(120)
    service.close()
    sampling.set()
    writer.close()
    out = folder / "soak.jsonl"
    with lock:
        lines = list(subtitles.lines)
    export.write(lines, out)
    kept = {line.sentence.index for line in history.load(writer.path)}
    written = collections.Counter(
        (round(r["start"], 3), r["text"]) for r in map(json.loads, out.read_text("utf-8")
                                                        .splitlines()))
    in_history = sum(1 for s in sentences if s.index in kept)
    in_output = sum(1 for s in sentences if written[(round(s.start, 3), s.text)] > 0)
    lost = len(sentences) - min(in_history, in_output)
    translated = sum(1 for line in lines if line.translation and not line.error)
    failed = collections.Counter(line.error.split(" (")[0][:70] for line in lines if line.error)
    pending = len(lines) - translated - sum(failed.values())
    first = float(np.median(samples[1:4])) if len(samples) > 4 else samples[0]
    faults = "none" if args.no_faults else f"{len(fault_log)} faults"
    table = "\n".join([
        f"{args.minutes:g} min soak ({faults}, {wall:.0f} s wall): {len(sentences)} sentences "
        f"committed; capture reconnects {capture.reconnects}, audio dropped "
        f"{capture.dropped_seconds:.1f} s, audio unheard while the sink was gone "
        f"{player.unheard_s:.1f} s.",
        "",
        "| sentences | in history | in output | translated | translation failed | "
        "unfinished | RSS start MiB | RSS end MiB | growth MiB | lost sentences |",
        "|---|---|---|---|---|---|---|---|---|---|",
        f"| {len(sentences)} | {in_history} | {in_output} | {translated} | "
        f"{sum(failed.values())} | {pending} | {first:.0f} | {samples[-1]:.0f} | "
        f"{samples[-1] - first:+.0f} | {lost} |",
    ])
    notes = "\n".join([
        "Faults, in the order they fired (seconds after the start):", "",
        *(f"    {entry}" for entry in fault_log or ["(none)"]), "",
        "Translation failures by message:", "",
        *(f"    {count} × {message}" for message, count in failed.most_common()
          or [("(none)", 0)]),
        "",
        "RSS every minute (MiB): " + " ".join(f"{m:.0f}" for m in samples[::6]), "",
        "RSS start = median of the first samples after the model loaded. The machine has 2 "
        "cores shared with other work; the fake server answers instantly, so only faults (not "
        "speed) decide the translation column.",
    ])
    print(notes)
    return {"table": table, "notes": notes, "lost": lost}


if __name__ == "__main__":
    sys.exit(main())
