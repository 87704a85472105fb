"""The translation service's part for translation at the dip and the time stamps.

:class:`AtDipParts` is mixed into :class:`~whispertrans_tray.app.translation_service.
TranslationService`: :meth:`AtDipParts.speculate` hands a speculative final to the
:class:`~whispertrans_tray.app.dip_translation.AtDip` thread (not while sentences wait for a
worker), an adopted guess's text streams to its sentence and its answer is released in order
(or the sentence goes the usual way), and :meth:`AtDipParts._hand_on` stamps each final
update with ``first_token_at`` and ``translated_at`` by the stream's clock.
:meth:`AtDipParts.draft` hands the open line on the same way as a draft
(``translation.drafts``), sent when :func:`~whispertrans_tray.core.drafts.draft_due` says.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import deque
from collections.abc import Callable

from whispertrans_tray.app.dip_translation import AtDip, Counts, Guess
from whispertrans_tray.app.failover import Failover
from whispertrans_tray.app.translation_update import TranslationUpdate
from whispertrans_tray.core.drafts import draft_due
from whispertrans_tray.core.languages import choose_target
from whispertrans_tray.core.translation_queue import InOrder, TranslationQueue
from whispertrans_tray.core.types import Partial, Sentence, Speculative
from whispertrans_tray.providers.prompt import Pair
from whispertrans_tray.providers.translate_openai import Result
from whispertrans_tray.settings import TranslationSettings


class AtDipParts:
    """What :class:`TranslationService` adds for translation at the dip (its state is the
    service's, set in its constructor)."""

    settings: TranslationSettings
    failover: Failover
    _lock: threading.Condition
    _emit: threading.RLock
    _ctx: threading.Lock
    _closed: bool
    _in_flight: int
    _queue: TranslationQueue
    _order: InOrder[TranslationUpdate]
    _context: deque[Pair]
    _dip: AtDip
    _clock: Callable[[], float | None]
    _first: dict[int, float | None]
    _on_update: Callable[[TranslationUpdate], None]
    _release: Callable[[Sentence, TranslationUpdate | None, bool], None]  # releases in order
    _next_index: int  # the index the open line will commit as
    _spoken: str  # the language of the last sentence or forecast (a partial has none)
    _line_began: tuple[int, float]  # the open line's index and when its first partial came

    @property
    def counts(self) -> Counts:
        """Requests and tokens so far, speculative ones included."""
        with self._lock:
            return dataclasses.replace(self._dip.counts)

    def speculate(self, spec: Speculative) -> None:
        """The recognizer's forecast at a dip: with ``settings.at_dip``, translate it now
        (not while sentences wait for a worker: the waste stays bounded)."""
        with self._lock:
            self._next_index, self._spoken = spec.index, spec.language
        if self.settings.at_dip:
            self._offer(Guess(spec, self._target(spec.language)))

    def draft(self, partial: Partial) -> None:
        """The open line changed: with ``settings.drafts``, translate it once
        :func:`~whispertrans_tray.core.drafts.draft_due` says (a newer partial replaces it
        before then; not while sentences wait for a worker).  Lines of two sources
        (``speaker``) are not drafted."""
        text = partial.text.strip()
        if not self.settings.drafts or not text or partial.speaker:
            return
        now = time.monotonic()
        with self._lock:
            index, spoken = self._next_index, self._spoken
            if self._line_began[0] != index:
                self._line_began = (index, now)
            due = draft_due(now, self._line_began[1], self._dip.last_draft_sent)
        spec = Speculative(index, text, spoken, 0.0, 0.0)
        self._offer(Guess(spec, self._target(spoken), draft=True, not_before=due))

    def _target(self, spoken: str) -> str:
        return choose_target(spoken, self.settings.target_language,
                             self.settings.second_language)

    def _offer(self, guess: Guess) -> None:
        with self._lock:
            if self._closed:
                return
            if len(self._queue) or self._in_flight >= max(self.settings.max_in_flight, 1):
                self._dip.counts.skipped += 1
                return
            self._dip.offer(guess)

    def _translate_guess(self, guess: Guess, on_text: Callable[[str], None]) -> Result:
        with self._ctx:
            context = tuple(self._context)
        return self.failover.translate(guess.spec.text, guess.target, context, on_text,
                                       lambda: self._dip.stale(guess) or self._closed, "")

    def _settle(self, sentence: Sentence, text: str | None) -> None:
        """An adopted speculation ended: ``text`` is released for its sentence ("": none);
        None sends the sentence the usual way (failover, late retries)."""
        if text is not None:
            self._release(sentence, TranslationUpdate(sentence.index, text, True), False)
        else:
            with self._lock:
                overflow = self._queue.push(sentence)
            for lost in overflow:
                self._release(lost, TranslationUpdate(lost.index, "", True), False)
        with self._lock:
            self._in_flight -= 1
            self._lock.notify_all()

    def _stream(self, sentence: Sentence, text: str) -> None:
        """Streaming text of an adopted speculation, shown if its sentence is next."""
        with self._emit:
            if self._order.is_head(sentence):
                self._hand_on(TranslationUpdate(sentence.index, text, False))

    def _hand_on(self, update: TranslationUpdate) -> None:
        """Give ``update`` to ``on_update``; a final one with its time stamps."""
        if update.text and not update.error and not update.done:
            if update.index not in self._first:
                self._first[update.index] = self._clock()
        elif update.done:
            first = self._first.pop(update.index, None)
            if update.text and not update.error:
                now = self._clock()
                update = dataclasses.replace(update, translated_at=now,
                                             first_token_at=now if first is None else first)
        self._on_update(update)
