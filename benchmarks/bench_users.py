"""How many users one GPU box serves: a discrete-event simulation (a MODEL, not a measurement:
this machine has no GPU).

Input: request traces of real sessions (benchmarks/traces/remote_session.json, recorded by
bench_remote_cost.py: each recognition request's stream time and window length, each committed
sentence's time and text).  N clients replay those traces against one simulated server, each
client starting at a random point of a looped trace, for ``--minutes`` of simulated time.

Recognition.  A client sends one request at a time (as RemoteWhisper does): request i goes out
at max(its trace time, the answer to request i-1), so a slow server delays the next windows
too.  Lag of a request = its answer time - the stream time of its audio's end (its trace time).
The server's time for a window of w seconds is ``chunk_s * (0.5 + 0.5 * w / 30)``: Whisper
always encodes a padded 30-s window (half the time, an assumption for large-v3-turbo's 32-layer
encoder vs its 4-layer decoder) and decodes text in proportion to the speech.  ``chunk_s`` is
one 30-s chunk's time from PUBLISHED figures (long-form, 30-s chunks, beam 5):

* RTX 2080 Ti: faster-whisper-large-v3-turbo fp16 beam 5, 13 min of audio in 19.155 s
  (SYSTRAN/faster-whisper issue #1030, "Benchmark faster whisper turbo v3"): 0.737 s a chunk.
* RTX 3070 Ti: faster-whisper README (v1.1.0), large-v2 fp16 beam 5, 13 min in 63 s; turbo
  takes 19.155 / 52.023 of large-v3's time in #1030: 0.892 s a chunk.
* H100 SXM: InferenceBench, "Whisper v3-Turbo on H100: 597x realtime" (120 s of speech in
  0.201 s, Transformers): 0.050 s a chunk.

Batching (vLLM serves Whisper with continuous batching; faster-whisper-server does not): up to
8 waiting requests decoded together in ``2.16 ×`` one request's time at 8, linear in between:
faster-whisper README (v1.1.0, RTX 3070 Ti), large-v2 fp16, 13 min in 63 s one chunk at a time
vs 17 s with ``batch_size=8`` (26 chunks: 2.42 s a chunk vs 5.23 s a batch of 8).

Translation.  Each committed sentence of the trace is one chat request (the app's default,
one sentence a request) of ``prompt_tokens`` in and ``output_tokens`` out (≈ characters / 4 of
the app's real prompt; the translation ≈ 1.2 tokens a character of Chinese).  A published vLLM
sweep (John Musgrave, "vLLM throughput-latency sweep on NVIDIA A100": Llama-3.1-8B-Instruct,
BF16, A100 40GB, vLLM 0.23) gives 75 tokens/s for one request and 6.6× the throughput at 8 at
once (the knee); past 8, requests wait (max-num-seqs 8).  H100: 2× the A100's throughput
(Lambda's vLLM benchmark, "H100 offers ~2x better throughput").  Prefill is left out (under
0.1 s for a few hundred tokens).

    python -m benchmarks.bench_users [--trace benchmarks/traces/remote_session.json]
                                     [--minutes 10] [--record]
"""

from __future__ import annotations

import heapq
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import arguments, percentile, publish

HERE = Path(__file__).parent
TRACE = HERE / "traces" / "remote_session.json"
LAG_BUDGET_S = 3.0
BATCH = 8
BATCH_COST_AT_8 = (17.0 / (26 / BATCH)) / (63.0 / 26)  # 26 chunks: 3.25 batches of 8
"""A batch of 8 costs this many single requests (faster-whisper README: 17 s batched vs 63 s)."""
ASR_GPUS: dict[str, float] = {  # one 30-s chunk of large-v3-turbo, seconds
    "RTX 2080 Ti": 19.155 / 26,
    "RTX 3070 Ti": 63.0 / 26 * 19.155 / 52.023,
    "H100 SXM": 0.201 / 4,
}
LLM_GPUS: dict[str, float] = {"A100 40GB": 75.0, "H100 SXM": 150.0}  # tokens/s, one request
LLM_SPEEDUP_AT_8 = 6.6


@dataclass(frozen=True)
class Session:
    """One recorded session: requests (time, window seconds) and sentences (time, text)."""

    length_s: float
    requests: tuple[tuple[float, float], ...]
    sentences: tuple[tuple[float, str], ...]


def sessions(path: Path, variant: str) -> list[Session]:
    data = json.loads(path.read_text(encoding="utf-8"))
    length = float(data["recording_s"])
    return [Session(length, tuple((float(r["at"]), float(r["window_s"]))
                                  for r in run["requests"]),
                    tuple((float(s["at"]), str(s["text"])) for s in run["sentences"]))
            for run in data["variants"][variant]]


def looped(session: Session, offset: float, minutes: float,
           events: str) -> list[tuple[float, Any]]:
    """``session``'s requests or sentences repeated back to back, shifted by ``offset``."""
    items = session.requests if events == "requests" else session.sentences
    out = []
    horizon = minutes * 60
    loop = 0
    while loop * session.length_s - offset < horizon:
        for at, value in items:
            t = at + loop * session.length_s - offset
            if 0 <= t < horizon:
                out.append((t, value))
        loop += 1
    return out


def service_s(chunk_s: float, window_s: float) -> float:
    return chunk_s * (0.5 + 0.5 * min(window_s, 30.0) / 30.0)


def batch_s(times: list[float]) -> float:
    """k requests decoded together: the longest one, times the batching cost."""
    k = len(times)
    return max(times) * (1 + (k - 1) * (BATCH_COST_AT_8 - 1) / (BATCH - 1))


def simulate_asr(traces: list[Session], n: int, chunk_s: float, batching: bool,
                 minutes: float, seed: int = 1) -> list[float]:
    """Every request's lag (s) with ``n`` clients on one server."""
    rng = random.Random(seed)
    clients = []
    for i in range(n):
        session = traces[i % len(traces)]
        clients.append(looped(session, rng.uniform(0, session.length_s), minutes, "requests"))
    lags: list[float] = []
    ready: list[tuple[float, int, int]] = []  # (time it is sent, client, index)
    for c, requests in enumerate(clients):
        if requests:
            heapq.heappush(ready, (requests[0][0], c, 0))
    free_at = 0.0
    while ready:
        now = max(free_at, ready[0][0])
        batch = [heapq.heappop(ready)]
        while batching and ready and ready[0][0] <= now and len(batch) < BATCH:
            batch.append(heapq.heappop(ready))
        took = batch_s([service_s(chunk_s, clients[c][i][1]) for _, c, i in batch])
        done = now + took
        free_at = done
        for _, c, i in batch:
            lags.append(done - clients[c][i][0])
            if i + 1 < len(clients[c]):
                heapq.heappush(ready, (max(clients[c][i + 1][0], done), c, i + 1))
    return lags


def simulate_llm(traces: list[Session], n: int, tokens_per_s: float, prompt_tokens: float,
                 output_tokens: float, minutes: float, seed: int = 1) -> list[float]:
    """Every sentence's translation lag (commit → translated) with ``n`` clients: up to 8
    requests decoded at once, each at the per-request speed the concurrency leaves."""
    rng = random.Random(seed)
    arrivals = sorted(t for i in range(n) for t, _ in looped(
        traces[i % len(traces)], rng.uniform(0, traces[i % len(traces)].length_s), minutes,
        "sentences"))
    del prompt_tokens  # prefill left out (see the module docstring)
    lags: list[float] = []
    running: list[tuple[float, float]] = []  # (tokens left, arrival)
    waiting: list[float] = []
    now = 0.0
    k = 0
    while k < len(arrivals) or running or waiting:
        while waiting and len(running) < BATCH:
            running.append((output_tokens, waiting.pop(0)))
        c = len(running)
        speed = tokens_per_s * (1 + (c - 1) * (LLM_SPEEDUP_AT_8 - 1) / (BATCH - 1)) / c \
            if c else 0.0
        finish = now + min(left for left, _ in running) / speed if running else float("inf")
        arrive = arrivals[k] if k < len(arrivals) else float("inf")
        step_to = min(finish, arrive)
        if running:
            done_tokens = (step_to - now) * speed
            running = [(left - done_tokens, at) for left, at in running]
        now = step_to
        lags.extend(now - at for left, at in running if left <= 1e-9)
        running = [r for r in running if r[0] > 1e-9]
        if arrive <= now and k < len(arrivals):
            waiting.append(arrivals[k])
            k += 1
    return lags


def largest(fits: Any, upper: int) -> int:
    """The largest n in 1..upper with fits(n) (fits is monotone: more users, more lag):
    doubling, then halving the gap."""
    lo, hi = 0, 1
    while hi <= upper and fits(hi):
        lo, hi = hi, hi * 2
    hi = min(hi - 1, upper)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def main() -> None:
    parser = arguments(__doc__)
    parser.add_argument("--trace", type=Path, default=TRACE)
    parser.add_argument("--variant", default="flac, partials 1 s")
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()

    traces = sessions(args.trace, args.variant)
    per_min = 60 / traces[0].length_s
    requests_min = sum(len(s.requests) for s in traces) / len(traces) * per_min
    audio_min = sum(w for s in traces for _, w in s.requests) / len(traces) * per_min
    sentences_min = sum(len(s.sentences) for s in traces) / len(traces) * per_min
    chars = [len(t) for s in traces for _, t in s.sentences]
    source_chars = sum(chars) / max(len(chars), 1)
    # the app's prompt: instructions (~600 characters) + context (2 sentences) + the sentence
    prompt_tokens = (600 + 3 * source_chars) / 4
    output_tokens = 1.2 * source_chars / 2.5  # Chinese: ~1 character for 2.5 of English
    rows_asr = []
    for gpu, chunk in ASR_GPUS.items():
        cells = []
        for batching in (False, True):
            def fits(n: int, chunk: float = chunk, batching: bool = batching) -> bool:
                lags = simulate_asr(traces, n, chunk, batching, args.minutes)
                return percentile(lags, 0.99) <= LAG_BUDGET_S
            best = largest(fits, 4000)
            lags = simulate_asr(traces, max(best, 1), chunk, batching, args.minutes)
            cells.append(f"{best} (p99 {percentile(lags, 0.99):.2f} s)")
        rows_asr.append(f"| {gpu} | {chunk:.3f} | {cells[0]} | {cells[1]} |")
    rows_llm = []
    for gpu, speed in LLM_GPUS.items():
        def fits_llm(n: int, speed: float = speed) -> bool:
            lags = simulate_llm(traces, n, speed, prompt_tokens, output_tokens, args.minutes)
            return percentile(lags, 0.99) <= LAG_BUDGET_S
        best = largest(fits_llm, 4000)
        lags = simulate_llm(traces, max(best, 1), speed, prompt_tokens, output_tokens,
                            args.minutes)
        rows_llm.append(f"| {gpu} | {speed:.0f} | {best} (p99 {percentile(lags, 0.99):.2f} s) |")
    table = "\n".join([
        f"Per client, from {len(traces)} recorded 1× sessions ({args.variant}): "
        f"{requests_min:.0f} recognition requests and {audio_min:.0f} s of audio a minute, "
        f"{sentences_min:.1f} sentences a minute of {source_chars:.0f} characters "
        f"(≈ {prompt_tokens:.0f} prompt and {output_tokens:.0f} output tokens a sentence).",
        "",
        f"Recognition (Whisper large-v3-turbo), the most clients one GPU serves with every "
        f"request's lag p99 ≤ {LAG_BUDGET_S:.0f} s ({args.minutes:.0f} simulated minutes):",
        "",
        "| GPU | one 30-s chunk s (published) | one request at a time | batches of up to 8 |",
        "|---|---|---|---|",
        *rows_asr,
        "",
        f"Translation (an 8B chat model on vLLM, one sentence a request), translation lag "
        f"p99 ≤ {LAG_BUDGET_S:.0f} s:",
        "",
        "| GPU | tokens/s, one request (published) | most clients |",
        "|---|---|---|",
        *rows_llm,
    ])
    publish(table, args.record, "How many users one GPU box serves (bench_users, a model)",
            "A discrete-event simulation fitted to published figures (sources in "
            "benchmarks/bench_users.py), replaying request traces recorded by "
            "bench_remote_cost.py; not a measurement on a GPU. The box's CPU work (HTTP, "
            "audio decoding, VAD) and network are left out; recognition and translation on "
            "one GPU share it, so a box serving both serves fewer than either column.")


if __name__ == "__main__":
    main()
