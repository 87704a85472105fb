"""Command line entry point; the only place where objects are wired together.

``whispertrans-tray transcribe INPUT -o OUT.srt`` — file mode;
``whispertrans-tray listen --replay FILE`` — terminal live mode.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from whispertrans_tray import __version__, cli_args, credentials, logs
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.errors import NoAudioDeviceError, WhisperTransError
from whispertrans_tray.i18n import tr

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

    p = sub.add_parser("tray", help="the tray app with subtitles (the default)")
    p.add_argument("--idle", action="store_true", help="start without recording")
    cli_args.add_provider_arguments(p)
    p.set_defaults(handler=cmd_tray)

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
    p.add_argument("--source", metavar="loopback|mic|NAME",
                   help="what to listen to (default: the saved setting, system audio)")
    p.add_argument("--duration", type=float, metavar="SECONDS",
                   help="stop after this many seconds")
    p.add_argument("-o", "--output", type=Path, metavar="OUT",
                   help="also write the session: .srt, .vtt, .txt or .jsonl")
    cli_args.add_asr_arguments(p)
    cli_args.add_provider_arguments(p)
    p.set_defaults(handler=cmd_listen)

    p = sub.add_parser("devices", help="list audio sources")
    p.set_defaults(handler=cmd_devices)

    p = sub.add_parser("test-connection", help="測試連線: check the translation server")
    cli_args.add_provider_arguments(p)
    p.set_defaults(handler=cmd_test_connection)
    return parser


def _load_settings(args: argparse.Namespace) -> settings_mod.Settings:
    result = settings_mod.load(args.settings)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    settings = cli_args.apply_arguments(result.settings, args)
    if args.ui_language:
        settings = settings_mod.replace(settings, "ui_language", args.ui_language)
    return settings


def cmd_transcribe(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    from whispertrans_tray import terminal

    return terminal.run_file(args, settings, args.input, live=args.realtime)


def cmd_listen(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    from whispertrans_tray import terminal

    if args.replay is not None:
        return terminal.run_file(args, settings, args.replay, live=True)
    if args.source:
        settings = _apply_source(settings, args.source)
    return terminal.run_capture(args, settings)


def _apply_source(settings: settings_mod.Settings, source: str) -> settings_mod.Settings:
    """``--source loopback|mic|NAME``: a NAME is looked up among speakers and microphones."""
    if source in ("loopback", "mic"):
        return settings_mod.replace(settings_mod.replace(settings, "audio.source", source),
                                    "audio.device", "")
    from whispertrans_tray.desktop.audio import list_devices

    for device in list_devices():
        if device.name == source:
            return settings_mod.replace(settings_mod.replace(
                settings, "audio.source", device.kind), "audio.device", device.name)
    raise NoAudioDeviceError("audio.device_missing", name=source)


def cmd_devices(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    from whispertrans_tray import terminal

    return terminal.print_devices(settings)


def cmd_tray(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    """The tray daemon; a second launch asks the running one to show its subtitles."""
    import tkinter as tk

    import platformdirs

    from whispertrans_tray.app import App
    from whispertrans_tray.desktop import platform_ui
    from whispertrans_tray.desktop.single_instance import SingleInstance
    log_file = logs.add_file()
    holder: list[App] = []

    def show() -> None:
        if holder:
            app = holder[0]
            app.post(lambda: app.change("overlay.visible", True))

    folder = Path(platformdirs.user_runtime_dir("WhisperTrans Tray", appauthor=False)
                  if os.environ.get("XDG_RUNTIME_DIR") or sys.platform != "linux"
                  else platformdirs.user_cache_dir("WhisperTrans Tray", appauthor=False))
    instance = SingleInstance(folder, show)
    if not instance.acquire():
        instance.notify_first()
        print(tr("app.already_running", settings.ui_language), file=sys.stderr)
        return 0
    try:
        platform_ui.enable_dpi_awareness()
        try:
            app = App(settings, args.settings, credentials.resolve(args.api_key))
        except tk.TclError as exc:  # no screen (a server, an SSH session)
            print(tr("app.no_display", settings.ui_language, detail=exc), file=sys.stderr)
            return 1
        holder.append(app)
        log.info("WhisperTrans Tray %s started; log file %s", __version__, log_file)
        return app.run(start_recording=not args.idle)
    finally:
        instance.release()


def cmd_test_connection(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    from whispertrans_tray import connection_test

    return connection_test.run_cli(settings, credentials.resolve(args.api_key))


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logs.setup(args.verbose)
    if args.command is None:
        args = parser.parse_args([*(argv or sys.argv[1:]), "tray"])
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
