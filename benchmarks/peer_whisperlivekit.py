"""WhisperLiveKit's LocalAgreement processor replaying one clip at 1×; run by bench_peers.

Runs in WhisperLiveKit's own venv (never ours), so it imports nothing from this project.  It
drives WhisperLiveKit the way its ``AudioProcessor`` does, minus the web server, ffmpeg and
asyncio queues:

- backend: ``local_agreement.whisper_online.backend_factory(backend="faster-whisper", ...)``
  with ``model_dir`` = our bundled CTranslate2 folder.  Its ``FasterWhisperASR.load_model``
  hard-codes ``device="auto", compute_type="auto"`` and no thread count, so the factory is given
  a subclass that loads the same folder on CPU, int8, with ``--threads`` threads (the only
  change; transcription keeps WhisperLiveKit's beam 5, word timestamps, previous-text prompt).
- policy: ``OnlineASRProcessor`` (LocalAgreement-2) with WhisperLiveKit's defaults: segment
  buffer trimming at 15 s, no confidence validation.
- VAC (WhisperLiveKit's default ``vac=True``): its ``FixedVADIterator`` on the Silero ONNX model
  shipped inside the wheel (no torch.hub).  Speech audio is inserted and ``process_iter`` runs;
  a speech end runs ``start_silence`` (a decode that commits the utterance's tail); a speech
  start runs ``end_silence`` (zeros for pauses < 5 s, a buffer reset otherwise), exactly as
  ``AudioProcessor._process_pcm_array`` and ``transcription_processor`` order them.  With
  ``--no-vac`` every arrived piece is inserted and decoded (whisper_streaming's loop).
- warm-up: WhisperLiveKit downloads a JFK wav from the network when ``warmup_file`` is None;
  ``--warmup`` gives it our local clip instead ("" skips warm-up).

Arrival is the parent's: the audio (float32 16 kHz ``.npy`` written by bench_peers from the
same decoded clip) is handed over in pieces of everything that has arrived since the last step,
at least 0.1 s, as ``whispertrans_tray.app.live.file_chunks(realtime=True)`` does.

Output, one JSON object per line on stdout: ``{"event": "ready", "load_s": ...}``, then
``{"event": "commit", "wall": s since replay start, "end": stream time of the last committed
word, "text": ...}`` for every call that committed words, then ``{"event": "done", "wall": ...,
"decodes": ...}``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

SAMPLE_RATE = 16000
STEP_S = 0.1


def arrivals(audio: np.ndarray) -> Iterator[np.ndarray]:
    """All audio that has arrived at 1× since the last piece (at least ``STEP_S``)."""
    step = int(STEP_S * SAMPLE_RATE)
    t0 = time.perf_counter()
    fed = 0
    while fed < audio.size:
        arrived = min(int((time.perf_counter() - t0) * SAMPLE_RATE), audio.size)
        if arrived - fed < step and arrived < audio.size:
            time.sleep((fed + step - arrived) / SAMPLE_RATE)
            continue
        yield audio[fed:arrived]
        fed = arrived


def build(model_dir: str, language: str, threads: int, warmup: str) -> Any:
    """WhisperLiveKit's LocalAgreement faster-whisper backend on our model, CPU int8."""
    from faster_whisper import WhisperModel
    from whisperlivekit.local_agreement import whisper_online
    from whisperlivekit.local_agreement.backends import FasterWhisperASR

    class CpuFasterWhisperASR(FasterWhisperASR):  # type: ignore[misc]
        """WhisperLiveKit's faster-whisper backend, loading on CPU int8 with fixed threads."""

        def load_model(self, model_size: Any = None, cache_dir: Any = None,
                       model_dir: Any = None) -> Any:
            return WhisperModel(model_dir, device="cpu", compute_type="int8",
                                cpu_threads=threads)

    whisper_online.FasterWhisperASR = CpuFasterWhisperASR  # type: ignore[misc]
    return whisper_online.backend_factory(
        backend="faster-whisper", lan=language, model_size="base", model_cache_dir=None,
        model_dir=model_dir, model_path=None, lora_path=None, direct_english_translation=False,
        buffer_trimming="segment", buffer_trimming_sec=15.0, confidence_validation=False,
        warmup_file=warmup, min_chunk_size=0.1)


def emit(**fields: Any) -> None:
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", required=True)
    parser.add_argument("--audio", required=True, help="float32 16 kHz mono .npy")
    parser.add_argument("--language", default="auto")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--warmup", default="", help="local audio file; '' skips warm-up")
    parser.add_argument("--no-vac", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    from whisperlivekit.local_agreement.online_asr import OnlineASRProcessor

    t = time.perf_counter()
    asr = build(args.model_dir, args.language, args.threads, args.warmup)
    processor = OnlineASRProcessor(asr)
    vac = None
    if not args.no_vac:
        from whisperlivekit.silero_vad_iterator import (
            FixedVADIterator,
            OnnxWrapper,
            load_onnx_session,
        )

        vac = FixedVADIterator(OnnxWrapper(session=load_onnx_session()))
    audio = np.load(args.audio).astype(np.float32)
    emit(event="ready", load_s=time.perf_counter() - t)

    decodes = 0
    t0 = time.perf_counter()

    def report(tokens: list[Any]) -> None:
        if tokens:
            emit(event="commit", wall=time.perf_counter() - t0, end=tokens[-1].end,
                 text=asr.sep.join(token.text for token in tokens))

    def decode(call: Any, *call_args: Any) -> None:
        nonlocal decodes
        decodes += 1
        tokens, _ = call(*call_args)
        report(tokens)

    def committed_end() -> float:
        return processor.committed[-1].end if processor.committed else 0.0

    silence_start: float | None = 0.0  # AudioProcessor starts in a silence at 0
    total = 0
    for piece in arrivals(audio):
        if vac is None:
            processor.insert_audio_chunk(piece)
            decode(processor.process_iter)
            continue
        first, last = total, total + piece.size
        offset = 0
        pending = False  # active audio inserted but not yet decoded
        for event in vac(piece) or []:
            if "start" in event and silence_start is not None:
                at = max(first, min(last, int(event["start"])))
                if pending:
                    decode(processor.process_iter)
                    pending = False
                processor.end_silence(at / SAMPLE_RATE - silence_start, committed_end())
                silence_start = None
                offset = at - first
            if "end" in event and silence_start is None:
                at = max(first, min(last, int(event["end"])))
                if at - first > offset:
                    processor.insert_audio_chunk(piece[offset:at - first])
                    pending = True
                if pending:
                    decode(processor.process_iter)
                    pending = False
                decode(processor.start_silence)
                silence_start = at / SAMPLE_RATE
                offset = at - first
        if silence_start is None and offset < piece.size:
            processor.insert_audio_chunk(piece[offset:])
            pending = True
        if pending:
            decode(processor.process_iter)
        total = last
    if vac is not None and silence_start is not None:
        processor.end_silence(total / SAMPLE_RATE - silence_start, committed_end())
    tokens, _ = processor.finish()
    report(tokens)
    emit(event="done", wall=time.perf_counter() - t0, decodes=decodes)


if __name__ == "__main__":
    main()
