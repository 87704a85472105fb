"""The translation worker: a thread that translates committed sentences as they arrive.

``submit()`` never blocks the speech pipeline.  Progress goes to ``on_update`` (called on the
worker thread; the app forwards it through a bounded queue to Tk): the text so far while tokens
stream, then ``done``; a failure reports its message and the line keeps its source text — the
next sentence tries again.  When the server falls behind, waiting sentences go out in one
batched request (:mod:`whispertrans_tray.core.translation_queue`).

File mode::

    service = TranslationService(settings, OpenAITranslator(settings, key), on_update)
    for sentence in sentences:
        service.submit(sentence)
    service.drain(timeout)   # every submitted sentence translated or failed
    service.close()
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from whispertrans_tray.core.languages import choose_target
from whispertrans_tray.core.translation_queue import (
    BATCH_INSTRUCTION,
    Job,
    TranslationQueue,
    split_batch,
    split_partial,
)
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.errors import TranslationError
from whispertrans_tray.i18n import tr
from whispertrans_tray.providers.prompt import Pair
from whispertrans_tray.providers.translate_openai import Result
from whispertrans_tray.settings import TranslationSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TranslationUpdate:
    """Progress of the translation of sentence ``index``.

    Attributes:
        index: ``Sentence.index`` of the sentence.
        text: The translation so far (``done`` False) or the final one; empty on failure.
        done: No more updates follow for this sentence.
        error: Empty, or (with ``done``) why it failed, in the UI language: the cause and
            the fix, for the notification, the tray tooltip and the log.
        brief: With ``error``: one short line in the UI language for the subtitles' status
            line (no URL, no exception text).
    """

    index: int
    text: str
    done: bool
    error: str = ""
    brief: str = ""


class Translator(Protocol):
    """Translates one request at a time (``providers.translate_openai.OpenAITranslator``)."""

    def translate(self, sentence: str, target: str, context: Sequence[Pair] = (),
                  on_text: Callable[[str], None] | None = None,
                  cancelled: Callable[[], bool] = lambda: False,
                  instruction: str = "") -> Result: ...

    def close(self) -> None: ...


class TranslationService:
    """Owns one translator and one worker thread.

    Args:
        settings: Target language, context and glossary (the translator has the rest).
        translator: Sends the requests; closed with the service.
        on_update: Receives every :class:`TranslationUpdate`, on the worker thread.
        ui_language: Language of the error messages.
        max_batch: Most waiting sentences sent in one request when the server falls behind.
        capacity: Most sentences waiting; beyond it the oldest fail as "fell behind".
    """

    def __init__(self, settings: TranslationSettings, translator: Translator,
                 on_update: Callable[[TranslationUpdate], None],
                 ui_language: str = "zh-TW", max_batch: int = 4, capacity: int = 32) -> None:
        self.settings = settings
        self.ui_language = ui_language
        self._translator = translator
        self._on_update = on_update
        self._queue = TranslationQueue(self._target_of, max_batch=max_batch,
                                       capacity=capacity)
        self._context: deque[Pair] = deque(maxlen=max(settings.context_sentences, 0))
        self._lock = threading.Condition()
        self._busy = False
        self._closed = False
        self.failures = 0
        self._thread = threading.Thread(target=self._run, name="translation", daemon=True)
        self._thread.start()

    def _target_of(self, sentence: Sentence) -> str:
        return choose_target(sentence.language, self.settings.target_language,
                             self.settings.second_language)

    def submit(self, sentence: Sentence) -> None:
        """Queue a committed sentence; never blocks on the network."""
        with self._lock:
            if self._closed:
                return
            overflow = self._queue.push(sentence)
            self._lock.notify_all()
        for lost in overflow:
            self.failures += 1
            log.warning("Translation fell behind; sentence %d keeps its source text", lost.index)
            self._on_update(TranslationUpdate(
                lost.index, "", True, tr("translate.fell_behind", self.ui_language),
                tr("translate.brief.fell_behind", self.ui_language)))

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
        """Supersede the work (e.g. the session was cleared): waiting sentences end without a
        translation and the request in flight is cancelled and its result dropped."""
        with self._lock:
            dropped = self._queue.supersede()
            self._lock.notify_all()
        for sentence in dropped:
            self._on_update(TranslationUpdate(sentence.index, "", True, ""))

    def close(self, timeout: float = 1.0) -> None:
        """Stop the worker; a request in flight is cancelled.  Call :meth:`drain` first to
        wait for the pending translations."""
        with self._lock:
            self._closed = True
            self._queue.supersede()
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
            try:
                if job is not None:
                    self._translate(job)
            except Exception:  # a bug must not kill the worker: log it, keep going
                log.exception("Translation worker error")
            finally:
                with self._lock:
                    self._busy = False
                    self._lock.notify_all()

    def _current(self, job: Job) -> bool:
        with self._lock:
            return self._queue.is_current(job)

    def _translate(self, job: Job) -> None:
        def cancelled() -> bool:
            return not self._current(job)

        first = job.sentences[0].index

        def on_text(text: str) -> None:
            if not job.batched:
                self._on_update(TranslationUpdate(first, text, False))
                return
            for number, line in split_partial(text, len(job.sentences)).items():
                if line:
                    self._on_update(TranslationUpdate(job.sentences[number - 1].index, line,
                                                      False))

        try:
            result = self._translator.translate(
                job.text, job.target, tuple(self._context), on_text, cancelled,
                BATCH_INSTRUCTION if job.batched else "")
        except TranslationError as exc:
            if cancelled():
                self._end_without_translation(job)
                return
            self.failures += 1
            message, brief = exc.message(self.ui_language), exc.brief(self.ui_language)
            log.warning("Translation of sentence %d failed: %s", first, exc.message("en"))
            for sentence in job.sentences:
                self._on_update(TranslationUpdate(sentence.index, "", True, message, brief))
            return
        if result.cancelled or cancelled():
            self._end_without_translation(job)
            return
        texts = split_batch(result.text, len(job.sentences)) if job.batched else [result.text]
        if texts is None:  # the model did not keep the numbering: translate one by one
            log.info("Batch answer without numbering; translating %d sentences one by one",
                     len(job.sentences))
            for sentence in job.sentences:
                self._translate(Job((sentence,), job.target, job.generation))
            return
        for sentence, text in zip(job.sentences, texts, strict=True):
            self._context.append(Pair(sentence.text, text))
            self._on_update(TranslationUpdate(sentence.index, text, True))

    def _end_without_translation(self, job: Job) -> None:
        """A superseded job: its lines keep the source text, with no error."""
        for sentence in job.sentences:
            self._on_update(TranslationUpdate(sentence.index, "", True))
