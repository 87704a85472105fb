"""Terminal views: subtitles printed in place, file-mode progress, the device list.

Views only: they print what they are given.  ``__main__`` builds the recognizer, the
translation service and the session, and hands these views in.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable

from tqdm import tqdm

from whispertrans_tray.app.translation_service import TranslationUpdate
from whispertrans_tray.core.subtitles import SubtitleModel
from whispertrans_tray.core.types import Event, Partial, Speculative
from whispertrans_tray.desktop.audio import DeviceInfo
from whispertrans_tray.i18n import tr
from whispertrans_tray.logs import redact

LAG_SHOWN_S = 2.0
"""A live sentence committed later than this after it was spoken shows the lag (stderr)."""


class TerminalView:
    """Prints sentences as they commit, their translations, and the partial line in place;
    in live mode (``live``), a sentence that came more than :data:`LAG_SHOWN_S` late says so."""

    def __init__(self, model: SubtitleModel, live: bool, translating: bool,
                 ui_language: str) -> None:
        self.model = model
        self.show_lag = live
        self.live = live and sys.stdout.isatty()
        self.translating = translating
        self.ui_language = ui_language
        self._partial_shown = False
        self._lock = threading.Lock()

    def __call__(self, event: Event) -> None:
        self.apply(event)
        self.show(event)

    def apply(self, event: Event) -> None:
        """Record ``event`` in the subtitles."""
        with self._lock:
            self.model.apply(event, translating=self.translating)

    def show(self, event: Event) -> None:
        """Print ``event`` (after :meth:`apply`)."""
        with self._lock:
            if isinstance(event, Speculative):
                return
            if isinstance(event, Partial):
                if self.live:
                    sys.stdout.write("\r\033[K" + event.text[-150:])
                    sys.stdout.flush()
                    self._partial_shown = bool(event.text)
                return
            self._clear_partial()
            stamp = f"[{event.start:7.2f} → {event.end:7.2f}] "
            print(f"{stamp}{event.text}", flush=True)
            if self.show_lag and event.committed_at is not None \
                    and event.committed_at - event.end > LAG_SHOWN_S:
                notice(tr("status.lag", self.ui_language,
                          seconds=event.committed_at - event.end))

    def translation(self, update: TranslationUpdate) -> None:
        """Called on the translation thread."""
        with self._lock:
            self.model.apply_translation(update.index, update.text, update.done, update.error,
                                         update.late, update.first_token_at,
                                         update.translated_at)
            if not update.done:
                return
            self._clear_partial()
            if update.late:  # a sentence that had failed, translated once the server was back
                marker = tr("translate.late_marker", self.ui_language)
                print(f"{'':20}→ [{marker} #{update.index + 1}] {update.text}", flush=True)
            elif update.error:
                marker = tr("translate.failed_marker", self.ui_language)
                print(f"{'':20}{marker}: {redact(update.error)}", file=sys.stderr,
                      flush=True)
            elif update.text:
                print(f"{'':20}→ {update.text}", flush=True)

    def _clear_partial(self) -> None:
        if self._partial_shown:
            sys.stdout.write("\r\033[K")
            self._partial_shown = False


def notice(message: str) -> None:
    """A message for the user beside the subtitles (stderr), secrets masked."""
    print(redact(message), file=sys.stderr)


def print_result(ok: bool, message: str, *more: str) -> int:
    """A check's result (``message``, then each of ``more`` that is not empty): on stdout with
    exit code 0 when ``ok``, else on stderr with exit code 1.  Secrets are masked (a URL's
    password, an echoed key)."""
    stream = sys.stdout if ok else sys.stderr
    print(redact(message), file=stream)
    for line in more:
        if line:
            print(redact(line), file=stream)
    return 0 if ok else 1


class Progress:
    """File mode's progress bar (tqdm on stderr), in seconds of audio."""

    def __init__(self, total_s: float, ui_language: str) -> None:
        self._bar = tqdm(total=round(total_s, 1), unit="s", file=sys.stderr,
                         desc=tr("cli.progress", ui_language), leave=False,
                         bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s")

    def update(self, seconds: float) -> None:
        self._bar.update(seconds)

    def close(self) -> None:
        self._bar.close()


def print_devices(devices: Iterable[DeviceInfo], ui_language: str) -> int:
    """``whispertrans-tray devices``: one line per source, ``*`` marks the defaults."""
    for device in devices:
        kind = tr("devices.loopback" if device.kind == "loopback" else "devices.mic",
                  ui_language)
        mark = "*" if device.is_default else " "
        print(f"{mark} {kind:<12} {device.name}")
    return 0
