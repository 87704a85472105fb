"""The subtitles stay above a player that goes fullscreen, which keeps the keyboard focus.

A window manager decides the stacking, so this runs on its own Xvfb with a real EWMH window
manager (Metacity, GNOME's X11 window manager before Mutter, scripts/setup.sh --dev)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tkinter as tk
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image

from tests.desktop_env import ARTIFACTS, _die_with_parent, pump, start_xvfb
from whispertrans_tray.core.subtitles import SubtitleModel
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.desktop import window as os_window
from whispertrans_tray.desktop.overlay import Overlay
from whispertrans_tray.desktop.window import x11 as window_x11
from whispertrans_tray.settings import OverlaySettings

SIZE = (1280, 720)
PLAYER = """
import sys, tkinter as tk
root = tk.Tk(className="Player"); root.title("fullscreen-player")
root.configure(bg="#1e50c8"); root.geometry("640x360+40+40")
root.update(); root.after(800, lambda: (root.attributes("-fullscreen", True), root.focus_force()))
root.after(180000, root.destroy)
root.mainloop()
"""


def x(display: str, *args: str) -> str:
    return subprocess.run(list(args), env={**os.environ, "DISPLAY": display},
                          capture_output=True, text=True, check=True, timeout=20).stdout


def window_ids(display: str, prop: str, window: str = "-root") -> list[int]:
    out = x(display, "xprop", *([window] if window == "-root" else ["-id", window]), prop)
    values = out.split("#", 1)[1].split(",") if "#" in out else []
    return [int(v.strip(), 16) for v in values if v.strip()]


@pytest.fixture(scope="session")
def wm_display() -> Iterator[str]:
    """An Xvfb of its own with Metacity managing it."""
    if shutil.which("metacity") is None:
        raise RuntimeError("metacity is not installed (scripts/setup.sh --dev)")
    server, display = start_xvfb(SIZE)
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / "metacity.log"
    with log.open("wb") as out:
        wm = subprocess.Popen(["metacity", "--display", display], stdout=out, stderr=out,
                              preexec_fn=_die_with_parent, env={**os.environ, "DISPLAY": display})
    end = time.monotonic() + 60  # a busy machine starts it slowly
    while not window_ids(display, "_NET_SUPPORTING_WM_CHECK"):
        if wm.poll() is not None or time.monotonic() > end:
            raise RuntimeError(f"metacity did not start: {log.read_text(errors='replace')}")
        time.sleep(0.1)
    yield display
    # Nothing is stopped here: Tk keeps its connection to this display open until the process
    # ends, and a server that goes away under it ends the process (Xlib's I/O error).  Both
    # end with pytest (PR_SET_PDEATHSIG), as the shared desktop's helpers do.
    assert wm.poll() is None and server.poll() is None, "metacity and Xvfb ran throughout"


def test_subtitles_stay_above_a_player_gone_fullscreen(wm_display: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", wm_display)  # the X11 window backend, as in the app
    os_window.backend.cache_clear()
    root = tk.Tk(screenName=wm_display)
    player: subprocess.Popen[bytes] | None = None
    try:
        key = f"{SIZE[0]}x{SIZE[1]}"
        overlay = Overlay(root, OverlaySettings(fade_after_s=0, width=900, height=160,
                                                positions=((key, 190, 520),)))
        model = SubtitleModel(1)
        model.apply(Sentence(0, 0, 2, "en", "Subtitles over the film"), translating=False)
        overlay.show(model.visible(), "")
        pump(root, 1.0)
        ours = window_x11.wrapper_id(root)
        assert ours in window_ids(wm_display, "_NET_CLIENT_LIST_STACKING"), "a managed window"
        player = subprocess.Popen([sys.executable, "-c", PLAYER],
                                  env={**os.environ, "DISPLAY": wm_display})
        found: list[int] = []
        end = time.monotonic() + 60  # a Python + Tk process starts slowly on a busy machine
        while time.monotonic() < end and not found:
            pump(root, 0.3)
            ids = subprocess.run(["xdotool", "search", "--name", "^fullscreen-player$"],
                                 env={**os.environ, "DISPLAY": wm_display},
                                 capture_output=True, text=True).stdout.split()
            found = [int(i) for i in ids]
        assert found, "the player window appeared"
        theirs = found[0]
        fullscreen = False
        end = time.monotonic() + 30
        while time.monotonic() < end and not fullscreen:
            pump(root, 0.3)
            fullscreen = "_NET_WM_STATE_FULLSCREEN" in x(
                wm_display, "xprop", "-id", str(theirs), "_NET_WM_STATE")
        assert fullscreen, "the player went fullscreen (EWMH)"
        # the overlay's stacking check (every TOP_CHECK_MS) raises it again; the window
        # manager's answer may take a while on a busy machine
        stacking: list[int] = []
        end = time.monotonic() + 30
        while time.monotonic() < end:
            pump(root, 0.3)
            stacking = window_ids(wm_display, "_NET_CLIENT_LIST_STACKING")
            if theirs in stacking and stacking.index(ours) > stacking.index(theirs):
                break
        assert stacking.index(ours) > stacking.index(theirs), [hex(w) for w in stacking]
        pump(root, 1.0)  # and it stays there through further checks
        stacking = window_ids(wm_display, "_NET_CLIENT_LIST_STACKING")
        assert stacking.index(ours) > stacking.index(theirs), [hex(w) for w in stacking]
        assert window_ids(wm_display, "_NET_ACTIVE_WINDOW") == [theirs]
        focus = int(x(wm_display, "xdotool", "getwindowfocus").strip())
        assert focus == theirs or focus in player_children(wm_display, theirs)
        shot = ARTIFACTS / "overlay_over_fullscreen.png"
        end = time.monotonic() + 30  # until both have painted (a busy machine paints late)
        while True:
            x(wm_display, "import", "-window", "root", str(shot))
            pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=int)
            corner = pixels[20:200, 20:200]
            player_shown = (np.abs(corner - [0x1E, 0x50, 0xC8]).max(axis=2) < 12).mean() > 0.95
            band = pixels[540:660, 200:1080].min(axis=2)
            text_shown = (band > 200).sum() > 300
            if (player_shown and text_shown) or time.monotonic() > end:
                break
            pump(root, 0.3)
        assert player_shown, "the fullscreen player is painted"
        assert text_shown, "the subtitle text is painted over the player"
    finally:
        if player is not None:
            player.terminate()
            player.wait(10)
        root.destroy()
        os_window.backend.cache_clear()


def player_children(display: str, window: int) -> set[int]:
    tree = x(display, "xwininfo", "-children", "-id", str(window))
    return {int(word, 16) for word in tree.split() if word.startswith("0x")}
