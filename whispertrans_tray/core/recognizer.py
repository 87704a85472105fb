"""The streaming recognizer: audio in, ``Partial``, ``Speculative`` and ``Sentence`` events out.

Decodes are the scarce resource (one costs about a second on a 2-core CPU), so they are spent
in this order:

1. **Finals** — when speech dips (live mode), the utterance is decoded at once, during the
   VAD's wait for the silence that confirms the end; confirmed, that decode is committed whole
   (:mod:`~whispertrans_tray.core.finals`).  An end confirmed without a usable speculation is
   decoded then.  This is the fastest route from the end of speech to a committed sentence.
2. **Partials** — while speech goes on, at most one decode per :meth:`feed` call, and only when
   ``partial_interval_s`` of new audio has arrived since the last one.  A live driver that
   drains its queue before each call therefore never builds a backlog of stale decodes: the
   next decode always sees the freshest audio.  Words two consecutive partial decodes agree on
   are committed (LocalAgreement-2); sentences they complete are emitted and the window is
   trimmed at their end, so the window stays bounded during long unbroken speech.

Committed text is append-only.  The audio buffer holds at most the current window.  The
decodes themselves (prompt, language) are :class:`~whispertrans_tray.core.window_decoder.
WindowDecoder`'s; this class decides what to decode when, and what to commit.

**Exactly once.**  Committed text covers each stretch of speech once, in order, whatever the
decode timing, the sizes of the pieces fed, and whatever the transcriber answers.  It is kept
here and in :class:`~whispertrans_tray.core.agreement.LocalAgreement` by these rules:

* every answer is repaired before anything is decided on it
  (:func:`~whispertrans_tray.core.placement.repair`): each word kept has a place in its window,
  in time order, once; Whisper's echo of a sentence in the silence after it is cut
  (:func:`~whispertrans_tray.core.loops.cut_echoes`);
* a hypothesis word is new only if it is not a re-reading of a committed word (aligned by
  text) and its middle lies after the last commit; the committed words a window may hear again
  (those inside it, and the last word of the sentence it was cut after) are kept for that;
* a window is only ever moved past committed words, never past a word nobody committed: a
  full window commits what it holds (unconfirmed, if need be) before it is trimmed;
* the end of an utterance, and :meth:`StreamingRecognizer.finish`, commit what is left.

tests/test_exactly_once.py checks it with hypothesis against a transcriber that knows the
recording's words (random decode times, bursts, stalls, mangled answers).
"""

from __future__ import annotations

from collections import deque

from whispertrans_tray.core.agreement import LocalAgreement, safe_prefix
from whispertrans_tray.core.audio_buffer import AudioBuffer
from whispertrans_tray.core.finals import SPECULATIVE_MARGIN_S, Run, Speculation, with_skipped
from whispertrans_tray.core.loops import ECHO_MEMORY, cut_echoes, cut_loop
from whispertrans_tray.core.recognizer_config import RecognizerConfig
from whispertrans_tray.core.segmenter import (
    Segment,
    SentenceSegmenter,
    ends_sentence,
    join_words,
)
from whispertrans_tray.core.types import (
    SAMPLE_RATE,
    Audio,
    Event,
    Partial,
    Sentence,
    Speculative,
    SpeechProbability,
    TextTransform,
    Transcriber,
    Word,
)
from whispertrans_tray.core.vad import SpeechEnd, SpeechStart, VadGate, finish_speech
from whispertrans_tray.core.window_cuts import clause_cut, empty_cut
from whispertrans_tray.core.window_decoder import WindowDecoder

__all__ = ["RecognizerConfig", "StreamingRecognizer"]


class StreamingRecognizer:
    """Feed 16 kHz mono float32 audio; collect the events each call returns."""

    def __init__(
        self,
        transcriber: Transcriber,
        vad_model: SpeechProbability,
        config: RecognizerConfig | None = None,
        transform: TextTransform | None = None,
    ) -> None:
        self.config = config or RecognizerConfig()
        self._transform = transform
        self._gate = VadGate(vad_model, self.config.vad)
        self._pad = self.config.vad.speech_pad_ms * SAMPLE_RATE // 1000
        self._segmenter = SentenceSegmenter(self.config.max_sentence_width)
        self._agreement = LocalAgreement()
        self._audio = AudioBuffer()
        self._decoder = WindowDecoder(transcriber, self._audio, self.config.language)
        self._window_start: int | None = None  # None: no utterance open
        self._last_decode = 0
        self._index = 0
        self._partial = ""
        self._spoken = self.config.language or ""
        self._last_words: tuple[Word, ...] = ()
        self._recent: deque[Word] = deque(maxlen=ECHO_MEMORY)  # the words committed last
        self._rough = False  # the last decode's word times were spread over a segment
        self._utterance_start = 0
        self._gate_window = vad_model.window
        self.decodes = self._decoder.decodes  # final, partial, speculative, speculative_used
        # Speculative finals (live mode only: in file mode nobody waits for the end).
        self._speculative = (self.config.speculative_finals
                             and self.config.partial_interval_s is not None)
        self._speculated: int | None = None  # the dip the last speculative decode was for
        self._speculation: Speculation | None = None
        self.behind = 0.0  # seconds of audio the last feed brought: how late the caller is

    # -- public -------------------------------------------------------------------------
    @property
    def stream_time(self) -> float:
        """Seconds of audio fed so far."""
        return self._audio.end / SAMPLE_RATE

    @property
    def window_seconds(self) -> float:
        """Length of the audio window the next decode would see."""
        if self._window_start is None:
            return 0.0
        return (self._audio.end - self._window_start) / SAMPLE_RATE

    @property
    def catching_up(self) -> bool:
        """True while the caller is behind real time (see ``RecognizerConfig.behind_s``)."""
        return self.behind > self.config.behind_s

    @property
    def _trim_length(self) -> float:
        trim = self.config.trim_window_s
        return trim / 2 if self.catching_up else trim

    def feed(self, audio: Audio) -> list[Event]:
        """Take the next piece of audio (any length); return the events it completes."""
        audio = self._audio.append(audio)
        self.behind = audio.size / SAMPLE_RATE
        events: list[Event] = []
        for vad_event in self._gate.feed(audio):
            if isinstance(vad_event, SpeechStart):
                self._open(vad_event.sample)
            else:
                events.extend(self._close(vad_event))
        if self._window_start is not None:
            pause = self._gate.pause_start
            now = self._audio.end
            if (pause is not None and self._speculative and pause != self._speculated
                    and now - pause >= self._pad):  # the padding holds the last word's end
                events.extend(self._speculate(pause))
            elif self._partial_due() and (pause is None or self._window_full):
                # never a partial while speech is visibly ending: it would delay the final
                events.extend(self._partial_decode())
        self._trim()
        return events

    def finish(self) -> list[Event]:
        """End of stream: commit what is left."""
        events = finish_speech(self._gate, self._close)
        events.extend(self._emit(self._segmenter.flush()))
        events.extend(self._set_partial(""))
        return events

    # -- utterances ---------------------------------------------------------------------
    def _open(self, sample: int) -> None:
        if self._window_start is not None:
            return
        start = max(sample, self._audio.start)
        self._utterance_start = start
        self._window_start = start
        self._agreement.reset(start / SAMPLE_RATE)
        context = self._last_words
        if context and start / SAMPLE_RATE - context[-1].end <= self.config.context_s:
            first = int(context[0].start * SAMPLE_RATE)
            context_start = max(first - SAMPLE_RATE // 10, self._audio.start)
            if context_start <= first:
                self._window_start = context_start
                self._agreement.reset(context[-1].end)
                self._agreement.committed.extend(context)
        self._last_decode = start
        self._decoder.prompt = ""

    def _speculate(self, pause: int) -> list[Event]:
        """Speech dipped: decode the utterance now, as if it had ended.

        The VAD needs ``min_silence_ms`` of silence to confirm an end; this decode runs during
        that wait.  If the end is confirmed at this same dip (and the window did not move),
        :meth:`_close` commits this result instead of decoding again; if speech goes on, it
        served as a partial.  Either way a :class:`Speculative` event says what it heard.
        """
        assert self._window_start is not None
        self._speculated = pause
        now = self._audio.end
        words = self._decode(self._window_start, now, "speculative")
        if self.config.commit_sentence_at_dip and words and ends_sentence(words[-1].text) \
                and now - words[-1].end * SAMPLE_RATE >= SPECULATIVE_MARGIN_S * SAMPLE_RATE:
            # The decode heard a whole sentence: commit it now, not after the silence wait.
            self.decodes["speculative_used"] += 1
            self._speculation = None
            events = self._commit_final(words, self._window_start, now)
            # Everything before the dip was heard: speech that resumes is a new utterance,
            # decoded with this sentence as its context.
            self._window_start = None
            self._open(min(pause, now))
            return events
        events = self._take_partial(words)
        self._speculation = Speculation(pause, self._window_start, now, self._spoken,
                                        tuple(words))
        heard = [*self._segmenter.pending, *self._agreement.tail]  # what the end would commit
        if self._partial and heard:
            events.append(Speculative(self._index, self._partial, self._spoken,
                                      heard[0].start, heard[-1].end))
        return events

    def _speculation_for(self, end: SpeechEnd) -> list[Word] | None:
        """The speculative decode's words if it covered exactly this utterance end."""
        speculation, self._speculation = self._speculation, None
        if speculation is None or self._window_start is None or not speculation.confirmed_by(
                end.sample, self._pad, self._window_start):
            return None
        self._spoken = speculation.language
        self.decodes["speculative_used"] += 1
        return list(speculation.words)

    def _close(self, end: SpeechEnd) -> list[Event]:
        """The utterance ended: decode it once more (unless a speculative decode already
        did) and commit it whole."""
        events: list[Event] = []
        if self._window_start is None:
            return events
        long_enough = end.speech_samples * 1000 >= self.config.min_speech_ms * SAMPLE_RATE
        speculated = self._speculation_for(end)
        # Speech left after the last committed sentence (the window starts at its end): a
        # silent remainder is not decoded, Whisper would hallucinate in it ("Thank you.").
        rest = end.sample - self._pad - max(self._window_start, self._utterance_start)
        heard = rest * 1000 >= self.config.min_speech_ms * SAMPLE_RATE or self._agreement.tail
        if long_enough or self._agreement.committed or self._segmenter.pending:
            stop = min(end.sample, self._audio.end)
            if (long_enough and heard) or self._agreement.tail:
                words = speculated
                if words is None:
                    words = self._decode(self._window_start, stop, "final")
                events.extend(self._commit_final(words, self._window_start, stop))
            events.extend(self._emit(self._segmenter.flush()))
        self._window_start = None
        events.extend(self._set_partial(""))
        return events

    def _commit_final(self, words: list[Word], start: int, stop: int) -> list[Event]:
        """Commit a final decode of ``[start, stop)`` whole, closing its last sentence."""
        events: list[Event] = []
        language = self._spoken
        for run_language, run in self._with_gaps(words, start, stop):
            if run_language != self._spoken:
                events.extend(self._emit(self._segmenter.flush()))
                self._spoken = run_language
            self._agreement.insert(run, self._rough, self._committed_words())
            events.extend(self._commit(self._agreement.commit_all()))
        events.extend(self._emit(self._segmenter.flush()))
        self._spoken = language
        events.extend(self._set_partial(""))
        return events

    def _with_gaps(self, words: list[Word], start: int, stop: int) -> list[Run]:
        """The final's words, with the speech it skipped at either end decoded on its own
        (auto mode): (language, words) runs in time order."""
        detected = self.config.language is None
        return with_skipped(words, self._spoken, start, stop,
                            self._decoder.decode_gap if detected else None)

    def _partial_due(self) -> bool:
        interval = self.config.partial_interval_s
        now = self._audio.end
        if interval is None:  # only full windows (each decode trims the window below the max)
            return self.window_seconds >= self.config.max_window_s
        if self.catching_up:
            interval *= 2
        return now - self._last_decode >= interval * SAMPLE_RATE

    @property
    def _window_full(self) -> bool:
        return self.window_seconds >= self.config.max_window_s

    def _partial_decode(self) -> list[Event]:
        assert self._window_start is not None
        return self._take_partial(self._decode(self._window_start, self._audio.end, "partial"))

    def _take_partial(self, words: list[Word]) -> list[Event]:
        """A decode of the open window: commit what two decodes agree on, show the rest.
        A draft that fell into a repetition loop keeps only the loop's first pass."""
        self._agreement.insert(cut_loop(words), self._rough, self._committed_words())
        events = self._commit(self._agreement.flush())
        if self.window_seconds >= self.config.max_window_s:
            events.extend(self._force_commit())
        elif self.window_seconds > self._trim_length:
            self._trim_at_committed()
        tail = join_words(self._agreement.tail)
        stable = self._display(self._segmenter.pending_text)
        text = self._display(join_words([*self._segmenter.pending, *self._agreement.tail])) \
            if tail else stable
        events.extend(self._set_partial(text, stable))
        return events

    def _trim_at_committed(self) -> None:
        """Move the window start to a committed clause end of the open sentence (or its last
        committed word, once the window is twice the trim length): :func:`clause_cut`."""
        assert self._window_start is not None
        cut = clause_cut(self._segmenter.pending, self._window_start,
                         self.window_seconds > 2 * self._trim_length)
        if cut is not None:
            self._window_start = int(cut.start * SAMPLE_RATE)
            self._agreement.drop_before(cut.start)

    def _force_commit(self) -> list[Event]:
        """The window is full: close the open sentence where it stands and trim after it.

        Without any agreed word (the last decodes disagree everywhere, or file mode decodes
        only once per window) the newest hypothesis is committed up to its last sentence or
        clause end, or else all but its last word, which may be cut mid-way.  If the window is
        still full after that, the words in it are committed unconfirmed (all but the last)
        before it is trimmed: a trim never lets go of a word nobody committed.
        """
        events: list[Event] = []
        if not self._segmenter.pending:
            tail = self._agreement.tail
            events.extend(self._commit(self._agreement.commit_tail(safe_prefix(tail))))
        events.extend(self._emit(self._segmenter.flush()))
        if self.window_seconds >= self.config.max_window_s:
            rest = len(self._agreement.tail) - 1
            if rest > 0:
                events.extend(self._commit(self._agreement.commit_tail(rest)))
                events.extend(self._emit(self._segmenter.flush()))
        if self.window_seconds >= self.config.max_window_s:
            self._trim_uncommitted()
        return events

    def _trim_uncommitted(self) -> None:
        """A full window that kept nothing to commit keeps its newest half: :func:`empty_cut`."""
        assert self._window_start is not None
        self._window_start = empty_cut(self._audio.end, self._window_start,
                                       self.config.max_window_s, self._agreement.tail)
        self._agreement.drop_before(self._window_start / SAMPLE_RATE)

    # -- helpers ------------------------------------------------------------------------
    def _decode(self, start: int, stop: int, kind: str) -> list[Word]:
        """Decode ``[start, stop)``, the open window (see :meth:`WindowDecoder.decode`)."""
        decoded = self._decoder.decode(start, stop, kind, self._utterance_start, self._spoken,
                                       self._segmenter.pending)
        if decoded.start != start:  # the sentence before was no context: the window drops it
            self._window_start = decoded.start
            self._agreement.reset(decoded.start / SAMPLE_RATE)
        self._last_decode = self._audio.end
        self._spoken, self._rough = decoded.language, decoded.rough_times
        return cut_echoes(decoded.words, self._committed_words())

    def _committed_words(self) -> list[Word]:
        return [*self._recent, *self._segmenter.pending]

    def _commit(self, words: list[Word]) -> list[Event]:
        if not words:
            return []
        return self._emit(self._segmenter.add(words, self._spoken))

    def _emit(self, segments: list[Segment]) -> list[Event]:
        events: list[Event] = []
        for segment in segments:
            text = self._display(segment.text, segment.language)
            if not text:
                continue
            events.append(Sentence(self._index, segment.words[0].start, segment.words[-1].end,
                                   segment.language, text))
            self._index += 1
            self._decoder.committed(segment.text)
            self._last_words = segment.words
            self._recent.extend(segment.words)
            if self._window_start is not None:
                # Trim the window at the sentence end: later decodes start there.  Its last
                # word stays known as committed: with rough times the next window may begin
                # inside it and hear it again.
                cut = int(segment.words[-1].end * SAMPLE_RATE)
                self._window_start = max(self._window_start, min(cut, self._audio.end))
                self._agreement.drop_before(segment.words[-1].start)
        return events

    def _display(self, text: str, language: str | None = None) -> str:
        lang = language or self._spoken
        return self._transform(text, lang) if self._transform else text

    def _set_partial(self, text: str, stable: str = "") -> list[Event]:
        if text == self._partial:
            return []
        self._partial = text
        return [Partial(text, stable)]

    def _trim(self) -> None:
        """Keep only the open window, or the audio a new utterance's padding may reach."""
        end = self._audio.end
        if self._window_start is not None:
            keep_from = self._window_start
        else:
            keep_from = end - 2 * self._pad - self._gate_window
            if self._last_words:  # the context a next utterance may be decoded with
                context_start = int((self._last_words[0].start - 0.1) * SAMPLE_RATE)
                if end - context_start <= (self.config.context_s + 30) * SAMPLE_RATE:
                    keep_from = min(keep_from, context_start)
        self._audio.keep_from(keep_from)
