"""Drives the real settings window's OBS section (pywebview, GTK WebKit2) against a real OBS
and prints what it saw as JSON.

Run by tests/test_obs_settings.py in a child process on the test X display:
``python tests/webview_obs_driver.py SETTINGS_JSON OBS_URL PASSWORD SHOT``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.webview_page import Page, drive
from whispertrans_tray.__main__ import settings_services
from whispertrans_tray.desktop.settings_window.api import SettingsApi


def main() -> None:
    settings_path, url, password, shot = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    api = SettingsApi(settings_services(settings_path))

    def steps(page: Page, seen: dict[str, Any]) -> None:
        js, wait = page.js, page.wait
        wait("document.getElementById('f-obs-url') !== null")
        seen["url_before"] = js("document.getElementById('f-obs-url').value")
        seen["has_password_before"] = js(
            "document.getElementById('f-obs_password').placeholder === '••••••••'")

        def test_obs() -> str:
            js("document.getElementById('conn-obs').className = '';"
               "document.getElementById('test-obs').click();")
            return str(wait("(document.getElementById('conn-obs').className !== '') && "
                            "document.getElementById('conn-obs').className + ' ' + "
                            "document.getElementById('conn-obs').textContent"))

        js(f"document.getElementById('f-obs-url').value = '{url}';"
           "document.getElementById('f-obs-source').value = 'Subtitles';")
        seen["no_password"] = test_obs()
        js(f"document.getElementById('f-obs_password').value = {password!r};"
           "document.getElementById('f-obs-source').value = 'Subtitels';")
        seen["wrong_source"] = test_obs()
        js("document.getElementById('f-obs-source').value = 'Subtitles';")
        seen["ok"] = test_obs()
        js("document.getElementById('f-obs-url').value = 'http://127.0.0.1:4455';"
           "document.getElementById('save').click();")
        seen["url_error"] = wait("document.getElementById('m-obs.url').textContent")
        js(f"document.getElementById('f-obs-url').value = '{url}';"
           "document.getElementById('f-obs-enabled').checked = true;"
           "document.getElementById('f-output-live_file').value = '/tmp/obs-subtitles.txt';"
           "document.getElementById('f-output-live_lines').value = '3';"
           "document.getElementById('saved').textContent = '';"
           "document.getElementById('save').click();")
        seen["saved"] = wait("document.getElementById('saved').textContent")
        js("document.getElementById('test-obs').scrollIntoView();")
        time.sleep(2)  # let WebKit paint before the screenshot (slow on a loaded machine)
        subprocess.run(["import", "-window", "root", shot], check=True)

    drive(api, steps, timeout=30, every=0.2)


if __name__ == "__main__":
    main()
