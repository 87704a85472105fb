"""The translation worker: a thread that translates committed sentences as they arrive.

``submit()`` never blocks the speech pipeline.  Progress goes to ``on_update`` (called on the
worker thread; the app forwards it through a bounded queue to Tk): the text so far while tokens
stream, then ``done``; a failure reports its message and the line keeps its source text — the
next sentence tries again.  When the server falls behind, waiting sentences go out in one
batched request (:mod:`whispertrans_tray.core.translation_queue`).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from whispertrans_tray.core.translation_queue import (
    BATCH_INSTRUCTION,
    Job,
    TranslationQueue,
    split_batch,
)
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.errors import TranslationError
from whispertrans_tray.providers._prompt import Pair, choose_target
from whispertrans_tray.providers.translate_openai import OpenAITranslator
from whispertrans_tray.settings import TranslationSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TranslationUpdate:
    """Progress of the translation of sentence ``index``."""

    index: int
    text: str
    done: bool
    error: str = ""


class TranslationService:
    """Owns one translator and one worker thread."""

    def __init__(self, settings: TranslationSettings, api_key: str | None,
                 on_update: Callable[[TranslationUpdate], None],
                 ui_language: str = "zh-TW") -> None:
        self.settings = settings
        self.ui_language = ui_language
        self._translator = OpenAITranslator(settings, api_key)
        self._on_update = on_update
        self._queue = TranslationQueue(self._target_of)
        self._context: deque[Pair] = deque(maxlen=max(settings.context_sentences, 0))
        self._lock = threading.Condition()
        self._busy = False
        self._closed = False
        self._generation = 0
        self.failures = 0
        self._thread = threading.Thread(target=self._run, name="translation", daemon=True)
        self._thread.start()

    def _target_of(self, sentence: Sentence) -> str:
        return choose_target(sentence.language, self.settings.target_language,
                             self.settings.second_language)

    def submit(self, sentence: Sentence) -> None:
        with self._lock:
            self._queue.push(sentence)
            self._lock.notify_all()

    @property
    def waiting(self) -> int:
        with self._lock:
            return len(self._queue) + (1 if self._busy else 0)

    def drain(self, timeout: float) -> bool:
        """Wait until every submitted sentence is translated or failed."""
        with self._lock:
            return self._lock.wait_for(lambda: not self._busy and not len(self._queue),
                                       timeout)

    def cancel_pending(self) -> None:
        """Drop the waiting work (e.g. the target language changed); in-flight stops early."""
        with self._lock:
            self._generation += 1
            for sentence in self._queue.clear():
                self._on_update(TranslationUpdate(sentence.index, "", True, ""))
            self._lock.notify_all()

    def close(self, timeout: float = 1.0) -> None:
        with self._lock:
            self._closed = True
            self._generation += 1
            self._lock.notify_all()
        self._translator.close()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._closed or len(self._queue) > 0)
                if self._closed:
                    return
                job = self._queue.take()
                self._busy = True
                generation = self._generation
            try:
                if job is not None:
                    self._translate(job, generation)
            except Exception:  # a bug must not kill the worker: log it, keep going
                log.exception("Translation worker error")
            finally:
                with self._lock:
                    self._busy = False
                    self._lock.notify_all()

    def _translate(self, job: Job, generation: int) -> None:
        def cancelled() -> bool:
            return self._generation != generation

        first = job.sentences[0].index
        single = len(job.sentences) == 1

        def on_text(text: str) -> None:
            if single:
                self._on_update(TranslationUpdate(first, text, False))

        try:
            result = self._translator.translate(
                job.text, job.target, tuple(self._context), on_text, cancelled,
                "" if single else BATCH_INSTRUCTION)
        except TranslationError as exc:
            self.failures += 1
            message = exc.message(self.ui_language)
            log.warning("Translation of sentence %d failed: %s", first, exc.key)
            for sentence in job.sentences:
                self._on_update(TranslationUpdate(sentence.index, "", True, message))
            return
        if cancelled():
            return
        texts = [result.text] if single else split_batch(result.text, len(job.sentences))
        if texts is None:  # the model did not keep the numbering: translate one by one
            for sentence in job.sentences:
                self._translate(Job((sentence,), job.target), generation)
            return
        for sentence, text in zip(job.sentences, texts, strict=True):
            self._context.append(Pair(sentence.text, text))
            self._on_update(TranslationUpdate(sentence.index, text, True))
