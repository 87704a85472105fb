"""Drives the model manager in the real settings window (pywebview, GTK WebKit2) and prints what
it saw as JSON: download with progress, cancel, download again, remove.

Run by tests/test_settings_models.py in a child process on the test X display, with
``HF_ENDPOINT`` pointing at a loopback Hub and ``HF_HUB_CACHE`` at a temp folder:
``python tests/webview_models_driver.py SETTINGS_JSON SHOT``.
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

ROWS = "Array.from(document.querySelectorAll('#models-table tr')).map(r => r.dataset.model)"
MSG = "document.getElementById('model-msg')"


def main() -> None:
    settings_path, shot = Path(sys.argv[1]), sys.argv[2]
    api = SettingsApi(settings_services(settings_path))

    def steps(page: Page, seen: dict[str, Any]) -> None:
        js, wait = page.js, page.wait
        wait("document.getElementById('models-table') !== null")
        seen["installed"] = js(ROWS)
        seen["base_removable"] = js("document.getElementById('remove-base') !== null")
        seen["available"] = js("Array.from(document.getElementById('model-choice')"
                               ".options).map(o => o.value)")
        js("document.getElementById('model-choice').value = 'tiny.en';"
           "document.getElementById('model-download').click();")
        seen["progress"] = wait("document.getElementById('model-progress').value > 0 && "
                                "document.getElementById('model-progress').value")
        seen["downloading"] = js(f"{MSG}.textContent")
        js("document.getElementById('model-cancel').click();")
        seen["cancelled"] = wait(f"{MSG}.className === 'bad' && {MSG}.textContent")
        seen["after_cancel"] = js(ROWS)
        js("document.getElementById('model-choice').value = 'tiny.en';"
           "document.getElementById('model-download').click();")
        seen["done"] = wait(f"{MSG}.className === 'ok' && {MSG}.textContent")
        seen["after_download"] = js(ROWS)
        seen["size"] = js("document.querySelector('#models-table tr[data-model=\"tiny.en\"]"
                          " td.size').textContent")
        js("document.querySelectorAll('section:not(#model-manager)').forEach("
           "s => { s.style.display = 'none'; })")
        time.sleep(1.0)
        subprocess.run(["import", "-window", "root", shot], check=True)
        js("document.querySelectorAll('section').forEach(s => { s.style.display = ''; })")
        js("document.getElementById('use-tiny.en').click()")
        seen["model_field"] = js("document.getElementById('f-asr-model').value")
        js("document.getElementById('remove-tiny.en').click()")
        seen["removed"] = wait(f"!{ROWS}.includes('tiny.en') && {MSG}.textContent")

    try:
        drive(api, steps, timeout=60, every=0.1)
    finally:
        api.shutdown()


if __name__ == "__main__":
    main()
