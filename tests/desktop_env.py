"""A real X desktop for UI tests: Xvfb, a compositor, a session D-Bus, a tray host, dunst."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).parent / "artifacts"
SCREEN = (1600, 900)


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the parent process ends."""
    PR_SET_PDEATHSIG = 1  # noqa: N806 - prctl(2) name
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def start_xvfb(size: tuple[int, int] = SCREEN, die_with_parent: bool = True) \
        -> tuple[subprocess.Popen[bytes], str]:
    """A new Xvfb and its display name, once it accepts clients.

    Xvfb picks a free display itself and says which (``-displayfd``): two test runs starting
    at once cannot both take the same free-looking number (the loser's Xvfb would die, and its
    tests would run on the other run's screen until that one ends).
    """
    read_end, write_end = os.pipe()
    try:
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{size[0]}x{size[1]}x24",
             "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(write_end,), preexec_fn=_die_with_parent if die_with_parent else None)
    finally:
        os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        number = pipe.readline().strip()  # written once the server listens; EOF if it died
    if not number.isdigit():
        server.kill()
        raise RuntimeError(f"Xvfb did not start (exit code {server.wait(10)})")
    return server, f":{number.decode()}"


def wait_until(ready: Callable[[], bool], what: str, procs: list[subprocess.Popen[Any]],
               timeout: float = 60) -> None:
    """Wait for ``ready()`` (a busy machine starts helpers slowly); a helper that died or a
    deadline passed is an error naming ``what``."""
    end = time.monotonic() + timeout
    while not ready():
        dead = [p.args for p in procs if p.poll() is not None]
        if dead or time.monotonic() > end:
            raise RuntimeError(f"{what} not ready after {timeout:.0f} s (exited: {dead})")
        time.sleep(0.05)


def selection_owned(display: str, selection: str) -> bool:
    """Whether an X client owns ``selection`` (a tray: ``_NET_SYSTEM_TRAY_S0``; a compositor:
    ``_NET_WM_CM_S0``)."""
    from Xlib import display as xdisplay

    conn = xdisplay.Display(display)
    try:
        owner = conn.get_selection_owner(conn.intern_atom(selection))
        return bool(getattr(owner, "id", owner))
    finally:
        conn.close()


def bus_name_owned(name: str) -> bool:
    """Whether ``name`` has an owner on the session bus (dunst: the notification service)."""
    from gi.repository import Gio, GLib

    flags = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
             | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)
    conn = Gio.DBusConnection.new_for_address_sync(os.environ["DBUS_SESSION_BUS_ADDRESS"],
                                                   flags, None, None)
    try:
        reply = conn.call_sync("org.freedesktop.DBus", "/org/freedesktop/DBus",
                               "org.freedesktop.DBus", "NameHasOwner",
                               GLib.Variant("(s)", (name,)), GLib.VariantType("(b)"),
                               Gio.DBusCallFlags.NONE, 30000, None)
        return bool(reply.unpack()[0])
    finally:
        conn.close_sync(None)


@pytest.fixture(scope="session")
def desktop() -> Iterator[dict[str, str]]:
    """Start the desktop and point this process (and its children) at it."""
    # GDK (the tray) exits the whole process when its X server goes away, so Xvfb outlives the
    # tests: the kernel stops it when pytest is gone (PR_SET_PDEATHSIG), after the exit code
    # is set and without leaving it running.  The same for every helper below.
    xvfb, display = start_xvfb()
    procs: list[subprocess.Popen[Any]] = [xvfb]
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
    # dunst keeps 20 notifications in its history by default: with the whole suite's
    # notifications a test counting its own would see the oldest one dropped for it.
    dunstrc = Path(tempfile.mkdtemp(prefix="dunst-")) / "dunstrc"
    dunstrc.write_text("[global]\n    history_length = 100000\n", "utf-8")
    for command in (["xcompmgr"], ["trayer", "--edge", "top", "--align", "right"],
                    ["dunst", "-config", str(dunstrc)]):
        if shutil.which(command[0]) is None:
            raise RuntimeError(f"{command[0]} is not installed (scripts/setup.sh --dev)")
        procs.append(subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent))
    # Each helper is waited for until it does its job (a loaded machine starts them slowly;
    # a test that came first would find no tray to embed in, or no notification service).
    wait_until(lambda: selection_owned(display, "_NET_WM_CM_S0"), "xcompmgr", procs)
    wait_until(lambda: selection_owned(display, "_NET_SYSTEM_TRAY_S0"), "trayer", procs)
    wait_until(lambda: bus_name_owned("org.freedesktop.Notifications"), "dunst", procs)
    ARTIFACTS.mkdir(exist_ok=True)
    # Nothing is stopped here: pystray hides its notification at interpreter exit (atexit),
    # which needs the bus and dunst; every helper ends with pytest (PR_SET_PDEATHSIG).
    yield {"DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": address}


def screenshot(name: str) -> Path:
    """A PNG of the whole screen in tests/artifacts/."""
    path = ARTIFACTS / name
    subprocess.run(["import", "-window", "root", str(path)], check=True, timeout=30)
    return path


def pump_until(root: Any, condition: Callable[[], object], seconds: float) -> bool:
    """Run Tk's loop (of ``root``) until ``condition()`` holds (True) or ``seconds`` pass."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        root.update()
        if condition():
            return True
        time.sleep(0.02)
    return bool(condition())


def pump(root: Any, seconds: float = 0.6) -> None:
    """Run Tk's loop (of ``root``, any widget) for ``seconds``."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        root.update()
        time.sleep(0.02)
