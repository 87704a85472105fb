"""The overlay as a subtitle surface, on a real X server (Xvfb + compositor), by its pixels:
a failed translation leaves the spoken sentence big with one quiet status line; the outline
style keeps contrast over white and black pictures and shows the picture between letters."""

from __future__ import annotations

import subprocess
import tkinter as tk

import numpy as np
import pytest
from PIL import Image

from tests.desktop_env import SCREEN, pump, screenshot
from whispertrans_tray.core.subtitles import SubtitleModel
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.desktop.overlay import Overlay
from whispertrans_tray.errors import ServerUnreachableError
from whispertrans_tray.settings import OverlaySettings

pytestmark = pytest.mark.usefixtures("desktop")

SAID = "And so my fellow Americans, ask not what your country can do for you."


def ocr(path: str, language: str = "eng") -> str:
    """What tesseract reads on a screenshot (a second witness beside the canvas items)."""
    return subprocess.run(["tesseract", path, "-", "-l", language], capture_output=True,
                          text=True, check=True, timeout=120).stdout


def test_a_failed_translation_leaves_the_sentence_big_and_one_quiet_status(root: tk.Tk) -> None:
    error = ServerUnreachableError(host="127.0.0.1",
                                   detail="ConnectError('[Errno 111] Connection refused')")
    overlay = Overlay(root, OverlaySettings(fade_after_s=0), "en")
    model = SubtitleModel(2)
    model.apply(Sentence(0, 0, 3, "en", SAID), translating=True)
    model.apply_translation(0, "", True, error.message("en"))
    overlay.show(model.visible(), "")
    overlay.set_status(error.brief("en"))
    pump(root)
    large, small = overlay.line_items[0]
    assert overlay.canvas.itemcget(large, "text") == SAID
    assert overlay.canvas.itemcget(large, "font") == str(overlay.translation_font)
    assert overlay.canvas.itemcget(small, "text") == ""
    assert overlay.canvas.itemcget(overlay.mark_items[0], "text") == "⚠"
    shown = [overlay.canvas.itemcget(i, "text") for i in overlay.canvas.find_all()
             if overlay.canvas.type(i) == "text"]
    for bad in ("Errno", "Error(", "Traceback", "127.0.0.1", "1. "):
        assert not any(bad in text for text in shown), bad
    status_box = overlay.canvas.bbox(overlay.status_item)
    assert status_box[3] - status_box[1] <= overlay.source_font.metrics("linespace") + 2  # one line

    # a message too long for one line is cut, never wrapped
    overlay.set_status(error.message("en"))
    pump(root, 0.2)
    status_box = overlay.canvas.bbox(overlay.status_item)
    assert status_box[3] - status_box[1] <= overlay.source_font.metrics("linespace") + 2
    assert overlay.canvas.itemcget(overlay.status_item, "text").endswith("…")
    overlay.set_status(error.brief("en"))
    pump(root)

    path = screenshot("overlay_translation_down.png")
    x, y = root.winfo_rootx(), root.winfo_rooty()
    crop = Image.open(path).crop((x, y, x + root.winfo_width(), y + root.winfo_height()))
    crop = crop.resize((crop.width * 2, crop.height * 2))
    crop.save(path.with_name("overlay_translation_down_crop.png"))
    read = ocr(str(path.with_name("overlay_translation_down_crop.png")))
    assert "country" in read and "fellow" in read, read
    assert "unreachable" in read.lower(), read
    for bad in ("Errno", "Error(", "refused", "Check that"):
        assert bad not in read, read


def dilate(mask: np.ndarray, steps: int) -> np.ndarray:
    """``mask`` grown by ``steps`` pixels (8-neighbourhood)."""
    grown = mask.copy()
    for _ in range(steps):
        padded = np.pad(grown, 1)
        grown = np.zeros_like(grown)
        for dy in (0, 1, 2):
            for dx in (0, 1, 2):
                grown |= padded[dy:dy + mask.shape[0], dx:dx + mask.shape[1]]
    return grown


def luminance(grey: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of grey levels 0–255."""
    c = grey / 255.0
    return np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def contrast(a: float, b: float) -> float:
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


def test_outline_style_reads_over_white_and_black_and_shows_the_picture(root: tk.Tk) -> None:
    # the "video": a full-screen picture, white on the left half, black on the right
    picture = tk.Toplevel(root)
    picture.overrideredirect(True)
    picture.geometry(f"{SCREEN[0]}x{SCREEN[1]}+0+0")
    canvas = tk.Canvas(picture, highlightthickness=0, bg="#808080")
    canvas.pack(fill="both", expand=True)
    pump(root, 0.3)
    overlay = Overlay(root, OverlaySettings(
        style="outline", fade_after_s=0, width=1200, height=200, font_size=36,
        positions=((f"{SCREEN[0]}x{SCREEN[1]}", 200, 600),)))
    model = SubtitleModel(1)
    model.apply(Sentence(0, 0, 3, "en", "MMMM WWWW 字幕字幕 MMMM WWWW 字幕字幕"), translating=False)
    overlay.show(model.visible(), "")
    pump(root, 1.0)
    assert overlay.see_through == "shape"
    grey = np.asarray(Image.open(screenshot("outline_grey.png")).convert("L"), dtype=float)
    # on mid grey, the glyphs' fill is the bright part of the overlay
    x0, y0, x1, y1 = overlay.canvas.bbox(overlay.line_items[0][0])
    ox, oy = overlay.root.winfo_rootx(), overlay.root.winfo_rooty()
    box = (slice(oy + y0, oy + y1), slice(ox + x0, ox + x1))
    fill = np.zeros(grey.shape, dtype=bool)
    fill[box] = grey[box] > 200
    assert fill.sum() > 2000, "the text is painted"
    ring = dilate(fill, 2) & ~fill
    far = ~dilate(fill, 12)

    canvas.create_rectangle(0, 0, SCREEN[0] // 2, SCREEN[1], fill="#ffffff", outline="")
    canvas.create_rectangle(SCREEN[0] // 2, 0, SCREEN[0], SCREEN[1], fill="#000000",
                            outline="")
    overlay.root.lift()
    pump(root, 1.0)
    shot = np.asarray(Image.open(screenshot("outline_white_black.png")).convert("L"),
                      dtype=float)
    half = np.zeros(grey.shape, dtype=bool)
    half[:, : SCREEN[0] // 2] = True
    inside = np.zeros(grey.shape, dtype=bool)
    inside[box] = True
    for name, side in (("white", half), ("black", ~half)):
        text = float(np.median(luminance(shot[fill & side])))
        edge = float(np.median(luminance(shot[ring & side])))
        ratio = contrast(text, edge)
        assert ratio >= 4.5, f"over {name}: contrast {ratio:.1f}"
        # between the letters the picture itself shows (no box)
        beneath = shot[far & side & inside]
        assert beneath.size > 1000
        expected = 255.0 if name == "white" else 0.0
        assert np.mean(np.abs(beneath - expected) < 8) > 0.97, f"a box over {name}"


def test_a_sentence_taller_than_the_window_shows_its_newest_words(root: tk.Tk) -> None:
    overlay = Overlay(root, OverlaySettings(fade_after_s=0, width=600, height=160), "en")
    model = SubtitleModel(2)
    long = " ".join(f"word{n}" for n in range(80))
    model.apply(Sentence(0, 0, 9, "en", long), translating=False)
    overlay.show(model.visible(), "")
    overlay.set_status("Translation server unreachable · subtitles go on")
    pump(root, 0.3)
    large = overlay.line_items[0][0]
    shown = overlay.canvas.itemcget(large, "text")
    assert shown.startswith("…") and shown.endswith("word79")
    assert overlay.canvas.bbox(large)[3] <= overlay.canvas.bbox(overlay.status_item)[1]
