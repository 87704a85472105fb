"""Echo: without headphones the microphone also hears what the speakers play.

When both sides of a call are heard (system audio and microphone), a sentence the other side
said comes in twice: once from the system audio, and a moment later, quieter, from the
microphone.  :class:`EchoFilter` keeps the microphone's copy out of the timeline by what was
said and when: each microphone sentence is held until the system audio has been heard past
its end (or at most ``max_hold_s``), then dropped if most of its words are words the system
audio said in the same stretch of time (give or take ``window_s``, the delay of the playback).
A sentence the user said over the playback has words of their own, so it is kept.

Why text and time (benchmarks/RESULTS.md, "Both sides of a call"): the acoustic echo
cancellers on PyPI need the loopback and the microphone sample-aligned on one clock, which two
separate captures are not, and the speexdsp and WebRTC ones have no wheel for Linux/CPython
3.11; what the recognizers heard is already aligned by stream time.

Pure: it is driven by the live loop (:mod:`whispertrans_tray.app.timeline`) as its ``Hold``.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass

from whispertrans_tray.core.types import Event, Sentence

_TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]|[^\W_]+")


def tokens(text: str) -> list[str]:
    """Words of ``text`` for matching: lower case, no punctuation; CJK by character."""
    return _TOKEN.findall(text.lower())


def covered(text: str, heard: list[str]) -> float:
    """The share of ``text``'s words found among the words ``heard`` (each used once)."""
    words = tokens(text)
    if not words:
        return 1.0
    pool = Counter(word for sentence in heard for word in tokens(sentence))
    found = 0
    for word in words:
        if pool[word] > 0:
            pool[word] -= 1
            found += 1
    return found / len(words)


@dataclass(frozen=True)
class EchoConfig:
    """How the echo filter decides.

    Attributes:
        window_s: How far apart in stream time the two copies may be (the playback's delay,
            the captures' different start, the recognizers' rough word times).
        share: A microphone sentence whose words are at least this share of the system
            audio's words in that time is an echo.
        settle_s: Held until the system audio has been heard this far past the sentence's end
            and the other side is not in the middle of an utterance.
        max_hold_s: ...or at most this far past its end, whatever the other side does.
    """

    window_s: float = 3.0
    share: float = 0.6
    settle_s: float = 1.0
    max_hold_s: float = 8.0


class EchoFilter:
    """Holds the ``me`` side's sentences; drops the ones that echo the ``them`` side.

    ``them_time`` is the other side's stream time (seconds heard so far), ``them_talking``
    whether it has an utterance open.  ``dropped`` lists the sentences dropped as echoes.
    """

    def __init__(self, me: str, them: str, them_time: Callable[[], float],
                 them_talking: Callable[[], bool], config: EchoConfig | None = None) -> None:
        self.me = me
        self.them = them
        self.config = config or EchoConfig()
        self._them_time = them_time
        self._them_talking = them_talking
        self._held: deque[Sentence] = deque()
        self._heard: deque[Sentence] = deque(maxlen=64)  # the other side's recent sentences
        self.dropped: list[Sentence] = []

    def add(self, event: Event) -> list[Event]:
        if not isinstance(event, Sentence) or event.speaker not in (self.me, self.them):
            return [event]
        if event.speaker == self.them:
            self._heard.append(event)
            return [event, *self.tick()]
        self._held.append(event)
        return self.tick()

    def tick(self) -> list[Event]:
        now = self._them_time()
        quiet = not self._them_talking()
        out: list[Event] = []
        while self._held:
            sentence = self._held[0]
            settled = now >= sentence.end + self.config.settle_s and quiet
            if not settled and now < sentence.end + self.config.max_hold_s:
                break
            self._held.popleft()
            out.extend(self._judge(sentence))
        return out

    def flush(self) -> list[Event]:
        out: list[Event] = []
        while self._held:
            out.extend(self._judge(self._held.popleft()))
        return out

    def is_echo(self, sentence: Sentence) -> bool:
        """Whether the other side said most of ``sentence``'s words around the same time."""
        window = self.config.window_s
        heard = [s.text for s in self._heard
                 if s.start - window <= sentence.end and sentence.start <= s.end + window]
        return bool(heard) and covered(sentence.text, heard) >= self.config.share

    def _judge(self, sentence: Sentence) -> list[Event]:
        if self.is_echo(sentence):
            self.dropped.append(sentence)
            return []
        return [sentence]
