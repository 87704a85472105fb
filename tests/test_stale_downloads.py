"""A killed model download leaves huggingface_hub's hidden ``.incomplete`` file in the cache; it
is removed at the next start (a download still running is left alone).  Real files."""

from __future__ import annotations

import os
import time
from pathlib import Path

from whispertrans_tray.providers import model_manager


def test_partial_files_of_killed_downloads_are_removed_at_start(tmp_path: Path) -> None:
    blobs = tmp_path / ("models--" + model_manager.repo_id("tiny").replace("/", "--")) / "blobs"
    blobs.mkdir(parents=True)
    killed, running, done = (blobs / "a1.incomplete", blobs / "b2.incomplete", blobs / "c3")
    for path in (killed, running, done):
        path.write_bytes(b"\0" * 1000)
    hour_ago = time.time() - 3600
    os.utime(killed, (hour_ago, hour_ago))
    os.utime(done, (hour_ago, hour_ago))
    assert model_manager.clean_stale_downloads(tmp_path) == (killed,)
    assert not killed.exists() and running.exists() and done.exists()
