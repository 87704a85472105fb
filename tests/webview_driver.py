"""Drives the real settings window (pywebview, GTK WebKit2) and prints what it saw as JSON.

Run by tests/test_settings_window.py in a child process on the test X display:
``python tests/webview_driver.py SETTINGS_JSON SERVER_URL SHOT_PREFIX [ASR_SERVER_URL]``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.webview_page import Page, drive
from whispertrans_tray.__main__ import settings_services
from whispertrans_tray.desktop.settings_window import tell_parent_saved
from whispertrans_tray.desktop.settings_window.api import SettingsApi


def main() -> None:
    settings_path, server_url, shot = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    asr_url = sys.argv[4] if len(sys.argv) > 4 else ""
    notice = "無法連線到翻譯伺服器 http://127.0.0.1:9/v1（測試用的原因與解法）"
    api = SettingsApi(settings_services(settings_path), tell_parent_saved, notice)

    def steps(page: Page, seen: dict[str, Any]) -> None:
        js, wait = page.js, page.wait
        wait("document.getElementById('f-translation-url') !== null")
        seen["title"] = js("document.getElementById('title').textContent")
        seen["url_before"] = js("document.getElementById('f-translation-url').value")
        seen["notice"] = js("document.getElementById('conn').className + ' ' + "
                            "document.getElementById('conn').textContent")
        seen["notice_sent"] = notice
        # the subtitle style's live preview: outlined text on the picture, or a box
        shadow = "getComputedStyle(document.getElementById('pv-big')).textShadow"
        back = "getComputedStyle(document.getElementById('pv-box')).backgroundColor"
        seen["preview_box"] = [js(shadow), js(back)]
        js("const st = document.getElementById('f-overlay-style');"
           "st.value = 'outline'; st.dispatchEvent(new Event('change'));")
        seen["preview_outline"] = [js(shadow), js(back)]
        js("const st = document.getElementById('f-overlay-style');"
           "st.value = 'box'; st.dispatchEvent(new Event('change'));")
        js("const p = document.getElementById('f-translation-provider');"
           "p.value = 'ollama'; p.dispatchEvent(new Event('change'));")
        seen["url_ollama"] = js("document.getElementById('f-translation-url').value")
        js(f"document.getElementById('f-translation-url').value = '{server_url}';"
           "document.getElementById('f-translation-model').value = 'test-model';"
           "document.getElementById('test').click();")
        seen["connection"] = wait(
            "(document.getElementById('conn').className !== '') && "
            "document.getElementById('conn').textContent")
        seen["active"] = js("document.getElementById('active').textContent")
        api.active_endpoint = "翻譯：test-model @ 127.0.0.1:2"  # what the app tells it
        seen["active_later"] = wait(
            "document.getElementById('active').textContent.endsWith(':2') && "
            "document.getElementById('active').textContent", 10)
        js("document.getElementById('add-fallback').click();"
           f"document.getElementById('fb-0-url').value = '{server_url}';"
           "document.getElementById('fb-0-model').value = 'test-model';"
           "document.getElementById('conn').className = '';"
           "document.getElementById('test').click();")
        seen["connection_each"] = wait(
            "(document.getElementById('conn').className !== '') && "
            "document.getElementById('conn').textContent")
        if asr_url:  # the recognition server: its own 測試連線
            js("document.getElementById('f-asr-backend').value = 'remote';"
               f"document.getElementById('f-asr-remote_url').value = '{asr_url}';"
               "document.getElementById('test-asr').click();")
            seen["asr_connection"] = wait(
                "(document.getElementById('conn-asr').className !== '') && "
                "document.getElementById('conn-asr').textContent")
        js("document.getElementById('f-translation-url').value = 'ftp://nowhere';"
           "document.getElementById('save').click();")
        seen["url_error"] = wait("document.getElementById('m-translation.url').textContent")
        time.sleep(0.5)  # let WebKit paint before the screenshot
        subprocess.run(["import", "-window", "root", f"{shot}-zh.png"], check=True)
        seen["autostart_before"] = js("document.getElementById('autostart').checked")
        js(f"document.getElementById('f-translation-url').value = '{server_url}';"
           "document.getElementById('saved').textContent = '';"
           "document.getElementById('f-overlay-font_size').value = '30';"
           "document.getElementById('autostart').checked = true;"
           "document.getElementById('f-translation-drafts').checked = true;"
           "document.getElementById('save').click();")
        seen["saved"] = wait("document.getElementById('saved').textContent")
        seen["messages"] = js("Array.from(document.querySelectorAll('.msg[id^=m-]'))"
                              ".filter(m => m.textContent).map(m => m.id + ': ' + "
                              "m.textContent).join(' | ')")
        js("const u = document.getElementById('ui_language'); u.value = 'en';"
           "u.dispatchEvent(new Event('change'));")
        seen["title_en"] = wait("document.getElementById('title').textContent === "
                                "'WhisperTrans settings' && 'WhisperTrans settings'")
        time.sleep(0.5)
        subprocess.run(["import", "-window", "root", f"{shot}-en.png"], check=True)

    drive(api, steps, timeout=30, every=0.2)


if __name__ == "__main__":
    main()
