"""Speech recognition with faster-whisper (CTranslate2).

``base`` is the bundled multilingual model (offline).  Any other faster-whisper name is
downloaded on first use (huggingface_hub shows a progress bar); a folder path is loaded as is.
On ``device="auto"`` CUDA is used when CTranslate2 sees a GPU, with a clear fallback to the
CPU when it cannot be used.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from whispertrans_tray.causes import Phrase
from whispertrans_tray.core.types import SAMPLE_RATE, Audio, Transcript, Word
from whispertrans_tray.errors import ModelLoadError
from whispertrans_tray.providers import glossary_hints, model_manager, model_store
from whispertrans_tray.settings import AsrSettings

log = logging.getLogger(__name__)


def _load_cause(exc: BaseException) -> Phrase:
    """Why CTranslate2 could not load a model, in words (its own text goes to the log)."""
    text = str(exc).lower()
    return Phrase.of("cause.out_of_memory" if "memory" in text or isinstance(exc, MemoryError)
                     else "cause.model_files")

CPU_ENCODER_PAD_S = 2.0
"""With the bundled base model on a CPU the encoder sees the audio plus this much padding
instead of a 30-s window: one decode of 2 s of audio takes about a sixth of the time, with the
same WER on the shared clips (benchmarks/RESULTS.md, "Encoder context").  Other models keep the
full window until they are measured (tiny.en repeated committed text with it), and so does a
GPU, which encodes 30 s cheaply."""

BATCH_MIN_CONTEXT_S = 10.0
"""File mode decodes each utterance alone: a short one ("ask not", 1.5 s) encoded with only 2 s of
padding came out as "is not"; padded to at least 10 s it is heard right (jfk.flac)."""

KERNEL_CACHE_ENV = "ONEDNN_PRIMITIVE_CACHE_CAPACITY"
KERNEL_CACHE = "8"
"""Compiled kernels oneDNN (inside CTranslate2) keeps, one per input shape.  Its default, 1024,
at about 1 MiB each, made a live session's memory climb for many minutes: the encoder sees a
new length at nearly every decode (the audio plus :data:`CPU_ENCODER_PAD_S`), so RSS grew with
the shapes seen, towards 1 GiB more.  A handful bounds that at the same decode time
(benchmarks/RESULTS.md, "Memory over a live session").  A value in the environment wins."""

CUDA_DEFAULT_MODEL = "large-v3-turbo"
"""Model used for ``base`` on a machine with a CUDA GPU (downloaded on first use)."""

# Temperatures tried in turn when a decode looks like a hallucination loop.
_TEMPERATURES = (0.0, 0.4, 0.8)
_TOKENS_PER_SECOND = 12  # fast speech is ~ 5 English words or 6 Chinese characters a second
SWITCH_PROBABILITY = 0.7
"""Detected language probability needed to leave the preferred (session) language."""
_MAX_LENGTH = 448  # Whisper's text context: the prompt and the new tokens together
_PREPEND = "\"'“¿([{-"  # faster-whisper's defaults: punctuation kept with the next word
_APPEND = "\"'.。,，!！?？:：”)]}、"  # and with the previous one
_PROMPT_OVERHEAD = 5  # <|startofprev|> before the prompt; <|startoftranscript|><|lang|><|task|>


@dataclass(frozen=True)
class LoadedModel:
    """What was loaded, for the status line and the benchmarks."""

    name: str
    path: str
    device: str
    compute_type: str
    load_seconds: float
    notice: Phrase | None = None
    """A notice for the status line (worded in the UI language where it is shown)."""


def cuda_available() -> bool:
    try:
        import ctranslate2

        return int(ctranslate2.get_cuda_device_count()) > 0
    except Exception:  # a broken CUDA install must not stop the CPU path
        return False


def resolve_model(name: str, device: str) -> str:
    """A folder that holds the CTranslate2 model ``name``, downloading it if needed."""
    if name == model_store.BUNDLED_NAME and device != "cuda":
        return str(model_store.bundled_base())
    if os.path.isdir(name):
        return name
    if name == model_store.BUNDLED_NAME:
        name = CUDA_DEFAULT_MODEL
    from faster_whisper.utils import download_model

    try:
        return str(download_model(name, local_files_only=True))
    except Exception:
        log.info("Whisper model %s is not cached; downloading it", name)
    # the model manager's download: a clear message, and nothing half-written left behind
    return str(model_manager.download(name, lambda done, total: None, threading.Event()))


def _threads(requested: int) -> int:
    return requested if requested > 0 else min(os.cpu_count() or 1, 4)


def load(settings: AsrSettings, terms: Sequence[str] = ()) -> FasterWhisper:
    """Load the model ``settings`` ask for; raises a :class:`ModelError` naming the fix.

    ``terms`` (the glossary's source terms) become faster-whisper ``hotwords``: names Whisper
    would otherwise misspell (a bounded few: :mod:`~whispertrans_tray.providers.glossary_hints`)."""
    # before the first decode: oneDNN reads it when it builds its first kernel
    os.environ.setdefault(KERNEL_CACHE_ENV, KERNEL_CACHE)
    from faster_whisper import WhisperModel

    device = settings.device
    notice: Phrase | None = None
    if device == "auto":
        device = "cuda" if cuda_available() else "cpu"
    compute = settings.compute_type
    if compute == "auto":
        compute = "float16" if device == "cuda" else "int8"
    started = time.perf_counter()
    path = resolve_model(settings.model, device)
    try:
        model: Any = WhisperModel(path, device=device, compute_type=compute,
                                  cpu_threads=_threads(settings.cpu_threads))
    except Exception as exc:
        log.info("Loading Whisper %s from %s on %s/%s failed: %r", settings.model, path,
                    device, compute, exc)
        if device != "cuda":
            raise ModelLoadError(name=settings.model, detail=_load_cause(exc)) from exc
        notice = Phrase.of("model.cuda_fallback", detail=Phrase.of("cause.no_cuda"))
        device, compute = "cpu", "int8"
        path = resolve_model(settings.model, device)
        try:
            model = WhisperModel(path, device=device, compute_type=compute,
                                 cpu_threads=_threads(settings.cpu_threads))
        except Exception as exc2:
            log.info("Loading Whisper %s from %s on the CPU failed: %r", settings.model,
                        path, exc2)
            raise ModelLoadError(name=settings.model, detail=_load_cause(exc2)) from exc2
    info = LoadedModel(settings.model, path, device, compute, time.perf_counter() - started,
                       notice)
    log.info("Loaded Whisper %s from %s on %s/%s in %.2f s", info.name, info.path, device,
             compute, info.load_seconds)
    short = device == "cpu" and settings.model == model_store.BUNDLED_NAME
    return FasterWhisper(model, info, beam_size=settings.beam_size,
                         encoder_pad_s=CPU_ENCODER_PAD_S if short else None, terms=terms)


class FasterWhisper:
    """A :class:`~whispertrans_tray.core.types.Transcriber` over a loaded ``WhisperModel``."""

    def __init__(self, model: Any, info: LoadedModel, beam_size: int = 1,
                 encoder_pad_s: float | None = None, terms: Sequence[str] = ()) -> None:
        """``encoder_pad_s`` None: the encoder sees Whisper's padded 30-s window, as trained;
        a number: only the audio plus that much padding (much faster on a CPU, see
        benchmarks/bench_encoder_context.py for what it costs in accuracy).  ``terms``:
        glossary terms; the few :func:`glossary_hints.select` keeps (:attr:`hotwords`) go
        before the prompt of each decode, and a decode they take over is done again without
        them (:func:`glossary_hints.taken_over`)."""
        self.model = model
        self.info = info
        self.beam_size = beam_size
        self.encoder_pad_s = encoder_pad_s
        self.hotwords = glossary_hints.select(terms, self._count_tokens)
        self.takeovers = 0
        """Decodes the hotwords took over (each was decoded again without them)."""

    def _count_tokens(self, text: str) -> int:
        return len(self.model.hf_tokenizer.encode(text, add_special_tokens=False).ids)

    @property
    def multilingual(self) -> bool:
        return bool(self.model.model.is_multilingual)

    def transcribe(self, audio: Audio, language: str | None, prompt: str = "",
                   draft: bool = False, prefer: str | None = None) -> Transcript:
        """Decode ``audio``; with ``language`` None the language is detected on the same
        encoder pass as the decode (no second encode), and ``prefer`` is kept unless the
        detection names another language with at least :data:`SWITCH_PROBABILITY`."""
        if language is None and not self.multilingual:
            language = "en"
        audio = np.asarray(audio, dtype=np.float32)
        hints = glossary_hints.absent(self.hotwords, prompt)
        result = self._decode(audio, language, prompt, draft, prefer, hints)
        if glossary_hints.taken_over("".join(w.text for w in result.words), hints,
                                     len(audio) / SAMPLE_RATE):
            self.takeovers += 1
            log.info("Hotwords took over a decode (%d words); decoding it without them",
                     len(result.words))
            result = self._decode(audio, language, prompt, draft, prefer, ())
        return result

    def _decode(self, audio: Audio, language: str | None, prompt: str, draft: bool,
                prefer: str | None, hints: Sequence[str]) -> Transcript:
        if language is None or self.encoder_pad_s is not None:
            return self._transcribe_one_pass(audio, language, prompt, draft, prefer, hints)
        segments, info = self.model.transcribe(
            audio, language=language, beam_size=self.beam_size,
            **self._options(audio, prompt, draft, hints))
        return Transcript(_words(segments), str(info.language),
                          float(info.language_probability))

    def _options(self, audio: Audio, prompt: str, draft: bool,
                 hints: Sequence[str]) -> dict[str, Any]:
        hotwords = glossary_hints.join(hints)
        return {
            # A draft is replaced by the next decode anyway: no slow fallback retries.
            "temperature": [0.0] if draft else list(_TEMPERATURES),
            # Bound the output so a hallucination loop cannot stall the stream.
            "max_new_tokens": self.token_budget(len(audio) / SAMPLE_RATE, prompt, hotwords),
            "word_timestamps": True,
            "condition_on_previous_text": False,
            "initial_prompt": prompt or None,
            "vad_filter": False,
            "hotwords": hotwords,
        }

    def _encode(self, features: Any) -> Any:
        """The first segment's encoder output, exactly as generate_segments cuts it (its last
        frame is not content), padded to 30 s or to the audio plus ``encoder_pad_s``."""
        from faster_whisper.audio import pad_or_trim

        longest = self.model.feature_extractor.nb_max_frames
        frames = min(longest, features.shape[-1] - 1)
        context = longest
        if self.encoder_pad_s is not None:
            pad = int(self.encoder_pad_s * self.model.frames_per_second)
            context = min(longest, (frames + pad + 1) // 2 * 2)  # the encoder halves it
        return self.model.encode(pad_or_trim(features[..., :frames], context))

    def _transcribe_one_pass(self, audio: Audio, language: str | None, prompt: str,
                             draft: bool, prefer: str | None,
                             hints: Sequence[str]) -> Transcript:
        """One encoder pass for language detection and decoding.

        faster-whisper's ``transcribe(language=None)`` encodes the first 30 s once to detect
        the language and again to decode (about a third of a decode's time on a CPU).  Here the
        encoder output is computed once and handed to its ``generate_segments`` (as its own
        ``transcribe`` does for the first segment), with the options ``transcribe`` would build.
        """
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import TranscriptionOptions, get_suppressed_tokens

        model = self.model
        features = model.feature_extractor(audio)
        encoder_output = self._encode(features)
        probability = 1.0
        if language is None:
            ranked = [(token[2:-2], float(p))
                      for token, p in model.model.detect_language(encoder_output)[0]]
            language, probability = ranked[0]
            if prefer and language != prefer and probability < SWITCH_PROBABILITY:
                language = prefer
                probability = next((p for code, p in ranked if code == prefer), 0.0)
        tokenizer = Tokenizer(model.hf_tokenizer, self.multilingual, task="transcribe",
                              language=language)
        options = self._options(audio, prompt, draft, hints)
        settings = TranscriptionOptions(
            beam_size=self.beam_size, best_of=5, patience=1.0, length_penalty=1.0,
            repetition_penalty=1.0, no_repeat_ngram_size=0, log_prob_threshold=-1.0,
            no_speech_threshold=0.6, compression_ratio_threshold=2.4,
            condition_on_previous_text=False, prompt_reset_on_temperature=0.5,
            temperatures=options["temperature"], initial_prompt=options["initial_prompt"],
            prefix=None, suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(tokenizer, [-1]), without_timestamps=False,
            max_initial_timestamp=1.0, word_timestamps=True,
            prepend_punctuations=_PREPEND, append_punctuations=_APPEND,
            multilingual=False, max_new_tokens=options["max_new_tokens"], clip_timestamps="0",
            hallucination_silence_threshold=None, hotwords=options["hotwords"],
        )
        segments = model.generate_segments(features, tokenizer, settings, False, encoder_output)
        return Transcript(_words(segments), language, probability)

    def transcribe_batch(self, chunks: Sequence[Audio], language: str | None) -> list[Transcript]:
        """Decode ``chunks`` (each at most 30 s) together, as faster-whisper's
        ``BatchedInferencePipeline`` does: one encoder pass and one ``generate`` call for all
        of them, no prompt, no temperature fallback.  With ``language`` None each chunk's
        language is detected on that same encoder pass.  A chunk Whisper judges silent
        (``no_speech_prob`` > 0.6 at a low log probability, as ``transcribe`` skips it) has
        no words."""
        if not chunks:
            return []
        if language is None and not self.multilingual:
            language = "en"
        model = self.model
        longest = model.feature_extractor.nb_max_frames
        features = [model.feature_extractor(np.asarray(c, dtype=np.float32))[..., :-1]
                    for c in chunks]
        context = longest
        if self.encoder_pad_s is not None:  # as in _encode: the audio plus the padding
            pad = int(self.encoder_pad_s * model.frames_per_second)
            frames = min(longest, max(f.shape[-1] for f in features))
            context = min(longest, max((frames + pad + 1) // 2 * 2,
                                       int(BATCH_MIN_CONTEXT_S * model.frames_per_second)))
        from faster_whisper.audio import pad_or_trim

        batch = np.stack([pad_or_trim(f[..., :longest], context) for f in features])
        encoded = model.encode(batch)
        if language is None:
            found = [(ranked[0][0][2:-2], float(ranked[0][1]))
                     for ranked in model.model.detect_language(encoded)]
        else:
            found = [(language, 1.0)] * len(chunks)
        out: list[Transcript] = [Transcript((), code, p) for code, p in found]
        for code in dict.fromkeys(code for code, _ in found):
            items = [i for i, (c, _) in enumerate(found) if c == code]
            part = encoded if len(items) == len(chunks) else self._select(encoded, batch, items)
            for i, words in zip(items, self._generate(part, [chunks[i] for i in items], code,
                                                      context, self.hotwords), strict=True):
                out[i] = Transcript(words, code, found[i][1])
            again = [i for i in items if glossary_hints.taken_over(
                "".join(w.text for w in out[i].words), self.hotwords,
                len(chunks[i]) / SAMPLE_RATE)]
            if again:  # decoded again without hotwords, as in transcribe
                self.takeovers += len(again)
                log.info("Hotwords took over %d of %d decodes; decoding them without them",
                         len(again), len(items))
                part = self._select(encoded, batch, again)
                for i, words in zip(again, self._generate(part, [chunks[i] for i in again],
                                                          code, context, ()), strict=True):
                    out[i] = Transcript(words, code, found[i][1])
        return out

    def _select(self, encoded: Any, batch: Any, items: list[int]) -> Any:
        """The encoder output of ``items`` only (a CPU copy, or a second encode on a GPU)."""
        if self.info.device == "cpu":
            import ctranslate2

            return ctranslate2.StorageView.from_array(np.array(encoded)[items])
        return self.model.encode(batch[items])

    def _generate(self, encoded: Any, chunks: list[Audio], language: str, context: int,
                  hints: Sequence[str]) -> list[tuple[Word, ...]]:
        """Decode one language's chunks of a batch, with word timestamps."""
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        model = self.model
        tokenizer = Tokenizer(model.hf_tokenizer, self.multilingual, task="transcribe",
                              language=language)
        hotwords = glossary_hints.join(hints)
        prompt = model.get_prompt(tokenizer, [], without_timestamps=False, hotwords=hotwords)
        seconds = max(c.size for c in chunks) / SAMPLE_RATE
        results = model.model.generate(
            encoded, [list(prompt) for _ in chunks], beam_size=self.beam_size, patience=1.0,
            length_penalty=1.0, max_length=len(prompt) + self.token_budget(seconds, "", hotwords),
            suppress_blank=True, suppress_tokens=get_suppressed_tokens(tokenizer, [-1]),
            return_scores=True, return_no_speech_prob=True, sampling_temperature=0.0,
            repetition_penalty=1.0, no_repeat_ngram_size=0)
        segments: list[list[dict[str, Any]]] = []
        sizes: list[int] = []
        for chunk, result in zip(chunks, results, strict=True):
            tokens = result.sequences_ids[0]
            avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
            duration = chunk.size / SAMPLE_RATE
            size = min(context, int(math.ceil(duration) * model.frames_per_second))
            sizes.append(size)
            if result.no_speech_prob > 0.6 and avg_logprob < -1.0:
                tokens = []
            split, _, _ = model._split_segments_by_timestamps(
                tokenizer=tokenizer, tokens=tokens, time_offset=0.0, segment_size=size,
                segment_duration=duration, seek=0)
            segments.append([dict(sub, seek=0) for sub in split] or
                            [{"tokens": [], "start": 0.0, "end": 0.0, "seek": 0}])
        model.add_word_timestamps(segments, tokenizer, encoded, sizes, _PREPEND, _APPEND, 0.0)
        return [tuple(Word(float(w["start"]), float(w["end"]), str(w["word"]))
                      for sub in segment for w in sub.get("words", ()))
                for segment in segments]

    def token_budget(self, seconds: float, prompt: str, hotwords: str | None = None) -> int:
        """``max_new_tokens`` for ``seconds`` of audio after ``prompt`` and ``hotwords``.

        Enough for fast speech, and never more than what Whisper's 448-token context leaves
        after the prompt (faster-whisper raises instead of decoding when the two add up to more;
        it keeps at most the last 223 prompt tokens).  The budget applies to each 30-s chunk.
        """
        wanted = int(_TOKENS_PER_SECOND * min(seconds, 30.0)) + 16
        prompt_tokens = 0
        for text in (prompt, hotwords or ""):  # each is cut to 223 tokens
            if text.strip():
                ids = self.model.hf_tokenizer.encode(" " + text.strip(),
                                                     add_special_tokens=False).ids
                prompt_tokens += min(len(ids), _MAX_LENGTH // 2 - 1)
        room = _MAX_LENGTH - prompt_tokens - _PROMPT_OVERHEAD
        return max(1, min(wanted, room))

    def transcribe_offline(self, audio: Audio, language: str | None) -> tuple[str, str]:
        """faster-whisper's own batch transcription (VAD filter on): the reference the
        streaming result is compared with in tests and benchmarks."""
        segments, info = self.model.transcribe(
            np.asarray(audio, dtype=np.float32), language=language, beam_size=self.beam_size,
            temperature=list(_TEMPERATURES), condition_on_previous_text=False, vad_filter=True,
        )
        return "".join(s.text for s in segments).strip(), str(info.language)


def _words(segments: Any) -> tuple[Word, ...]:
    return tuple(Word(float(w.start), float(w.end), str(w.word))
                 for segment in segments for w in segment.words or ())
