"""The tray app's local feed and room: started, restarted when its settings change, stopped on
quit; the viewer link shown from the tray menu.

The feed itself is built by the composition root (``Parts.feed``: it starts the server and
tells why when it cannot, e.g. a port in use; the app keeps running without it); here it is a
:class:`~whispertrans_tray.app.parts.ViewerFeed`, one more sink of the app's outputs.
"""

from __future__ import annotations

import logging

from whispertrans_tray.app.host import RoomHost
from whispertrans_tray.app.outputs import Outputs
from whispertrans_tray.app.parts import ViewerFeed
from whispertrans_tray.desktop.viewer_link import LinkWords, ViewerLinkWindow

log = logging.getLogger(__name__)


class Room:
    """The feed of the running settings, one sink of ``outputs``."""

    def __init__(self, app: RoomHost, outputs: Outputs) -> None:
        self.app = app
        self.outputs = outputs
        self.feed: ViewerFeed | None = None
        self.window: ViewerLinkWindow | None = None

    def start(self) -> None:
        settings = self.app.settings
        if not settings.feed.enabled or self.feed is not None:
            return
        self.feed = self.app.parts.feed(settings, self.app.notify)
        if self.feed is not None:
            self.outputs.add(self.feed)
        self.app.tell_settings_window()

    def stop(self) -> None:
        if self.feed is not None:
            self.outputs.remove(self.feed)
            self.feed.close()
            self.feed = None
            self.app.tell_settings_window()

    def link(self) -> str:
        """The viewer link of the running feed ("" while there is none)."""
        return self.feed.viewer_url() if self.feed is not None else ""

    def restart(self) -> None:
        """The feed settings, the subtitles' look (the pages') or the UI language changed."""
        self.stop()
        self.start()

    def show_link(self) -> None:
        """The viewer link and its QR code in a window (Tk's thread)."""
        app = self.app
        if self.feed is None:
            app.notify(app.t("feed.off"))
            return
        if self.window is not None:
            self.window.close()
        lan = app.settings.feed.lan
        url = self.feed.viewer_url()
        note = "" if lan and url != self.feed.local_url else app.t(
            "feed.no_lan" if not lan else "feed.no_lan_address")
        words = LinkWords(app.t("feed.link_title"), app.t("feed.link_hint"),
                          app.t("feed.link_close"), note)
        self.window = ViewerLinkWindow(app.root, url, words)
        log.info("Viewer link shown (room %s)", "on" if lan else "off")
