"""The one loop that drives recognizers: audio chunks in, one timeline of events out.

:func:`timeline` feeds one or more :class:`Stream` s (a chunk source and its recognizer): a
single source (the tray app, ``listen``, file mode: :func:`whispertrans_tray.app.live.events`)
or both sides of a call (system audio and the microphone, :mod:`whispertrans_tray.app.both`).
With several streams every decode runs on this one thread, one at a time (one loaded model);
each round every stream is fed once (none starves: a silent side costs only its VAD), the
streams that are talking first, then the one that waited longest.  Sentences are numbered
in the order they are passed on (one index for the whole timeline, no gaps) and labelled
with their stream's ``speaker``; each is stamped with its stream's clock (``committed_at``).

A :class:`Hold` may keep sentences back and release them later (the echo filter holds the
microphone's sentences until the system audio has been heard that far); it is asked after
every feed, and flushed when every stream has ended.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Event, Sentence, Speculative


class Recognizer(Protocol):
    """Audio in, events out: the :class:`StreamingRecognizer` (live), or the
    :class:`~whispertrans_tray.core.batch_recognizer.BatchRecognizer` (file mode)."""

    def feed(self, audio: Audio) -> list[Event]: ...

    def finish(self) -> list[Event]: ...


class Hold(Protocol):
    """Keeps some stamped events back: each call returns the events to pass on now."""

    def add(self, event: Event) -> list[Event]:
        """A new event: pass it on now, or hold it."""
        ...

    def tick(self) -> list[Event]:
        """Held events that may go now (called after every feed)."""
        ...

    def flush(self) -> list[Event]:
        """Every stream ended: whatever is held."""
        ...


@dataclass
class Stream:
    """One audio source of the timeline.

    Attributes:
        chunks: The audio, as the source delivers it.
        recognizer: Its own recognizer (its own VAD and window; the model may be shared).
        clock: Seconds since the stream began by the source's clock (None: the audio the
            chunks delivered so far).
        speaker: The label its events get ("" when there is one source).
        talking: Whether the side has an utterance open (goes first in a round).
        offset: Seconds added to its sentences' times (``start``, ``end``, ``committed_at``):
            where its stream's 0 lies on the timeline, when sources started apart.
    """

    chunks: Iterable[Audio]
    recognizer: Recognizer
    clock: Callable[[], float] | None = None
    speaker: str = ""
    talking: Callable[[], bool] = lambda: False
    offset: Callable[[], float] = lambda: 0.0


def timeline(streams: Sequence[Stream], on_fed: Callable[[Audio], None] | None = None,
             hold: Hold | None = None) -> Iterator[Event]:
    """Every event of every stream's recognizer fed its chunks; ``on_fed`` sees each chunk
    once fed.  A stream whose chunks end is finished (the sentence being spoken is
    committed)."""
    sources = [iter(stream.chunks) for stream in streams]
    delivered = [0] * len(streams)
    waited = [0] * len(streams)  # rounds since the stream was fed first
    live = list(range(len(streams)))
    index = 0

    def numbered(batch: Iterable[Event]) -> Iterator[Event]:
        nonlocal index
        for event in batch:
            if isinstance(event, Sentence):
                event = dataclasses.replace(event, index=index)
                index += 1
            yield event

    def stamp(side: int, batch: list[Event]) -> Iterator[Event]:
        stream = streams[side]
        now = stream.clock() if stream.clock is not None else delivered[side] / SAMPLE_RATE
        for event in batch:
            if isinstance(event, Sentence):
                shift = stream.offset()
                event = dataclasses.replace(event, start=round(event.start + shift, 3),
                                            end=round(event.end + shift, 3),
                                            committed_at=round(now + shift, 3),
                                            speaker=stream.speaker)
            elif isinstance(event, Speculative):
                if len(streams) > 1:  # its index is its side's: the timeline's is not known
                    continue
            elif stream.speaker:
                event = dataclasses.replace(event, speaker=stream.speaker)
            yield from numbered(hold.add(event) if hold is not None else (event,))

    while live:
        order = sorted(live, key=lambda s: (not streams[s].talking(), -waited[s]))
        for side in order:
            waited[side] = 0 if side == order[0] else waited[side] + 1
            chunk = next(sources[side], None)
            if chunk is None:
                live.remove(side)
                yield from stamp(side, streams[side].recognizer.finish())
            else:
                delivered[side] += chunk.size
                yield from stamp(side, streams[side].recognizer.feed(chunk))
                if on_fed is not None:
                    on_fed(chunk)
            if hold is not None:
                yield from numbered(hold.tick())
    if hold is not None:
        yield from numbered(hold.flush())
