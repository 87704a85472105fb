"""A real X desktop for UI tests: Xvfb, a compositor, a session D-Bus, a tray host, dunst."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"
SCREEN = (1600, 900)


def _free_display() -> int:
    for n in range(70, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


@pytest.fixture(scope="session")
def desktop() -> Iterator[dict[str, str]]:
    """Start the desktop and point this process (and its children) at it."""
    display = f":{_free_display()}"
    procs = [subprocess.Popen(["Xvfb", display, "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
                               "-nolisten", "tcp"], stderr=subprocess.DEVNULL)]
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
            break
        time.sleep(0.05)
    os.environ["DISPLAY"] = display
    bus = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1",
                          "--print-pid=1"], capture_output=True, text=True, check=True)
    address, pid = bus.stdout.split()[:2]
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
    for command in (["xcompmgr"], ["trayer", "--edge", "top", "--align", "right"], ["dunst"]):
        if shutil.which(command[0]) is None:
            raise RuntimeError(f"{command[0]} is not installed (scripts/setup.sh --dev)")
        procs.append(subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
    time.sleep(0.8)
    ARTIFACTS.mkdir(exist_ok=True)
    yield {"DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": address}
    for proc in reversed(procs):
        proc.terminate()
    subprocess.run(["kill", pid], check=False)


def screenshot(name: str) -> Path:
    """A PNG of the whole screen in tests/artifacts/."""
    path = ARTIFACTS / name
    subprocess.run(["import", "-window", "root", str(path)], check=True, timeout=30)
    return path
