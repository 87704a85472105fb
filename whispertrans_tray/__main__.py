"""Command line entry point and the composition root: every object is built here.

The subcommands build what they need and hand it down: the terminal session (view,
translation service, recognizer) for ``transcribe`` and ``listen``; the tray app's
:class:`~whispertrans_tray.app.parts.Parts` (factories of its collaborators) for ``tray``;
the settings window's server checks for its process (``settings-window``, started by the app).
The command line itself (subcommands, flags, the saved settings they start from) is
:mod:`whispertrans_tray.cli.parser`'s; this module only wires.

``whispertrans-tray transcribe INPUT -o OUT.srt`` — file mode;
``whispertrans-tray listen --replay FILE`` — terminal live mode.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from whispertrans_tray import __version__, credentials, logs
from whispertrans_tray import settings as settings_mod
from whispertrans_tray.app import asr_check, both, export, history, live, obs_output, server_check
from whispertrans_tray.app.asr_fallback import FallbackTranscriber, load_transcriber
from whispertrans_tray.app.live import file_batch_size, recognizer_config
from whispertrans_tray.app.live_file import LiveFile
from whispertrans_tray.app.model_downloads import ModelDownloads
from whispertrans_tray.app.outputs import STUDIO_KINDS, LineSink, Outputs, StudioKind
from whispertrans_tray.app.publisher import Publisher
from whispertrans_tray.app.session import Session
from whispertrans_tray.app.translation_service import TranslationService, TranslationUpdate
from whispertrans_tray.cli import args as cli_args
from whispertrans_tray.cli import parser as cli_parser
from whispertrans_tray.cli import runner, streams, terminal
from whispertrans_tray.cli.signals import on_signals
from whispertrans_tray.core.batch_recognizer import BatchRecognizer
from whispertrans_tray.core.recognizer import StreamingRecognizer
from whispertrans_tray.core.subtitles import SubtitleModel
from whispertrans_tray.core.types import BatchTranscriber, Transcriber
from whispertrans_tray.desktop import autostart, settings_window
from whispertrans_tray.desktop import window as os_window
from whispertrans_tray.desktop.audio import AudioCapture, check_source, list_devices
from whispertrans_tray.desktop.hotkeys import Hotkeys
from whispertrans_tray.desktop.settings_window.api import FormServices, SettingsApi
from whispertrans_tray.desktop.single_instance import SingleInstance, runtime_folder
from whispertrans_tray.desktop.tray import Tray
from whispertrans_tray.errors import WhisperTransError
from whispertrans_tray.feed.server import FeedError, FeedServer
from whispertrans_tray.i18n import Phrase, phrase_text, tr
from whispertrans_tray.providers import obs_websocket
from whispertrans_tray.providers.asr_remote import base_url as asr_base_url
from whispertrans_tray.providers.chinese_script import ChineseScript
from whispertrans_tray.providers.translate_openai import (
    OpenAITranslator,
    base_url,
    plain_http_warning,
)
from whispertrans_tray.providers.vad_silero import SileroVad

if TYPE_CHECKING:  # the tray app loads Tk: imported where the tray starts (cmd_tray)
    from whispertrans_tray.app.parts import Parts

log = logging.getLogger("whispertrans_tray")


def build_parser() -> argparse.ArgumentParser:
    """The command line (:mod:`whispertrans_tray.cli.parser`), each subcommand handled by its
    ``cmd_*`` below."""
    return cli_parser.build_parser({
        "tray": cmd_tray, "transcribe": cmd_transcribe, "listen": cmd_listen,
        "devices": cmd_devices, "test-connection": cmd_test_connection,
        "test-asr": cmd_test_asr, "install-desktop": cmd_desktop_entry,
        "uninstall-desktop": cmd_desktop_entry, "settings-window": cmd_settings_window,
    })


def build_recognizer(asr: settings_mod.AsrSettings, transcriber: Transcriber,
                     live: bool) -> StreamingRecognizer:
    """A recognizer on ``transcriber`` with Silero VAD and the user's Chinese script; ``live``
    for live audio (partials on), else sequential file mode (one decode per utterance, kept for
    the benchmarks; ``transcribe`` uses :func:`build_file_recognizer`).  Live, a recognition
    server's fallback hears how late the recognizer is (its lag rule)."""
    recognizer = StreamingRecognizer(transcriber, SileroVad(), recognizer_config(asr, live),
                                     ChineseScript(asr.chinese_script))
    if live and isinstance(transcriber, FallbackTranscriber):
        transcriber.caller_lag = lambda: recognizer.behind
    return recognizer


def build_file_recognizer(asr: settings_mod.AsrSettings, transcriber: BatchTranscriber,
                          batch_size: int) -> BatchRecognizer:
    """File mode: whole utterances decoded ``batch_size`` at a time (same VAD, sentences and
    Chinese script as live mode)."""
    return BatchRecognizer(transcriber, SileroVad(), recognizer_config(asr, live=False),
                           ChineseScript(asr.chinese_script), batch_size=batch_size)


def endpoint_keys(translation: settings_mod.TranslationSettings,
                  key: str | None) -> list[str | None]:
    """The API key of each endpoint: ``key`` for the first, the keyring's for the fallbacks."""
    return [key, *(credentials.stored(url) for _, url, _ in translation.fallbacks)]


def translation_service(settings: settings_mod.TranslationSettings, key: str | None,
                        on_update: Callable[[TranslationUpdate], None], ui_language: str,
                        on_status: Callable[[str, str], None] = lambda brief, message: None,
                        clock: Callable[[], float | None] = lambda: None) \
        -> TranslationService:
    """The translation workers and one translator per endpoint of the list; ``clock`` stamps
    their answers (the running stream's)."""
    translators = [OpenAITranslator(settings_mod.at_endpoint(settings, entry), entry_key)
                   for entry, entry_key in zip(settings_mod.endpoints(settings),
                                               endpoint_keys(settings, key), strict=True)]
    return TranslationService(settings, translators, on_update, ui_language,
                              on_status=on_status, clock=clock)


def check_each_endpoint(translation: settings_mod.TranslationSettings, key: str | None,
                        ui_language: str) -> server_check.ConnectionReport:
    """測試連線 of every endpoint (a line each), each with its own key."""
    return server_check.run_all(translation, endpoint_keys(translation, key), ui_language)


def terminal_translation(settings: settings_mod.Settings, key: str | None,
                         on_update: Callable[[TranslationUpdate], None],
                         clock: Callable[[], float | None] = lambda: None) \
        -> TranslationService | None:
    """The translation worker when 啟用即時翻譯 is on (no server traffic when it is off)."""
    if not settings.translation.enabled:
        return None
    warning = plain_http_warning(settings.translation.url, key)
    if warning:
        terminal.notice(phrase_text(warning, settings.ui_language))
    return translation_service(settings.translation, key, on_update, settings.ui_language,
                               clock=clock)


def live_outputs(args: argparse.Namespace, settings: settings_mod.Settings) -> Outputs:
    """Where a live run's lines go besides the terminal and the output file: the local feed
    when it is on (a port in use is told, and the run goes on without it); OBS and the live
    text file when they are on."""
    outputs = Outputs()
    if settings.feed.enabled:
        server = start_feed(settings, terminal.notice)
        if server is not None:
            outputs.add(server)
    add_obs_outputs(outputs, settings, terminal.notice, getattr(args, "obs_password", None))
    return outputs


def start_feed(settings: settings_mod.Settings, tell: Callable[[str], None]) -> FeedServer | None:
    """The local feed started (its links told), or None (why, told)."""
    lang = settings.ui_language
    server = FeedServer(settings.feed, settings.overlay, lang)
    try:
        server.start()
    except FeedError as exc:
        tell(exc.message(lang))
        return None
    tell(tr("feed.serving", lang, url=server.local_url, overlay=server.local_url + "overlay"))
    if settings.feed.lan:
        tell(tr("feed.room_serving", lang, url=server.viewer_url()))
    return server


def studio_output(kind: StudioKind, settings: settings_mod.Settings,
                  tell: Callable[[str], None], obs_password: str | None = None) \
        -> LineSink | None:
    """obs: the live text file (``live_file``, when ``output.live_file`` is set) or OBS's text
    source (``obs``, when ``obs.enabled``), started; None when the settings turn it off.  A
    live file that is not the app's, or a bad OBS address, is told and left out (None); OBS
    not running, a wrong password, a missing source are told and retried while the run goes
    on.  The OBS password: ``obs_password`` (``--obs-password``), else the keyring's (read
    at each connection)."""
    lang = settings.ui_language
    try:
        if kind == "live_file":
            if not settings.output.live_file:
                return None
            return LiveFile.open(Path(settings.output.live_file), settings.output.live_lines,
                                 tell, lang)
        if not settings.obs.enabled:
            return None
        url = obs_websocket.check_url(settings.obs.url)
        # the password is read at each connection: one fixed in the settings window (the
        # keyring) is used at the next retry
        return obs_output.ObsOutput.start_new(settings.obs, lambda: obs_websocket.ObsConnection(
            url, credentials.resolve_obs(obs_password)), tell, lang,
            "translation" if settings.translation.enabled else "sentence")
    except WhisperTransError as exc:
        tell(exc.message(lang))
        return None


def add_obs_outputs(outputs: Outputs, settings: settings_mod.Settings,
                    tell: Callable[[str], None], obs_password: str | None = None) -> None:
    """obs: the live text file and OBS's text source as the settings say
    (:func:`studio_output`), added to ``outputs`` (``listen``, ``transcribe --realtime``; the
    tray app adds and rebuilds them itself, ``app.studio``)."""
    for kind in STUDIO_KINDS:
        sink = studio_output(kind, settings, tell, obs_password)
        if sink is not None:
            outputs.add(sink)


def _session(args: argparse.Namespace, settings: settings_mod.Settings, live_view: bool,
             source: Path | None = None, outputs: Outputs | None = None) \
        -> tuple[Session, live.Recognizer, Transcriber]:
    """The terminal session and a recognizer on the loaded model (``source``: the input file,
    which the output must not be; ``outputs``: a live run's, each line published to them)."""
    lang = settings.ui_language
    if args.output is not None:  # before the model loads, not after the work
        export.check_writable(args.output, source)
    terminal.notice(tr("cli.loading_model", lang, name=settings.asr.model))
    model = load_transcriber(settings, terminal.notice,
                             credentials.resolve_asr(getattr(args, "asr_api_key", None)))
    if model.info.notice:
        terminal.notice(phrase_text(model.info.notice, lang))
    terminal.notice(tr("cli.model_loaded", lang, seconds=model.info.load_seconds,
                       device=model.info.device, compute_type=model.info.compute_type))
    recognizer: live.Recognizer = (build_recognizer(settings.asr, model, live=True) if live_view
                                   else build_file_recognizer(
                                       settings.asr, model, file_batch_size(model.info.device)))
    subtitles = SubtitleModel()
    translates = both.translated(settings)
    view = terminal.TerminalView(subtitles, live_view, settings.translation.enabled, lang,
                                 translates)
    publisher = None if outputs is None else Publisher(outputs, lambda: settings.translation)
    session = Session(view, lambda: subtitles.lines, args.output,
                      runner.open_history(lang, settings.history), publisher, translates)
    session.service = terminal_translation(settings, credentials.resolve(args.api_key),
                                           session.on_translation, session.clock)
    return session, recognizer, model


def _run_file(args: argparse.Namespace, settings: settings_mod.Settings, path: Path,
              realtime: bool) -> int:
    """File mode (``realtime`` False) or a 1× replay of a file; Ctrl+C or SIGTERM ends it early
    with the pending sentence finished and the output written."""
    audio = live.open_audio(path)  # a clear error now, before the model loads
    outputs = live_outputs(args, settings) if realtime else None
    try:
        session, recognizer, _ = _session(args, settings, live_view=realtime, source=path,
                                          outputs=outputs)
        progress = None if realtime else terminal.Progress(audio.duration or 0.0,
                                                           settings.ui_language)
        # a transcription stopped by a signal is not done: its exit code says so
        return runner.run_file(session, recognizer, path, realtime, progress, args.output,
                               settings.ui_language, complete=args.command != "transcribe")
    finally:
        if outputs is not None:
            outputs.close()


def cmd_transcribe(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    return _run_file(args, settings, args.input, realtime=args.realtime)


def cmd_listen(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    """Live subtitles from loopback or a microphone until Ctrl+C, SIGTERM or ``--duration``."""
    if args.replay is not None:
        return _run_file(args, settings, args.replay, realtime=True)
    if args.source or args.mic or args.speaker:  # --mic/--speaker alone: the saved "both"
        settings = runner.apply_source(settings, args.source or settings.audio.source,
                                       args.mic, args.speaker)
    audio, lang = settings.audio, settings.ui_language
    if audio.source == "both":  # both sides of a call: system audio and the microphone
        check_source("loopback", audio.device)  # clear errors now, before the model loads
        check_source("mic", audio.mic_device)
    else:
        check_source(audio.source, audio.device)  # a clear error now, before the model loads
    outputs = live_outputs(args, settings)
    try:
        session, recognizer, model = _session(args, settings, live_view=True, outputs=outputs)
        if audio.source != "both":
            capture = AudioCapture(audio.source, audio.device, terminal.notice, lang)
            return runner.listen(session, recognizer, capture, args.duration, args.output,
                                 lang)
        labels = both.labels(settings)
        assert isinstance(recognizer, StreamingRecognizer)
        them = both.Side(AudioCapture("loopback", audio.device, terminal.notice, lang),
                         recognizer, labels.them)
        me = both.Side(AudioCapture("mic", audio.mic_device, terminal.notice, lang),
                       build_recognizer(settings.asr, model, live=True), labels.me)
        return runner.listen_both(session, them, me, audio.echo_filter, args.duration,
                                  args.output, lang)
    finally:
        outputs.close()


def cmd_devices(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    return terminal.print_devices(list_devices(), settings.ui_language)


def tray_parts(asr_key: str | None = None, obs_password: str | None = None) -> Parts:
    """The tray app's collaborators (``asr_key``: ``--asr-api-key``, else the keyring's;
    ``obs_password``: ``--obs-password``, else the keyring's)."""
    # Imported here, not at the top: the overlay loads Tk, which the terminal commands (file
    # mode on a server without a display) must not need.
    from whispertrans_tray.app.parts import Parts
    from whispertrans_tray.desktop.overlay import Overlay

    clock = live.StreamClock()  # the recording's, read by the translation's time stamps
    return Parts(
        overlay=Overlay,
        tray=Tray,
        hotkeys=Hotkeys,
        translation=lambda settings, key, on_update, ui_language, on_status: translation_service(
            settings, key, on_update, ui_language, on_status, clock),
        clock=clock,
        load_model=lambda settings, on_status: load_transcriber(
            settings, on_status, credentials.resolve_asr(asr_key)),
        recognizer=lambda asr, model: build_recognizer(asr, model, live=True),
        capture=AudioCapture,
        devices=list_devices,
        history=lambda limits: history.open_session(limits=limits),
        server_check=check_each_endpoint,
        settings_window=settings_window.spawn,
        feed=start_feed,
        studio_output=lambda kind, settings, tell: studio_output(kind, settings, tell,
                                                                 obs_password),
    )


def cmd_tray(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    """The tray daemon; a second launch asks the running one to show its subtitles."""
    import tkinter as tk

    # Imported here, not at the top: the tray app loads Tk (see tray_parts).
    from whispertrans_tray.app.tray_app import App

    log_file = logs.add_file()
    holder: list[App] = []
    outputs = Outputs()  # the app adds the feed, OBS, the live file as its settings say

    def show() -> None:
        if holder:
            holder[0].commands.show_overlay()

    instance = SingleInstance(runtime_folder(), show)
    if not instance.acquire():
        instance.notify_first()
        print(tr("app.already_running", settings.ui_language), file=sys.stderr)
        return 0
    try:
        os_window.enable_dpi_awareness()
        try:
            app = App(settings, args.settings, credentials.resolve(args.api_key),
                      tray_parts(args.asr_api_key, args.obs_password), outputs)
        except tk.TclError as exc:  # no screen (a server, an SSH session)
            log.info("Tk cannot open a window: %r", exc)
            display = os.environ.get("DISPLAY", "")
            detail = Phrase.of("cause.display_closed", display=display) if display \
                else Phrase.of("cause.no_display_set")
            print(tr("app.no_display", settings.ui_language, detail=detail), file=sys.stderr)
            return 1
        holder.append(app)
        on_signals(lambda: app.root.after(0, app.quit))  # SIGTERM: a clean quit
        log.info("WhisperTrans Tray %s started; log file %s", __version__, log_file)
        code = app.run(start_recording=not args.idle)
    finally:
        outputs.close()
        instance.release()
    runner.end_past(app.recording.unfinished, code)  # a decode the quit gave up on
    return code


def cmd_desktop_entry(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    """``install-desktop`` / ``uninstall-desktop``: the Linux menu entry and its icon."""
    ok, message = autostart.desktop_entry(args.command == "install-desktop", settings.ui_language)
    return terminal.print_result(ok, message)


def cmd_test_connection(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    """測試連線: print the report; exit 0 only on success."""
    key = credentials.resolve(args.api_key)
    report = check_each_endpoint(settings.translation, key, settings.ui_language)
    if report.warning:
        terminal.notice(report.warning)
    return terminal.print_result(report.ok, report.message, report.sample)


def cmd_test_asr(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    """測試連線 for the recognition server; exit 0 only on success."""
    key = credentials.resolve_asr(args.asr_api_key)
    report = asr_check.run(settings.asr, key, settings.ui_language)
    return terminal.print_result(report.ok, report.message)


def settings_services(path: Path | None) -> FormServices:
    """What the settings window's form uses: the settings file ``path`` (None: the default
    one), the keyring, the URL check, 測試連線 and the model manager (the window never
    imports providers)."""
    def save(settings: settings_mod.Settings, key: str | None) -> None:
        settings_mod.save(settings, path)
        if key is not None:
            credentials.store(key)

    def test_connection(translation: settings_mod.TranslationSettings, keys: list[str | None],
                        ui_language: str) -> dict[str, object]:
        report = server_check.run_all(translation, keys, ui_language)
        return {"ok": report.ok, "message": report.message, "sample": report.sample,
                "models": list(report.models), "warning": report.warning}

    def test_asr(asr: settings_mod.AsrSettings, key: str | None,
                 ui_language: str) -> dict[str, object]:
        report = asr_check.run(asr, key, ui_language)
        return {"ok": report.ok, "message": report.message}

    return FormServices(load=lambda: settings_mod.load(path), save=save,
                        stored_key=credentials.stored, check_url=base_url,
                        test_connection=test_connection, models=ModelDownloads(),
                        store_key=credentials.store,
                        test_asr=test_asr, check_asr_url=asr_base_url,
                        stored_asr_key=lambda: credentials.stored(credentials.ASR_ENTRY),
                        store_asr_key=lambda key: credentials.store(key,
                                                                    credentials.ASR_ENTRY),
                        test_obs=lambda obs, password, lang: obs_output.check(
                            lambda: obs_websocket.ObsConnection(obs.url, password),
                            obs.source, lang),
                        check_obs_url=obs_websocket.check_url,
                        stored_obs_password=lambda: credentials.stored(credentials.OBS_ENTRY),
                        store_obs_password=lambda password: credentials.store(
                            password, credentials.OBS_ENTRY))


def cmd_settings_window(args: argparse.Namespace, settings: settings_mod.Settings) -> int:
    """The settings window process; each save is told to the app over stdout."""
    return settings_window.run(SettingsApi(settings_services(args.settings),
                                           settings_window.tell_parent_saved,
                                           settings_window.notice()))


def main(argv: Sequence[str] | None = None) -> int:
    streams.utf8_output()  # before anything is printed (the help, a settings problem)
    parser = build_parser()
    args = parser.parse_args(argv)
    logs.setup(args.verbose)
    if args.command is None:
        args = parser.parse_args([*(argv or sys.argv[1:]), "tray"])
    lang = args.ui_language or "zh-TW"
    try:
        settings = cli_parser.load_settings(args)
        lang = settings.ui_language
        settings = cli_args.apply_arguments(settings, args)
        cli_args.check_combinations(args, settings)
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
