"""The overlay on a real X server (Xvfb + compositor), checked by its pixels."""

from __future__ import annotations

import dataclasses
import tkinter as tk

import numpy as np
import pytest
from PIL import Image

from tests.desktop_env import SCREEN, pump, pump_until, screenshot
from whispertrans_tray.core.subtitles import SubtitleModel
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.desktop.overlay import Overlay
from whispertrans_tray.desktop.overlay.geometry import clamp
from whispertrans_tray.settings import OverlaySettings

pytestmark = pytest.mark.usefixtures("desktop")


def session() -> SubtitleModel:
    model = SubtitleModel(2)
    model.apply(Sentence(0, 0, 1, "en", "Hello, how are you today?"), translating=True)
    model.apply_translation(0, "你好，你今天好嗎？", True)
    model.apply(Sentence(1, 1, 2, "zh", "今天天氣很好，我們去公園走走吧。"), translating=True)
    model.apply_translation(1, "The weather is nice today, let's go for a walk in the park.",
                            True)
    return model


def region(overlay: Overlay, item: int, shot: Image.Image) -> np.ndarray:
    """Pixels (grey levels) of a canvas item's box on the screenshot."""
    x0, y0, x1, y1 = overlay.canvas.bbox(item)
    ox, oy = overlay.root.winfo_rootx(), overlay.root.winfo_rooty()
    crop = shot.convert("L").crop((ox + x0, oy + y0, ox + x1, oy + y1))
    return np.asarray(crop, dtype=np.float32)


def test_bilingual_text_is_painted_and_partial_is_dimmer(root: tk.Tk) -> None:
    overlay = Overlay(root, OverlaySettings(fade_after_s=0))
    model = session()
    overlay.show(model.visible(), "And so my fellow Americans")
    pump(root)
    shot = Image.open(screenshot("overlay_bilingual.png"))
    translation_item, source_item = overlay.line_items[0]
    chinese = region(overlay, translation_item, shot)
    english = region(overlay, source_item, shot)
    partial = region(overlay, overlay.partial_item, shot)
    # glyph strokes are bright on the dark background
    assert (chinese > 180).sum() > 300 and (english > 180).sum() > 200
    assert np.percentile(partial, 99.5) < np.percentile(english, 99.5) - 30
    assert overlay.canvas.itemcget(translation_item, "text") == "你好，你今天好嗎？"


def test_committed_lines_do_not_move_while_the_partial_grows(root: tk.Tk) -> None:
    overlay = Overlay(root, OverlaySettings(fade_after_s=0, max_lines=1))
    model = session()
    overlay.show(model.visible(), "And so")
    pump(root)
    item = overlay.line_items[0][0]
    before = region(overlay, item, Image.open(screenshot("overlay_partial_1.png")))
    box = overlay.canvas.bbox(item)
    overlay.show(model.visible(), "And so my fellow")  # same line count: nothing reflows
    pump(root)
    after = region(overlay, item, Image.open(screenshot("overlay_partial_2.png")))
    assert overlay.canvas.bbox(item) == box
    assert np.abs(before - after).max() < 8


def test_saved_position_is_restored_and_clamped(root: tk.Tk) -> None:
    key = f"{SCREEN[0]}x{SCREEN[1]}"
    settings = OverlaySettings(width=800, height=200, positions=((key, 300, 400),))
    overlay = Overlay(root, settings)
    pump(root)
    assert (root.winfo_x(), root.winfo_y()) == (300, 400)
    overlay.apply_settings(dataclasses.replace(settings, positions=((key, 5000, -300),)))
    pump(root)
    assert (root.winfo_x(), root.winfo_y()) == (SCREEN[0] - 800, 0)


def test_drag_moves_and_reports_the_position(root: tk.Tk) -> None:
    import subprocess

    moved: list[OverlaySettings] = []
    overlay = Overlay(root, OverlaySettings(width=600, height=150, fade_after_s=0),
                      on_moved=moved.append)
    pump(root)
    x0, y0 = root.winfo_rootx() + 100, root.winfo_rooty() + 50
    for args in (["mousemove", str(x0), str(y0)], ["mousedown", "1"],
                 ["mousemove", str(x0 + 120), str(y0 - 80)], ["mouseup", "1"]):
        subprocess.run(["xdotool", *args], check=True)
        pump(root, 0.3)
    pump_until(root, lambda: moved, 15)  # a busy machine handles the release late
    assert moved, "the new position is reported so the app can save it"
    ((layout, x, y),) = moved[-1].positions
    assert layout == f"{SCREEN[0]}x{SCREEN[1]}"
    assert (moved[-1].width, moved[-1].height) == (600, 150)
    assert abs(x - (x0 - 100 + 120)) <= 2 and abs(y - (y0 - 50 - 80)) <= 2
    assert overlay.settings.width == 600


@pytest.mark.parametrize(
    ("pos", "expected"),
    [((100, 100), (100, 100)), ((-50, 20), (0, 20)), ((1500, 850), (800, 700)),
     ((10, 10), (10, 10))],
)
def test_clamp(pos: tuple[int, int], expected: tuple[int, int]) -> None:
    assert clamp(*pos, 800, 200, 1600, 900) == expected


def test_text_fades_after_silence_and_returns_with_speech(root: tk.Tk) -> None:
    overlay = Overlay(root, OverlaySettings(fade_after_s=1.0))
    model = session()
    overlay.show(model.visible(), "")
    pump(root, 0.3)
    item = overlay.line_items[-1][0]
    assert overlay.canvas.itemcget(item, "state") in ("", "normal")
    pump_until(root, lambda: overlay.canvas.itemcget(item, "state") == "hidden", 15)
    assert overlay.canvas.itemcget(item, "state") == "hidden"
    overlay.show(model.visible(), "new words")
    assert overlay.canvas.itemcget(item, "state") == "normal"


def test_x_error_on_a_vanished_window_is_reported_not_fatal(root: tk.Tk) -> None:
    """Xlib's default error handler would exit the process; ours reports the refusal."""
    from whispertrans_tray.desktop.window import x11 as window_x11

    root.update()
    gone = tk.Toplevel(root)
    gone.update()
    gone_id = int(gone.wm_frame(), 16)
    gone.destroy()
    root.update()
    assert window_x11.shape_input(gone_id, True) is False
    assert window_x11.shape_input(gone_id, False) is False
    assert window_x11.set_click_through(root, True) is True  # the live window still works
    assert window_x11.set_click_through(root, False) is True
    root.update()  # Tk's own connection is unharmed
