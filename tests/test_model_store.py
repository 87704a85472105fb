import hashlib
from pathlib import Path

from whispertrans_tray.providers import model_store


def test_join_verifies_and_is_reused(tmp_path: Path) -> None:
    folder = model_store.bundled_base(tmp_path)
    model = folder / "model.bin"
    assert model.stat().st_size == model_store.MODEL_SIZE
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    assert digest == model_store.MODEL_SHA256
    assert {p.name for p in folder.iterdir()} >= {"model.bin", "config.json", "tokenizer.json",
                                                  "vocabulary.txt"}
    mtime = model.stat().st_mtime_ns
    assert model_store.bundled_base(tmp_path) == folder
    assert model.stat().st_mtime_ns == mtime  # not joined again


def test_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    folder = model_store.bundled_base(tmp_path)
    (folder / "model.bin").write_bytes(b"truncated")
    model_store.bundled_base(tmp_path)
    assert (folder / "model.bin").stat().st_size == model_store.MODEL_SIZE
    assert not list(folder.glob("*.tmp"))
