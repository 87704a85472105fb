"""File mode: speech cut at VAD pauses, decoded in batches, committed in order.

Nobody watches a file being transcribed, so there are no partial decodes and no reason to
decode each utterance the moment it ends.  The VAD gate finds the speech; with the language
given, utterances are packed into chunks of up to ``chunk_s`` of speech (the silence between
them left out, as faster-whisper's ``BatchedInferencePipeline`` does); with the language
detected, each utterance is a chunk of its own (a chunk has one language, and packing put
English and German speech into one German chunk), but one shorter than :data:`ALONE_S` is
joined with the next: too short to be decoded (or its language heard) well alone.
``batch_size`` chunks are decoded in one pass of a
:class:`~whispertrans_tray.core.types.BatchTranscriber` (the composition root picks 1 on a CPU,
where batching was no faster and cost memory, and 8 on a GPU).  Their words go through the
same :class:`~whispertrans_tray.core.segmenter.SentenceSegmenter` and text transform as in
live mode: a VAD pause closes a sentence, and so does a change of language.

Speech that goes on longer than a chunk is cut at its quietest recent window.  With the
language detected, speech a chunk's decode skipped (another language without a pause, see
:func:`~whispertrans_tray.core.finals.skipped_spans`) is decoded on its own.  Audio is kept
only for the chunks not yet decoded, so memory does not grow with the length of the file.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace

import numpy as np

from whispertrans_tray.core.audio_buffer import AudioBuffer
from whispertrans_tray.core.finals import Run, decode_alone, with_skipped
from whispertrans_tray.core.loops import ECHO_MEMORY, cut_echoes
from whispertrans_tray.core.placement import repair
from whispertrans_tray.core.recognizer_config import RecognizerConfig
from whispertrans_tray.core.segmenter import Segment, SentenceSegmenter
from whispertrans_tray.core.types import (
    SAMPLE_RATE,
    Audio,
    BatchTranscriber,
    Event,
    Sentence,
    SpeechProbability,
    TextTransform,
    Word,
)
from whispertrans_tray.core.vad import SpeechEnd, SpeechStart, VadGate, finish_speech

BATCH_SIZE = 8
CHUNK_S = 20.0
"""Longest chunk.  Whisper reads 30 s, but a chunk that filled its window lost the last 4 s of
speech on the multilingual clip (its end falls on the window's edge); 20 s kept every word."""


ALONE_S = 3.0
"""With the language detected, a chunk is one utterance of at least this much speech: shorter
ones are joined with the next.  Whisper decodes a short fragment poorly on its own: JFK's
"ask not" (1.4 s) alone came out "is not!", its language heard with probability 0.47."""


@dataclass(frozen=True)
class Piece:
    """Speech from ``start`` to ``start + audio.size`` (samples); ``pause_before`` if a VAD
    pause (not a cut in long speech) separates it from the piece before."""

    start: int
    audio: Audio
    pause_before: bool

    @property
    def stop(self) -> int:
        return self.start + self.audio.size


class BatchRecognizer:
    """Feed 16 kHz mono float32 audio; sentences come out a batch at a time, in order."""

    def __init__(self, transcriber: BatchTranscriber, vad_model: SpeechProbability,
                 config: RecognizerConfig | None = None,
                 transform: TextTransform | None = None, batch_size: int = BATCH_SIZE,
                 chunk_s: float = CHUNK_S) -> None:
        self.config = config or RecognizerConfig(partial_interval_s=None)
        self._transcriber = transcriber
        self._transform = transform
        self._gate = VadGate(vad_model, self.config.vad)
        self._segmenter = SentenceSegmenter(self.config.max_sentence_width)
        self._recent: deque[Word] = deque(maxlen=ECHO_MEMORY)  # the words emitted last
        self._batch_size = batch_size
        self._chunk = int(chunk_s * SAMPLE_RATE)
        self._keep = 2 * self.config.vad.speech_pad_ms * SAMPLE_RATE // 1000 + vad_model.window
        self._audio = AudioBuffer()
        self._open: int | None = None  # start of the speech not yet cut into a piece
        self._pause = True  # a pause comes before the open speech
        self._pieces: list[Piece] = []  # the chunk being packed
        self._queue: list[list[Piece]] = []  # packed chunks waiting for a batch
        self._index = 0
        self.decodes = {"batches": 0, "chunks": 0, "gaps": 0}

    @property
    def held_seconds(self) -> float:
        """Audio held in memory (the buffer and the chunks waiting to be decoded)."""
        held = self._audio.samples.size + sum(p.audio.size for c in self._queue for p in c)
        return (held + sum(p.audio.size for p in self._pieces)) / SAMPLE_RATE

    def feed(self, audio: Audio) -> list[Event]:
        audio = self._audio.append(audio)
        events: list[Event] = []
        for vad_event in self._gate.feed(audio):
            if isinstance(vad_event, SpeechStart):
                self._open = max(vad_event.sample, self._audio.start)
                self._pause = True
            else:
                events.extend(self._end(vad_event))
        now = self._audio.end
        if self._open is not None and now - self._open >= self._chunk:  # long speech: cut
            cut = self._gate.quietest(self._open + self._chunk // 2) or now
            events.extend(self._add(self._open, min(cut, now), pause=self._pause))
            self._open, self._pause = min(cut, now), False
        self._trim()
        return events

    def finish(self) -> list[Event]:
        """End of stream: decode and commit everything left."""
        events = finish_speech(self._gate, self._end)
        self._pack()
        events.extend(self._decode())
        events.extend(self._emit(self._segmenter.flush()))
        return events

    # -- packing ------------------------------------------------------------------------
    def _end(self, end: SpeechEnd) -> list[Event]:
        start, self._open = self._open, None
        if start is None:
            return []
        stop = min(end.sample, self._audio.end)
        long_enough = end.speech_samples * 1000 >= self.config.min_speech_ms * SAMPLE_RATE
        if not long_enough and self._pause:  # a click or a breath: Whisper would invent words
            return []
        return self._add(start, stop, self._pause)

    def _add(self, start: int, stop: int, pause: bool) -> list[Event]:
        if stop <= start:
            return []
        held = sum(p.audio.size for p in self._pieces)
        alone = self.config.language is None and held >= ALONE_S * SAMPLE_RATE
        if self._pieces and (alone or held + stop - start > self._chunk):
            self._pack()
        audio = self._audio.slice(start, stop).copy()
        self._pieces.append(Piece(start, audio, pause))
        if len(self._queue) >= self._batch_size:
            return self._decode()
        return []

    def _pack(self) -> None:
        if self._pieces:
            self._queue.append(self._pieces)
            self._pieces = []

    def _trim(self) -> None:
        self._audio.keep_from(self._open if self._open is not None
                              else self._audio.end - self._keep)

    # -- decoding and committing ----------------------------------------------------------
    def _decode(self) -> list[Event]:
        chunks, self._queue = self._queue, []
        if not chunks:
            return []
        language = self.config.language
        transcripts = self._transcriber.transcribe_batch(
            [np.concatenate([p.audio for p in chunk]) for chunk in chunks], language)
        self.decodes["batches"] += 1
        self.decodes["chunks"] += len(chunks)
        events: list[Event] = []
        for chunk, answer in zip(chunks, transcripts, strict=True):
            transcript = repair(answer, sum(p.audio.size for p in chunk) / SAMPLE_RATE)
            transcript = replace(transcript, words=tuple(cut_echoes(transcript.words,
                                                                    self._recent)))
            placed: list[list[Word]] = [[] for _ in chunk]
            for word in transcript.words:  # each word to the piece it starts in
                start = int(word.start * SAMPLE_RATE)
                offset, k = 0, 0
                while k + 1 < len(chunk) and start >= offset + chunk[k].audio.size:
                    offset += chunk[k].audio.size
                    k += 1
                shift = (chunk[k].start - offset) / SAMPLE_RATE
                placed[k].append(Word(word.start + shift, word.end + shift, word.text))
            for piece, words in zip(chunk, placed, strict=True):
                if piece.pause_before:
                    events.extend(self._emit(self._segmenter.flush()))
                for run_language, run in self._runs(piece, words, transcript.language):
                    events.extend(self._emit(self._segmenter.add(run, run_language)))
        if self._pieces and self._pieces[0].pause_before:  # the next speech is after a pause
            events.extend(self._emit(self._segmenter.flush()))
        return events

    def _runs(self, piece: Piece, words: list[Word], language: str) -> list[Run]:
        """The piece's words, with speech the chunk's decode skipped decoded on its own
        (detected language only): (language, words) runs in time order."""
        def decode_gap(start: int, stop: int) -> Run:
            run = decode_alone(self._transcriber,
                               piece.audio[start - piece.start: stop - piece.start], start)
            self.decodes["gaps"] += 1
            return run

        detected = self.config.language is None
        return with_skipped(words, language, piece.start, piece.stop,
                            decode_gap if detected else None)

    def _emit(self, segments: list[Segment]) -> list[Event]:
        events: list[Event] = []
        for segment in segments:
            text = segment.text
            if self._transform is not None:
                text = self._transform(text, segment.language)
            if not text:
                continue
            events.append(Sentence(self._index, segment.words[0].start, segment.words[-1].end,
                                   segment.language, text))
            self._index += 1
            self._recent.extend(segment.words)
        return events
