"""Speech end → translated subtitle painted: the whole live path at 1×, stage by stage.

The clips replay at 1× through the live pipeline on a worker thread (partials on, as in the tray
app).  Committed sentences go to the translation worker, which streams from an OpenAI-compatible
server on 127.0.0.1, in two runs:

* ``gpu-like``: a loopback server paced like vLLM with a 7B model on a GPU box (first token
  after 150 ms, then a token every 25 ms), so only our own path uses this machine's CPU;
* ``llama``: the real llama.cpp server (xllamacpp) with SmolLM2-135M-Instruct sharing this CPU
  (one thread): the worst case, translation competing with Whisper for two cores.

Every event and translation update reaches Tk's main thread through a bounded queue drained
with ``after()`` every ``app.DRAIN_MS``, exactly as in the app, and the real overlay paints it
on a virtual screen (Xvfb when ``$DISPLAY`` is unset).

Per sentence, from speech end (the stream time its last word ended):
committed → source line painted → first translated token painted → translation painted.
"Painted" is the moment Tk has redrawn the overlay with that text (``update_idletasks``).

``--at-dip off,on`` runs each clip once per variant of ``translation.at_dip`` (translate the
speculative final at the dip, or only committed sentences), alternating the order from clip to
clip so both see the same load; each variant's rows add the requests and tokens (streamed
chunks) per committed sentence, and how many speculative requests were adopted or wasted.
``--drafts off,on`` does the same for ``translation.drafts`` (the open line translated once
steady, shown on the overlay's draft line through the app's own pacing), crossed with the
``--at-dip`` variants: each variant adds the drafts sent, adopted and wasted and the visible
draft line changes per minute of audio.

    python -m benchmarks.bench_end_to_end [--clips jfk.flac,...] [--servers gpu-like,llama]
        [--at-dip off,on] [--drafts off,on] [--repeat N] [--record]
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from benchmarks.common import DATA, arguments, llama_server, percentile, publish, virtual_screen

CLIPS = "jfk.flac,en_librispeech.wav,multilingual.mp3"
STAGES = ("committed", "source painted", "first token painted", "translation painted")


class Probe:
    """Stage times per sentence, in seconds after its speech end (wall clock), and what the
    translation cost."""

    def __init__(self) -> None:
        self.speech_end: dict[int, float] = {}
        self.times: dict[int, dict[str, float]] = {}
        self.failed: dict[int, str] = {}
        self.costs: list[Any] = []  # the service's Counts of each replay
        self.audio_s = 0.0  # seconds of audio replayed
        self.draft_changes = 0  # visible changes of the draft line (new text shown)

    def merge(self, other: Probe) -> None:
        base = max(self.speech_end, default=-1) + 1
        self.speech_end.update({base + i: t for i, t in other.speech_end.items()})
        self.times.update({base + i: t for i, t in other.times.items()})
        self.failed.update({base + i: t for i, t in other.failed.items()})
        self.costs += other.costs
        self.audio_s += other.audio_s
        self.draft_changes += other.draft_changes

    def mark(self, index: int, stage: str) -> None:
        if index in self.speech_end:
            self.times.setdefault(index, {}).setdefault(
                stage, time.perf_counter() - self.speech_end[index])


def replay(clips: list[str], url: str, model_alias: str, model: Any, asr: Any,
           at_dip: bool, drafts: bool = False) -> Probe:
    import tkinter as tk

    from whispertrans_tray.__main__ import build_recognizer
    from whispertrans_tray.app import live
    from whispertrans_tray.app.draft_view import DraftView
    from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
    from whispertrans_tray.app.tray_app import DRAIN_MS
    from whispertrans_tray.core.subtitles import SubtitleModel
    from whispertrans_tray.core.types import SAMPLE_RATE, Event, Partial, Sentence, Speculative
    from whispertrans_tray.desktop.overlay import Overlay
    from whispertrans_tray.providers.translate_openai import OpenAITranslator
    from whispertrans_tray.settings import OverlaySettings, TranslationSettings

    root = tk.Tk()
    overlay = Overlay(root, OverlaySettings(fade_after_s=0))
    subtitles = SubtitleModel(overlay.settings.max_lines)
    overlay.draft_room = drafts
    draft_line = DraftView(overlay, root, lambda: True)  # the app's pacing of the draft line
    ui: queue.Queue[Callable[[], None]] = queue.Queue(maxsize=256)
    probe = Probe()
    finished = threading.Event()
    offset = [0, 0.0]  # sentence index offset, wall start of the current clip

    def paint(index: int, stage: str) -> None:
        overlay.show(subtitles.visible(), subtitles.partial)
        root.update_idletasks()
        if index >= 0:
            probe.mark(index, stage)

    def on_update(update: TranslationUpdate) -> None:
        def show() -> None:
            if update.text or update.done:  # as the app: its own translation ends the draft
                draft_line.final(update.index)
            subtitles.apply_translation(update.index, update.text, update.done, update.error)
            if update.error:  # shown with its marker; not counted as a translation
                probe.failed[update.index] = update.error
                paint(update.index, "failure painted")
                return
            paint(update.index, "translation painted" if update.done else
                  "first token painted")
            if update.done:  # an answer adopted whole (a finished draft): its first text too
                probe.mark(update.index, "first token painted")
        ui.put(show)

    config = TranslationSettings(
        url=url, model=model_alias, provider="custom", target_language="繁體中文",
        temperature=0.0, max_tokens=48, timeout_s=30.0, at_dip=at_dip, drafts=drafts)

    def on_draft(index: int, text: str) -> None:
        def show() -> None:
            draft_line.offer(index, text)
            root.update_idletasks()
        with contextlib.suppress(queue.Full):  # droppable, as in the app
            ui.put_nowait(show)

    service = TranslationService(config, OpenAITranslator(config), on_update, "en",
                                 on_draft=on_draft)

    def on_event(event: Event) -> None:
        if isinstance(event, Speculative):  # as the app does: the translation may start
            service.speculate(dataclasses.replace(event, index=event.index + int(offset[0])))
        elif isinstance(event, Sentence):
            sentence = Sentence(event.index + int(offset[0]), event.start, event.end,
                                event.language, event.text)
            probe.speech_end[sentence.index] = offset[1] + event.end
            probe.mark(sentence.index, "committed")
            service.submit(sentence)

            def show() -> None:
                subtitles.apply(sentence, translating=True)
                paint(sentence.index, "source painted")
            ui.put(show)
        else:
            assert isinstance(event, Partial)
            service.draft(event)  # as the app does (translation.drafts)

            def show_partial(partial: Event = event) -> None:
                subtitles.apply(partial)
                paint(-1, "")
            with contextlib.suppress(queue.Full):  # partials may be dropped, as in the app
                ui.put_nowait(show_partial)

    def work() -> None:
        for name in clips:
            audio = live.read_audio(DATA / name)
            probe.audio_s += len(audio) / SAMPLE_RATE
            recognizer = build_recognizer(asr, model, live=True)
            offset[1] = time.perf_counter()
            live.run(audio, recognizer, on_event, realtime=True)
            offset[0] = max(probe.speech_end, default=-1) + 1
        service.drain(120)
        finished.set()

    def drain() -> None:
        try:
            while True:
                ui.get_nowait()()
        except queue.Empty:
            pass
        if finished.is_set() and ui.empty():
            root.quit()
        else:
            root.after(DRAIN_MS, drain)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    root.after(DRAIN_MS, drain)
    root.mainloop()
    worker.join(10)
    probe.costs.append(service.counts)
    probe.draft_changes += draft_line.pacer.changes
    service.close()
    root.destroy()
    return probe


def table(probe: Probe) -> list[str]:
    from whispertrans_tray.app.dip_translation import Counts

    rows = []
    for stage in STAGES:
        values = [t[stage] for t in probe.times.values() if stage in t]
        rows.append(f"| {stage} | {len(values)} | {percentile(values, 0.5):.2f} | "
                    f"{percentile(values, 0.9):.2f} | {max(values, default=float('nan')):.2f} |")
    gaps = [t["source painted"] - t["committed"] for t in probe.times.values()
            if "source painted" in t and "committed" in t]
    waits = [t["translation painted"] - t["committed"] for t in probe.times.values()
             if "translation painted" in t and "committed" in t]
    sentences = max(len(probe.speech_end), 1)
    c = {f.name: sum(getattr(counts, f.name) for counts in probe.costs)
         for f in dataclasses.fields(Counts)}  # the replays' costs summed
    return [
        f"{len(probe.speech_end)} sentences; translations failed: {len(probe.failed)}; "
        f"requests per sentence {c['requests'] / sentences:.2f}, tokens per sentence "
        f"{c['tokens'] / sentences:.1f}; at the dip: {c['speculative']} sent, "
        f"{c['adopted']} adopted, {c['wasted']} wasted, {c['skipped']} not sent (queue "
        f"behind); wasted tokens (both kinds) {c['wasted_tokens']}; drafts: "
        f"{c['drafts_sent']} sent, {c['drafts_adopted']} adopted, {c['drafts_wasted']} "
        f"wasted (of {c['drafts']} offered); draft line changes "
        f"{probe.draft_changes / max(probe.audio_s / 60, 1e-9):.1f} per minute "
        f"({probe.draft_changes} in {probe.audio_s:.0f} s of audio).",
        "",
        "| speech end → | sentences | p50 s | p90 s | max s |",
        "|---|---|---|---|---|",
        *rows,
        "",
        f"Committed → source line painted (queue + after() tick + redraw): p50 "
        f"{percentile(gaps, 0.5) * 1000:.0f} ms, p90 {percentile(gaps, 0.9) * 1000:.0f} ms.",
        f"Committed → translation painted (what translating at the dip can shorten): p50 "
        f"{percentile(waits, 0.5):.2f} s, p90 {percentile(waits, 0.9):.2f} s, mean "
        f"{sum(waits) / max(len(waits), 1):.2f} s.",
    ]


@contextlib.contextmanager
def gpu_like_server() -> Iterator[str]:
    from tests.servers.fake_openai import FakeServer

    with FakeServer("ok", reply="我的美國同胞們，不要問國家能為你做什麼，要問你能為國家做什麼。") \
            as server:
        server.first_piece_delay, server.piece_delay = 0.15, 0.025
        yield server.url


def main() -> None:
    parser = arguments(__doc__, "threads")
    parser.add_argument("--clips", default=CLIPS)
    parser.add_argument("--servers", default="gpu-like,llama")
    parser.add_argument("--at-dip", default="off,on",
                        help="translation.at_dip variants, each clip once per variant")
    parser.add_argument("--drafts", default="off,on",
                        help="translation.drafts variants (crossed with --at-dip)")
    parser.add_argument("--repeat", type=int, default=1, help="replays of each clip")
    args = parser.parse_args()

    import os

    from tests.servers.llama import MODEL_ALIAS
    from whispertrans_tray.providers import asr_faster_whisper
    from whispertrans_tray.settings import AsrSettings

    asr = AsrSettings(device="cpu", cpu_threads=args.threads)
    model = asr_faster_whisper.load(asr)
    variants = [(dip, drafts) for dip in args.at_dip.split(",")
                for drafts in args.drafts.split(",")]
    clips = args.clips.split(",")
    lines = [f"Clips: {args.clips}, {args.repeat} replay(s) of each per variant; Whisper base, "
             f"{args.threads} threads; load average at the start {os.getloadavg()[0]:.1f}.", ""]
    with virtual_screen():
        for name in args.servers.split(","):
            probes = {variant: Probe() for variant in variants}
            with contextlib.ExitStack() as stack:
                if name == "llama":
                    url, alias = stack.enter_context(llama_server(threads=1)), MODEL_ALIAS
                else:
                    url, alias = stack.enter_context(gpu_like_server()), "test-model"
                for n, clip in enumerate(clips * args.repeat):
                    order = variants if n % 2 == 0 else variants[::-1]
                    for variant in order:  # alternating: both variants see the same load
                        probes[variant].merge(replay([clip], url, alias, model, asr,
                                                     variant[0] == "on", variant[1] == "on"))
                        # Tk must be freed on this thread: the run's reference cycles (the
                        # translation worker and its thread) would otherwise be collected by
                        # the next run's threads, and Tcl aborts when its interpreter is
                        # deleted from another thread.
                        gc.collect()
            for variant in variants:
                rows = table(probes[variant])
                lines += [f"**{name}** server, at the dip **{variant[0]}**, drafts "
                          f"**{variant[1]}**: " + rows[0],
                          *rows[1:], ""]
    lines.append(f"Load average at the end {os.getloadavg()[0]:.1f}.")
    text = "\n".join(lines).rstrip()
    publish(text, args.record, "Speech end → translated subtitle painted: translation at the dip "
            "and drafts on vs off (whole live path, 1×)",
            "gpu-like: a loopback server paced like vLLM on a GPU box (150 ms to the first "
            "token, 25 ms per token, 11 tokens whatever the sentence), so this machine's CPU "
            "runs only our path. llama: SmolLM2-135M-Instruct on llama.cpp (1 thread) shares "
            "the 2 cores with Whisper base (2 threads), the worst case; the tiny model "
            "sometimes answers nothing, counted as failed translations. Tokens are the "
            "streamed chunks the client received, wasted ones included.")


if __name__ == "__main__":
    main()
