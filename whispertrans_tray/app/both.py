"""Both sides of a call: the system audio (the other side) and the microphone (you) at once.

Two captures, two recognizers (each its own VAD gate and window, one loaded model between
them) driven by the one live loop (:func:`~whispertrans_tray.app.timeline.timeline`): one
decode at a time, the side that is talking first, neither starved.  Their sentences come out
in one timeline (the microphone's times put on the system audio's clock: the captures start
apart), labelled 對方 / Them (system audio) and 我 / Me (microphone), names the user
can change (``audio.label_them``, ``audio.label_me``).  Without headphones the microphone
hears the speakers too: the :class:`~whispertrans_tray.core.echo.EchoFilter` keeps those
copies out (``audio.echo_filter``).  Your own sentences are translated only with
``translation.translate_me``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass

from whispertrans_tray.app import live
from whispertrans_tray.app.timeline import Stream, timeline
from whispertrans_tray.core.echo import EchoFilter
from whispertrans_tray.core.recognizer import StreamingRecognizer
from whispertrans_tray.core.types import Audio, Event, Sentence
from whispertrans_tray.i18n import tr
from whispertrans_tray.settings import Settings


@dataclass(frozen=True)
class Labels:
    """The two sides' labels: ``them`` (system audio) and ``me`` (microphone)."""

    them: str
    me: str


def labels(settings: Settings) -> Labels:
    """The labels the settings name, or 對方/我 (Them/Me) in the UI language."""
    audio, ui = settings.audio, settings.ui_language
    them = audio.label_them.strip() or tr("both.label_them", ui)
    me = audio.label_me.strip() or tr("both.label_me", ui)
    if me == them:  # two sides must be told apart
        me = f"{me} (2)"
    return Labels(them, me)


def translated(settings: Settings) -> Callable[[Sentence], bool]:
    """Whether a sentence is to be translated: all of them, except your own side's with audio
    source ``both`` unless ``translation.translate_me``."""
    if settings.audio.source != "both" or settings.translation.translate_me:
        return lambda sentence: True
    me = labels(settings).me
    return lambda sentence: sentence.speaker != me


@dataclass(frozen=True)
class Side:
    """One side: its capture, its recognizer and its label."""

    capture: live.AudioSource
    recognizer: StreamingRecognizer
    speaker: str


def events(them: Side, me: Side, stop: threading.Event | None = None,
           on_fed: Callable[[Audio], None] | None = None,
           on_dropped: Callable[[float], None] | None = None,
           echo: EchoFilter | None = None) -> Generator[Event, None, None]:
    """The timeline of both sides until ``stop`` is set (each side's pending sentence is
    finished); ``echo`` (see :func:`echo_filter`) holds and filters your side's sentences.
    Closing the generator stops both captures."""
    stop = stop if stop is not None else threading.Event()
    streams, chunks = [], []
    for side in (them, me):
        source = live.capture_chunks(side.capture, stop, on_dropped)
        chunks.append(source)
        capture, recognizer = side.capture, side.recognizer
        streams.append(Stream(source, recognizer, _clock(capture), side.speaker,
                              talking=_talking(recognizer),
                              offset=_offset(them.capture, capture)))
    try:
        yield from timeline(streams, on_fed, echo)
    finally:
        for source in chunks:
            source.close()


def echo_filter(them: Side, me: Side) -> EchoFilter:
    """The echo filter of ``me`` against ``them``."""
    return EchoFilter(me.speaker, them.speaker, lambda: them.recognizer.stream_time,
                      _talking(them.recognizer))


def _offset(them: live.AudioSource, side: live.AudioSource) -> Callable[[], float]:
    """Where ``side``'s stream time 0 lies on the timeline of ``them`` (the system audio's
    clock): two captures start (and first deliver audio) apart, by up to seconds."""
    def offset() -> float:
        if them.first_audio_at is None or side.first_audio_at is None:
            return 0.0
        return side.first_audio_at - them.first_audio_at
    return offset


def _clock(capture: live.AudioSource) -> Callable[[], float]:
    return lambda: capture.captured_seconds


def _talking(recognizer: StreamingRecognizer) -> Callable[[], bool]:
    return lambda: recognizer.window_seconds > 0
