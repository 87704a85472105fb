"""Command-line flags shared by the subcommands, and how they override the saved settings."""

from __future__ import annotations

import argparse
import dataclasses
import typing
from typing import Any

from whispertrans_tray.core.whisper_languages import some_codes, spoken_language
from whispertrans_tray.errors import SettingsError
from whispertrans_tray.i18n import Phrase
from whispertrans_tray.presets import with_provider
from whispertrans_tray.settings import (
    ASR_BACKENDS,
    COMPUTE_TYPES,
    PROVIDERS,
    AsrSettings,
    FeedSettings,
    OutputSettings,
    Settings,
    TranslationSettings,
)
from whispertrans_tray.typed_json import InvalidValueError, coerce

# The flags whose values have a range or shape to check, with the setting each one sets.
CHECKED_FLAGS: dict[str, tuple[type[Any], str]] = {
    "--beam-size": (AsrSettings, "beam_size"),
    "--threads": (AsrSettings, "cpu_threads"),
    "--temperature": (TranslationSettings, "temperature"),
    "--compute-type": (AsrSettings, "compute_type"),
    "--language": (AsrSettings, "language"),
    "--feed": (FeedSettings, "port"),
    "--live-lines": (OutputSettings, "live_lines"),
}


def add_asr_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags of the speech recognizer."""
    group = parser.add_argument_group("speech recognition")
    group.add_argument("--whisper-model", metavar="NAME|PATH",
                       help="faster-whisper model name or folder (default: bundled base)")
    group.add_argument("--language", metavar="auto|CODE",
                       help="spoken language, e.g. en, zh; auto detects it per utterance")
    group.add_argument("--device", choices=("auto", "cpu", "cuda"), help="where Whisper runs")
    group.add_argument("--compute-type", metavar="TYPE",
                       help="CTranslate2 compute type: " + ", ".join(COMPUTE_TYPES))
    group.add_argument("--beam-size", type=int, metavar="N", help="beam search width")
    group.add_argument("--threads", type=int, metavar="N", help="CPU threads (0 = auto)")
    add_remote_asr_arguments(parser, group)


def add_remote_asr_arguments(parser: argparse.ArgumentParser,
                             group: argparse._ArgumentGroup | None = None) -> None:
    """Flags of the recognition backend: local faster-whisper or a remote server."""
    group = group or parser.add_argument_group("speech recognition")
    group.add_argument("--asr", choices=ASR_BACKENDS,
                       help="recognize locally (faster-whisper) or on a remote "
                       "/v1/audio/transcriptions server, with local fallback")
    group.add_argument("--asr-url", metavar="URL",
                       help="recognition server: /v1/audio/transcriptions URL or its /v1 base")
    group.add_argument("--asr-model", metavar="NAME", help="model name on that server")
    group.add_argument("--asr-api-key", metavar="KEY",
                       help="its API key (default: the one stored in the keyring)")


def add_feed_argument(parser: argparse.ArgumentParser) -> None:
    """``--feed PORT``: serve the subtitles on http://127.0.0.1:PORT/ (feed.enabled, feed.port)."""
    parser.add_argument("--feed", type=int, metavar="PORT",
                        help="serve the subtitles on http://127.0.0.1:PORT/ (/events, /overlay "
                        "for OBS, / for phones); the saved feed settings otherwise")


def add_provider_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags of the translation provider, shared by every subcommand that talks to a server."""
    group = parser.add_argument_group("translation")
    toggle = group.add_mutually_exclusive_group()
    toggle.add_argument("--translate", dest="translate", action="store_true", default=None,
                        help="translate each sentence (啟用即時翻譯)")
    toggle.add_argument("--no-translate", dest="translate", action="store_false",
                        help="transcription only, no server traffic")
    group.add_argument("--provider", choices=PROVIDERS, help="LLM provider preset")
    group.add_argument("--url", help="chat completions URL or its /v1 base")
    group.add_argument("--model", help="translation model name (模型名稱)")
    group.add_argument("--api-key", metavar="KEY",
                       help="API key (default: the one stored in the keyring)")
    group.add_argument("--target", metavar="LANG", help="target language (翻譯成), e.g. 繁體中文")
    group.add_argument("--temperature", type=float, help="sampling temperature")


def add_obs_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags of the outputs for OBS: its text source (obs-websocket) and the live text file."""
    group = parser.add_argument_group("OBS and the live text file")
    group.add_argument("--obs", action="store_true", default=None,
                       help="write the subtitles into an OBS text source (obs-websocket 5)")
    group.add_argument("--obs-url", metavar="URL", help="OBS WebSocket address "
                       "(default: the saved one, ws://127.0.0.1:4455)")
    group.add_argument("--obs-source", metavar="NAME", help="name of the OBS text source")
    group.add_argument("--obs-password", metavar="PASSWORD",
                       help="OBS WebSocket password (default: the one stored in the keyring)")
    group.add_argument("--live-file", metavar="PATH",
                       help="keep the last lines in this text file (OBS: Read from file)")
    group.add_argument("--live-lines", type=int, metavar="N",
                       help="sentences kept in the live file (default: the saved setting, 2)")


def apply_obs_arguments(settings: Settings, args: argparse.Namespace) -> Settings:
    """``settings`` with the OBS and live-file flags in ``args`` applied (``--live-lines``
    out of range: :class:`SettingsError`)."""
    obs = settings.obs
    changes = {"enabled": getattr(args, "obs", None), "url": getattr(args, "obs_url", None),
               "source": getattr(args, "obs_source", None)}
    obs = dataclasses.replace(obs, **{k: v for k, v in changes.items() if v is not None})
    output = settings.output
    if getattr(args, "live_file", None) is not None:
        output = dataclasses.replace(output, live_file=args.live_file)
    if getattr(args, "live_lines", None) is not None:
        output = dataclasses.replace(output, live_lines=check_flag("--live-lines",
                                                                   args.live_lines))
    return dataclasses.replace(settings, obs=obs, output=output)


LIVE_OUTPUT_FLAGS = ("--feed", "--obs", "--obs-url", "--obs-source", "--obs-password",
                     "--live-file", "--live-lines")


def flag_value(args: argparse.Namespace, flag: str) -> Any:
    """The value of ``flag`` (``--live-lines`` → ``args.live_lines``), None when not given
    (or when the subcommand has no such flag)."""
    return getattr(args, flag[2:].replace("-", "_"), None)


def given(args: argparse.Namespace, flag: str) -> bool:
    """True if ``flag`` was on the command line."""
    return flag_value(args, flag) is not None


def check_combinations(args: argparse.Namespace, settings: Settings) -> None:
    """A flag that would do nothing where it was given is an error that names it and what it
    needs (:class:`SettingsError`), never silently ignored: the live outputs of ``transcribe``
    need ``--realtime``; ``listen --replay`` records nothing; ``--mic`` and ``--speaker`` choose
    the two sides of ``--source both`` (or of a saved source "both")."""
    if args.command == "transcribe" and not args.realtime:
        for flag in LIVE_OUTPUT_FLAGS:
            if given(args, flag):
                raise SettingsError("cli.flag_needs", flag=flag, needs="--realtime")
    if args.command != "listen":
        return
    for flag in ("--source", "--mic", "--speaker"):
        if args.replay is not None and given(args, flag):
            raise SettingsError("cli.flag_conflict", flag=flag, other="--replay")
    source = args.source or settings.audio.source
    for flag in ("--mic", "--speaker"):
        if given(args, flag) and source != "both":
            raise SettingsError("cli.flag_needs", flag=flag, needs="--source both")


def check_flag(flag: str, value: Any) -> Any:
    """``value`` of ``flag`` as its setting takes it; a :class:`SettingsError` that names the
    flag, the value and what would fit (in the UI language) if it does not fit."""
    if flag == "--language":
        language = spoken_language(value)
        if language is None:
            raise SettingsError("cli.invalid_flag_value", flag=flag, value=value,
                                detail=Phrase.of("cause.want_language", codes=some_codes()))
        return language
    cls, name = CHECKED_FLAGS[flag]
    field = next(f for f in dataclasses.fields(cls) if f.name == name)
    hint = typing.get_type_hints(cls)[name]
    try:
        return coerce(value, hint, field.metadata)
    except InvalidValueError as exc:
        if "min" not in field.metadata:  # a choice (--compute-type): the cause lists them
            raise SettingsError("cli.invalid_flag_value", flag=flag, value=value,
                                detail=exc.cause) from None
        raise SettingsError("cli.invalid_flag", flag=flag, value=value,
                            lo=field.metadata["min"], hi=field.metadata["max"]) from None


def apply_arguments(settings: Settings, args: argparse.Namespace) -> Settings:
    """Return ``settings`` with the flags given in ``args`` applied; a flag with a value out
    of range (``--beam-size 0``, ``--temperature nan``) raises :class:`SettingsError`."""
    checked = {}
    for flag in CHECKED_FLAGS:
        if flag == "--live-lines":
            continue  # apply_obs_arguments
        value = flag_value(args, flag)
        if value is not None:
            checked[flag] = check_flag(flag, value)
    asr = settings.asr
    asr_changes = {
        "model": getattr(args, "whisper_model", None),
        "language": checked.get("--language"),
        "device": getattr(args, "device", None),
        "compute_type": getattr(args, "compute_type", None),
        "beam_size": getattr(args, "beam_size", None),
        "cpu_threads": getattr(args, "threads", None),
        "backend": getattr(args, "asr", None),
        "remote_url": getattr(args, "asr_url", None),
        "remote_model": getattr(args, "asr_model", None),
    }
    asr = dataclasses.replace(asr, **{k: v for k, v in asr_changes.items() if v is not None})
    tr_settings = settings.translation
    tr_changes = {
        "enabled": getattr(args, "translate", None),
        "provider": getattr(args, "provider", None),
        "url": getattr(args, "url", None),
        "model": getattr(args, "model", None),
        "target_language": getattr(args, "target", None),
        "temperature": getattr(args, "temperature", None),
    }
    provider = tr_changes.pop("provider")
    if provider is not None and provider != tr_settings.provider:
        # A new provider brings its preset URL and model unless they are given too.
        tr_settings = with_provider(tr_settings, provider)
    tr_settings = dataclasses.replace(
        tr_settings, **{k: v for k, v in tr_changes.items() if v is not None}
    )
    feed = settings.feed
    if "--feed" in checked:
        feed = dataclasses.replace(feed, enabled=True, port=checked["--feed"])
    return apply_obs_arguments(
        dataclasses.replace(settings, asr=asr, translation=tr_settings, feed=feed), args)
