"""Running a terminal session (a file, a replay, a capture): its history, its signals, and
how it ends.

Whatever ends the run (the file is done, Ctrl+C, SIGTERM, ``--duration``, an error), the
session is closed: what was committed is in the output file and the history.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from whispertrans_tray import settings as settings_mod
from whispertrans_tray.app import history, live
from whispertrans_tray.app.history import SessionWriter
from whispertrans_tray.app.session import Session
from whispertrans_tray.cli import terminal
from whispertrans_tray.cli.signals import StopSignals
from whispertrans_tray.core.subtitles import Line
from whispertrans_tray.desktop.audio import AudioCapture, list_devices
from whispertrans_tray.errors import NoAudioDeviceError
from whispertrans_tray.i18n import tr

log = logging.getLogger(__name__)


def open_history(ui_language: str,
                 limits: settings_mod.HistorySettings | None = None) -> SessionWriter | None:
    """The session history, as the tray app keeps it (in the temporary folder if the data
    folder cannot be written, and the user is told; None if neither can: the run goes on);
    old sessions beyond ``limits`` are removed, and the user is told."""
    try:
        writer = history.open_session(limits=limits)
    except OSError as exc:
        log.warning("No session history: %s", exc)
        return None
    for notice in (history.moved_notice(writer, ui_language),
                   history.pruned_notice(writer, ui_language)):
        if notice:
            terminal.notice(notice)
    return writer


def _median(values: list[float], share: float = 0.5) -> float:
    """The ``share`` quantile (nearest rank) of ``values``, as the benchmarks compute it."""
    ordered = sorted(values)
    return ordered[round(share * (len(ordered) - 1))]


def delays(lines: list[Line], ui_language: str) -> str:
    """The delays the viewer saw, from each sentence's end of speech (its ``end``): to the
    source line (``committed_at``), the translation's first text (``first_token_at``) and
    the final translation (``translated_at``); "" with no timed sentence."""
    committed = [line.sentence.committed_at - line.sentence.end for line in lines
                 if line.sentence.committed_at is not None]
    if not committed:
        return ""
    text = tr("cli.delays", ui_language, count=len(committed), committed=_median(committed))
    done = [line for line in lines if line.translated_at is not None
            and line.first_token_at is not None]
    if not done:
        return f"{text} {tr('cli.delays_untranslated', ui_language)}"
    first = [line.first_token_at - line.sentence.end for line in done
             if line.first_token_at is not None]
    translated = [line.translated_at - line.sentence.end for line in done
                  if line.translated_at is not None]
    return f"{text} " + tr("cli.delays_translated", ui_language, count=len(done),
                           first=_median(first), translated=_median(translated),
                           translated90=_median(translated, 0.9))


def drive(session: Session, work: Callable[[], object], signals: StopSignals,
          output: Path | None, ui_language: str, complete: bool = True) -> int:
    """Run ``work`` with ``signals`` active; the session is closed whatever happens (what was
    committed is written), and a normal end waits for the pending translations.  The exit
    code: 0, or the signal's (130, 143) unless a signal is a ``complete`` end (``listen``)."""
    try:
        with signals:
            work()
    except BaseException:
        session.close(drain=False)
        raise
    count = session.close()
    if complete and (summary := delays(list(session.lines()), ui_language)):
        terminal.notice(summary)  # listen: the delays the viewer saw
    if output is not None:
        terminal.notice(tr("cli.wrote", ui_language, count=count, path=output))
    if signals.signum and not complete:
        terminal.notice(tr("cli.interrupted", ui_language))
        return signals.exit_code
    return 0


def run_file(session: Session, recognizer: live.Recognizer, path: Path, realtime: bool,
             progress: terminal.Progress | None, output: Path | None, ui_language: str,
             complete: bool) -> int:
    """File mode (``realtime`` False) or a 1× replay of ``path``; Ctrl+C or SIGTERM ends it
    early with the pending sentence finished and the output written."""
    signals = StopSignals()

    def work() -> None:
        try:
            stats = live.run(live.stream_audio(path), recognizer, session.on_event,
                             realtime=realtime, on_progress=progress.update if progress else None,
                             stop=signals.stop, stream_clock=session.clock)
        finally:
            if progress:
                progress.close()
        log.info("Audio %.1f s in %.1f s (RTF %.3f), max lag %.2f s", stats.audio_seconds,
                 stats.wall_seconds, stats.real_time_factor, stats.max_lag_seconds)

    return drive(session, work, signals, output, ui_language, complete)


def listen(session: Session, recognizer: live.Recognizer, capture: AudioCapture,
           duration: float | None, output: Path | None, ui_language: str) -> int:
    """Live capture until Ctrl+C, SIGTERM or ``duration``: the chunks end, the pending
    sentence is still committed; each sentence is stamped with the capture's clock."""
    signals = StopSignals()

    def work() -> None:
        timer = threading.Timer(duration, signals.stop.set) if duration else None
        chunks = live.capture_chunks(capture, signals.stop)
        session.clock.use(lambda: capture.captured_seconds)
        try:
            if timer is not None:
                timer.start()
            for event in live.events(chunks, recognizer,
                                     clock=lambda: capture.captured_seconds):
                session.on_event(event)
        finally:
            chunks.close()  # the capture stops now, whatever happened
            if timer is not None:
                timer.cancel()

    code = drive(session, work, signals, output, ui_language)
    if capture.dropped_seconds:
        log.warning("Dropped %.1f s of audio while behind", capture.dropped_seconds)
    return code


def apply_source(settings: settings_mod.Settings, source: str) -> settings_mod.Settings:
    """``--source loopback|mic|NAME``: a NAME is looked up among speakers and microphones."""
    if source in ("loopback", "mic"):
        return settings_mod.replace(settings_mod.replace(settings, "audio.source", source),
                                    "audio.device", "")
    for device in list_devices():
        if device.name == source:
            return settings_mod.replace(settings_mod.replace(
                settings, "audio.source", device.kind), "audio.device", device.name)
    raise NoAudioDeviceError("audio.device_missing", name=source)


def end_past(worker: threading.Thread | None, code: int) -> None:
    """End the process now (``code``) if ``worker`` still runs: a decode in native code that a
    quit gave up on (its sentence is saved); the interpreter cannot shut down under it."""
    if worker is None or not worker.is_alive():
        return
    log.info("Exiting while a decode still runs")
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
