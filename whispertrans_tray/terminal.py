"""Terminal front end: file mode, replay and live capture with subtitles printed in place."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from whispertrans_tray import credentials, export
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.recognizer import StreamingRecognizer
from whispertrans_tray.core.subtitles import SubtitleModel
from whispertrans_tray.core.types import SAMPLE_RATE, Event, Partial, Sentence
from whispertrans_tray.i18n import tr
from whispertrans_tray.translation_service import TranslationService, TranslationUpdate

log = logging.getLogger(__name__)


class TerminalView:
    """Prints sentences as they commit, their translations, and the partial line in place."""

    def __init__(self, model: SubtitleModel, live: bool, translating: bool,
                 ui_language: str) -> None:
        self.model = model
        self.live = live and sys.stdout.isatty()
        self.translating = translating
        self.ui_language = ui_language
        self._partial_shown = False
        self._lock = threading.Lock()

    def __call__(self, event: Event) -> None:
        with self._lock:
            self.model.apply(event, translating=self.translating)
            if isinstance(event, Partial):
                if self.live:
                    sys.stdout.write("\r\033[K" + event.text[-150:])
                    sys.stdout.flush()
                    self._partial_shown = bool(event.text)
                return
            self._clear_partial()
            stamp = f"[{event.start:7.2f} → {event.end:7.2f}] "
            print(f"{stamp}{event.text}", flush=True)

    def translation(self, update: TranslationUpdate) -> None:
        """Called on the translation thread."""
        with self._lock:
            self.model.apply_translation(update.index, update.text, update.done, update.error)
            if not update.done:
                return
            self._clear_partial()
            if update.error:
                marker = tr("translate.failed_marker", self.ui_language)
                print(f"{'':20}{marker}: {update.error}", file=sys.stderr, flush=True)
            elif update.text:
                print(f"{'':20}→ {update.text}", flush=True)

    def _clear_partial(self) -> None:
        if self._partial_shown:
            sys.stdout.write("\r\033[K")
            self._partial_shown = False


class Session:
    """One run: recognizer, terminal view, optional translation, and the written output."""

    def __init__(self, args: argparse.Namespace, settings: settings_mod.Settings,
                 live: bool) -> None:
        from whispertrans_tray import pipeline
        from whispertrans_tray.providers import asr_faster_whisper

        self.args = args
        self.settings = settings
        self.lang = settings.ui_language
        if args.output is not None:
            export.check_format(args.output)
        self.subtitles = SubtitleModel()
        translating = settings.translation.enabled
        self.view = TerminalView(self.subtitles, live, translating, self.lang)
        self.service: TranslationService | None = None
        if translating:
            from whispertrans_tray.providers.translate_openai import plain_http_warning

            key = credentials.resolve(args.api_key)
            warning = plain_http_warning(settings.translation.url, key, self.lang)
            if warning:
                print(warning, file=sys.stderr)
            self.service = TranslationService(settings.translation, key,
                                              self.view.translation, self.lang)
        print(tr("cli.loading_model", self.lang, name=settings.asr.model), file=sys.stderr)
        model = asr_faster_whisper.load(settings.asr, self.lang)
        if model.info.notice:
            print(model.info.notice, file=sys.stderr)
        print(tr("cli.model_loaded", self.lang, seconds=model.info.load_seconds,
                 device=model.info.device, compute_type=model.info.compute_type),
              file=sys.stderr)
        self.recognizer: StreamingRecognizer = pipeline.build_recognizer(
            settings.asr, model, live=live)

    def on_event(self, event: Event) -> None:
        self.view(event)
        if self.service is not None and isinstance(event, Sentence):
            self.service.submit(event)

    def close(self) -> int:
        """Wait for pending translations, write the output file."""
        if self.service is not None:
            timeout = (self.service.waiting + 1) * (self.settings.translation.timeout_s * 2 + 1)
            self.service.drain(timeout)
            self.service.close()
        if self.args.output is not None:
            export.write(self.subtitles.lines, self.args.output)
            print(tr("cli.wrote", self.lang, count=len(self.subtitles.lines),
                     path=self.args.output), file=sys.stderr)
        return 0


def run_file(args: argparse.Namespace, settings: settings_mod.Settings, path: Path,
             live: bool) -> int:
    """File mode (``live=False``) or a 1× replay of a file (``live=True``)."""
    from whispertrans_tray import pipeline

    audio = pipeline.read_audio(path)
    session = Session(args, settings, live)
    progress = None
    if not live:
        from tqdm import tqdm

        progress = tqdm(total=round(audio.size / SAMPLE_RATE, 1), unit="s", file=sys.stderr,
                        desc=tr("cli.progress", session.lang), leave=False,
                        bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s")
    try:
        stats = pipeline.run(audio, session.recognizer, session.on_event, realtime=live,
                             on_progress=progress.update if progress else None)
    finally:
        if progress:
            progress.close()
    log.info("Audio %.1f s in %.1f s (RTF %.3f), max lag %.2f s", stats.audio_seconds,
             stats.wall_seconds, stats.real_time_factor, stats.max_lag_seconds)
    return session.close()


def run_capture(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    """Live subtitles from loopback or a microphone until Ctrl+C, SIGTERM or ``--duration``."""
    from whispertrans_tray.desktop.audio import AudioCapture, check_source

    source, device = settings.audio.source, settings.audio.device
    check_source(source, device)  # a clear error now, before the model loads
    session = Session(args, settings, live=True)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    capture = AudioCapture(source, device, lambda m: print(m, file=sys.stderr), session.lang)
    capture.start()
    started = time.monotonic()
    try:
        while not stop.is_set():
            if args.duration and time.monotonic() - started >= args.duration:
                break
            audio = capture.read(0.1)
            if audio is not None:
                for event in session.recognizer.feed(audio):
                    session.on_event(event)
    except KeyboardInterrupt:
        pass
    finally:
        capture.stop()
        signal.signal(signal.SIGTERM, previous)
    for event in session.recognizer.finish():  # the pending sentence is not lost
        session.on_event(event)
    if capture.dropped_seconds:
        log.warning("Dropped %.1f s of audio while behind", capture.dropped_seconds)
    return session.close()


def print_devices(settings: settings_mod.Settings) -> int:
    from whispertrans_tray.desktop.audio import list_devices

    for device in list_devices():
        kind = tr("devices.loopback" if device.kind == "loopback" else "devices.mic",
                  settings.ui_language)
        mark = "*" if device.is_default else " "
        print(f"{mark} {kind:<12} {device.name}")
    return 0
