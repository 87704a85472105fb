"""The settings window: packaged HTML/JS/CSS in pywebview, run in a child process.

``python -m whispertrans_tray.desktop.settings_window [--settings PATH]`` opens it; it never
blocks the tray app's Tk loop.  Saving writes ``settings.json`` (the app watches the file and
applies the change at once) and prints ``saved`` on stdout.  No remote content is loaded.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from whispertrans_tray.desktop.settings_api import SettingsApi

PAGE = Path(__file__).with_name("web") / "settings.html"


def spawn(settings_path: Path | None) -> subprocess.Popen[bytes]:
    """Open the window in a child process (the app calls this)."""
    args = [sys.executable, "-m", "whispertrans_tray.desktop.settings_window"]
    if settings_path is not None:
        args += ["--settings", str(settings_path)]
    return subprocess.Popen(args)


def create_window(api: SettingsApi) -> object:
    import webview

    return webview.create_window("WhisperTrans Tray", url=str(PAGE), js_api=api,
                                 width=760, height=820, min_size=(560, 480))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="WhisperTrans Tray settings")
    parser.add_argument("--settings", type=Path)
    args = parser.parse_args(argv)
    import webview

    create_window(SettingsApi(args.settings))
    webview.start(gui="gtk" if sys.platform.startswith("linux") else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
