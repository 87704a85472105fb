"""The tray on StatusNotifierItem desktops (GNOME's AppIndicator extension, KDE Plasma), over
real D-Bus: a minimal StatusNotifierWatcher (tests/sni_watcher.py) on the test session bus
receives the registration; the test reads the item's properties and clicks menu items through
com.canonical.dbusmenu, as the desktop's panel does."""

from __future__ import annotations

import dataclasses
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_tray import Recorder
from whispertrans_tray.desktop.tray import Tray
from whispertrans_tray.desktop.tray import backend as tray_backend

pytestmark = pytest.mark.usefixtures("desktop")
ROOT = Path(__file__).resolve().parent.parent


class Watcher:
    """The watcher process; ``registrations`` gets ``(bus name, object path)`` of each item."""

    def __init__(self, *args: str) -> None:
        self.errors = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.sni_watcher", *args], cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        assert self.lines.get(timeout=60) == "ready"  # a loaded machine starts it slowly

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())

    def registration(self, timeout: float = 60) -> tuple[str, str]:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.errors.seek(0)
            raise AssertionError(f"no item registered; watcher: {self.errors.read()!r}, "
                                 f"bus: {names_on_bus()}, threads: "
                                 f"{[t.name for t in threading.enumerate()]}") from None
        kind, bus, path = line.split()
        assert kind == "registered"
        return bus, path

    def stop(self) -> None:
        """Release the name (the watcher goes, as when the panel quits); returns once the bus
        has seen it go (the bus drops a closed connection's names in its own time)."""
        assert self.process.stdin is not None
        if not self.process.stdin.closed:
            self.process.stdin.close()
            self.process.wait(30)
            until(lambda: tray_backend.WATCHER not in names_on_bus(), 60)
        self.errors.close()


@pytest.fixture
def watcher() -> Iterator[Watcher]:
    w = Watcher()
    try:
        yield w
    finally:
        w.stop()


def connection() -> Any:
    """A D-Bus connection of the test's own (the panel's side)."""
    from gi.repository import Gio

    flags = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
             | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)
    return Gio.DBusConnection.new_for_address_sync(os.environ["DBUS_SESSION_BUS_ADDRESS"],
                                                   flags, None, None)


def names_on_bus() -> list[str]:
    conn = connection()
    names = call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                 "ListNames", "()")[0]
    return [n for n in names if not n.startswith(":")]


def call(conn: Any, bus: str, path: str, interface: str, method: str, signature: str,
         *args: Any) -> Any:
    from gi.repository import Gio, GLib

    reply = conn.call_sync(bus, path, interface, method, GLib.Variant(signature, args), None,
                           Gio.DBusCallFlags.NONE, 5000, None)
    return reply.unpack()


def properties(conn: Any, bus: str, path: str) -> dict[str, Any]:
    return dict(call(conn, bus, path, "org.freedesktop.DBus.Properties", "GetAll", "(s)",
                     "org.kde.StatusNotifierItem")[0])


def layout(conn: Any, bus: str, menu: str) -> list[tuple[int, dict[str, Any], list[Any]]]:
    """The menu's top-level items as ``(id, properties, children)``."""
    _revision, (_root, _props, children) = call(conn, bus, menu, "com.canonical.dbusmenu",
                                                "GetLayout", "(iias)", 0, -1, [])
    return list(children)


def item(entries: list[Any], label: str) -> tuple[int, dict[str, Any], list[Any]]:
    for entry in entries:
        if entry[1].get("label") == label:
            return entry  # type: ignore[no-any-return]
    raise AssertionError(f"no {label!r} in {[e[1].get('label') for e in entries]}")


def click(conn: Any, bus: str, menu: str, path: list[str]) -> None:
    """Click the item at ``path`` (labels from the top), as the panel does: the layout it has
    just read, then the click (again if the menu was rebuilt in between)."""
    from gi.repository import GLib

    def attempt() -> bool:
        entries = layout(conn, bus, menu)
        for label in path[:-1]:
            entries = item(entries, label)[2]
        call(conn, bus, menu, "com.canonical.dbusmenu", "Event", "(isvu)",
             item(entries, path[-1])[0], "clicked", GLib.Variant("s", ""), 0)
        return True

    until(attempt)


def until(check: Callable[[], Any], timeout: float = 60) -> Any:
    """The first true value of ``check()``; it may fail meanwhile (the app rebuilds its menu
    after each change, and the panel's view of it catches up, as a panel's would)."""
    from gi.repository import GLib

    deadline = time.monotonic() + timeout
    while True:
        try:
            value = check()
            if value:
                return value
        except (AssertionError, GLib.Error):
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def icon_pixel(props: dict[str, Any]) -> tuple[int, ...]:
    """A pixel of the icon the panel loads: IconName looked up in IconThemePath."""
    from PIL import Image

    path = Path(props["IconThemePath"]) / f"{props['IconName']}.png"
    assert (Path(props["IconThemePath"]) / "hicolor" / "64x64" / "apps" /
            path.name).is_file(), "the KDE icon layout too"
    with Image.open(path) as image:
        return tuple(image.convert("RGB").getpixel((32, 7)))


def test_the_backend_follows_the_session_bus(watcher: Watcher) -> None:
    assert tray_backend.choose({}) == "appindicator"
    assert tray_backend.choose({"PYSTRAY_BACKEND": "gtk"}) == "gtk"
    watcher.stop()
    assert tray_backend.choose({}) == "gtk"  # a plain X11 tray (trayer here)
    assert tray_backend.choose({"PYSTRAY_BACKEND": "appindicator"}) == "appindicator"
    hostless = Watcher("--no-host")  # a watcher no panel has registered with shows nothing
    try:
        assert tray_backend.choose({}) == "gtk"
    finally:
        hostless.stop()


def test_the_item_registers_and_its_menu_works_over_dbus(watcher: Watcher) -> None:
    rec = Recorder()
    tray = Tray(lambda: rec.state, rec.actions())
    assert tray.backend == "appindicator"
    tray.start()
    conn = connection()
    try:
        bus, path = watcher.registration()
        # the item registers as it is built; it turns Active when shown (NewStatus)
        props = until(lambda: (p := properties(conn, bus, path))["Status"] == "Active" and p)
        assert props["Id"] == "whispertrans-tray"
        assert props["Category"] == "ApplicationStatus"
        assert props["Title"] == "WhisperTrans Tray"
        idle = icon_pixel(props)
        menu = props["Menu"]
        labels = [e[1].get("label") for e in layout(conn, bus, menu) if "label" in e[1]]
        from pystray import Menu

        # the same menu as the X11 tray's (tests/test_tray.py checks its items one by one)
        assert labels == [i.text for i in tray.icon.menu.items if i is not Menu.SEPARATOR]
        assert labels[0] == "開始錄音" and "測試連線" in labels and labels[-1] == "結束"

        click(conn, bus, menu, ["開始錄音"])
        until(lambda: rec.state.status == "recording")
        tray.refresh()  # what the app does after each state change
        until(lambda: item(layout(conn, bus, menu), "停止錄音"))
        props = until(lambda: (p := properties(conn, bus, path))["IconName"] !=
                      props["IconName"] and p)
        red, green, blue = icon_pixel(props)
        assert green > red + 60 and green > blue + 30 and (red, green, blue) != idle
        assert props["Title"] == "WhisperTrans Tray — 錄音中"

        translate = item(layout(conn, bus, menu), "啟用即時翻譯")
        assert translate[1]["toggle-type"] == "checkmark" and translate[1]["toggle-state"] == 0
        click(conn, bus, menu, ["啟用即時翻譯"])
        until(lambda: rec.state.translating)
        tray.refresh()
        until(lambda: item(layout(conn, bus, menu), "啟用即時翻譯")[1]["toggle-state"] == 1)

        targets = item(layout(conn, bus, menu), "翻譯成")[2]
        japanese = item(targets, "日本語")
        assert japanese[1]["toggle-type"] == "radio" and japanese[1]["toggle-state"] == 0
        click(conn, bus, menu, ["翻譯成", "日本語"])
        until(lambda: rec.state.target == "日本語")

        # a middle click on the icon starts/stops recording, like a click on the X11 icon
        call(conn, bus, path, "org.kde.StatusNotifierItem", "SecondaryActivate", "(ii)", 0, 0)
        until(lambda: rec.state.status == "idle")

        rec.state = dataclasses.replace(rec.state, ui_language="en")
        tray.refresh()
        until(lambda: item(layout(conn, bus, menu), "Live translation"))
    finally:
        tray.stop()
