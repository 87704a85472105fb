"""The live paths' lines as line events (app/publisher.py): numbers, languages, failures."""

from __future__ import annotations

import threading

from whispertrans_tray.app.outputs import LineEvent, Outputs
from whispertrans_tray.app.publisher import Publisher
from whispertrans_tray.app.translation_service import TranslationUpdate
from whispertrans_tray.core.types import Partial, Sentence
from whispertrans_tray.settings import TranslationSettings


class Collect:
    def __init__(self) -> None:
        self.events: list[LineEvent] = []
        self._lock = threading.Lock()

    def publish(self, event: LineEvent) -> None:
        with self._lock:
            self.events.append(event)

    def close(self) -> None:
        pass


def test_partials_carry_the_number_their_sentence_gets_and_translations_the_target() -> None:
    sink = Collect()
    settings = TranslationSettings(target_language="繁體中文", second_language="English")
    publisher = Publisher(Outputs([sink]), lambda: settings)
    publisher.event(Partial("ask not"))
    publisher.event(Sentence(0, 1.0, 2.5, "en", "Ask not."))
    publisher.event(Partial("what your"))
    publisher.translation(TranslationUpdate(0, "不要", done=False))
    publisher.translation(TranslationUpdate(0, "不要問。", done=True))
    publisher.event(Sentence(1, 3.0, 4.0, "zh", "國家。"))
    publisher.translation(TranslationUpdate(1, "", done=True, error="Server down at http://x",
                                            brief="翻譯失敗"))
    publisher.translation(TranslationUpdate(1, "The country.", done=True, late=True))
    assert sink.events == [
        LineEvent("partial", 0, "ask not"),
        LineEvent("sentence", 0, "Ask not.", "en", 1.0, 2.5),
        LineEvent("partial", 1, "what your"),
        LineEvent("translation", 0, "不要", "zh", 1.0, 2.5, done=False),
        LineEvent("translation", 0, "不要問。", "zh", 1.0, 2.5),
        LineEvent("sentence", 1, "國家。", "zh", 3.0, 4.0),
        # the short line only: a room may read the feed, the URL stays in the app
        LineEvent("translation_failed", 1, "翻譯失敗", "", 3.0, 4.0),
        # a sentence already in the target language goes to the second language
        LineEvent("translation", 1, "The country.", "en", 3.0, 4.0),
    ]
