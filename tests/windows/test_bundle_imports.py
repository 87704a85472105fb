"""The Windows bundle's hidden imports (installer/hidden_imports.py) are all importable by the
Windows Python: the spec used to name pynput's win32 backends, and pynput is not installed on
Windows (PyInstaller: "ERROR: Hidden import 'pynput.keyboard._win32' not found")."""

from __future__ import annotations

import importlib.util
import sys

from tests.windows.conftest import CHECKOUT


def test_every_windows_hidden_import_is_found() -> None:
    sys.path.insert(0, str(CHECKOUT / "installer"))
    try:
        from hidden_imports import hidden_imports
    finally:
        sys.path.remove(str(CHECKOUT / "installer"))
    names = hidden_imports(windows=True)
    assert "keyboard" in names and not any(n.startswith("pynput") for n in names)
    missing = [name for name in names if importlib.util.find_spec(name) is None]
    assert not missing, missing
    assert importlib.util.find_spec("pynput") is None  # not a Windows dependency
