"""A real X desktop for UI tests: Xvfb, a compositor, a session D-Bus, a tray host, dunst."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"
SCREEN = (1600, 900)


def free_display() -> str:
    """An X display name (``:N``) that no server uses."""
    for n in range(70, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return f":{n}"
    raise RuntimeError("no free X display number")


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the parent process ends."""
    PR_SET_PDEATHSIG = 1  # noqa: N806 - prctl(2) name
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@pytest.fixture(scope="session")
def desktop() -> Iterator[dict[str, str]]:
    """Start the desktop and point this process (and its children) at it."""
    display = free_display()
    # GDK (the tray) exits the whole process when its X server goes away, so Xvfb outlives the
    # tests: the kernel stops it when pytest is gone (PR_SET_PDEATHSIG), after the exit code
    # is set and without leaving it running.  The same for every helper below.
    procs = [subprocess.Popen(["Xvfb", display, "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
                               "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)]
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{display[1:]}").exists():
            break
        time.sleep(0.05)
    os.environ["DISPLAY"] = display
    os.environ["NO_AT_BRIDGE"] = "1"  # no accessibility bus daemons left behind by GTK
    # The session bus also lives until pytest is gone: GIO's session-bus connection (pystray's
    # notifier) raises SIGTERM in this process when the bus closes under it.
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                           preexec_fn=_die_with_parent)
    assert bus.stdout is not None
    address = bus.stdout.readline().strip()
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
    for command in (["xcompmgr"], ["trayer", "--edge", "top", "--align", "right"], ["dunst"]):
        if shutil.which(command[0]) is None:
            raise RuntimeError(f"{command[0]} is not installed (scripts/setup.sh --dev)")
        procs.append(subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent))
    time.sleep(0.8)
    ARTIFACTS.mkdir(exist_ok=True)
    # Nothing is stopped here: pystray hides its notification at interpreter exit (atexit),
    # which needs the bus and dunst; every helper ends with pytest (PR_SET_PDEATHSIG).
    yield {"DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": address}


def screenshot(name: str) -> Path:
    """A PNG of the whole screen in tests/artifacts/."""
    path = ARTIFACTS / name
    subprocess.run(["import", "-window", "root", str(path)], check=True, timeout=30)
    return path


def pump(root: Any, seconds: float = 0.6) -> None:
    """Run Tk's loop (of ``root``, any widget) for ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        root.update()
        time.sleep(0.02)
