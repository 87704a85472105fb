"""The recognizer's decisions, with a scripted Transcriber (real Silero VAD on real speech).

The real-model tests (test_recognizer_stream, test_asr_real) check what comes out; these check
when the recognizer decodes, with which language, as a draft or not, and what it commits,
against a transcriber whose answers are known in advance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from whispertrans_tray.app import live
from whispertrans_tray.core.recognizer import RecognizerConfig, StreamingRecognizer
from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Event, Sentence, Transcript, Word
from whispertrans_tray.providers.vad_silero import SileroVad


@dataclass
class Call:
    seconds: float
    language: str | None
    prompt: str
    draft: bool
    prefer: str | None


@dataclass
class ScriptedTranscriber:
    """Says ``final`` for a final decode; partial decodes say ``partial(n)`` for the n-th one.

    Words are spread evenly over the first half of the window, so they fit any window.
    """

    final: str = "Ask not what your country can do for you."
    partial: str | None = None  # None: partials say the same as finals
    changing: bool = False  # every partial says something new (no two agree)
    language: tuple[str, float] = ("en", 0.95)  # what detection hears, and how clearly
    calls: list[Call] = field(default_factory=list)

    def transcribe(self, audio: Audio, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None) -> Transcript:
        self.calls.append(Call(audio.size / SAMPLE_RATE, language, prompt, draft, prefer))
        text = self.final
        if draft:
            text = self.partial if self.partial is not None else self.final
            if self.changing:
                text = f"guess{len(self.calls)} maybe{len(self.calls)}"
        tokens = text.split()
        step = audio.size / SAMPLE_RATE / 2 / len(tokens)
        words = tuple(Word(i * step, (i + 1) * step, " " + token)
                      for i, token in enumerate(tokens))
        if language is not None:
            return Transcript(words, language)
        return Transcript(words, *self.language)


def speech_with_pauses(clip) -> Audio:  # type: ignore[no-untyped-def]
    """Two utterances of real speech, each followed by 5 s of silence (longer than
    ``RecognizerConfig.context_s``: the second is not decoded with the first as context)."""
    speech = clip("jfk.flac")[: 3 * SAMPLE_RATE]
    silence = np.zeros(5 * SAMPLE_RATE, dtype=np.float32)
    return np.concatenate([speech, silence, speech, silence])


def run(transcriber: ScriptedTranscriber, audio: Audio,
        config: RecognizerConfig) -> tuple[StreamingRecognizer, list[Event]]:
    recognizer = StreamingRecognizer(transcriber, SileroVad(), config)
    step = SAMPLE_RATE // 10
    chunks = (audio[i:i + step] for i in range(0, audio.size, step))
    return recognizer, list(live.events(chunks, recognizer))


def sentences(events: list[Event]) -> list[Sentence]:
    return [e for e in events if isinstance(e, Sentence)]


def test_each_utterance_ends_in_one_final_decode_after_drafts(clip) -> None:  # type: ignore[no-untyped-def]
    fake = ScriptedTranscriber()
    recognizer, _ = run(fake, speech_with_pauses(clip), RecognizerConfig("en"))
    decodes = recognizer.decodes
    finals = [c for c in fake.calls if not c.draft]
    # one final per utterance: decoded once the pause is confirmed, or already at the dip in
    # speech (speculative) and used when the pause confirms it
    assert decodes["final"] + decodes["speculative_used"] == 2
    assert len(finals) == decodes["final"] + decodes["speculative"]
    assert decodes["partial"] == len(fake.calls) - len(finals) >= 2
    assert not fake.calls[-1].draft  # the utterance's last word is a final decode
    assert all(c.seconds <= 3.5 for c in fake.calls)  # never more than the utterance


def test_a_set_language_is_always_the_one_decoded(clip) -> None:  # type: ignore[no-untyped-def]
    fake = ScriptedTranscriber()
    run(fake, speech_with_pauses(clip), RecognizerConfig("de"))
    assert {(c.language, c.prefer) for c in fake.calls} == {("de", None)}


def test_a_clearly_heard_language_is_preferred_from_then_on(clip) -> None:  # type: ignore[no-untyped-def]
    fake = ScriptedTranscriber(language=("ja", 0.9))
    _, events = run(fake, speech_with_pauses(clip), RecognizerConfig(None))
    assert all(c.language is None for c in fake.calls)  # detected with every decode
    assert fake.calls[0].prefer is None
    assert {c.prefer for c in fake.calls[1:]} == {"ja"}
    assert {s.language for s in sentences(events)} == {"ja"}


def test_an_unclear_language_is_not_preferred(clip) -> None:  # type: ignore[no-untyped-def]
    fake = ScriptedTranscriber(language=("en", 0.3))
    run(fake, speech_with_pauses(clip), RecognizerConfig(None))
    assert {c.prefer for c in fake.calls} == {None}


def test_disagreeing_drafts_commit_nothing_until_the_final(clip) -> None:  # type: ignore[no-untyped-def]
    fake = ScriptedTranscriber(changing=True)
    _, events = run(fake, speech_with_pauses(clip), RecognizerConfig("en"))
    said = [s.text for s in sentences(events)]
    assert said == [fake.final, fake.final]  # only final decodes were committed
    assert not any("guess" in s for s in said)


def test_agreeing_drafts_commit_before_the_utterance_ends(clip) -> None:  # type: ignore[no-untyped-def]
    fake = ScriptedTranscriber(partial="Ask not. What your country")
    recognizer = StreamingRecognizer(fake, SileroVad(), RecognizerConfig("en"))
    audio = speech_with_pauses(clip)
    first_sentence_at = None
    for i in range(0, audio.size, SAMPLE_RATE // 10):
        if sentences(recognizer.feed(audio[i:i + SAMPLE_RATE // 10])) and \
                first_sentence_at is None:
            first_sentence_at = recognizer.decodes["final"]
    assert first_sentence_at == 0, "two agreeing drafts commit without waiting for a pause"


def test_file_mode_decodes_only_whole_utterances(clip) -> None:  # type: ignore[no-untyped-def]
    fake = ScriptedTranscriber()
    _, events = run(fake, speech_with_pauses(clip), RecognizerConfig("en",
                                                                     partial_interval_s=None))
    assert [c.draft for c in fake.calls] == [False, False]
    assert [s.index for s in sentences(events)] == [0, 1]
    assert not [e for e in events if not isinstance(e, Sentence) and e.text]  # no partials


def test_a_window_after_a_committed_sentence_is_prompted_with_it(clip) -> None:  # type: ignore[no-untyped-def]
    fake = ScriptedTranscriber()  # drafts agree: the sentence commits while speech goes on
    _, events = run(fake, speech_with_pauses(clip), RecognizerConfig("en"))
    first, *_ = sentences(events)
    assert first.end < 3.0  # committed during the first utterance
    finals = [c for c in fake.calls if not c.draft]
    # the final decodes only the audio after that sentence, with the sentence as the prompt
    assert all(c.prompt == fake.final and c.seconds < 2.0 for c in finals)
    drafts_at_utterance_start = [fake.calls[0], fake.calls[len(fake.calls) // 2]]
    assert all(c.prompt == "" for c in drafts_at_utterance_start)
