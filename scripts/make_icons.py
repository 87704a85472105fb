"""Write the app and tray icons to assets/ (the artwork's home at the top of the checkout).

    python scripts/make_icons.py [--out assets]

writes ``icon.png`` (256 px, the app's launcher icon), ``icon-16.png`` … ``icon-128.png`` (every
size a desktop asks for), ``icon.ico`` (all of them, for the Windows bundle and installer) and
``tray-*.png`` (the tray's states). Run it after changing the drawing in
``whispertrans_tray/desktop/icons.py``; the results are committed, and tests/test_packaging.py
checks that they are what the drawing makes. The wheel carries the ones the app needs at run
time (setup.py copies them into the package when it builds).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from whispertrans_tray.desktop.icons import BRAND, STATES, draw  # noqa: E402

SIZES = (16, 24, 32, 48, 64, 128, 256)


def write(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    icon = draw(256, BRAND)
    icon.save(out / "icon.png")
    for size in SIZES[:-1]:
        draw(size, BRAND).save(out / f"icon-{size}.png")
    icon.save(out / "icon.ico", sizes=[(size, size) for size in SIZES])
    for state, colour in STATES.items():
        draw(64, colour).save(out / f"tray-{state}.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "assets")
    write(parser.parse_args().out)


if __name__ == "__main__":
    main()
