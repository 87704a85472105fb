"""Drafts in the tray app, with a real HTTP translation server on 127.0.0.1 and the real Tk
overlay on Xvfb: the draft of the line being spoken shows dim under it, the sentence's final
translation replaces it (adopted: no second request), each sentence is translated and painted
once, drafts never reach the history, and "Stable only" in the tray turns them off live."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from tkinter import font as tkfont

import numpy as np
import pytest
from PIL import Image

from tests.app_harness import pump_until, tray_app
from tests.desktop_env import pump, screenshot
from tests.servers.fake_openai import FakeServer
from tests.test_overlay import region
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.drafts import GAP_S
from whispertrans_tray.core.types import Partial, Sentence

pytestmark = pytest.mark.usefixtures("desktop")


def asked(server: FakeServer) -> list[str]:
    return [r["messages"][-1]["content"] for r in server.requests]


def test_draft_shows_dim_then_the_final_replaces_it(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHISPERTRANS_DATA_DIR", str(tmp_path / "data"))
    with FakeServer("ok", reply="第一句的翻譯。") as server:
        base = settings_mod.Settings(ui_language="en", overlay=settings_mod.OverlaySettings(
            max_lines=2, fade_after_s=0))
        path = settings_mod.save(base, tmp_path / "s.json")
        with tray_app(path, base) as app:
            app.apply(dataclasses.replace(base, translation=settings_mod.TranslationSettings(
                enabled=True, provider="custom", url=server.url, model="test-model",
                timeout_s=5.0, drafts=True, context_sentences=0)))
            service = app.service
            app.set_status("recording")
            app.emit(Sentence(0, 0.0, 1.0, "en", "First sentence."))
            assert pump_until(app, lambda: app.subtitles.lines[0].status == "done", 20)

            # the line being spoken, steady: drafted, shown dim and italic under it
            server.reply = "不要問國家能為你做什麼"
            app.emit(Partial("Ask not what your country can do"))
            assert pump_until(app, lambda: app.overlay.draft == "不要問國家能為你做什麼",
                              GAP_S + 10)
            overlay = app.overlay
            assert overlay.canvas.itemcget(overlay.draft_item, "fill") == \
                overlay.settings.partial_color
            font = tkfont.nametofont(str(overlay.canvas.itemcget(
                overlay.draft_item, "font")), root=app.root)
            assert font.actual("slant") == "italic"
            pump(app.root)  # let the compositor paint it
            shot = Image.open(screenshot("overlay_draft.png"))
            draft = region(overlay, overlay.draft_item, shot)
            final = region(overlay, overlay.line_items[0][0], shot)  # sentence 0, translated
            assert (draft > 60).sum() > 50  # painted
            assert np.percentile(draft, 99.5) < np.percentile(final, 99.5) - 30  # dimmer
            _, y0, _, _ = overlay.canvas.bbox(overlay.draft_item)
            assert y0 > overlay.canvas.bbox(overlay.partial_item)[1]  # under the line

            # the sentence commits with the draft's words: adopted, no second request
            app.emit(Sentence(1, 1.0, 3.0, "en", "Ask not what your country can do"))
            assert pump_until(app, lambda: len(app.subtitles.lines) == 2
                              and app.subtitles.lines[1].status == "done", 10), (
                [(x.sentence.index, x.status, x.translation) for x in app.subtitles.lines])
            assert pump_until(app, lambda: overlay.draft == "", 5), overlay.draft  # replaced
            assert app.subtitles.lines[1].translation == "不要問國家能為你做什麼"
            assert asked(server) == ["First sentence.", "Ask not what your country can do"]

            # a draft whose sentence commits with other words: its own translation replaces it
            server.reply = "草稿"
            app.emit(Partial("And so my"))
            assert pump_until(app, lambda: overlay.draft == "草稿", GAP_S + 10)
            server.reply = "所以，我的美國同胞們。"
            app.emit(Sentence(2, 3.0, 5.0, "en", "And so, my fellow Americans."))
            assert pump_until(app, lambda: app.subtitles.lines[-1].status == "done", 10)
            assert pump_until(app, lambda: overlay.draft == "", 5), overlay.draft
            assert app.subtitles.lines[-1].translation == "所以，我的美國同胞們。"
            counts = service.counts if service is not None else None
            assert counts is not None and (counts.drafts_sent, counts.drafts_adopted,
                                           counts.drafts_wasted) == (2, 1, 1)

            # "Stable only" in the tray: no draft request any more, and nothing restarted
            app.commands.toggle_drafts()
            assert pump_until(app, lambda: not app.settings.translation.drafts, 5)
            assert not app.tray_state().drafts and app.service is service
            before = len(server.requests)
            app.emit(Partial("Ask not what"))
            end = time.monotonic() + GAP_S + 1.5
            while time.monotonic() < end:
                app.root.update()
                time.sleep(0.05)
            assert len(server.requests) == before and overlay.draft == ""

            # drafts on again; the draft goes when the recording stops
            app.commands.toggle_drafts()
            assert pump_until(app, lambda: app.settings.translation.drafts, 5)
            server.reply = "再一次"
            app.emit(Partial("Ask not what you"))
            assert pump_until(app, lambda: overlay.draft == "再一次", GAP_S + 10)
            app.set_status("idle")
            assert overlay.draft == ""
            app.history.close()
            records = [json.loads(x) for x in app.history.path.read_text("utf-8").splitlines()]
    texts = json.dumps(records, ensure_ascii=False)
    assert "草稿" not in texts and "再一次" not in texts  # drafts never reach the history
    translated = [r["index"] for r in records if r["type"] == "translation"]
    assert translated == [0, 1, 2]  # each sentence translated once
