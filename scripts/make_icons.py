"""Write the app and tray icons to whispertrans_tray/assets/ (icon.png, icon.ico, tray-*.png).

Run ``python scripts/make_icons.py`` after changing the drawing in
``whispertrans_tray/desktop/icons.py``; the results are committed for packaging.
"""

from __future__ import annotations

from pathlib import Path

from whispertrans_tray.desktop.icons import BRAND, STATES, draw

ASSETS = Path(__file__).resolve().parent.parent / "whispertrans_tray" / "assets"


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
