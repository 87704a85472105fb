"""The decode window stays bounded whatever the decoder answers (scripted transcriber).

A long stretch that the VAD calls speech but Whisper turns into no words (music, noise, a
language it cannot follow) once grew the window to 25–36 s: decodes got slower and the token
budget overflowed. The decision logic is tested here with a scripted ``Transcriber`` and a
VAD that hears speech everywhere; the real model is tested in test_asr_real.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from whispertrans_tray.core.recognizer import RecognizerConfig, StreamingRecognizer
from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Sentence, Transcript, Word


class AlwaysSpeech:
    """A VAD model that hears speech in every window."""

    window = 512

    def __call__(self, windows: Audio) -> npt.NDArray[np.float32]:
        return np.ones(len(windows), dtype=np.float32)

    def reset(self) -> None:
        pass


class ScriptedTranscriber:
    """Answers each decode from a script of word lists (window-relative times); records
    the length of every window it was given."""

    def __init__(self, script: list[list[tuple[float, float, str]]]) -> None:
        self.script = script
        self.windows: list[float] = []

    def transcribe(self, audio: Audio, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None) -> Transcript:
        seconds = len(audio) / SAMPLE_RATE
        self.windows.append(seconds)
        answer = self.script[min(len(self.windows) - 1, len(self.script) - 1)]
        words = tuple(Word(s, e, t) for s, e, t in answer if e <= seconds)
        return Transcript(words, language or "en", 1.0)


def run(transcriber: ScriptedTranscriber, config: RecognizerConfig, seconds: float,
        chunk_s: float) -> list[Sentence]:
    recognizer = StreamingRecognizer(transcriber, AlwaysSpeech(), config)
    audio = np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)
    step = int(chunk_s * SAMPLE_RATE)
    events = []
    for i in range(0, audio.size, step):
        events.extend(recognizer.feed(audio[i:i + step]))
    events.extend(recognizer.finish())
    return [e for e in events if isinstance(e, Sentence)]


@pytest.mark.parametrize(("mode", "interval", "chunk_s"), [("file", None, 1.0),
                                                           ("live", 1.0, 0.5)])
def test_no_words_never_grow_the_window(mode: str, interval: float | None,
                                        chunk_s: float) -> None:
    transcriber = ScriptedTranscriber([[]])
    config = RecognizerConfig(language="en", partial_interval_s=interval)
    run(transcriber, config, 120.0, chunk_s)
    assert transcriber.windows, mode
    assert max(transcriber.windows) <= config.max_window_s + chunk_s, transcriber.windows


def test_one_unconfirmed_word_never_grows_the_window() -> None:
    transcriber = ScriptedTranscriber([[(0.5, 1.0, " la")]])
    config = RecognizerConfig(language="en", partial_interval_s=None)
    run(transcriber, config, 120.0, 1.0)
    assert max(transcriber.windows) <= config.max_window_s + 1.0, transcriber.windows


def test_words_after_a_wordless_stretch_are_still_committed() -> None:
    """Trimming a wordless window keeps the newest audio: speech that starts there is heard."""
    silent = [[] for _ in range(6)]
    speech = [[(0.2, 0.6, " Hello"), (0.7, 1.2, " there.")]]
    transcriber = ScriptedTranscriber(silent + speech)
    config = RecognizerConfig(language="en", partial_interval_s=None)
    sentences = run(transcriber, config, 130.0, 1.0)
    assert [s.text for s in sentences][:1] == ["Hello there."]
    assert max(transcriber.windows) <= config.max_window_s + 1.0


class ScriptedVad:
    """A VAD model that hears speech in the given (start, end) seconds of the stream."""

    window = 512

    def __init__(self, speech: list[tuple[float, float]]) -> None:
        self.speech = speech
        self.position = 0

    def __call__(self, windows: Audio) -> npt.NDArray[np.float32]:
        out = []
        for _ in range(len(windows)):
            t = self.position / SAMPLE_RATE
            out.append(1.0 if any(s <= t < e for s, e in self.speech) else 0.0)
            self.position += self.window
        return np.asarray(out, dtype=np.float32)

    def reset(self) -> None:
        self.position = 0


def feed_in(recognizer: StreamingRecognizer, seconds: list[float]) -> list[Sentence]:
    """Feed silence-valued audio in pieces of the given lengths (the VAD is scripted)."""
    events = []
    for length in seconds:
        events.extend(recognizer.feed(np.zeros(int(length * SAMPLE_RATE), np.float32)))
    events.extend(recognizer.finish())
    return [e for e in events if isinstance(e, Sentence)]


SAID = [[(0.3, 0.8, " Good"), (0.9, 1.6, " morning.")]]


def test_a_dip_starts_the_final_and_its_confirmation_commits_it() -> None:
    """Speech 0.5–2.5 s. The feed that ends at 2.8 s sees the dip and its 200 ms of padding:
    the final is decoded then, during the VAD's 500 ms wait; the next feed confirms the end
    and commits that decode without decoding again."""
    transcriber = ScriptedTranscriber(SAID)
    recognizer = StreamingRecognizer(transcriber, ScriptedVad([(0.5, 2.5)]),
                                     RecognizerConfig(language="en", partial_interval_s=5.0,
                                                      commit_sentence_at_dip=False))
    sentences = feed_in(recognizer, [2.8, 1.0])
    assert [s.text for s in sentences] == ["Good morning."]
    assert recognizer.decodes["speculative"] == 1 and recognizer.decodes["speculative_used"] == 1
    assert recognizer.decodes["final"] == 0 and len(transcriber.windows) == 1


def test_a_dip_after_a_whole_sentence_commits_it_without_the_silence_wait() -> None:
    """The final decoded at the dip ends in a full stop: it is committed by the same feed,
    not 500 ms later when the VAD confirms the end; the confirmation decodes nothing."""
    transcriber = ScriptedTranscriber(SAID)
    recognizer = StreamingRecognizer(transcriber, ScriptedVad([(0.5, 2.5)]),
                                     RecognizerConfig(language="en", partial_interval_s=5.0,
                                                      commit_sentence_at_dip=True))
    first = recognizer.feed(np.zeros(int(2.8 * SAMPLE_RATE), np.float32))
    assert [e.text for e in first if isinstance(e, Sentence)] == ["Good morning."]
    assert feed_in(recognizer, [1.0]) == []
    assert len(transcriber.windows) == 1 and recognizer.decodes["final"] == 0


def test_a_dip_inside_a_sentence_still_waits_for_the_silence() -> None:
    transcriber = ScriptedTranscriber([[(0.3, 0.8, " Good"), (0.9, 1.6, " morning,")]])
    recognizer = StreamingRecognizer(transcriber, ScriptedVad([(0.5, 2.5)]),
                                     RecognizerConfig(language="en", partial_interval_s=5.0,
                                                      commit_sentence_at_dip=True))
    first = recognizer.feed(np.zeros(int(2.8 * SAMPLE_RATE), np.float32))
    assert not any(isinstance(e, Sentence) for e in first)
    assert [s.text for s in feed_in(recognizer, [1.0])] == ["Good morning,"]


def test_speech_resuming_after_an_early_commit_starts_a_new_sentence() -> None:
    """The committed sentence is never revised; the speech after the dip is decoded as a new
    utterance with that sentence as context (whose words are not committed again) and comes
    out as the next sentence."""
    again = [(0.1, 0.6, " Good"), (0.7, 1.4, " morning.")]  # the context, heard again
    transcriber = ScriptedTranscriber(
        [*SAID, [*again, (2.5, 2.8, " How"), (2.9, 3.1, " are"), (3.2, 3.5, " you?")]])
    recognizer = StreamingRecognizer(transcriber, ScriptedVad([(0.5, 2.5), (2.9, 4.0)]),
                                     RecognizerConfig(language="en", partial_interval_s=5.0,
                                                      commit_sentence_at_dip=True))
    sentences = feed_in(recognizer, [2.8, 0.5, 2.0])
    assert [s.text for s in sentences] == ["Good morning.", "How are you?"]
    assert [s.index for s in sentences] == [0, 1]
    assert sentences[1].start >= sentences[0].end


def test_speech_that_resumes_after_a_dip_is_decoded_again() -> None:
    transcriber = ScriptedTranscriber(SAID)
    recognizer = StreamingRecognizer(transcriber, ScriptedVad([(0.5, 2.5), (2.9, 3.6)]),
                                     RecognizerConfig(language="en", partial_interval_s=5.0,
                                                      commit_sentence_at_dip=False))
    feed_in(recognizer, [2.8, 2.0])
    assert recognizer.decodes["speculative"] == 1 and recognizer.decodes["speculative_used"] == 0
    assert recognizer.decodes["final"] == 1  # the utterance went on: its real end is decoded


def test_file_mode_never_speculates() -> None:
    transcriber = ScriptedTranscriber(SAID)
    recognizer = StreamingRecognizer(transcriber, ScriptedVad([(0.5, 2.5)]),
                                     RecognizerConfig(language="en", partial_interval_s=None))
    assert [s.text for s in feed_in(recognizer, [2.8, 1.0])] == ["Good morning."]
    assert recognizer.decodes["speculative"] == 0 and recognizer.decodes["final"] == 1


def test_a_silent_remainder_after_the_last_sentence_is_not_decoded() -> None:
    """The stream ends in the dip after a committed sentence: no decode of that silence
    (Whisper hallucinates "Thank you." in it)."""
    transcriber = ScriptedTranscriber(SAID)
    recognizer = StreamingRecognizer(transcriber, ScriptedVad([(0.5, 2.5)]),
                                     RecognizerConfig(language="en", partial_interval_s=5.0))
    sentences = feed_in(recognizer, [2.8, 0.1])  # the stream stops 400 ms into the dip
    assert [s.text for s in sentences] == ["Good morning."]
    assert len(transcriber.windows) == 1


def test_no_speculation_before_the_padding_has_arrived() -> None:
    """The VAD keeps 200 ms after speech: a final decoded sooner could cut the last word."""
    transcriber = ScriptedTranscriber(SAID)
    recognizer = StreamingRecognizer(transcriber, ScriptedVad([(0.5, 2.5)]),
                                     RecognizerConfig(language="en", partial_interval_s=5.0))
    recognizer.feed(np.zeros(int(2.6 * SAMPLE_RATE), np.float32))
    assert recognizer.decodes["speculative"] == 0
