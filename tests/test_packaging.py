"""The sdist and wheel built from this checkout (``python -m build``: the wheel is built from
the sdist), installed with pip into a fresh venv, run from there."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
import srt

from tests.conftest import DATA
from whispertrans_tray import __version__
from whispertrans_tray.providers import model_store

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DATA = ("whispertrans_tray/desktop/settings_window/web/settings.html",
                "whispertrans_tray/py.typed",
                "whispertrans_tray/providers/data/test_clip.wav",
                "whispertrans_tray/feed/web/reader.html",
                "whispertrans_tray/feed/web/overlay.html")
BUILT_ASSETS = {"whispertrans_tray/assets/icon.png": "assets/icon.png"}
"""In the wheel: built from the top-level assets/ (setup.py), which the sdist carries."""


@pytest.fixture(scope="session")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The wheel, the sdist, and what the build printed (once per session)."""
    out = tmp_path_factory.mktemp("dists")
    built = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
                           capture_output=True, text=True, timeout=900, check=False)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return (next(out.glob("*.whl")), next(out.glob("*.tar.gz")),
            built.stdout + built.stderr)


def test_wheel_and_sdist_carry_the_page_the_icons_and_the_licence(
        dists: tuple[Path, Path, str]) -> None:
    wheel, sdist, log = dists
    assert "Deprecat" not in log, "setuptools warns about the metadata"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = f"whispertrans_tray-{__version__}.dist-info"
        metadata = archive.read(f"{info}/METADATA").decode("utf-8")
        entry_points = archive.read(f"{info}/entry_points.txt").decode("utf-8")
    assert {*PACKAGE_DATA, *BUILT_ASSETS} <= names
    assert not any(n.startswith("assets/") for n in names)
    assert f"{info}/licenses/LICENSE" in names
    assert not any(n.startswith(("tests/", "benchmarks/", "installer/")) for n in names)
    assert "License-Expression: MIT" in metadata
    requires = [line.removeprefix("Requires-Dist: ") for line in metadata.splitlines()
                if line.startswith("Requires-Dist: ")]
    # the platform-only dependencies only where they are used
    assert 'keyboard>=0.13; sys_platform == "win32"' in requires
    assert 'pynput>=1.7; sys_platform != "win32"' in requires
    assert 'PyGObject<3.51; sys_platform == "linux"' in requires
    # the bundled Whisper base comes with the app, not at run time
    assert {f"{p.split('==')[0]}=={p.split('==')[1]}" for p in model_store.PACKAGES} <= set(
        requires)
    assert "whispertrans-tray = whispertrans_tray.__main__:main" in entry_points
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {*PACKAGE_DATA, *BUILT_ASSETS.values(), "assets/icon.ico", "LICENSE", "README.md",
            "pyproject.toml", "setup.py"} <= members
    assert not any(m.startswith("whispertrans_tray/assets/") for m in members), \
        "the icons' one home is assets/"
    with zipfile.ZipFile(wheel) as archive:
        for built, source in BUILT_ASSETS.items():
            assert archive.read(built) == (ROOT / source).read_bytes()


def test_the_artwork_is_what_the_drawing_makes(tmp_path: Path) -> None:
    """assets/ holds what scripts/make_icons.py draws, in every size: a drawing changed
    without running it fails here."""
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_icons.py"), "--out",
                           str(tmp_path)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    drawn = sorted(p.name for p in tmp_path.iterdir())
    assert {"icon.png", "icon.ico", "icon-16.png", "icon-128.png", "tray-idle.png"} <= set(drawn)
    for name in drawn:
        assert (tmp_path / name).read_bytes() == (ROOT / "assets" / name).read_bytes(), name


def test_the_wheel_installs_into_a_fresh_venv_and_transcribes(
        dists: tuple[Path, Path, str], tmp_path: Path) -> None:
    wheel = dists[0]
    venv = tmp_path / "venv"
    # Away from this checkout (no PYTHONPATH, another folder): pip must not take the source
    # tree, or the egg-info the build left in it, for an installed copy.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120,
                   env=env, cwd=tmp_path)
    start = time.monotonic()
    installed = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                                str(wheel)], capture_output=True, text=True, timeout=1200,
                               check=False, env=env, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr[-3000:]
    print(f"pip install of the wheel with its dependencies: {time.monotonic() - start:.0f} s")
    app = venv / "bin" / "whispertrans-tray"
    env |= {"WHISPERTRANS_CACHE_DIR": str(tmp_path / "cache"),
            "XDG_DATA_HOME": str(tmp_path / "share"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(app), "--ui-language", "en", *args], capture_output=True,
                              text=True, timeout=600, check=False, env=env, cwd=tmp_path)

    version = run("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"whispertrans-tray {__version__}"
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import whispertrans_tray.desktop.settings_window as w; "
                            "print(w.__file__); print(w.PAGE.is_file())"],
                           capture_output=True, text=True, env=env, cwd=tmp_path, check=True)
    assert where.stdout.split() == [
        str(venv / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
            / "site-packages" / "whispertrans_tray" / "desktop" / "settings_window"
            / "__init__.py"),
        "True"]
    out = tmp_path / "jfk.srt"
    done = run("transcribe", str(DATA / "jfk.flac"), "-o", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    said = " ".join(line.content for line in srt.parse(out.read_text("utf-8"))).lower()
    assert "fellow americans" in said and "what your country can do for you" in said
    # the bundled base was joined from the two packages pip installed
    joined = tmp_path / "cache" / "whisper-base-ct2" / "model.bin"
    assert joined.stat().st_size == model_store.MODEL_SIZE
    menu = run("install-desktop")
    assert menu.returncode == 0, menu.stderr
    icon = tmp_path / "share" / "icons" / "hicolor" / "256x256" / "apps" / "whispertrans-tray.png"
    assert icon.read_bytes() == (ROOT / "assets" / "icon.png").read_bytes()
