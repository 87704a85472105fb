"""Screen geometry for the overlay: naming monitor layouts, keeping a window on a monitor.

Pure functions (no Tk), so they are tested directly.  A rectangle is ``(x, y, width, height)``
in virtual-desktop pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["Rect", "clamp", "fit_on_monitors", "layout_key"]

Rect = tuple[int, int, int, int]


def layout_key(monitors: Sequence[Rect]) -> str:
    """Names a screen layout: ``1920x1080`` for one screen, ``WxH+X+Y;…`` for several."""
    if len(monitors) == 1 and monitors[0][:2] == (0, 0):
        return f"{monitors[0][2]}x{monitors[0][3]}"
    return ";".join(f"{w}x{h}+{x}+{y}" for x, y, w, h in sorted(monitors))


def clamp(x: int, y: int, width: int, height: int, screen_w: int, screen_h: int) \
        -> tuple[int, int]:
    """Keep a window of ``width`` × ``height`` fully on a ``screen_w`` × ``screen_h`` screen."""
    return (min(max(x, 0), max(screen_w - width, 0)), min(max(y, 0), max(screen_h - height, 0)))


def fit_on_monitors(x: int, y: int, width: int, height: int, monitors: Sequence[Rect]) -> Rect:
    """Move (and if needed shrink) a window onto the monitor it overlaps most, else the nearest."""
    def overlap(m: Rect) -> int:
        mx, my, mw, mh = m
        return (max(0, min(x + width, mx + mw) - max(x, mx))
                * max(0, min(y + height, my + mh) - max(y, my)))

    def distance(m: Rect) -> float:
        mx, my, mw, mh = m
        return float((mx + mw / 2 - x - width / 2) ** 2 + (my + mh / 2 - y - height / 2) ** 2)

    best = max(monitors, key=lambda m: (overlap(m), -distance(m)))
    mx, my, mw, mh = best
    width, height = min(width, mw), min(height, mh)
    cx, cy = clamp(x - mx, y - my, width, height, mw, mh)
    return mx + cx, my + cy, width, height
