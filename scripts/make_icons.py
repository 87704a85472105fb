"""Draw the app and tray icons with Pillow: assets/icon.png, icon.ico, tray-*.png.

Run ``python scripts/make_icons.py`` after changing the design; the results are committed.
The icon: a rounded speech bubble holding two subtitle bars, with a "文" glyph-like mark;
tray variants tint the bubble by state (idle grey, listening green, error red).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ASSETS = Path(__file__).resolve().parent.parent / "assets"
STATES = {"idle": (96, 110, 130), "listening": (32, 160, 96), "error": (210, 60, 50)}
BRAND = (40, 110, 220)


def draw(size: int, colour: tuple[int, int, int]) -> Image.Image:
    scale = 4  # draw large, then downsample for smooth edges
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    pad = s // 16
    bubble = (pad, pad, s - pad, s - pad - s // 6)
    d.rounded_rectangle(bubble, radius=s // 6, fill=(*colour, 255))
    d.polygon([(s // 4, bubble[3] - 1), (s // 4 + s // 6, bubble[3] - 1), (s // 5, s - pad)],
              fill=(*colour, 255))
    bar_h = s // 10
    left, right = pad + s // 8, s - pad - s // 8
    top = bubble[1] + (bubble[3] - bubble[1]) // 2 - bar_h - s // 40
    d.rounded_rectangle((left, top, right, top + bar_h), radius=bar_h // 2, fill="white")
    d.rounded_rectangle((left, top + bar_h + s // 20, left + (right - left) * 2 // 3,
                         top + 2 * bar_h + s // 20), radius=bar_h // 2,
                        fill=(255, 255, 255, 200))
    return img.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ASSETS.mkdir(exist_ok=True)
    icon = draw(256, BRAND)
    icon.save(ASSETS / "icon.png")
    icon.save(ASSETS / "icon.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64),
                                         (128, 128), (256, 256)])
    for state, colour in STATES.items():
        draw(64, colour).save(ASSETS / f"tray-{state}.png")


if __name__ == "__main__":
    main()
