"""Command line entry point; the only place where objects are wired together.

``whispertrans-tray transcribe INPUT -o OUT.srt`` — file mode;
``whispertrans-tray listen --replay FILE`` — terminal live mode.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from whispertrans_tray import __version__, cli_args, export
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.core.subtitles import SubtitleModel
from whispertrans_tray.core.types import Event, Partial, Sentence
from whispertrans_tray.errors import WhisperTransError
from whispertrans_tray.i18n import tr
from whispertrans_tray.translation_service import TranslationUpdate

log = logging.getLogger("whispertrans_tray")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="whispertrans-tray",
        description="Live speech transcription and translation subtitles.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--settings", type=Path, metavar="FILE",
                        help="settings file (default: the one in the OS config folder)")
    parser.add_argument("--ui-language", choices=("zh-TW", "en"), help="message language")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("transcribe", help="transcribe (and translate) an audio or video file")
    p.add_argument("input", type=Path, metavar="INPUT")
    p.add_argument("-o", "--output", type=Path, metavar="OUT",
                   help="subtitle file: .srt, .vtt, .txt or .jsonl")
    p.add_argument("--realtime", action="store_true",
                   help="replay at 1x speed, as live audio (for latency measurements)")
    cli_args.add_asr_arguments(p)
    cli_args.add_provider_arguments(p)
    p.set_defaults(handler=cmd_transcribe)

    p = sub.add_parser("listen", help="live subtitles in the terminal")
    p.add_argument("--replay", type=Path, metavar="FILE",
                   help="replay an audio file at 1x speed instead of capturing")
    p.add_argument("-o", "--output", type=Path, metavar="OUT",
                   help="also write the session: .srt, .vtt, .txt or .jsonl")
    cli_args.add_asr_arguments(p)
    cli_args.add_provider_arguments(p)
    p.set_defaults(handler=cmd_listen)

    p = sub.add_parser("test-connection", help="測試連線: check the translation server")
    cli_args.add_provider_arguments(p)
    p.set_defaults(handler=cmd_test_connection)
    return parser


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


def _api_key(args: argparse.Namespace) -> str | None:
    from whispertrans_tray import logs
    from whispertrans_tray.providers.translate_openai import stored_api_key

    key: str | None = getattr(args, "api_key", None) or stored_api_key()
    if key:
        logs.register_secret(key)
    return key


def _load_settings(args: argparse.Namespace) -> settings_mod.Settings:
    result = settings_mod.load(args.settings)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    settings = cli_args.apply_arguments(result.settings, args)
    if args.ui_language:
        settings = settings_mod.replace(settings, "ui_language", args.ui_language)
    return settings


def _load_model(settings: settings_mod.Settings) -> object:
    from whispertrans_tray.providers import asr_faster_whisper

    lang = settings.ui_language
    print(tr("cli.loading_model", lang, name=settings.asr.model), file=sys.stderr)
    model = asr_faster_whisper.load(settings.asr, lang)
    if model.info.notice:
        print(model.info.notice, file=sys.stderr)
    print(tr("cli.model_loaded", lang, seconds=model.info.load_seconds,
             device=model.info.device, compute_type=model.info.compute_type), file=sys.stderr)
    return model


def _run_source(args: argparse.Namespace, settings: settings_mod.Settings, path: Path,
                live: bool) -> int:
    from whispertrans_tray import pipeline
    from whispertrans_tray.providers.asr_faster_whisper import FasterWhisper

    lang = settings.ui_language
    if args.output is not None:
        export.check_format(args.output)
    audio = pipeline.read_audio(path)
    subtitles = SubtitleModel()
    translating = settings.translation.enabled
    view = TerminalView(subtitles, live=live, translating=translating, ui_language=lang)
    service = None
    if translating:
        from whispertrans_tray.providers.translate_openai import plain_http_warning
        from whispertrans_tray.translation_service import TranslationService

        key = _api_key(args)
        warning = plain_http_warning(settings.translation.url, key, lang)
        if warning:
            print(warning, file=sys.stderr)
        service = TranslationService(settings.translation, key, view.translation, lang)
    model = _load_model(settings)
    assert isinstance(model, FasterWhisper)
    recognizer = pipeline.build_recognizer(settings.asr, model, live=live)

    def on_event(event: Event) -> None:
        view(event)
        if service is not None and isinstance(event, Sentence):
            service.submit(event)

    progress = None
    if not live:
        from tqdm import tqdm

        progress = tqdm(total=round(audio.size / 16000, 1), unit="s", file=sys.stderr,
                        desc=tr("cli.progress", lang), leave=False,
                        bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s")
    try:
        stats = pipeline.run(audio, recognizer, on_event, realtime=live,
                             on_progress=progress.update if progress else None)
        if service is not None:
            service.drain(timeout=(service.waiting + 1) * (settings.translation.timeout_s * 2 + 1))
    finally:
        if progress:
            progress.close()
        if service is not None:
            service.close()
    log.info("Audio %.1f s in %.1f s (RTF %.3f), max lag %.2f s", stats.audio_seconds,
             stats.wall_seconds, stats.real_time_factor, stats.max_lag_seconds)
    if args.output is not None:
        export.write(subtitles.lines, args.output)
        print(tr("cli.wrote", lang, count=len(subtitles.lines), path=args.output),
              file=sys.stderr)
    return 0


def cmd_transcribe(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    return _run_source(args, settings, args.input, live=args.realtime)


def cmd_listen(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    if args.replay is None:
        print("Live capture arrives with the audio work; use --replay FILE for now.",
              file=sys.stderr)
        return 2
    return _run_source(args, settings, args.replay, live=True)


def cmd_test_connection(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    from whispertrans_tray import connection_test

    return connection_test.run_cli(args, settings, _api_key(args))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        args = parser.parse_args([*(argv or sys.argv[1:]), "listen"])
    lang = args.ui_language or "zh-TW"
    try:
        settings = _load_settings(args)
        lang = settings.ui_language
        code: int = args.handler(args, settings)
        return code
    except WhisperTransError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(tr("cli.interrupted", lang), file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
