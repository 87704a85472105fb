"""Drives the real settings window's feed section (pywebview, GTK WebKit2) and prints what it
saw as JSON: its fields, and the viewer link the app tells it (over the same stdin lines the
app writes) with its QR code.  Run by tests/test_feed_settings.py on the test X display:
``python tests/webview_feed_driver.py SETTINGS_JSON URL SHOT``."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.webview_page import Page, drive
from whispertrans_tray.__main__ import settings_services
from whispertrans_tray.desktop.settings_window import VIEWER, listen_for_status
from whispertrans_tray.desktop.settings_window.api import SettingsApi


def main() -> None:
    settings_path, url, shot = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    api = SettingsApi(settings_services(settings_path))

    def steps(page: Page, seen: dict[str, Any]) -> None:
        js, wait = page.js, page.wait
        wait("document.getElementById('f-feed-port') !== null")
        seen["port"] = js("document.getElementById('f-feed-port').value")
        seen["lan"] = js("document.getElementById('f-feed-lan').checked")
        seen["hidden_before"] = js("document.getElementById('viewer').style.display")
        listen_for_status(api, [VIEWER + url + "\n"])  # as the app tells a running window
        seen["link"] = wait("document.getElementById('viewer-url').textContent")
        wait("document.getElementById('viewer-qr').complete && "
             "document.getElementById('viewer-qr').naturalWidth > 0")
        seen["qr_width"] = js("document.getElementById('viewer-qr').naturalWidth")
        # the feed section first, for the screenshot
        js("const s = document.getElementById('viewer').closest('section');"
           "s.parentNode.prepend(s); window.scrollTo(0, 0);")
        time.sleep(1.0)  # let WebKit paint before the screenshot
        subprocess.run(["import", "-window", "root", shot], check=True)

    drive(api, steps, timeout=30, every=0.2)


if __name__ == "__main__":
    main()
