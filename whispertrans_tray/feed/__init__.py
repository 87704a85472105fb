"""The local feed: the subtitles served over HTTP (Server-Sent Events, an OBS Browser Source
page, a reader page for phones) and the room (the same pages on the local network behind a
viewer link's token).

It is a :class:`~whispertrans_tray.app.outputs.LineSink` built by ``__main__`` and imports only
the seam (``app.outputs``), the settings, i18n and errors (an import-linter contract).

* :mod:`~whispertrans_tray.feed.screen` — the lines now on screen, replayed to a client that
  connects mid-session (pure);
* :mod:`~whispertrans_tray.feed.access` — who may read what: the token, the Host and Origin
  checks, the viewer link;
* :mod:`~whispertrans_tray.feed.server` — the HTTP server and the fan-out to the clients;
* ``web/`` — the pages (package data, no CDN).

The viewer link's QR code is the desktop's (``desktop.qr``: the tray's link window and the
settings window show it).
"""
