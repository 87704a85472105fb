"""The one place each live path hands its lines to :class:`~whispertrans_tray.app.outputs.Outputs`.

The tray app (:meth:`App.emit` and the translation view's updates), ``listen`` (capture and
``--replay``) and ``transcribe --realtime`` (:class:`~whispertrans_tray.app.session.Session`)
each own one :class:`Publisher` over the run's outputs (built by ``__main__``):
recognizer events and translation updates become :class:`LineEvent`\\ s here and nowhere else.

* A partial carries the number its sentence will get (one more than the last sentence's).
* A sentence carries its own number, language and times.
* A translation carries its sentence's number and times, the target language's code, and
  ``done``; a late one (a sentence translated once a server was back) is a ``translation``
  event too; a failed one is a ``translation_failed`` event whose text is the short line the
  subtitles show (no URL, no exception text: the feed may be read by a room).
* Drafts (``translation.drafts``, a translation of the line still being spoken) are not
  published: they show on the tray's overlay only, and the feed, OBS and the live text file get
  the committed sentences and their final translations, as the history does.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from whispertrans_tray.app.outputs import LineEvent, Outputs
from whispertrans_tray.app.translation_service import TranslationUpdate
from whispertrans_tray.core.languages import choose_target, language_code
from whispertrans_tray.core.types import Event, Partial, Sentence, Speculative
from whispertrans_tray.settings import TranslationSettings

SPANS_KEPT = 1000
"""Sentences whose language and times are remembered for their (possibly late) translation."""


class Publisher:
    """Publishes a live path's lines to ``outputs``; ``translation`` gives the running
    translation settings (the target language of a translation event)."""

    def __init__(self, outputs: Outputs,
                 translation: Callable[[], TranslationSettings] = TranslationSettings) -> None:
        self.outputs = outputs
        self._translation = translation
        self._lock = threading.Lock()
        self._next = 0
        self._spans: OrderedDict[int, tuple[str, float, float]] = OrderedDict()

    def event(self, event: Event) -> None:
        """A recognizer event (any thread); a speculative final is no line (ignored)."""
        if isinstance(event, Speculative):
            return
        if isinstance(event, Partial):
            with self._lock:
                number = self._next
            self.outputs.publish(LineEvent("partial", number, event.text))
            return
        self._sentence(event)

    def _sentence(self, sentence: Sentence) -> None:
        with self._lock:
            self._next = max(self._next, sentence.index + 1)
            self._spans[sentence.index] = (sentence.language, round(sentence.start, 3),
                                           round(sentence.end, 3))
            while len(self._spans) > SPANS_KEPT:
                self._spans.popitem(last=False)
        self.outputs.publish(LineEvent("sentence", sentence.index, sentence.text,
                                       sentence.language, round(sentence.start, 3),
                                       round(sentence.end, 3)))

    def translation(self, update: TranslationUpdate) -> None:
        """A translation update (on a translation worker)."""
        with self._lock:
            spoken, start, end = self._spans.get(update.index, ("", 0.0, 0.0))
        if update.error:
            self.outputs.publish(LineEvent("translation_failed", update.index, update.brief,
                                           "", start, end))
            return
        settings = self._translation()
        target = choose_target(spoken, settings.target_language, settings.second_language)
        self.outputs.publish(LineEvent("translation", update.index, update.text,
                                       language_code(target), start, end, done=update.done))
