"""Windows programs under Wine, from the Linux test run: the prefix of scripts/wine-env.sh and
programs run in it through scripts/wine-run.sh (real Wine, the Windows CPython, the app's
win_amd64 dependencies; the README's "What is tested where" lists what Wine cannot show)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path, PureWindowsPath

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "scripts" / "wine-run.sh"
# no Mono/Gecko prompts, no winedbg, and no menu entries on the Linux desktop for what is
# installed into a test prefix
DLL_OVERRIDES = "mscoree=;mshtml=;winedbg.exe=d;winemenubuilder.exe=d"


def default_prefix() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return Path(os.environ.get("WT_WINEPREFIX", cache / "whispertrans-tray" / "wine"))


def windows_path(path: Path) -> str:
    """A Linux path as the Windows programs see it (Wine's Z: drive is /)."""
    return str(PureWindowsPath("Z:\\", *path.resolve().parts[1:]))


def env(prefix: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "WINEPREFIX": str(prefix), "WINEDLLOVERRIDES": DLL_OVERRIDES,
            **(extra or {})}


def run(prefix: Path, *args: str, timeout: float = 600,
        extra: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``args`` run in ``prefix`` through scripts/wine-run.sh, to the end."""
    return subprocess.run([str(RUN), *args], capture_output=True, text=True, timeout=timeout,
                          env=env(prefix, extra), check=False)


def start(prefix: Path, *args: str, extra: Mapping[str, str] | None = None) \
        -> subprocess.Popen[str]:
    """``args`` started in ``prefix``; stdout and stderr piped, as text."""
    return subprocess.Popen([str(RUN), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env(prefix, extra))


@pytest.fixture(scope="session")
def wine_python() -> Path:
    """The prefix with the Windows CPython and the app (scripts/wine-env.sh: quick when
    nothing changed)."""
    made = subprocess.run(["bash", str(ROOT / "scripts" / "wine-env.sh")], capture_output=True,
                          text=True, timeout=3600, check=False)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    return default_prefix()
