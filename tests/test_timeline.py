"""The one live loop with two streams (both sides of a call): one model, one decode at a
time, each side's sentences labelled and numbered in one timeline, none lost, a side that
ends early finished at once.  Real model (tiny.en), real recordings."""

from __future__ import annotations

import numpy as np

from tests.conftest import DATA, reference
from tests.textnorm import wer
from whispertrans_tray.__main__ import build_recognizer
from whispertrans_tray.app import live
from whispertrans_tray.app.timeline import Stream, timeline
from whispertrans_tray.core.types import SAMPLE_RATE, Partial, Sentence
from whispertrans_tray.settings import AsrSettings


def test_two_sides_one_timeline(tiny_en_model) -> None:  # type: ignore[no-untyped-def]
    jfk = live.read_audio(DATA / "jfk.flac")
    libri = live.read_audio(DATA / "en_librispeech.wav")
    silence = np.zeros(2 * SAMPLE_RATE, np.float32)
    them_track = np.concatenate([jfk, silence, np.zeros_like(libri), silence])
    me_track = np.concatenate([np.zeros_like(jfk), silence, libri])  # ends first
    asr = AsrSettings(language="en")
    them = build_recognizer(asr, tiny_en_model, live=True)
    me = build_recognizer(asr, tiny_en_model, live=True)
    streams = [Stream(live.file_chunks(them_track, False, live.RunStats()), them, None, "Them",
                      lambda: them.window_seconds > 0),
               Stream(live.file_chunks(me_track, False, live.RunStats()), me, None, "Me",
                      lambda: me.window_seconds > 0)]
    events = list(timeline(streams))
    sentences = [e for e in events if isinstance(e, Sentence)]
    assert [s.index for s in sentences] == list(range(len(sentences)))  # one numbering
    said = {side: " ".join(s.text for s in sentences if s.speaker == side)
            for side in ("Them", "Me")}
    assert wer(reference("jfk.flac"), said["Them"]) <= 0.15, said
    assert wer(reference("en_librispeech.wav"), said["Me"]) <= 0.25, said
    assert all(s.start >= jfk.size / SAMPLE_RATE for s in sentences if s.speaker == "Me")
    assert {e.speaker for e in events if isinstance(e, Partial)} <= {"Them", "Me"}
    assert all(s.committed_at is not None and s.committed_at >= s.end for s in sentences)


def test_one_stream_is_the_live_loop_unlabelled(tiny_en_model) -> None:  # type: ignore[no-untyped-def]
    recognizer = build_recognizer(AsrSettings(language="en"), tiny_en_model, live=True)
    jfk = live.read_audio(DATA / "jfk.flac")
    sentences = [e for e in live.events(live.file_chunks(jfk, False, live.RunStats()),
                                        recognizer) if isinstance(e, Sentence)]
    assert sentences and all(s.speaker == "" for s in sentences)
    assert [s.index for s in sentences] == list(range(len(sentences)))


def test_labels_follow_the_ui_language_and_the_settings() -> None:
    from whispertrans_tray import settings as settings_mod
    from whispertrans_tray.app import both

    chinese = settings_mod.replace(settings_mod.Settings(), "audio.source", "both")
    assert both.labels(chinese) == both.Labels("對方", "我")
    english = settings_mod.replace(chinese, "ui_language", "en")
    assert both.labels(english) == both.Labels("Them", "Me")
    named = settings_mod.replace(english, "audio.label_them", "Client")
    assert both.labels(named) == both.Labels("Client", "Me")
    translated = both.translated(english)  # your own side: transcribed only, by default
    assert translated(Sentence(0, 0, 1, "en", "Hi.", 1.0, "Them"))
    assert not translated(Sentence(1, 1, 2, "en", "Hello.", 2.0, "Me"))
    me_too = settings_mod.replace(english, "translation.translate_me", True)
    assert both.translated(me_too)(Sentence(1, 1, 2, "en", "Hello.", 2.0, "Me"))
