"""The tray app's OBS output and live text file (app/studio.py) follow the settings while it
runs, on Xvfb: turned on, moved and turned off through the settings file (what the settings
window's save does: ``App.reload_settings``) with no restart; a real OBS Studio 29 connected
to and let go; the password from the keyring, a wrong one told in the UI language and fixed
without a restart; the other outputs (the real local feed, the live file) never miss a line
nor get one twice while one output is rebuilt."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyrings.alt.file import PlaintextKeyring

from tests.app_harness import pump_until, tray_app
from tests.feed_client import SseReader
from tests.obs_studio import TEXT_SOURCE, ObsStudio, running_obs, shown, until
from tests.servers._http import free_port
from whispertrans_tray import credentials
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.app.obs_output import ObsOutput
from whispertrans_tray.app.studio import changed
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.i18n import tr
from whispertrans_tray.providers.obs_websocket import ObsConnection
from whispertrans_tray.settings import ObsSettings, OutputSettings, Settings

pytestmark = pytest.mark.usefixtures("desktop")
PASSWORD = "studio 密碼 7"


@pytest.fixture(scope="module")
def obs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ObsStudio]:
    with running_obs(tmp_path_factory.mktemp("obs-home"), PASSWORD) as studio:
        yield studio


@pytest.fixture
def keyring_file(tmp_path: Path) -> Iterator[Path]:
    """A real keyring (keyrings.alt's plain file) in ``tmp_path`` for this test."""
    before = keyring.get_keyring()
    ring = PlaintextKeyring()
    ring.file_path = str(tmp_path / "keyring.cfg")
    keyring.set_keyring(ring)
    try:
        yield tmp_path / "keyring.cfg"
    finally:
        keyring.set_keyring(before)


def text_of(path: Path) -> str | None:
    return path.read_text("utf-8") if path.exists() else None


def told(app: Any) -> list[str]:
    """The app's notifications from now on (the list fills as they are shown)."""
    messages: list[str] = []
    app.notify = lambda message, title="": messages.append(message)
    return messages


def save_and_apply(app: Any, path: Path, **sections: object) -> None:
    """Change sections of the settings file and let the app apply it, as the settings
    window's save does."""
    settings_mod.save(dataclasses.replace(app.settings, **sections), path)
    app.reload_settings()


def test_what_each_change_rebuilds() -> None:
    base = Settings()
    assert changed(base, base) == []
    assert changed(base, dataclasses.replace(
        base, output=OutputSettings(live_file="/tmp/x.txt"))) == ["live_file"]
    assert changed(base, dataclasses.replace(base, obs=ObsSettings(lines=3))) == ["obs"]
    assert changed(base, dataclasses.replace(base, ui_language="en")) == ["live_file", "obs"]
    assert changed(base, dataclasses.replace(base, translation=dataclasses.replace(
        base.translation, enabled=not base.translation.enabled))) == ["obs"]
    assert changed(base, dataclasses.replace(base, translation=dataclasses.replace(
        base.translation, target_language="日文"))) == []


def test_the_live_file_is_turned_on_moved_and_refused_without_a_restart(
        tmp_path: Path) -> None:
    path = settings_mod.save(Settings(ui_language="zh-TW"), tmp_path / "settings.json")
    first, second, notes = tmp_path / "first.txt", tmp_path / "second.txt", tmp_path / "notes.txt"
    with tray_app(path) as app:
        messages = told(app)
        app.studio.start()  # as run() does
        assert app.studio.sinks == {}
        save_and_apply(app, path, output=OutputSettings(live_file=str(first)))
        assert "live_file" in app.studio.sinks
        app.emit(Sentence(0, 0.0, 1.2, "en", "Ask not."))
        until(lambda: text_of(first) == "Ask not.", "the first file written", 30)

        save_and_apply(app, path, output=OutputSettings(live_file=str(second), live_lines=3))
        app.emit(Sentence(1, 1.5, 3.0, "en", "What your country can do."))
        until(lambda: text_of(second) == "What your country can do.", "the second file", 30)
        # the first file stays on disk, emptied as at the end of a session, no longer written
        app.emit(Sentence(2, 3.5, 4.0, "en", "For you."))
        until(lambda: text_of(second) == "What your country can do.\nFor you.",
              "the second file, two lines", 30)
        assert text_of(first) == ""

        notes.write_text("我的筆記", "utf-8")  # a user's file: refused, told, the app goes on
        save_and_apply(app, path, output=OutputSettings(live_file=str(notes)))
        assert pump_until(app, lambda: any(f"即時文字檔 {notes} 已存在且有內容" in m
                                           for m in messages))
        assert "live_file" not in app.studio.sinks and app.status != "error"
        app.emit(Sentence(3, 4.5, 5.0, "en", "Ask what you can do."))
        time.sleep(0.3)
        assert notes.read_text("utf-8") == "我的筆記" and text_of(second) == ""
    assert notes.read_text("utf-8") == "我的筆記" and first.exists() and second.exists()


def test_obs_is_turned_on_fixed_and_turned_off_through_the_settings(
        obs: ObsStudio, tmp_path: Path, keyring_file: Path) -> None:
    credentials.store("not the password", credentials.OBS_ENTRY)
    path = settings_mod.save(Settings(ui_language="zh-TW", obs=ObsSettings(
        enabled=False, url=obs.url, source=TEXT_SOURCE)), tmp_path / "settings.json")
    with tray_app(path) as app:
        messages = told(app)
        app.studio.start()
        assert "obs" not in app.studio.sinks
        save_and_apply(app, path, obs=dataclasses.replace(app.settings.obs, enabled=True))
        assert pump_until(app, lambda: any("OBS 拒絕了 WebSocket 密碼" in m for m in messages))
        assert app.status != "error"
        # the UI language: the output is rebuilt and tells its problem in the new one
        save_and_apply(app, path, ui_language="en")
        assert pump_until(app, lambda: any("OBS rejected the WebSocket password" in m
                                           for m in messages))
        sink = app.studio.sinks["obs"]
        assert isinstance(sink, ObsOutput) and not sink.connected
        app.emit(Sentence(0, 0.0, 1.2, "en", "Ask not."))
        credentials.store(PASSWORD, credentials.OBS_ENTRY)  # as the settings window saves it
        assert pump_until(app, lambda: sink.connected, 30)
        assert pump_until(app, lambda: tr("obs.connected", "en", source=TEXT_SOURCE)
                          in messages)
        until(lambda: shown(obs) == "Ask not.", "the line in OBS's text source", 30)

        save_and_apply(app, path, obs=dataclasses.replace(app.settings.obs, enabled=False))
        assert "obs" not in app.studio.sinks and not sink.connected
        assert not sink._thread.is_alive()
        assert shown(obs) == ""  # emptied on the way out, as at the end of a session
        app.emit(Sentence(1, 1.5, 3.0, "en", "What your country can do."))
        time.sleep(0.5)
        assert shown(obs) == ""


def test_the_password_given_at_start_still_counts(obs: ObsStudio, tmp_path: Path) -> None:
    """``--obs-password`` (``tray_parts``'s), with no password in the keyring (the tests'
    null keyring)."""
    from whispertrans_tray.__main__ import tray_parts
    from whispertrans_tray.app.tray_app import App

    settings = Settings(ui_language="en", obs=ObsSettings(enabled=True, url=obs.url))
    app = App(settings, tmp_path / "settings.json", None, tray_parts(obs_password=PASSWORD))
    try:
        app.studio.start()
        sink = app.studio.sinks["obs"]
        assert isinstance(sink, ObsOutput)
        app.emit(Sentence(0, 0.0, 1.2, "en", "Given at start."))
        until(lambda: shown(obs) == "Given at start.", "the line in OBS", 30)
    finally:
        app.quit()
        app.root.update()
    assert not sink.connected and shown(obs) == ""


def test_rebuilding_an_output_loses_and_repeats_no_line_for_the_others(
        obs: ObsStudio, tmp_path: Path) -> None:
    """Lines flow from a worker thread while the live file and OBS are rebuilt again and
    again: the real local feed gets every sentence once, in order; the live file of the end
    has the last lines."""
    port = free_port()
    live = tmp_path / "live.txt"
    path = settings_mod.save(Settings(
        ui_language="en", feed=dataclasses.replace(Settings().feed, enabled=True, port=port),
        output=OutputSettings(live_file=str(live), live_lines=2),
        obs=ObsSettings(enabled=True, url=obs.url)), tmp_path / "settings.json")
    count = 300
    with tray_app(path, api_key=None) as app:
        told(app)
        app.room.start()
        app.studio.start()
        reader = SseReader(f"http://127.0.0.1:{port}/events")
        reader.wait_connected()
        done = threading.Event()

        def speak() -> None:
            for index in range(count):
                app.emit(Sentence(index, index, index + 0.5, "en", f"Line {index}."))
                time.sleep(0.002)
            done.set()

        worker = threading.Thread(target=speak)
        worker.start()
        rebuilds = 0
        while not done.is_set():
            lines = 2 + rebuilds % 3
            save_and_apply(app, path, output=OutputSettings(live_file=str(live),
                                                            live_lines=lines),
                           obs=dataclasses.replace(app.settings.obs, lines=lines))
            rebuilds += 1
            app.root.update()
        worker.join()
        assert rebuilds >= 3
        # the outputs closed on the way are out of the fan-out: the feed and the last two
        assert set(app.publisher.outputs.sinks) == {app.room.feed, *app.studio.sinks.values()}
        assert len(app.publisher.outputs.sinks) == 3
        events = reader.wait_for(lambda e: sum(x["type"] == "sentence" for x in e) >= count)
        time.sleep(0.3)
        sentences = [x["id"] for x in reader.events if x["type"] == "sentence"]
        assert sentences == list(range(count))
        reader.close()
        assert events
        app.emit(Sentence(count, count, count + 0.5, "en", "The end."))
        until(lambda: (text_of(live) or "").endswith("The end."), "the last line in the file", 30)


def test_the_tray_process_connects_with_the_flags_it_was_started_with(
        obs: ObsStudio, tmp_path: Path, model_cache: Path) -> None:
    """``tray --obs --obs-url … --obs-password … --live-file …`` (no password in the keyring):
    the app's own OBS output connects at start (on connecting it writes its board, empty,
    over the text put there before) and lets go at SIGTERM."""
    import signal
    import subprocess
    import sys

    from tests.app_harness import app_env, app_log, wait_for

    link = ObsConnection(obs.url, obs.password)
    try:
        link.set_text(TEXT_SOURCE, "before the app")
    finally:
        link.close()
    assert shown(obs) == "before the app"
    settings = settings_mod.save(Settings(ui_language="en"), tmp_path / "settings.json")
    env = app_env(tmp_path, model_cache) | {
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    with (tmp_path / "stderr.txt").open("w") as errors:
        app = subprocess.Popen(
            [sys.executable, "-m", "whispertrans_tray", "--settings", str(settings), "tray",
             "--idle", "--obs", "--obs-url", obs.url, "--obs-password", PASSWORD,
             "--live-file", str(tmp_path / "live.txt")],
            env=env, stdout=subprocess.DEVNULL, stderr=errors, text=True)
        try:
            log = app_log(tmp_path)
            assert wait_for(lambda: log.exists() and "Output started: obs" in log.read_text(
                "utf-8"), 90), (tmp_path / "stderr.txt").read_text()[-3000:]
            assert "Output started: live_file" in log.read_text("utf-8")
            assert wait_for(lambda: shown(obs) == "", 30), "the app never wrote into OBS"
        finally:
            app.send_signal(signal.SIGTERM)
            try:
                app.wait(30)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
    assert app.returncode == 0, (tmp_path / "stderr.txt").read_text()[-3000:]
    assert "Output stopped: obs" in log.read_text("utf-8")
    assert PASSWORD not in log.read_text("utf-8")
