"""The translation workers: threads that translate committed sentences as they arrive.

``submit()`` never blocks the speech pipeline.  Progress goes to ``on_update`` (called on a
worker thread; the app forwards it through a bounded queue to Tk): the text so far while tokens
stream, then ``done``; a failure reports its message and the line keeps its source text.

* **Several in flight.**  ``settings.max_in_flight`` workers send requests at once (a vLLM
  server batches them); the finished ones are released in spoken order
  (:class:`~whispertrans_tray.core.translation_queue.InOrder`), so the subtitles, the history
  and the context never go back in time.  When the server falls behind, waiting sentences go
  out in one batched request (:mod:`whispertrans_tray.core.translation_queue`).
* **Failover.**  There is one translator per endpoint of the ordered list
  (:func:`whispertrans_tray.settings.endpoints`); a failed request goes on to the next endpoint
  that is up, and health checks bring a recovered endpoint back
  (:mod:`whispertrans_tray.app.failover`).  ``on_status`` hears each switch.
* **At the dip.**  With ``settings.at_dip``, :meth:`TranslationService.speculate` sends the
  speculative final at once, before its sentence commits; the sentence adopts the request when
  its text is the same (:mod:`whispertrans_tray.app.dip_translation`).  ``counts`` keeps the
  requests and tokens of both kinds.
* **Drafts.**  With ``settings.drafts``, :meth:`TranslationService.draft` translates the open
  line once steady (the same way, adopted the same way); an answer nobody adopted goes to
  ``on_draft`` (the index its sentence will get, the text) for the dim draft line.
* **When.**  Each final update carries ``first_token_at`` and ``translated_at``: the source's
  clock (``clock``, like ``Sentence.committed_at``) when the first text and the final text were
  handed on.
* **Late retries.**  A sentence that failed on every endpoint is shown failed (with the cause
  and that it will be retried) and queued again; once a server is back and nothing newer is
  waiting, it is translated and its update comes with ``late`` set (in order among the late
  ones).

File mode::

    service = TranslationService(settings, [OpenAITranslator(settings, key)], on_update)
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

from whispertrans_tray.app.dip_service import AtDipParts
from whispertrans_tray.app.dip_translation import AtDip
from whispertrans_tray.app.failover import Failover, Translator
from whispertrans_tray.app.translation_update import TranslationUpdate
from whispertrans_tray.core.languages import choose_target
from whispertrans_tray.core.translation_queue import (
    BATCH_INSTRUCTION,
    InOrder,
    Job,
    TranslationQueue,
    split_batch,
    split_partial,
)
from whispertrans_tray.core.types import Sentence
from whispertrans_tray.errors import TranslationError
from whispertrans_tray.i18n import tr
from whispertrans_tray.providers.prompt import Pair
from whispertrans_tray.settings import TranslationSettings, endpoints

log = logging.getLogger(__name__)

LATE_TRIES = 5  # a sentence that failed is retried at most this often once a server is back
LATE_CAPACITY = 500  # most failed sentences kept for a late retry

__all__ = ["TranslationService", "TranslationUpdate", "Translator"]


class TranslationService(AtDipParts):
    """Owns the translators (one per endpoint) and the worker threads.

    Args:
        settings: Target language, context, glossary, ``max_in_flight`` (the translators have
            the rest).
        translators: One per endpoint, in order of preference (or a single translator); they
            must allow concurrent requests (``OpenAITranslator`` does); closed with the service.
        on_update: Receives every :class:`TranslationUpdate`, on a worker thread.
        ui_language: Language of the error messages.
        max_batch: Most waiting sentences sent in one request when the server falls behind.
        capacity: Most sentences waiting; beyond it the oldest fail as "fell behind".
        on_status: Hears when the active endpoint changes: a short line for the subtitles and
            the whole message (UI language).
        labels: The endpoints' names for those messages (default: from ``settings``).
        clock: The source's clock (seconds since the stream began; None before a stream),
            for ``first_token_at`` and ``translated_at``.
        on_draft: Receives each draft translation of the open line (``settings.drafts``):
            the index its sentence will get and the text, on a worker thread.
    """

    def __init__(self, settings: TranslationSettings,
                 translators: Translator | Sequence[Translator],
                 on_update: Callable[[TranslationUpdate], None],
                 ui_language: str = "zh-TW", max_batch: int = 4, capacity: int = 32,
                 on_status: Callable[[str, str], None] = lambda brief, message: None,
                 labels: Sequence[str] = (),
                 clock: Callable[[], float | None] = lambda: None,
                 on_draft: Callable[[int, str], None] = lambda index, text: None) -> None:
        self.settings = settings
        self.ui_language = ui_language
        chain = list(translators) if isinstance(translators, Sequence) else [translators]
        labels = list(labels) or [e.label for e in endpoints(settings)]
        labels += [f"#{n + 1}" for n in range(len(labels), len(chain))]
        self._on_update = on_update
        self.on_draft = on_draft
        """Receives the drafts (may be set after construction)."""
        self._clock = clock
        self._first: dict[int, float | None] = {}  # index -> first text handed on (clock)
        self._lock = threading.Condition()
        # Lock order: _lock, then _emit, then _ctx; never the other way round.
        self._emit = threading.RLock()  # releases happen in order, one worker at a time
        self._ctx = threading.Lock()  # the context pairs and the late tries
        self.failover = Failover(chain, labels[:len(chain)], self._lock, ui_language,
                                 on_status)
        self._queue = TranslationQueue(self._target_of, max_batch=max_batch, capacity=capacity)
        self._late = TranslationQueue(self._target_of, max_batch=max_batch,
                                      capacity=LATE_CAPACITY)
        self._order: InOrder[TranslationUpdate] = InOrder()
        self._late_order: InOrder[TranslationUpdate | None] = InOrder()
        self._tries: dict[int, int] = {}  # id(sentence) -> late tries so far
        self._retry: set[int] = set()  # id(sentence): failed, to be retried once released
        self._to_late: list[Sentence] = []  # released for a retry, not yet in the late queue
        self._context: deque[Pair] = deque(maxlen=max(settings.context_sentences, 0))
        self._in_flight = 0
        self._next_index = 0
        self._spoken = ""
        self._line_began = (-1, 0.0)
        self._closed = False
        self.failures = 0
        self._threads = [threading.Thread(target=self._run, name=f"translation-{n}",
                                          daemon=True)
                         for n in range(max(settings.max_in_flight, 1))]
        self._dip = AtDip(self._lock, self._translate_guess, self._settle, self._stream,
                          lambda: self._closed, lambda index, text: self.on_draft(index, text))
        for thread in self._threads:
            thread.start()
        self._dip.start()
        self.failover.start(lambda: self._closed)

    def _target_of(self, sentence: Sentence) -> str:
        return choose_target(sentence.language, self.settings.target_language,
                             self.settings.second_language)

    @property
    def active_endpoint(self) -> str:
        """The name of the endpoint in use, or "" when none is up."""
        return self.failover.active_label()

    def submit(self, sentence: Sentence) -> None:
        """Queue a committed sentence; never blocks on the network."""
        with self._lock:
            if self._closed:
                return
            with self._emit:
                self._order.expect(sentence)
            self._next_index, self._spoken = sentence.index + 1, sentence.language
            guess = self._dip.adopt(sentence, self._target_of(sentence))
            overflow: list[Sentence] = []
            if guess is None:
                overflow = self._queue.push(sentence)
            else:
                self._in_flight += 1  # on the dip's thread, or already done
                finished, text = guess.finished, guess.text
            self._lock.notify_all()
        if guess is not None:
            if finished:
                self._dip.settle(guess)
            elif text:
                self._stream(sentence, text)
        for lost in overflow:
            self.failures += 1
            log.warning("Translation fell behind; sentence %d keeps its source text", lost.index)
            self._release(lost, TranslationUpdate(
                lost.index, "", True, tr("translate.fell_behind", self.ui_language),
                brief=tr("translate.brief.fell_behind", self.ui_language)), False)

    @property
    def waiting(self) -> int:
        with self._lock:
            return len(self._queue) + self._in_flight

    @property
    def late_waiting(self) -> int:
        """Failed sentences waiting for a late retry."""
        with self._lock:
            return len(self._late)

    def drain(self, timeout: float, late: bool = False) -> bool:
        """Wait until every submitted sentence is translated or failed; with ``late``, also
        for the late retries as long as some endpoint is up (with every one down they wait
        for a server that may never come back: then this returns without them)."""
        with self._lock:
            return self._lock.wait_for(
                lambda: not self._in_flight and not len(self._queue)
                and not (late and len(self._late) and self.failover.any_up()), timeout)

    def cancel_pending(self) -> None:
        """Supersede the work (e.g. the session was cleared): waiting sentences end without a
        translation, late retries are dropped, the requests in flight are cancelled."""
        with self._lock:
            dropped = self._queue.supersede()
            late = self._late.supersede()
            self._dip.cancel_all()
            self._next_index = 0
            self._lock.notify_all()
        for sentence in dropped:
            self._release(sentence, TranslationUpdate(sentence.index, "", True), False)
        for sentence in late:
            self._release(sentence, None, True)

    def close(self, timeout: float = 1.0) -> None:
        """Stop the workers; requests in flight are cancelled.  Call :meth:`drain` first to
        wait for the pending translations."""
        with self._lock:
            self._closed = True
            self._queue.supersede()
            self._late.supersede()
            self._dip.close()
            self._lock.notify_all()
        self.failover.close()
        for thread in self._threads:
            thread.join(timeout / len(self._threads))

    # -- the workers ----------------------------------------------------------------------
    def _next_job(self) -> tuple[Job, bool] | None:
        """With the lock held: the next job and whether it is a late retry."""
        job = self._queue.take()
        if job is not None:
            return job, False
        if self.failover.any_up():
            job = self._late.take()
            if job is not None:
                return job, True
        return None

    def _ready(self) -> bool:
        return (self._closed or len(self._queue) > 0
                or (len(self._late) > 0 and self.failover.any_up()))

    def _run(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(self._ready)
                if self._closed:
                    return
                taken = self._next_job()
                if taken is None:
                    continue
                self._in_flight += 1
            try:
                self._translate(*taken)
            except Exception:  # a bug must not kill the worker: log it, keep going
                log.exception("Translation worker error")
                self._abandon(*taken)
            finally:
                with self._lock:
                    self._in_flight -= 1
                    self._lock.notify_all()

    def _current(self, job: Job, late: bool) -> bool:
        with self._lock:
            return (self._late if late else self._queue).is_current(job)

    def _translate(self, job: Job, late: bool) -> None:
        def cancelled() -> bool:
            return not self._current(job, late)

        def on_text(text: str) -> None:
            if late:  # a late line is filled in when done, not token by token
                return
            with self._emit:
                if not self._order.is_head(job.sentences[0]):
                    return  # an earlier sentence is still being translated: wait for it
                if not job.batched:
                    self._hand_on(TranslationUpdate(job.sentences[0].index, text, False))
                    return
                for number, line in split_partial(text, len(job.sentences)).items():
                    if line:
                        self._hand_on(TranslationUpdate(
                            job.sentences[number - 1].index, line, False))

        with self._ctx:
            context = tuple(self._context)
        try:
            result = self.failover.translate(
                job.text, job.target, context, on_text, cancelled,
                BATCH_INSTRUCTION if job.batched else "")
        except TranslationError as exc:
            with self._lock:
                self._dip.counts.requests += 1
            if cancelled():
                self._end_without_translation(job, late)
            else:
                self._failed(job, late, exc)
            return
        with self._lock:
            self._dip.counts.requests += 1
            self._dip.counts.tokens += result.chunks
        if result.cancelled or cancelled():
            self._end_without_translation(job, late)
            return
        texts = split_batch(result.text, len(job.sentences)) if job.batched else [result.text]
        if texts is None:  # the model did not keep the numbering: translate one by one
            log.info("Batch answer without numbering; translating %d sentences one by one",
                     len(job.sentences))
            for sentence in job.sentences:
                self._translate(Job((sentence,), job.target, job.generation), late)
            return
        for sentence, text in zip(job.sentences, texts, strict=True):
            if late:
                log.info("Late translation of sentence %d", sentence.index)
            self._release(sentence, TranslationUpdate(sentence.index, text, True, late=late),
                          late)

    def _failed(self, job: Job, late: bool, exc: TranslationError) -> None:
        """Every endpoint failed: show why (the first time) and keep it for a late retry."""
        first = job.sentences[0].index
        log.warning("Translation of sentence %d failed: %s", first, exc.message("en"))
        if not late:
            self.failures += 1
        message = exc.message(self.ui_language)
        with self._ctx:
            for sentence in job.sentences:
                tries = self._tries.pop(id(sentence), 0)
                if tries < LATE_TRIES and not self._closed:
                    self._tries[id(sentence)] = tries + 1
                    self._retry.add(id(sentence))
            retry = any(id(sentence) in self._retry for sentence in job.sentences)
        if retry:
            message = f"{message} {tr('translate.will_retry', self.ui_language)}"
        for sentence in job.sentences:
            self._release(sentence, None if late else TranslationUpdate(
                sentence.index, "", True, message, brief=exc.brief(self.ui_language)), late)

    def _abandon(self, job: Job, late: bool) -> None:
        """After a worker error: the job's sentences not yet released end without a
        translation, so the ones after them are not held (and kept) for ever."""
        order = self._late_order if late else self._order
        for sentence in job.sentences:
            with self._emit:
                unfinished = order.unfinished(sentence)
            if not unfinished:
                continue
            try:
                self._release(sentence, None if late else TranslationUpdate(
                    sentence.index, "", True), late)
            except Exception:
                log.exception("Translation worker error")

    def _end_without_translation(self, job: Job, late: bool) -> None:
        """A superseded job: its lines keep the source text, with no error."""
        for sentence in job.sentences:
            self._release(sentence, None if late else TranslationUpdate(
                sentence.index, "", True), late)

    def _release(self, sentence: Sentence, update: TranslationUpdate | None,
                 late: bool) -> None:
        """Hand ``update`` on once every sentence before ``sentence`` has been handed on.

        A failed sentence to be retried joins the late queue here, as it is released: so the
        late retries keep the spoken order too.
        """
        with self._emit:
            if late:
                due: list[tuple[Sentence, TranslationUpdate | None]] = list(
                    self._late_order.finish(sentence, update))
            else:
                due = list(self._order.finish(sentence, update))  # type: ignore[arg-type]
            for done, ready in due:
                with self._ctx:
                    if id(done) in self._retry:
                        self._retry.discard(id(done))
                        self._late_order.expect(done)
                        self._to_late.append(done)
                    elif ready is not None and ready.text and not ready.error:
                        self._tries.pop(id(done), None)
                        if not ready.late:
                            self._context.append(Pair(done.text, ready.text))
                if ready is not None:
                    self._hand_on(ready)
        self._queue_late()

    def _queue_late(self) -> None:
        """Move the sentences released for a late retry into the late queue, in order."""
        given_up: list[Sentence] = []
        with self._lock:
            with self._ctx:
                moving, self._to_late = self._to_late, []
            for sentence in moving:
                given_up += self._late.push(sentence)
            if moving:
                self._lock.notify_all()
        for lost in given_up:  # its line keeps the failure it already shows
            log.warning("Too many failed sentences; %d is not retried", lost.index)
            self._release(lost, None, True)
