"""The tray app's recording worker: load the model once, then run the live loop on a thread.

The worker builds a capture and a recognizer from the app's :class:`~whispertrans_tray.app.
tray_app.Parts` and runs :func:`whispertrans_tray.app.live.events` until stopped; every event
goes to :meth:`App.emit`.  Status changes are posted to Tk's thread.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from whispertrans_tray.app import live
from whispertrans_tray.core.types import Audio
from whispertrans_tray.errors import WhisperTransError

if TYPE_CHECKING:  # the app owns its recording; only the type is needed here
    from whispertrans_tray.app.tray_app import App, LoadedTranscriber, Parts

log = logging.getLogger(__name__)

LAG_WARNING_S = 3.0


class Recording:
    """Start, stop and restart the worker (called on Tk's thread)."""

    def __init__(self, app: App, parts: Parts) -> None:
        self.app = app
        self.parts = parts
        self.model: LoadedTranscriber | None = None
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self.app.set_status("loading" if self.model is None else "recording")
        self._worker = threading.Thread(target=self._run, name="recording", daemon=True)
        self._worker.start()

    def stop(self, wait: float = 2.0) -> None:
        self._stop.set()
        if self._worker is not None:
            self._worker.join(wait)
            self._worker = None
        if self.app.status in ("recording", "loading"):
            self.app.set_status("idle")

    def toggle(self) -> None:
        if self.running:
            self.stop()
        else:
            self.start()

    def restart(self, model_changed: bool) -> None:
        """New audio or speech settings: reload the model if they changed it; a running
        recording starts again with them."""
        if model_changed:
            self.close_model()
        if self._worker is not None:
            self.stop()
            self.start()

    def close_model(self) -> None:
        """Forget the loaded model; a recognition server's client and probes stop."""
        close = getattr(self.model, "close", None)
        if callable(close):
            close()
        self.model = None

    def _run(self) -> None:
        """Worker thread: load the model once, capture, recognize, emit events."""
        app = self.app
        settings = app.settings
        lang = settings.ui_language
        try:
            if self.model is None:
                self.model = self.parts.load_model(settings, app.post_status)
                notice = self.model.info.notice
                if notice:
                    app.post(lambda: app.overlay.set_status(notice))
            recognizer = self.parts.recognizer(settings.asr, self.model)
            capture = self.parts.capture(settings.audio.source, settings.audio.device,
                                         app.post_status, lang)
        except WhisperTransError as exc:
            message = exc.message(lang)
            app.post(lambda: app.fail(message))
            return
        app.post(lambda: app.set_status("recording"))

        def on_fed(chunk: Audio) -> None:
            if recognizer.behind > LAG_WARNING_S:
                app.post_status(app.t("status.lag", seconds=recognizer.behind))

        def on_dropped(seconds: float) -> None:  # the loop fell behind the audio
            app.post_status(app.t("status.dropped", seconds=seconds))

        chunks = live.capture_chunks(capture, self._stop, on_dropped)
        try:
            for event in live.events(chunks, recognizer, on_fed):
                app.emit(event)
        except Exception:
            log.exception("Recording worker failed")
            app.post(lambda: app.fail(app.t("status.error")))
        finally:
            chunks.close()  # the capture stops now, whatever happened
