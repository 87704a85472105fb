"""Glossary source terms as recognition hints, bounded so they can never replace speech.

faster-whisper puts ``hotwords`` where Whisper's previous text goes (``<|startofprev|>`` then
the hotword tokens, then the prompt: ``WhisperModel.get_prompt``, cut at 223 tokens).  To the
decoder they are text it has just "heard", and a list of like names is a pattern it continues:
with the 30 names ``Galaxy S24``, ``Galaxy S24+``, ``Galaxy S24 Ultra`` … ``Galaxy S15 Ultra``
the bundled base model wrote JFK's speech as "Galaxy S21, Galaxy S21, …" (file and live
mode), and even five of them did.  So:

* :func:`select` sends few terms: distinct (case-insensitively), the shortest form of a family
  (``Galaxy S24`` stands for ``Galaxy S24+`` and ``Galaxy S24 Ultra``), one term of a
  numbered series (``Galaxy S24`` for ``Galaxy S23`` …: Whisper writes the number it hears,
  the term gives the name's spelling), one term per leading word (``Galaxy Alpha`` …
  ``Galaxy Kappa``, ten like names, still took JFK over: the first spells the shared word),
  and at most
  :data:`MAX_TERMS` terms and :data:`MAX_TOKENS` tokens, in the glossary's order (the first
  terms of a long glossary are the ones that help recognition; every term still goes to the
  translation prompt); :func:`absent` leaves out, per decode, the terms its prompt (the
  recent committed text) already holds.
* :func:`taken_over` tells a decode whose words are mostly glossary words, which the audio
  does not hold, that loops (".K.K.K.K…" came out of JFK with those ten names), or that is
  empty for a second of audio or more (a 12-s window of multilingual.mp3 came out empty with
  the one hotword "Galaxy S24", a whole sentence without it): that window is decoded again
  without hotwords
  (:class:`~whispertrans_tray.providers.asr_faster_whisper.FasterWhisper`).  A real sentence
  that names a term ("We deployed it on Kubernetes yesterday.") is far below the share.

benchmarks/RESULTS.md, "Glossary hotwords", has the WER of the shared clips with and without
a large glossary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Sequence

MAX_TERMS = 10
"""Glossary terms sent as hotwords at most (the first distinct ones)."""
MAX_TOKENS = 64
"""Whisper tokens of hotwords at most (faster-whisper would take up to 223): the prompt and
the text keep most of Whisper's 448-token context."""
TAKEOVER_SHARE = 0.5
"""A decode of at least :data:`TAKEOVER_MIN_WORDS` words of which this share or more are
glossary words is taken over by the hotwords, not heard."""
TAKEOVER_MIN_WORDS = 4
EMPTY_MIN_S = 1.0
"""No words for this much audio or more, with hotwords: decoded again without them (the
window the recognizer decodes holds speech, its VAD says so)."""
_LOOP = re.compile(r"(.{2,16}?)\1{4,}", re.DOTALL)
"""Five or more copies of the same few characters in a row: a loop.  (A speaker's "no, no,
no, no, no" is decoded once more without hotwords: it costs a decode, never a word.)"""
_SEPARATOR = ", "
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _words(text: str) -> list[str]:
    return _WORD.findall(_fold(text))


def _covered(key: str, keys: Container[str]) -> bool:
    """Does a leading form of ``key`` stand in ``keys`` (``galaxy s24`` for ``galaxy s24
    ultra`` or ``galaxy s24+``; not for ``galaxy s240``)?"""
    return any(key[:end].rstrip() in keys for end in range(1, len(key))
               if not (key[end - 1].isalnum() and key[end].isalnum()))


def select(terms: Sequence[str], count_tokens: Callable[[str], int]) -> tuple[str, ...]:
    """The terms worth sending as hotwords, in the glossary's order (see the module text);
    ``count_tokens`` counts the Whisper tokens of a text."""
    distinct: dict[str, str] = {}
    for term in terms:
        text = " ".join(term.split())
        if text and _fold(text) not in distinct:
            distinct[_fold(text)] = text
    chosen: list[str] = []
    shapes: set[str] = set()
    leads: set[str] = set()
    used = 0
    for key, text in distinct.items():
        shape = _NUMBER.sub("#", key)
        lead = key.split(" ", 1)[0]
        if shape in shapes or (" " in key and lead in leads) or _covered(key, distinct):
            continue
        cost = count_tokens((_SEPARATOR if chosen else " ") + text)
        if used + cost > MAX_TOKENS:
            continue  # a shorter term further on may still fit
        chosen.append(text)
        shapes.add(shape)
        leads.add(lead)
        used += cost
        if len(chosen) == MAX_TERMS:
            break
    return tuple(chosen)


def absent(terms: Sequence[str], prompt: str) -> tuple[str, ...]:
    """The ``terms`` the ``prompt`` does not hold already (the decode reads them there)."""
    folded = _fold(prompt)
    return tuple(term for term in terms if _fold(term) not in folded)


def join(terms: Sequence[str]) -> str | None:
    """``terms`` as faster-whisper's ``hotwords`` string (None when there are none)."""
    return _SEPARATOR.join(terms) or None


def taken_over(text: str, terms: Sequence[str], seconds: float = 0.0) -> bool:
    """Is a decode's ``text`` of ``seconds`` of audio mostly the words of the hotword
    ``terms``, a loop, or empty (so the hotwords, not the audio, wrote it)?"""
    if not terms:
        return False
    if not text.strip():
        return seconds >= EMPTY_MIN_S
    if _LOOP.search(text):
        return True
    spoken = _words(text)
    if len(spoken) < TAKEOVER_MIN_WORDS:
        return False
    glossary = {word for term in terms for word in _words(term)}
    return sum(word in glossary for word in spoken) >= TAKEOVER_SHARE * len(spoken)
