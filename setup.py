"""The one build step pyproject.toml cannot say: the artwork's home is assets/ at the top of
the checkout, and the wheel carries the part of it the app uses at run time, copied into the
package (whispertrans_tray/assets/) when the wheel is built, never kept there by hand.
Everything else about the build is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RUNTIME_ASSETS = ("icon.png",)
"""What the app opens at run time (desktop/icons.py ``asset``): the launcher icon of the
Linux menu entry. (The Windows .exe and installer take icon.ico from assets/ when built.)"""


class BuildPyWithAssets(build_py):  # type: ignore[misc]
    def run(self) -> None:
        super().run()
        source = Path(__file__).resolve().parent / "assets"
        target = Path(self.build_lib) / "whispertrans_tray" / "assets"
        target.mkdir(parents=True, exist_ok=True)
        for name in RUNTIME_ASSETS:
            shutil.copyfile(source / name, target / name)


setup(cmdclass={"build_py": BuildPyWithAssets})
