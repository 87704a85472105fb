"""Speech recognition on a remote OpenAI-compatible server: ``POST /v1/audio/transcriptions``.

vLLM, speaches/faster-whisper-server, whisper.cpp's server and LocalAI serve it.  Each decode
sends the window as 16 kHz mono FLAC (lossless, about a third smaller than WAV; a server that
refuses it gets WAV from then on) through the ``openai`` SDK with the language, a prompt (the
glossary's source terms, then the committed context) and ``response_format=verbose_json``
with word timestamps; a server that gives only segment timestamps has its words spread over
each segment by length.  :class:`RemoteWhisper` is a
:class:`~whispertrans_tray.core.types.Transcriber`: the streaming core does not know where a
decode ran.  Every failure is a :class:`~whispertrans_tray.errors.RecognitionServerError`
that names the cause and the fix (the app then decodes locally).
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from whispertrans_tray import causes, logs
from whispertrans_tray.causes import Phrase
from whispertrans_tray.core.placement import TOLERANCE_S, misplaced
from whispertrans_tray.core.scripts import written_in
from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Transcript, Word
from whispertrans_tray.errors import RecognitionServerError
from whispertrans_tray.providers import _urls, glossary_hints
from whispertrans_tray.providers.whisper_languages import CODES
from whispertrans_tray.providers.whisper_languages import code as language_code

if TYPE_CHECKING:
    import httpx2

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 2.0
TEST_CLIP = Path(__file__).parent / "data" / "test_clip.wav"
"""One second of speech (JFK, public domain: "and so my") for 測試連線 and the probes."""
_PROMPT_CHARS = 600
_KNOWN_CODES = frozenset(CODES.values())
WHISPER_WINDOW_S = 30.0
"""Whisper times a segment within its 30-s window: the last segment of a shorter recording
may end anywhere up to 30 s (its end of speech, not a place in the audio).  Its words are
spread over the part that is in the audio, not over the whole 30 s: spread that way, then
clipped, the last words of a window were piled at its end (the live mode lost "what")."""
_UNSPACED = {"zh", "ja", "yue", "th", "lo", "my", "km", "bo"}  # written without spaces


def base_url(url: str) -> str:
    """``http://host:8000/v1/audio/transcriptions`` or ``…/v1`` → ``http://host:8000/v1``."""
    try:
        return _urls.base_url(url, ("/audio/transcriptions", "/audio/translations", "/models"))
    except _urls.InvalidURLError as exc:
        raise RecognitionServerError("asr.bad_url", url=url, detail=exc.cause) from exc


def wav_bytes(audio: Audio) -> bytes:
    """``audio`` (16 kHz mono float32) as a 16-bit PCM WAV file."""
    pcm = (np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0) * 32767.0).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(pcm.tobytes())
    return buffer.getvalue()


def flac_bytes(audio: Audio) -> bytes:
    """``audio`` (16 kHz mono float32) as a 16-bit FLAC file: the same samples as
    :func:`wav_bytes` (lossless), fewer bytes.  PyAV (faster-whisper's own decoder) encodes it."""
    import av

    pcm = (np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0) * 32767.0).astype("<i2")
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="flac") as container:
        stream = container.add_stream("flac", rate=SAMPLE_RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.rate = SAMPLE_RATE
        for packet in (*stream.encode(frame), *stream.encode(None)):
            container.mux(packet)
    return buffer.getvalue()


UPLOADS = {"flac": ("audio.flac", "audio/flac", flac_bytes),
           "wav": ("audio.wav", "audio/wav", wav_bytes)}
"""Upload formats: file name, content type, encoder.  The OpenAI audio API, vLLM and
faster-whisper-server take both; whisper.cpp's server without ``--convert`` takes WAV only."""


@dataclass
class Sent:
    """What a :class:`RemoteWhisper` has sent so far: what each client costs the server."""

    requests: int = 0
    audio_s: float = 0.0
    """Seconds of audio uploaded (windows overlap: the same second is sent several times)."""
    bytes: int = 0
    """Bytes of the audio files uploaded (the multipart form adds a few hundred a request)."""


def read_wav(path: Path = TEST_CLIP) -> Audio:
    """A 16 kHz mono 16-bit WAV file (the test clip) as float32."""
    with wave.open(str(path), "rb") as source:
        data = source.readframes(source.getnframes())
    return (np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0).astype(np.float32)


def build_prompt(terms: Sequence[str], context: str) -> str:
    """The glossary's source terms, then the committed context nearest the audio."""
    glossary = ", ".join(t.strip() for t in terms if t.strip())
    text = f"{glossary}. {context.strip()}" if glossary else context.strip()
    return text[-_PROMPT_CHARS:].strip()


class RemoteWhisper:
    """A :class:`~whispertrans_tray.core.types.Transcriber` on a remote server; one request at
    a time.  ``terms`` (glossary source terms) go into every prompt, the few
    :func:`glossary_hints.select` keeps (a server's Whisper continues a list of like names as
    the local one does)."""

    def __init__(self, url: str, model: str, api_key: str | None = None,
                 timeout_s: float = 5.0, terms: Sequence[str] = (),
                 http_client: httpx2.Client | None = None, upload: str = "flac") -> None:
        """``http_client`` replaces the SDK's own HTTP client (httpx2); None: the network.
        ``upload``: the audio file's format (:data:`UPLOADS`); FLAC falls back to WAV for
        good when a server refuses it."""
        import openai

        if api_key:
            logs.register_secret(api_key)  # never logged, whatever logs it
        self.url = base_url(url)
        self.model = model
        self.timeout_s = timeout_s
        # the server's tokenizer is not known here: about 4 characters a token
        self.terms = glossary_hints.select(terms, lambda text: len(text) // 4 + 1)
        self.last_seconds = 0.0
        """Wall time of the last request (encode, HTTP, parse)."""
        self.upload = upload
        self.sent = Sent()
        self._client: Any = openai.OpenAI(
            base_url=self.url, api_key=api_key or "EMPTY",
            timeout=openai.Timeout(timeout_s, connect=CONNECT_TIMEOUT_S), max_retries=0,
            http_client=http_client)

    def close(self) -> None:
        self._client.close()

    def transcribe(self, audio: Audio, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None, *,
                   timeout_s: float | None = None) -> Transcript:
        """Decode ``audio`` on the server within ``timeout_s`` (default: the configured one).

        ``prefer`` cannot be weighed remotely: the server's detection stands.  A draft asks
        for temperature 0 (no fallback retries on the server).
        """
        import openai

        started = time.perf_counter()
        seconds = timeout_s or self.timeout_s
        options: dict[str, Any] = {}
        if language:
            options["language"] = language
        text = build_prompt(self.terms, prompt)
        if text:
            options["prompt"] = text
        if draft:
            options["temperature"] = 0.0
        file_name, file_type, encode = UPLOADS[self.upload]
        payload = encode(audio)
        for attempt in (1, 2):
            left = seconds - (time.perf_counter() - started)
            try:
                self.sent.requests += 1
                self.sent.audio_s += audio.size / SAMPLE_RATE
                self.sent.bytes += len(payload)
                raw = self._client.audio.transcriptions.with_raw_response.create(
                    file=(file_name, payload, file_type), model=self.model,
                    response_format="verbose_json", timestamp_granularities=["word", "segment"],
                    timeout=openai.Timeout(left, connect=min(CONNECT_TIMEOUT_S, left)),
                    **options)
                response = raw.http_response
                body = response.text
                break
            except Exception as exc:
                error = map_error(exc, self.url, seconds)
                if self.upload != "wav" and error.key == "asr.remote_not_compatible" \
                        and _refused_upload(exc) and attempt == 1:
                    log.info("%s refused a %s upload; sending WAV from now on", self.url,
                             self.upload)
                    self.upload = "wav"
                    file_name, file_type, encode = UPLOADS["wav"]
                    payload = encode(audio)
                    continue
                # A kept-alive connection the server had just closed: one more try at once.
                if (attempt == 2 or error.key != "asr.remote_unreachable"
                        or seconds - (time.perf_counter() - started) < seconds / 2):
                    self.last_seconds = time.perf_counter() - started
                    raise error from exc
        kind = response.headers.get("content-type", "")
        try:
            data = json.loads(body)
        except ValueError:
            log.info("The recognition server %s answered %s, not JSON: %r", self.url,
                     kind or "without a content type", body[:200])
            raise RecognitionServerError(
                "asr.remote_not_compatible", host=causes.host(self.url),
                detail=Phrase.of("cause.web_page" if "html" in kind or body.lstrip()[:1] == "<"
                                 else "cause.not_json")) from None
        result = parse(data, audio.size / SAMPLE_RATE, language or prefer or "",
                       asked=language)
        self.last_seconds = time.perf_counter() - started
        return result


def _refused_upload(exc: BaseException) -> bool:
    """An HTTP 400/415/422 answer: the server may not read the file's format."""
    status = getattr(exc, "status_code", None)
    return status in (400, 415, 422)


def map_error(exc: BaseException, url: str, seconds: float) -> RecognitionServerError:
    """The :class:`RecognitionServerError` that explains ``exc`` (an openai/network error)."""
    import httpx2
    import openai

    if isinstance(exc, RecognitionServerError):
        return exc
    log.info("Recognition request to %s failed: %r", url, exc)
    host = causes.host(url)
    if isinstance(exc, openai.APITimeoutError):
        return RecognitionServerError("asr.remote_timeout", host=host, seconds=seconds)
    if any(isinstance(e, httpx2.DecodingError) for e in causes.chain(exc)):
        # A body that cannot be decoded (garbage under "Content-Encoding: gzip"): the server
        # was reached and answered, unreadably.
        return RecognitionServerError("asr.remote_bad_answer",
                                      detail=Phrase.of("cause.undecodable_body"))
    if isinstance(exc, openai.APIConnectionError):
        if any(isinstance(e, httpx2.TimeoutException) for e in causes.chain(exc)):
            return RecognitionServerError("asr.remote_timeout", host=host, seconds=seconds)
        return RecognitionServerError("asr.remote_unreachable", host=host,
                                      detail=causes.network(exc))
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        said = causes.server_message(exc.body)
        words = Phrase.of("cause.server_said", said=said) if said \
            else Phrase.of("cause.server_silent")
        if status in (401, 403):
            return RecognitionServerError("asr.remote_auth", status=status)
        if status == 413:
            return RecognitionServerError("asr.remote_too_large", detail=words)
        if status >= 500:
            return RecognitionServerError("asr.remote_server_error", status=status,
                                          detail=words)
        return RecognitionServerError("asr.remote_not_compatible", host=host, detail=Phrase.of(
            "cause.http_status_said", status=status, said=said) if said
            else Phrase.of("cause.http_status", status=status))
    return RecognitionServerError("asr.remote_bad_answer",
                                  detail=Phrase.of("cause.unreadable_answer"))


def _spaced(text: str, language: str) -> str:
    """A word as Whisper writes it: a leading space unless the language has none."""
    if language in _UNSPACED or text.startswith(" "):
        return text
    return " " + text


def _spread(text: str, start: float, end: float, language: str) -> list[Word]:
    """Words of a segment ``text`` with times spread over ``start``–``end`` by length."""
    pieces = re.findall(r"\s*\S+", text)
    if language in _UNSPACED:  # one "word" per character, punctuation kept with the previous
        pieces = re.findall(r"\s*\S[\s\W]*", text.strip())
    total = sum(len(p.strip()) for p in pieces) or 1
    words: list[Word] = []
    at = start
    for piece in pieces:
        step = (end - start) * len(piece.strip()) / total
        words.append(Word(at, at + step, piece if language in _UNSPACED else _spaced(
            piece.strip(), language)))
        at += step
    return words


def parse(data: Any, duration: float, language: str = "", *,
          asked: str | None = None) -> Transcript:
    """A ``verbose_json`` answer → :class:`Transcript` (times clipped to ``duration``).

    Word timestamps when the server gives them; else each segment's words spread over the
    segment (a segment that ends past the audio, within Whisper's 30-s window, over the part
    in the audio: :data:`WHISPER_WINDOW_S`).  Refused (:class:`RecognitionServerError`, so
    the window is decoded locally instead): text without any timestamps; times that cannot
    be placed in the ``duration`` seconds sent (negative, NaN, past the end, reversed, out
    of order: :func:`~whispertrans_tray.core.placement.placeable`); and, when a language
    was ``asked``, an answer in another one (its letters in another script, or the server
    naming another language).
    """
    if not isinstance(data, dict):
        raise RecognitionServerError("asr.remote_bad_answer",
                                     detail=Phrase.of("cause.not_object"))
    named = language_code(str(data.get("language") or ""))
    spoken = language_code(asked or named or language or "")
    text = data.get("text")
    if not isinstance(text, str):
        raise RecognitionServerError("asr.remote_bad_answer",
                                     detail=Phrase.of("cause.no_text"))
    if asked:
        _check_language(text, language_code(asked), named)
    words: list[Word] = []
    rough = False  # the words spread over their segments: no word times of their own
    raw_words = data.get("words")
    if isinstance(raw_words, list) and raw_words:
        for item in raw_words:
            if not isinstance(item, dict):
                continue
            start, end = _time(item.get("start")), _time(item.get("end"))
            word = item.get("word")
            if start is None or end is None or not isinstance(word, str):
                words = []
                break  # a word without times: fall back to the segments
            words.append(Word(start, end, _spaced(word, spoken)))
    if not words:
        for segment in data.get("segments") or ():
            if not isinstance(segment, dict) or not isinstance(segment.get("text"), str):
                continue
            start, end = _time(segment.get("start")), _time(segment.get("end"))
            if start is None or end is None:
                continue
            if duration < end <= max(duration, WHISPER_WINDOW_S) + TOLERANCE_S:
                end = max(duration, start)  # Whisper's end of speech, past the audio sent
            _check_placed(Transcript((Word(start, end, segment["text"]),), spoken), duration)
            words.extend(_spread(segment["text"], start, end, spoken))
            rough = True
    if not words and text.strip():
        raise RecognitionServerError("asr.remote_bad_answer",
                                     detail=Phrase.of("cause.no_timestamps"))
    kept = tuple(w for w in words if w.text.strip())
    _check_placed(Transcript(kept, spoken), duration)
    clipped = tuple(Word(min(max(w.start, 0.0), duration), min(max(w.end, w.start, 0.0),
                                                               duration), w.text)
                    for w in kept)
    return Transcript(clipped, spoken or "en", 1.0, rough)


def _time(value: Any) -> float | None:
    """A timestamp: a number (NaN and infinities kept: they are refused as misplaced), or
    None when there is none."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _check_placed(transcript: Transcript, duration: float) -> None:
    word = misplaced(transcript, duration, TOLERANCE_S)
    if word is not None:
        log.info("The recognition server placed %r at %s-%s s of %.2f s of audio", word.text,
                 word.start, word.end, duration)
        raise RecognitionServerError("asr.remote_bad_answer", detail=Phrase.of(
            "cause.misplaced", word=word.text.strip()[:40], start=word.start, end=word.end,
            duration=duration))


def _check_language(text: str, asked: str, named: str) -> None:
    """An answer in another language than ``asked``: its letters, or the language the server
    ``named`` (a known code that is not the one asked)."""
    other = named if named and named != asked and named in _KNOWN_CODES else ""
    if written_in(text, asked) and not other:
        return
    log.info("Asked the recognition server for %s; it answered %s: %r", asked,
             named or "without naming a language", text[:80])
    raise RecognitionServerError("asr.remote_wrong_language", asked=asked,
                                 got=other or named or "?", sample=text.strip()[:40])
