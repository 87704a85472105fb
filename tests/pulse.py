"""A real PulseAudio server with virtual devices, for capture tests.

``spk`` is a null sink used as the speaker (its monitor is what loopback records); ``micfeed``
is a second null sink with a remap-source ``vmic`` on its monitor: a virtual microphone that
"hears" what is played into ``micfeed``.
"""

from __future__ import annotations

import os
import subprocess
import time
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest


def pactl(*args: str) -> str:
    return subprocess.run(["pactl", *args], check=True, capture_output=True, text=True,
                          timeout=20).stdout


def running() -> bool:
    return subprocess.run(["pulseaudio", "--check"], check=False).returncode == 0


def ensure_devices() -> None:
    sinks = pactl("list", "short", "sinks")
    if "\tspk\t" not in sinks:
        pactl("load-module", "module-null-sink", "sink_name=spk",
              "sink_properties=device.description=Speaker")
    if "\tmicfeed\t" not in sinks:
        pactl("load-module", "module-null-sink", "sink_name=micfeed",
              "sink_properties=device.description=MicFeed")
    if "\tvmic\t" not in pactl("list", "short", "sources"):
        pactl("load-module", "module-remap-source", "master=micfeed.monitor",
              "source_name=vmic", "source_properties=device.description=VirtualMic")
    pactl("set-default-sink", "spk")
    pactl("set-default-source", "vmic")


def answering() -> bool:
    return subprocess.run(["pactl", "info"], check=False, capture_output=True,
                          timeout=30).returncode == 0


@pytest.fixture(scope="session")
def pulse() -> Iterator[None]:
    started = False
    if not running():
        # Started away from the test desktop's session bus (and X display, through which a
        # bus would be started): a daemon claims org.PulseAudio1 on the bus it finds, so one
        # started under the test bus would keep any other (the soak benchmark's private one)
        # from starting at all.
        env = {k: v for k, v in os.environ.items()
               if k not in ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY")}
        subprocess.run(["pulseaudio", "-D", "--exit-idle-time=-1", "--system=false"],
                       check=True, capture_output=True, timeout=60, env=env)
        started = True
    deadline = time.monotonic() + 60  # a loaded machine starts it slowly
    while not answering():
        assert time.monotonic() < deadline, "PulseAudio did not answer within 60 s"
        time.sleep(0.2)
    ensure_devices()
    yield
    if started:
        subprocess.run(["pulseaudio", "--kill"], check=False)


def write_wav(audio: np.ndarray, path: Path) -> Path:
    pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(pcm.tobytes())
    return path


def play(path: Path, sink: str) -> subprocess.Popen[bytes]:
    """Play a WAV into ``sink`` in the background (real time)."""
    return subprocess.Popen(["paplay", "-d", sink, str(path)])


@contextmanager
def private_sink(name: str) -> Iterator[str]:
    """A null sink of this test's own (``name``, also its description, unique per process):
    audio other tests play into ``spk`` meanwhile is not heard by its loopback."""
    unique = f"{name}{os.getpid()}"
    module = pactl("load-module", "module-null-sink", f"sink_name={unique}",
                   f"sink_properties=device.description={unique}").strip()
    try:
        yield unique
    finally:
        pactl("unload-module", module)


@pytest.fixture
def own_sink(pulse: None) -> Iterator[str]:
    """A null sink of the test's own (see :func:`private_sink`); its name and description."""
    with private_sink("test") as name:
        yield name


@contextmanager
def private_mic(name: str) -> Iterator[tuple[str, str]]:
    """A virtual microphone of this test's own: a null sink ``feed`` (what is played into it,
    the microphone hears) and a remap-source on its monitor, named and described ``mic``."""
    with private_sink(f"{name}feed") as feed:
        mic = f"{name}mic{os.getpid()}"
        module = pactl("load-module", "module-remap-source", f"master={feed}.monitor",
                       f"source_name={mic}", f"source_properties=device.description={mic}"
                       ).strip()
        try:
            yield feed, mic
        finally:
            pactl("unload-module", module)


@contextmanager
def acoustic_echo(speaker: str, feed: str, delay_ms: int = 250,
                  volume: str = "50%") -> Iterator[None]:
    """The microphone (fed by ``feed``) hears the ``speaker``: a loopback of the speaker's
    monitor into ``feed``, ``delay_ms`` late and at ``volume`` (a laptop without
    headphones)."""
    module = pactl("load-module", "module-loopback", f"source={speaker}.monitor",
                   f"sink={feed}", f"latency_msec={delay_ms}",
                   "source_dont_move=true", "sink_dont_move=true").strip()
    try:
        deadline = time.monotonic() + 30
        while True:  # its sink input appears once the module runs
            found = [block.split("\n", 1)[0].strip() for block in
                     pactl("list", "sink-inputs").split("Sink Input #")[1:]
                     if f"Owner Module: {module}\n" in block]
            if found:
                pactl("set-sink-input-volume", found[0], volume)
                break
            assert time.monotonic() < deadline, "the loopback module has no sink input"
            time.sleep(0.1)
        yield
    finally:
        pactl("unload-module", module)
