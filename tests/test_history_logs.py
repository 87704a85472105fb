import datetime as dt
import logging
import os
import threading
from pathlib import Path

from whispertrans_tray import logs
from whispertrans_tray.app import history
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.desktop.single_instance import SingleInstance


def test_session_survives_a_crash(tmp_path: Path) -> None:
    writer = history.SessionWriter(tmp_path, dt.datetime(2026, 1, 2, 3, 4, 5))
    writer.sentence(Sentence(0, 0.0, 1.5, "en", "Hello, how are you today?"))
    writer.translation(0, "你好，你今天好嗎？")
    writer.sentence(Sentence(1, 2.0, 3.0, "zh", "今天天氣很好。"))
    writer.translation(1, "", error="server down")
    # no close(): a crash; plus a torn last line
    with writer.path.open("a", encoding="utf-8") as handle:
        handle.write('{"type": "sentence", "ind')
    lines = history.load(writer.path)
    assert [(x.sentence.text, x.translation, x.status) for x in lines] == [
        ("Hello, how are you today?", "你好，你今天好嗎？", "done"),
        ("今天天氣很好。", "", "failed"),
    ]
    assert writer.path.name.startswith(f"session-20260102-030405-{os.getpid()}-")
    assert history.sessions(tmp_path) == [writer.path]


def test_api_keys_never_reach_the_log(tmp_path: Path) -> None:
    path = tmp_path / "app.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.addFilter(logs.RedactSecrets())
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logs.register_secret("my-vllm-secret")
    logger.info("key %s and header %s", "sk-abcdefghijklmnop", "Bearer my-vllm-secret")
    logger.info("configured key is %s", "my-vllm-secret")
    handler.close()
    text = path.read_text(encoding="utf-8")
    assert "sk-abcdefghijklmnop" not in text and "my-vllm-secret" not in text
    assert text.count(logs.MASK) == 3


def test_second_instance_asks_the_first_to_show(tmp_path: Path) -> None:
    shown = threading.Event()
    first = SingleInstance(tmp_path, shown.set)
    assert first.acquire()
    second = SingleInstance(tmp_path, lambda: None)
    assert not second.acquire()
    assert second.notify_first()
    assert shown.wait(30)
    first.release()
    third = SingleInstance(tmp_path, lambda: None)
    assert third.acquire()  # the lock is free again
    third.release()


def test_a_late_translation_replaces_the_failure_in_the_history(tmp_path: Path) -> None:
    writer = history.SessionWriter(tmp_path)
    writer.sentence(Sentence(0, 0.0, 1.0, "en", "Hello."))
    writer.sentence(Sentence(1, 1.0, 2.0, "en", "Again."))
    writer.translation(0, "", "Cannot connect … translated late, once a server is back.")
    writer.translation(1, "再一次。")
    writer.translation(0, "你好。", late=True)  # the server came back
    writer.close()
    lines = history.load(writer.path)
    assert [(x.translation, x.status, x.error, x.late) for x in lines] == [
        ("你好。", "done", "", True), ("再一次。", "done", "", False)]
