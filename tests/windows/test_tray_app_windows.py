"""The tray app on Windows, end to end (under Wine and Xvfb in scripts/test.sh): it starts,
shows its overlay (TOPMOST and LAYERED, read back with GetWindowLongPtrW) and its tray icon,
the lock hotkey sent by ``keyboard`` from another process makes the overlay click-through, a
second launch leaves the first one alone; a screenshot is kept in
tests/artifacts/windows/tray-app.png."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import ImageGrab

from tests.windows import win32
from tests.windows.conftest import ARTIFACTS, app_command, app_env, wait_for

SEND_KEYS = "import keyboard, sys, time; time.sleep(0.2); keyboard.send(sys.argv[1])"


def send(keys: str) -> None:
    """``keys`` pressed and released by ``keyboard`` in another process (SendInput)."""
    subprocess.run([sys.executable, "-c", SEND_KEYS, keys], timeout=60, check=True)


def test_the_tray_app_shows_its_overlay_and_answers_the_lock_hotkey(tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"ui_language": "en"}), encoding="utf-8")
    env = app_env(tmp_path)
    log = tmp_path / "logs" / "whispertrans-tray.log"
    with (tmp_path / "stderr.txt").open("wb") as errors:
        app = subprocess.Popen(app_command("--settings", str(settings), "tray"), env=env,
                               stdout=subprocess.DEVNULL, stderr=errors)
    try:
        def overlays() -> list[int]:
            return win32.visible_windows(app.pid, "TkTopLevel")

        assert wait_for(lambda: overlays() or app.poll() is not None, 120), "no overlay"
        assert app.poll() is None, (tmp_path / "stderr.txt").read_text("utf-8", "replace")
        (hwnd,) = overlays()
        wanted = win32.WS_EX_TOPMOST | win32.WS_EX_LAYERED  # layered once its alpha is set
        assert wait_for(lambda: win32.ex_style(hwnd) & wanted == wanted, 30), \
            hex(win32.ex_style(hwnd))
        style = win32.ex_style(hwnd)
        assert not style & win32.WS_EX_TRANSPARENT, hex(style)
        # the welcome line (and what the app says of its start) reaches the log
        assert wait_for(lambda: log.exists() and "Hotkeys registered" in log.read_text("utf-8"),
                        60), log.read_text("utf-8") if log.exists() else "no log"

        # keyboard installs its hook on a thread of its own after add_hotkey returned: the
        # first key (hide the subtitles) is pressed until the app hears it
        assert any(send("ctrl+alt+s") or wait_for(lambda: not overlays(), 5)
                   for _ in range(6)), "ctrl+alt+s never hid the subtitles"
        send("ctrl+alt+s")  # shown again (Tk may give them a new window)
        assert wait_for(lambda: len(overlays()) == 1, 20), "ctrl+alt+s did not show them"
        (hwnd,) = overlays()
        send("ctrl+alt+l")  # lock: click-through
        assert wait_for(lambda: win32.ex_style(hwnd) & win32.WS_EX_TRANSPARENT, 20), \
            hex(win32.ex_style(hwnd))
        assert win32.ex_style(hwnd) & win32.WS_EX_TOPMOST

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ImageGrab.grab()
        shot.save(ARTIFACTS / "tray-app.png")
        x, y, width, height = win32.window_rect(hwnd)
        colours = shot.crop((x, y, x + width, y + height)).getcolors(1 << 16)
        assert colours is None or len(colours) > 2, "the overlay shows nothing"

        second = subprocess.run(app_command("--settings", str(settings), "tray"), env=env,
                                capture_output=True, timeout=120, check=False)
        assert second.returncode == 0, second.stderr.decode("utf-8", "replace")
        assert app.poll() is None, "a second launch ended the first app"
        assert len(overlays()) == 1
    finally:
        app.terminate()
        app.wait(60)
    text = log.read_text("utf-8") if log.exists() else ""
    assert "Traceback" not in text, text[-3000:]
    # the welcome notification (longer than a Windows balloon holds) was shown, cut
    assert "Notification failed" not in text, text[-3000:]
