"""Footprint of the tray app: idle CPU and RSS (before the model loads), then while recording.

Starts ``whispertrans-tray --idle`` on a virtual screen (Xvfb, D-Bus, trayer), samples the
process with psutil for ``--seconds``, starts recording with the real Ctrl+Alt+R hotkey
(xdotool), plays the shared clips into the PulseAudio speaker sink, and samples again.

    python -m benchmarks.bench_footprint [--seconds 60] [--record]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import DATA, ROOT, arguments, publish


def sample(pid: int, seconds: float) -> tuple[float, float]:
    """Mean CPU % of one core and peak RSS (MiB) of ``pid`` over ``seconds``."""
    import psutil

    proc = psutil.Process(pid)
    proc.cpu_percent(None)
    peak = 0.0
    cpu: list[float] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(1.0)
        cpu.append(proc.cpu_percent(None))
        peak = max(peak, proc.memory_info().rss / 2**20)
    return sum(cpu) / len(cpu), peak


def wait_for_log(log: Path, text: str, app: subprocess.Popen[Any], timeout: float) -> None:
    """Wait until the app's log says ``text`` (an app that exited, or a deadline, raises)."""
    end = time.monotonic() + timeout
    while text not in (log.read_text("utf-8") if log.exists() else ""):
        if app.poll() is not None or time.monotonic() > end:
            raise RuntimeError(f"the tray app never logged {text!r} (exit code {app.poll()})")
        time.sleep(0.1)


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()

    from tests.pulse import ensure_devices, play, write_wav
    from whispertrans_tray import settings as settings_mod
    from whispertrans_tray.app import live

    ensure_devices()
    from tests.desktop_env import start_xvfb

    xvfb, display = start_xvfb(die_with_parent=False)
    helpers: list[subprocess.Popen[Any]] = [xvfb]
    env = {**os.environ, "DISPLAY": display}
    env["NO_AT_BRIDGE"] = "1"
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    helpers.append(bus)
    assert bus.stdout is not None
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
    helpers.append(subprocess.Popen(["trayer"], env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL))
    with tempfile.TemporaryDirectory() as tmp:
        path = settings_mod.save(settings_mod.Settings(), Path(tmp) / "settings.json")
        # its own single-instance lock (TMPDIR without XDG_RUNTIME_DIR): a tray app running
        # elsewhere on the machine does not make this one exit as "already running"
        env.update(WHISPERTRANS_DATA_DIR=tmp, WHISPERTRANS_LOG_DIR=tmp, XDG_CACHE_HOME=tmp,
                   TMPDIR=tmp)
        env.pop("XDG_RUNTIME_DIR", None)
        app = subprocess.Popen([sys.executable, "-m", "whispertrans_tray", "--settings",
                                str(path), "tray", "--idle"], env=env, cwd=ROOT)
        log = Path(tmp) / "whispertrans-tray.log"
        try:
            # idle means started: its hotkeys listen (a key pressed before is heard by nobody)
            wait_for_log(log, "Hotkeys registered", app, 120)
            time.sleep(2)  # settle after start-up
            idle_cpu, idle_rss = sample(app.pid, args.seconds)
            started = time.monotonic()
            subprocess.run(["xdotool", "key", "ctrl+alt+r"], env=env, check=True)
            wait_for_log(log, "Loaded Whisper", app, 300)
            load_s = time.monotonic() - started
            clip = live.read_audio(DATA / "multilingual.mp3")
            player = play(write_wav(clip, Path(tmp) / "clip.wav"), "spk")
            rec_cpu, rec_rss = sample(app.pid, min(args.seconds, 58))
            player.kill()
        finally:
            app.terminate()
            app.wait(10)
            for helper in reversed(helpers):
                helper.terminate()
                helper.wait(10)
    table = "\n".join([
        "| state | CPU % of one core | peak RSS MiB |",
        "|---|---|---|",
        f"| idle tray app, model not loaded ({args.seconds:.0f} s) | {idle_cpu:.2f} | "
        f"{idle_rss:.0f} |",
        f"| recording multilingual.mp3 via loopback | {rec_cpu:.0f} | {rec_rss:.0f} |",
        "",
        f"Hotkey → model loaded: {load_s:.2f} s (bundled base, cached join).",
    ])
    publish(table, args.record, "Footprint of the tray app")


if __name__ == "__main__":
    main()
