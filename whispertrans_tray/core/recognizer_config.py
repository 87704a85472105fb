"""The streaming recognizer's parameters."""

from __future__ import annotations

from dataclasses import dataclass, field

from whispertrans_tray.core.vad import VadConfig


@dataclass(frozen=True)
class RecognizerConfig:
    """Streaming recognizer parameters.

    Attributes:
        language: Whisper language code, or None to detect it with every decode (free: it
            shares the decode's encoder pass); the language heard so far is kept unless a
            decode clearly hears another.
        partial_interval_s: New audio needed before a partial decode; None disables partial
            decodes (file mode without a viewer: only finals and window commits).
        max_window_s: Longest audio window; past it the open sentence is committed as it
            stands and the window trimmed.  Whisper sees at most 30 s.
        trim_window_s: Past this length the window is trimmed after the last committed word
            (preferably a clause end) even inside a sentence; the committed text becomes the
            decode prompt.  Shorter windows decode faster, so lag stays flat in long speech.
        behind_s: A feed that brings more audio than this means the caller fell behind (each
            decode took longer than the audio it covered).  The recognizer then catches up:
            the window is trimmed at half the length and partial decodes wait for twice the
            interval, so decodes get cheaper and fewer until the caller is current again.
        min_speech_ms: Shorter utterances are dropped (they are clicks and breaths that Whisper
            turns into hallucinated words).
        max_sentence_width: Sentence length limit in display columns.
        context_s: A new utterance that starts less than this after the previous sentence
            ended is decoded together with that sentence's audio.  Whisper decodes short
            fragments ("ask not") poorly on their own; the context words are known and are
            not committed again.  The language is still detected on the new audio alone.
        speculative_finals: Start the final decode when speech dips, during the VAD's wait for
            the silence that confirms its end (live mode only: with partial decodes on).
        commit_sentence_at_dip: A speculative final whose last word ends a sentence is
            committed at once, without waiting for the silence that confirms the end; speech
            that resumes is a new utterance with that sentence as context.  In the A/B of
            benchmarks/bench_early_commit.py, p50 0.90 s instead of 1.33 s, with the same
            WER (benchmarks/RESULTS.md).
        vad: VAD gate parameters.
    """

    language: str | None = None
    partial_interval_s: float | None = 1.0
    max_window_s: float = 20.0
    trim_window_s: float = 8.0
    behind_s: float = 2.0
    min_speech_ms: int = 250
    max_sentence_width: int = 120
    context_s: float = 4.0
    speculative_finals: bool = True
    commit_sentence_at_dip: bool = True
    vad: VadConfig = field(default_factory=VadConfig)
