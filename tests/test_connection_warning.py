"""測試連線 says when the API key would go unencrypted to another computer, wherever it runs:
the CLI, the settings window's services and the tray menu.

The translation server is "on the LAN" (``translator.lan``): the requests reach the real fake
server on 127.0.0.1 through it acting as the HTTP proxy (``HTTP_PROXY``), as an office proxy
would forward them, so nothing leaves this computer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers.fake_openai import FakeServer
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.app import server_check
from whispertrans_tray.settings import TranslationSettings

LAN_URL = "http://translator.lan:8000/v1/chat/completions"
KEY = "lan-secret-key-123"


@pytest.fixture
def lan_server(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with FakeServer("ok") as server:
        proxy = f"http://127.0.0.1:{server.server_address[1]}"
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.setenv("http_proxy", proxy)
        yield server


def test_the_report_carries_the_warning_every_time(lan_server: FakeServer) -> None:
    settings = TranslationSettings(url=LAN_URL, model="test-model")
    for lang, words in (("en", "unencrypted http to translator.lan"), ("zh-TW", "未加密")):
        for _ in range(2):  # not only the first time: the user is checking the setup
            report = server_check.run(settings, KEY, lang)
            assert report.ok and words in report.warning
    assert lan_server.requests, "the server was reached through the proxy"
    assert server_check.run(settings, None, "en").warning == ""  # no key, nothing to leak
    local = TranslationSettings(url="http://127.0.0.1:9/v1", model="test-model")
    assert server_check.run(local, KEY, "en").warning == ""  # this computer


def test_the_settings_window_gets_the_warning(lan_server: FakeServer, tmp_path: Path) -> None:
    from whispertrans_tray.__main__ import settings_services
    from whispertrans_tray.desktop.settings_window.api import SettingsApi

    path = tmp_path / "settings.json"
    api = SettingsApi(settings_services(path))
    data = settings_mod.to_dict(settings_mod.Settings(ui_language="en"))
    data["translation"].update(url=LAN_URL, model="test-model")
    result = api.test_connection(data, KEY)
    assert result["ok"] and "unencrypted http to translator.lan" in result["warning"]
    assert KEY not in str(result)
    page = (Path(server_check.__file__).parent.parent / "desktop" / "settings_window" / "web" /
            "settings.html").read_text("utf-8")
    assert "r.warning" in page  # the page shows it next to the result


@pytest.mark.usefixtures("desktop")
def test_the_tray_menu_shows_the_warning(lan_server: FakeServer, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.app_harness import pump_until, tray_app

    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(tmp_path / "data"))
    settings = settings_mod.Settings(ui_language="zh-TW")
    for dotted, value in (("translation.url", LAN_URL), ("translation.model", "test-model")):
        settings = settings_mod.replace(settings, dotted, value)
    path = settings_mod.save(settings, tmp_path / "s.json")
    with tray_app(path, settings, KEY) as app:
        app.commands.test_connection()
        pump_until(app, lambda: "連線成功" in app.overlay.status, 60)
        status = app.overlay.status
    assert "連線成功" in status and "未加密" in status and "translator.lan" in status
    assert KEY not in status


def test_the_cli_prints_it(lan_server: FakeServer, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    result = subprocess.run(
        [sys.executable, "-m", "whispertrans_tray", "--ui-language", "en", "test-connection",
         "--url", LAN_URL, "--model", "test-model", "--api-key", KEY],
        capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "unencrypted http to translator.lan" in result.stderr
    assert KEY not in result.stderr + result.stdout
