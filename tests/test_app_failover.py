"""The tray app with two real HTTP translation servers on 127.0.0.1: the endpoint in use in the
tooltip and on the status line, failover, and late translations that never pull the subtitles
back to an older sentence."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from tests.app_harness import pump_until, tray_app
from tests.servers.fake_openai import FakeServer
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.types import Sentence

pytestmark = pytest.mark.usefixtures("desktop")


def sentence(i: int) -> Sentence:
    return Sentence(i, float(i), i + 0.9, "en", f"Sentence {i}.")


def test_failover_and_late_lines_in_the_app(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(tmp_path / "data"))
    with FakeServer("ok") as a, FakeServer("ok") as b:
        base = settings_mod.Settings(ui_language="en", overlay=settings_mod.OverlaySettings(
            max_lines=2))
        path = settings_mod.save(base, tmp_path / "s.json")
        with tray_app(path, base) as app:
            app.apply(dataclasses.replace(base, translation=settings_mod.TranslationSettings(
                enabled=True, provider="custom", url=a.url, model="test-model", timeout_s=3.0,
                fallbacks=(("custom", b.url, "test-model"),))))
            assert app.tray_state().endpoint == \
                f"Translation: test-model @ 127.0.0.1:{a.port}"

            a.mode = "error500"  # A fails: B takes over, the sentence is translated all the same
            app.emit(sentence(0))
            assert pump_until(app, lambda: app.subtitles.lines[0].status == "done", 20)
            assert app.tray_state().endpoint == \
                f"Translation: test-model @ 127.0.0.1:{b.port}"
            status = app.overlay.canvas.itemcget(app.overlay.status_item, "text")
            # the subtitles' status line names the server by its place and model, not its
            # address (the tooltip above and the notification carry that)
            assert status == "⚠ Translating with server 2 (test-model)"

            b.mode = "error500"  # now both fail: three lines keep their source text
            for i in (1, 2, 3):
                app.emit(sentence(i))
            assert pump_until(app, lambda: len(app.subtitles.lines) == 4 and all(
                x.status == "failed" for x in app.subtitles.lines[1:]), 30)
            assert "translated late" in app.subtitles.lines[1].error

            a.mode = b.mode = "ok"  # back: 1, 2, 3 are translated late, in order
            shown: list[list[int]] = []

            def settled() -> bool:
                shown.append([x.sentence.index for x in app.overlay.lines])
                return all(x.status == "done" for x in app.subtitles.lines)

            assert pump_until(app, settled, 60)
            assert all(indexes == [2, 3] for indexes in shown)  # never back to sentence 1
            assert [x.late for x in app.subtitles.lines] == [False, True, True, True]
            assert app.overlay.lines[-1].translation == "你好，你今天好嗎？"
            app.history.close()
            records = [json.loads(x) for x in app.history.path.read_text("utf-8").splitlines()]
            late = [r["index"] for r in records if r.get("late")]
            assert late == [1, 2, 3]  # the history gets them, in order
