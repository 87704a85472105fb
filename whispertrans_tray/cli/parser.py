"""The command line: the subcommands and their flags, and the saved settings as they start.

The composition root (``__main__``) hands in a handler for each subcommand; a handler gets
the parsed arguments and the settings (the saved ones, the flags applied) and returns the exit
code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from whispertrans_tray import __version__
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.cli import args as cli_args
from whispertrans_tray.i18n import DEFAULT_UI_LANGUAGE

Handler = Callable[[argparse.Namespace, settings_mod.Settings], int]
COMMANDS = ("tray", "transcribe", "listen", "devices", "test-connection", "test-asr",
            "install-desktop", "uninstall-desktop", "settings-window")


def build_parser(handlers: Mapping[str, Handler]) -> argparse.ArgumentParser:
    """The parser; ``handlers`` has one entry per name in :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="whispertrans-tray",
        description="Live speech transcription and translation subtitles.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--settings", type=Path, metavar="FILE",
                        help="settings file (default: the one in the OS config folder)")
    parser.add_argument("--ui-language", choices=("zh-TW", "en"), help="message language")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command",
                                metavar="{tray,transcribe,listen,devices,test-connection}")

    p = sub.add_parser("tray", help="the tray app with subtitles (the default)")
    p.add_argument("--idle", action="store_true", help="start without recording")
    cli_args.add_feed_argument(p)
    cli_args.add_obs_arguments(p)
    cli_args.add_remote_asr_arguments(p)
    cli_args.add_provider_arguments(p)
    p.set_defaults(handler=handlers["tray"])

    p = sub.add_parser("transcribe", help="transcribe (and translate) an audio or video file")
    p.add_argument("input", type=Path, metavar="INPUT")
    p.add_argument("-o", "--output", type=Path, metavar="OUT",
                   help="subtitle file: .srt, .vtt, .txt or .jsonl")
    p.add_argument("--realtime", action="store_true",
                   help="replay at 1x speed, as live audio (for latency measurements)")
    cli_args.add_feed_argument(p)
    cli_args.add_obs_arguments(p)
    cli_args.add_asr_arguments(p)
    cli_args.add_provider_arguments(p)
    p.set_defaults(handler=handlers["transcribe"])

    p = sub.add_parser("listen", help="live subtitles in the terminal")
    p.add_argument("--replay", type=Path, metavar="FILE",
                   help="replay an audio file at 1x speed instead of capturing")
    p.add_argument("--source", metavar="loopback|mic|NAME",
                   help="what to listen to (default: the saved setting, system audio)")
    p.add_argument("--duration", type=float, metavar="SECONDS",
                   help="stop after this many seconds")
    p.add_argument("-o", "--output", type=Path, metavar="OUT",
                   help="also write the session: .srt, .vtt, .txt or .jsonl")
    cli_args.add_feed_argument(p)
    cli_args.add_obs_arguments(p)
    cli_args.add_asr_arguments(p)
    cli_args.add_provider_arguments(p)
    p.set_defaults(handler=handlers["listen"])

    p = sub.add_parser("devices", help="list audio sources")
    p.set_defaults(handler=handlers["devices"])

    p = sub.add_parser("test-connection", help="測試連線: check the translation server")
    cli_args.add_provider_arguments(p)
    p.set_defaults(handler=handlers["test-connection"])

    p = sub.add_parser("test-asr", help="測試連線: check the recognition server (--asr-url)")
    cli_args.add_remote_asr_arguments(p)
    p.set_defaults(handler=handlers["test-asr"])

    for name, text in (("install-desktop", "Linux: add the app to the applications menu"),
                       ("uninstall-desktop", "Linux: remove it again (and start on login)")):
        sub.add_parser(name, help=text).set_defaults(handler=handlers[name])

    p = sub.add_parser("settings-window")  # internal: the tray app opens it (not in --help)
    p.set_defaults(handler=handlers["settings-window"])
    return parser


def load_settings(args: argparse.Namespace) -> settings_mod.Settings:
    """The saved settings (each problem told on stderr, in ``--ui-language`` when given) with
    the UI language of ``--ui-language``; the other flags are applied by the caller."""
    language = args.ui_language or DEFAULT_UI_LANGUAGE
    result = settings_mod.load(args.settings, language, fixed_language=bool(args.ui_language))
    for problem in result.problems:
        print(problem, file=sys.stderr)
    settings = result.settings
    if args.ui_language:
        settings = settings_mod.replace(settings, "ui_language", args.ui_language)
    return settings
