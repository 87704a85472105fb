"""The app and tray icons, drawn with Pillow: a speech bubble holding two subtitle bars.

The tray variants tint the bubble by state (idle grey, listening green, error red).
``scripts/make_icons.py`` writes the same drawings to ``assets/`` at the top of the checkout
(the artwork's home: every size, the installer's .ico); the wheel and the bundle carry the
files the app opens at run time in the package's own ``assets/`` folder, copied there when they
are built (setup.py, installer/whispertrans-tray.spec). :func:`asset` finds them in either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent.parent

STATES = {"idle": (96, 110, 130), "listening": (32, 160, 96), "error": (210, 60, 50)}
BRAND = (40, 110, 220)


def draw(size: int, colour: tuple[int, int, int]) -> Any:
    from PIL import Image, ImageDraw

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


def tray_image(status: str) -> Any:
    """The tray icon for an app status (idle, loading, recording, error)."""
    colour = STATES.get({"recording": "listening"}.get(status, status), STATES["idle"])
    return draw(64, colour)


def asset(name: str) -> Path:
    """The artwork file ``name`` (e.g. ``icon.png``): the copy built into the installed package
    (wheel, bundle), else the checkout's ``assets/`` (running from source or an editable
    install)."""
    built = _PACKAGE / "assets" / name
    return built if built.is_file() else _PACKAGE.parent / "assets" / name
