"""The tray app's translation: the service as the settings say, its answers on the subtitles,
and an outage told once.

While translation is down the subtitles go on with their source text: the status line shows
one short line, the cause and fix are told once per outage as a notification and stay in the
tray's tooltip (:class:`~whispertrans_tray.core.outage.Outage`); the first translation after an
outage says it resumed.  A late translation (a sentence translated once a server was back) fills
its line in the history and repaints the overlay only if that line is still on screen.
Drafts (``translation.drafts``) go to the overlay's draft line only (:mod:`~whispertrans_tray.
app.draft_view`); a sentence's own translation removes its draft.  All of it runs on Tk's
thread, except the service's callbacks, which post there.
"""

from __future__ import annotations

import logging

from whispertrans_tray.app.host import TranslationHost
from whispertrans_tray.app.translation_service import TranslationUpdate
from whispertrans_tray.errors import WhisperTransError
from whispertrans_tray.i18n import phrase_text
from whispertrans_tray.providers.translate_openai import plain_http_warning

log = logging.getLogger(__name__)

RESUMED_SHOWN_MS = 6000  # "translation resumed" leaves the status line after this


class TranslationView:
    """Starts, restarts and shows the app's translation service (``app.service``)."""

    def __init__(self, app: TranslationHost) -> None:
        self.app = app

    def start(self) -> None:
        app = self.app

        def on_update(update: TranslationUpdate) -> None:
            if update.done:
                app.history.translation(update.index, update.text, update.error, update.late,
                                        update.first_token_at, update.translated_at)
            app.publisher.translation(update)
            app.post(lambda: self._show(update), droppable=not update.done)

        def on_status(brief: str, message: str) -> None:  # the endpoint in use changed
            def show() -> None:
                app.overlay.set_status(brief)
                app.notify(message)
                if app.tray is not None:
                    app.tray.refresh()
                app.tell_settings_window()
            app.post(show)

        try:
            app.service = app.parts.translation(app.settings.translation, app.api_key,
                                                on_update, app.settings.ui_language, on_status)
        except WhisperTransError as exc:
            app.fail(exc.message(app.settings.ui_language))
            return
        app.service.on_draft = lambda index, text: app.post(
            lambda: app.drafts.offer(index, text), droppable=True)
        app.overlay.draft_room = app.settings.translation.drafts
        plain = plain_http_warning(app.settings.translation.url, app.api_key)
        if plain:
            warning = phrase_text(plain, app.settings.ui_language)
            app.overlay.set_status(warning)
            app.notify(warning)

    def restart(self) -> None:
        """The translation settings (or the UI language) changed."""
        app = self.app
        app.drafts.clear()
        app.overlay.draft_room = False
        if app.service is not None:
            app.service.close(0.5)
            app.service = None
        if app.settings.translation.enabled:
            self.start()
        elif app.outage.active:  # translation off: nothing is down any more
            app.outage.succeeded()
            app.overlay.set_status("")
        app.tell_settings_window()

    def set_drafts(self, on: bool) -> None:
        """``translation.drafts`` alone changed: applied to the running service, nothing
        restarts (the settings are already the app's)."""
        app = self.app
        if app.service is not None:
            app.service.settings = app.settings.translation
        app.overlay.draft_room = on and app.service is not None
        if not on:
            app.drafts.clear()

    def _show(self, update: TranslationUpdate) -> None:
        """A late translation fills its line in the history; the overlay repaints only if
        that line is still on screen (it never goes back to an older sentence)."""
        if not update.late and (update.text or update.done):
            self.app.drafts.final(update.index)  # the sentence's own line has it now
        subtitles = self.app.subtitles
        on_screen = any(line.sentence.index == update.index for line in subtitles.visible())
        subtitles.apply_translation(update.index, update.text, update.done, update.error,
                                    update.late, update.first_token_at, update.translated_at)
        if update.done and update.text:
            self._arrived()
        if update.late and not on_screen:
            return
        self.app.overlay.show(subtitles.visible(), subtitles.partial)
        if update.error and not update.late:
            self._failed(update)

    def _failed(self, update: TranslationUpdate) -> None:
        """The subtitles get one short line; the cause and fix are told once per outage."""
        app = self.app
        brief = update.brief or app.t("translate.brief.failed")
        if app.outage.failed(brief, update.error):
            log.warning("Translation is down (sentences keep their source text): %s",
                        update.error)
            app.notify(update.error, app.t("translate.outage_title"))
            if app.tray is not None:
                app.tray.refresh()
        app.overlay.set_status(brief)

    def _arrived(self) -> None:
        app = self.app
        if not app.outage.succeeded():
            return
        log.info("Translation resumed")
        resumed = app.t("translate.resumed")
        app.overlay.set_status(resumed)
        app.notify(resumed)
        if app.tray is not None:
            app.tray.refresh()

        def clear() -> None:
            if app.overlay.status == resumed:
                app.overlay.set_status("")
        app.root.after(RESUMED_SHOWN_MS, clear)
