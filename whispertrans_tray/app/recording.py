"""The tray app's recording worker: load the model once, then run the live loop on a thread.

The worker builds a capture and a recognizer from the app's :class:`~whispertrans_tray.app.
parts.Parts` and runs :func:`whispertrans_tray.app.live.events` until stopped; every event
goes to the app (``emit``), each sentence stamped with the capture's clock (``committed_at``);
one that came more than :data:`LAG_WARNING_S` late says so on the status line.  Status changes
are posted to Tk's thread.

On quit the worker finishes the sentence being spoken; if that final decode misses the
shutdown deadline (a loaded machine), the line on screen (the last partial) is committed in
its place, so the sentence is not lost, and whatever the worker says later is dropped.  With
no partial line on screen yet there is nothing to keep in its place: the decode is then given
up to :data:`NO_PARTIAL_GRACE_S` more (or until a partial line comes), as losing the sentence
is worse than a slower quit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from whispertrans_tray.app import live
from whispertrans_tray.app.host import RecordingHost
from whispertrans_tray.app.parts import LoadedTranscriber, Parts
from whispertrans_tray.core.types import Audio, Event, Partial, Sentence
from whispertrans_tray.errors import WhisperTransError
from whispertrans_tray.i18n import phrase_text

log = logging.getLogger(__name__)

LAG_WARNING_S = 2.0
NO_PARTIAL_GRACE_S = 10.0


class Recording:
    """Start, stop and restart the worker (called on Tk's thread)."""

    def __init__(self, app: RecordingHost, parts: Parts) -> None:
        self.app = app
        self.parts = parts
        self.model: LoadedTranscriber | None = None
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self.unfinished: threading.Thread | None = None
        """A worker a quit gave up on (still in its final decode)."""
        self._lock = threading.Lock()  # the worker's events vs. a quit that gives up on it
        self._abandoned = False
        self._partial = ""
        self._last: Sentence | None = None
        self._clock: Callable[[], float] = lambda: 0.0
        self._stream_time: Callable[[], float] = lambda: 0.0

    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        self._abandoned = False
        self._clock = lambda: 0.0  # no audio of this run yet
        self.app.set_status("loading" if self.model is None else "recording")
        self._worker = threading.Thread(target=self._run, name="recording", daemon=True)
        self._worker.start()

    def stop(self, wait: float = 2.0, final: bool = False) -> None:
        """Stop the worker, waiting ``wait`` seconds for it to finish the pending sentence.
        ``final`` (quit): if it has not finished by then, commit the partial line instead."""
        self._stop.set()
        if self._worker is not None:
            self._worker.join(wait)
            if final and self._worker.is_alive() and self._speech_without_partial():
                log.warning("The final decode missed the quit deadline with no partial line "
                            "yet; waiting up to %.0f s more for either", NO_PARTIAL_GRACE_S)
                end = time.monotonic() + NO_PARTIAL_GRACE_S
                while self._worker.is_alive() and self._speech_without_partial() \
                        and time.monotonic() < end:
                    self._worker.join(0.05)
                if not self._worker.is_alive():
                    log.info("The final decode ended past the quit deadline, within the grace")
            if final and self._worker.is_alive():
                self._commit_partial()
                self.unfinished = self._worker
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
                if self.model.info.notice:
                    notice = phrase_text(self.model.info.notice, lang)
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
                app.post_notice(app.t("status.lag", seconds=recognizer.behind))

        def on_dropped(seconds: float) -> None:  # the loop fell behind the audio
            app.post_notice(app.t("status.dropped", seconds=seconds))

        self._clock = lambda: capture.captured_seconds
        self.parts.clock.use(self._clock)
        self._stream_time = lambda: recognizer.stream_time
        self._partial, self._last = "", None
        chunks = live.capture_chunks(capture, self._stop, on_dropped)
        try:
            for event in live.events(chunks, recognizer, on_fed, self._clock):
                self._emit(event)
        except Exception:
            log.exception("Recording worker failed")
            app.post(lambda: app.fail(app.t("status.error")))
        finally:
            chunks.close()  # the capture stops now, whatever happened

    def _emit(self, event: Event) -> None:
        """An event of the worker to the app (unless a quit gave up on the worker)."""
        with self._lock:
            if self._abandoned:
                log.warning("Quit before the final decode ended; dropped: %s", event)
                return
            if isinstance(event, Partial):
                self._partial = event.text
                if event.text:
                    log.debug("Partial line: %s", event.text)
            elif isinstance(event, Sentence):
                self._partial, self._last = "", event
            self.app.emit(event)
        if isinstance(event, Sentence) and event.committed_at is not None \
                and event.committed_at - event.end > LAG_WARNING_S:
            self.app.post_notice(self.app.t("status.lag",
                                            seconds=event.committed_at - event.end))

    def _speech_without_partial(self) -> bool:
        """Whether audio was captured (the worker is past loading the model) and no partial
        line stands for what is being decoded."""
        with self._lock:
            return self._clock() > 0 and not self._partial.strip()

    def _commit_partial(self) -> None:
        """The worker missed the quit deadline: the partial line is committed as it stands."""
        with self._lock:
            self._abandoned = True
            text = self._partial.strip()
            if not text:
                log.warning("The final decode missed the quit deadline; no partial line yet")
                return
            last = self._last
            start = last.end if last is not None else 0.0
            spoken = self.app.settings.asr.language
            language = last.language if last is not None else (
                "" if spoken == "auto" else spoken)
            sentence = Sentence(last.index + 1 if last is not None else 0, start,
                                max(self._stream_time(), start), language, text,
                                round(self._clock(), 3))
            log.warning("The final decode missed the quit deadline; kept the partial line: %s",
                        text)
            self.app.emit(sentence)
