"""Translation at the dip: a request for the speculative final, before the sentence commits.

When speech dips, the recognizer decodes the utterance at once (a speculative final) while the
VAD waits for the silence that confirms the end, and hands the text on as a
:class:`~whispertrans_tray.core.types.Speculative` event.  :class:`AtDip` sends that text for
translation at once, on its own thread, one request at a time:

* when the sentence commits with the same text (same index, same target language), it
  **adopts** the request: its translation is on the way or already done, and is released for
  the sentence (in spoken order, like any other);
* a newer speculation, or a committed sentence with other text, **cancels** a request nobody
  adopted (its tokens are the waste, counted in :class:`Counts`); the committed text then goes
  the usual way;
* an adopted request that fails goes the usual way too (failover, late retries), as if the
  sentence had just been submitted.

**Drafts** (``translation.drafts``) go the same way: a draft is a guess of the open line
(``draft`` set) that waits for its moment (``not_before``, from
:func:`~whispertrans_tray.core.drafts.draft_due`: the line steady, not too soon after the
last draft; a newer partial replaces it first), and whose answer, while no sentence adopted
it, goes to ``on_draft`` for the dim draft line.  A sentence that commits with the draft's
text adopts it like a forecast at the dip.  A dip forecast of the same sentence on its way is
not replaced by a draft (it is the better guess); the same text already asked for is not
asked again.  A newer draft cancels an older one in flight when its own moment comes
(:meth:`AtDip.stale`), not when it is offered: until then the older one may still finish and
show.

The waste is bounded by the caller (:class:`~whispertrans_tray.app.translation_service.
TranslationService`): no speculative request while sentences wait for a worker.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from whispertrans_tray.core.types import Sentence, Speculative
from whispertrans_tray.errors import TranslationError
from whispertrans_tray.providers.translate_openai import Result

log = logging.getLogger(__name__)


@dataclass
class Counts:
    """What the translation cost: requests sent, tokens streamed back (chunks), and the
    speculative ones: sent, adopted by their sentence, cancelled unused, not sent because the
    queue was behind (``speculative``, ``adopted``, ``wasted`` and ``skipped``: the forecasts at
    the dip); the same for drafts (``drafts``: offered, of which ``drafts_sent`` were sent: a
    draft replaced before its moment never is).  ``wasted_tokens`` counts both kinds."""

    requests: int = 0
    tokens: int = 0
    speculative: int = 0
    adopted: int = 0
    wasted: int = 0
    wasted_tokens: int = 0
    skipped: int = 0
    drafts: int = 0
    drafts_sent: int = 0
    drafts_adopted: int = 0
    drafts_wasted: int = 0


@dataclass
class Guess:
    """One speculative request (fields guarded by the service's lock).

    Attributes:
        spec: What the recognizer heard at the dip.
        target: The target language name of the request.
        text: The translation so far.
        sentence: The committed sentence that adopted the request, if any.
        cancelled: Nobody will use the answer (a newer speculation, other text committed).
        superseded: Cancelled with the sentence that adopted it (the session was cleared, the
            service closed): that sentence ends without a translation.
        finished: The request has ended (``result`` or ``error`` says how).
        draft: A draft of the open line (``translation.drafts``), not a forecast at the dip.
        not_before: ``time.monotonic()`` before which it is not sent (a draft's steady
            moment).
        sent: The request was sent.
    """

    spec: Speculative
    target: str
    draft: bool = False
    not_before: float = 0.0
    sent: bool = False
    text: str = ""
    sentence: Sentence | None = None
    cancelled: bool = False
    superseded: bool = False
    finished: bool = False
    result: Result | None = None
    error: TranslationError | None = None

    @property
    def answered(self) -> bool:
        """Finished with a translation that can be used."""
        return (self.finished and self.error is None and self.result is not None
                and not self.result.cancelled and not self.cancelled and bool(self.result.text))


def same_text(a: str, b: str) -> bool:
    """Whether two renderings of a line are the same words (spaces do not count)."""
    return a.split() == b.split()


class AtDip:
    """The speculative requests of one service, on the ``translation-dip`` thread.

    Args:
        lock: The service's lock; :meth:`offer`, :meth:`adopt`, :meth:`cancel_all` and
            :meth:`close` are called with it held.
        translate: Sends a guess's text (with the service's context) and returns the result;
            the callback gets the text so far; raises ``TranslationError``.
        settle: An adopted guess ended: its sentence and the final text ("" for none), or
            None to send the sentence the usual way.
        stream: The text so far of an adopted guess, for its sentence.
        closed: Whether the service is closed.
        on_draft: A draft nobody adopted was answered: the index its sentence will get and
            the translation (on this thread, without the lock).
    """

    def __init__(self, lock: threading.Condition,
                 translate: Callable[[Guess, Callable[[str], None]], Result],
                 settle: Callable[[Sentence, str | None], None],
                 stream: Callable[[Sentence, str], None],
                 closed: Callable[[], bool],
                 on_draft: Callable[[int, str], None] = lambda index, text: None) -> None:
        self._lock = lock
        self._translate = translate
        self._settle = settle
        self._stream = stream
        self._service_closed = closed
        self._on_draft = on_draft
        self._next: Guess | None = None
        self._current: Guess | None = None
        self._closed = False
        self.last_draft_sent: float | None = None
        """``time.monotonic()`` when the last draft was sent."""
        self.counts = Counts()
        self._thread = threading.Thread(target=self._run, name="translation-dip", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def offer(self, guess: Guess) -> None:
        """A new speculation: it replaces the ones nobody adopted (one adopted and not yet
        sent keeps its place: the new one is not sent).  A draft does not replace a forecast
        at the dip of its sentence still on its way, nor a guess of the same text (a draft of
        the same text waiting for its moment keeps waiting from when it was first offered);
        a forecast answered before speech went on is out of date: a draft replaces it."""
        if self._next is not None and self._next.sentence is not None:
            self.counts.skipped += 1
            return
        for old in (self._next, self._current):
            if old is None or old.sentence is not None or old.cancelled \
                    or old.spec.index != guess.spec.index or old.target != guess.target:
                continue
            if guess.draft and (same_text(old.spec.text, guess.spec.text)
                                or (not old.draft and not old.finished)):
                if not old.draft:  # offered, but the forecast goes first
                    self.counts.drafts += 1
                return
        for old in (self._next, self._current):
            if old is not None and old.sentence is None \
                    and not (guess.draft and old.draft and old is self._current):
                self._drop(old)
        self._next = guess
        if guess.draft:
            self.counts.drafts += 1
        else:
            self.counts.speculative += 1
        self._lock.notify_all()

    def adopt(self, sentence: Sentence, target: str) -> Guess | None:
        """The request that forecast ``sentence`` (same index, text and target), now its own;
        None if there is none (a request nobody can use any more is cancelled)."""
        for guess in (self._current, self._next):
            if guess is None or guess.sentence is not None or guess.cancelled:
                continue
            if (guess.spec.index == sentence.index and guess.target == target
                    and same_text(guess.spec.text, sentence.text)):
                guess.sentence = sentence
                if guess.draft:
                    self.counts.drafts_adopted += 1
                else:
                    self.counts.adopted += 1
                if not guess.sent:  # a draft still waiting for its moment goes now
                    guess.not_before = 0.0
                    self._lock.notify_all()
                return guess
            if guess.spec.index <= sentence.index:
                self._drop(guess)
        return None

    def stale(self, guess: Guess) -> bool:
        """Whether nobody needs ``guess`` any more (its request stops): cancelled, or a draft
        in flight whose newer draft's moment has come."""
        with self._lock:
            newer = self._next
            if (guess.draft and guess.sentence is None and newer is not None and newer.draft
                    and newer.not_before <= time.monotonic()):
                self._drop(guess)
            return guess.cancelled

    def _drop(self, guess: Guess) -> None:
        """Nobody will use ``guess``: it stops, and its tokens are waste (counted once it has
        ended; a draft never sent costs nothing)."""
        if guess.cancelled:
            return
        guess.cancelled = True
        if guess.finished:
            self._waste(guess)

    def _waste(self, guess: Guess) -> None:
        if guess.draft:
            self.counts.drafts_wasted += 1
        else:
            self.counts.wasted += 1
        self.counts.wasted_tokens += guess.result.chunks if guess.result is not None else 0

    def cancel_all(self) -> None:
        """Everything is superseded: requests in flight stop, adopted ones included."""
        for guess in (self._next, self._current):
            if guess is not None:
                if guess.sentence is None:
                    self._drop(guess)
                guess.cancelled = guess.superseded = True

    def close(self) -> None:
        self.cancel_all()
        self._closed = True
        self._lock.notify_all()

    def settle(self, guess: Guess) -> None:
        """An adopted guess has ended (without the lock): its answer goes to its sentence."""
        assert guess.sentence is not None
        if guess.answered:
            assert guess.result is not None
            self._settle(guess.sentence, guess.result.text)
        elif guess.superseded or self._service_closed():
            self._settle(guess.sentence, "")
        else:
            log.info("The translation at the dip of sentence %d failed; sending it again",
                     guess.sentence.index)
            self._settle(guess.sentence, None)

    def _work(self, guess: Guess) -> None:
        """On the thread: translate a guess; settle it if a sentence adopted it."""
        def on_text(text: str) -> None:
            with self._lock:
                guess.text = text
                sentence = guess.sentence
            if sentence is not None:
                self._stream(sentence, text)

        try:
            guess.result = self._translate(guess, on_text)
        except TranslationError as exc:
            guess.error = exc
        finally:
            with self._lock:
                guess.finished = True
                self._ended(guess)
                adopted = guess.sentence is not None
                draft = guess.draft and not adopted and guess.answered
            if adopted:
                self.settle(guess)
            elif draft:
                assert guess.result is not None
                self._on_draft(guess.spec.index, guess.result.text)

    def _ended(self, guess: Guess) -> None:
        """Count a finished request (with the lock held)."""
        chunks = guess.result.chunks if guess.result is not None else 0
        self.counts.requests += 1
        self.counts.tokens += chunks
        if guess.sentence is None and guess.cancelled:
            self._waste(guess)

    def _run(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._closed or self._next is not None)
                if self._closed:
                    return
                assert self._next is not None
                wait = self._next.not_before - time.monotonic()
                if wait > 0:  # a draft waits for its steady moment (or a newer partial)
                    self._lock.wait(wait)
                    continue
                guess, self._next = self._next, None
                if guess.cancelled and guess.sentence is None:
                    continue  # nobody wants it any more: never sent, costs nothing
                guess.sent = True
                if guess.draft:
                    self.counts.drafts_sent += 1
                    self.last_draft_sent = time.monotonic()
                old, self._current = self._current, guess
                if old is not None and old.sentence is None:
                    self._drop(old)  # an answered draft nobody adopted: its tokens are waste
            try:
                self._work(guess)
            except Exception:  # a bug must not kill the thread
                log.exception("Speculative translation error")
